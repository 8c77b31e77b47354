//! End to end on a `--dev` node: an application submitted over RPC, approved by three of the
//! four main service nodes through the qualification council, and read back over RPC.

mod common;

use codec::Encode;
use common::{signed, Node};
use frame_support::dispatch::GetDispatchInfo;
use gridshard_runtime::{
	genesis_config_presets::development_meter, QualificationCouncilCall, RegistrationCall, Runtime,
	RuntimeCall,
};
use pallet_registration::{Application, GridConnection, Role, VoltageLevel};
use serde_json::json;
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::{BlakeTwo256, Hash as _};
use std::time::Duration;

#[test]
fn an_application_is_approved_by_the_council_and_shows_over_rpc() {
	let node = Node::start("registration", &["--dev", "--tmp"]);
	node.wait_for("the first block", Duration::from_secs(120), || {
		(node.best_number() >= 1).then_some(())
	});
	let genesis = node.genesis();

	// The genesis participants are approved.
	let eve = node.rpc("registration_participant", json!([Sr25519Keyring::Eve.to_account_id()]));
	assert_eq!(eve["status"], json!("approved"), "{eve}");
	assert_eq!(eve["role"]["provider"]["kind"], json!("photovoltaic"), "{eve}");

	// A household applies, its meter key proving possession.
	let applicant = Sr25519Keyring::CharlieStash;
	let account = applicant.to_account_id();
	let meter = development_meter(applicant);
	let meter_id = b"MTR-HOUSE-0077".to_vec();
	let proof = meter.sign(&pallet_registration::Pallet::<Runtime>::meter_key_proof_payload(
		&genesis, &account, &meter_id,
	));
	let application = Application {
		role: Role::User {
			connection: GridConnection {
				point: b"feeder-2/house-77".to_vec(),
				voltage: VoltageLevel::Low,
			},
		},
		region: 1,
		name: b"Household C".to_vec(),
		meter_id,
		meter_key: meter.public(),
		meter_key_proof: proof,
		settlement_commitment: H256::repeat_byte(0x77),
	};
	let apply =
		RuntimeCall::Registration(RegistrationCall::apply { application: Box::new(application) });
	let nonce = node.next_nonce(&account);
	let (block, _) =
		node.submit_and_watch("apply", &signed(&applicant.pair(), apply, nonce, genesis));
	println!("registration: Household C applied in {block}");

	let pending = node.rpc("registration_pendingApplications", json!([]));
	let pending = pending.as_array().expect("a page");
	assert_eq!(pending.len(), 1, "{pending:?}");
	assert_eq!(pending[0]["account"], json!(account.to_string()));
	assert_eq!(pending[0]["status"], json!("pending"));
	assert_eq!(pending[0]["meterId"], json!("MTR-HOUSE-0077"));
	println!("registration: registration_pendingApplications lists it as pending");

	// The energy bureau proposes the approval; it, the grid company and the notary vote aye.
	let approve = RuntimeCall::Registration(RegistrationCall::approve { who: account.clone() });
	let length = approve.encoded_size() as u32;
	let weight = approve.get_dispatch_info().call_weight;
	let hash = BlakeTwo256::hash_of(&approve);
	let [alice, bob, charlie] =
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie];
	let council = |call| RuntimeCall::QualificationCouncil(call);
	let propose = council(QualificationCouncilCall::propose {
		threshold: 3,
		proposal: Box::new(approve),
		length_bound: length,
	});
	let nonce = node.next_nonce(&alice.to_account_id());
	node.submit_and_watch("propose", &signed(&alice.pair(), propose, nonce, genesis));
	println!("registration: the energy bureau proposed the approval (3 of 4 needed)");
	for member in [alice, bob, charlie] {
		let vote =
			council(QualificationCouncilCall::vote { proposal: hash, index: 0, approve: true });
		let nonce = node.next_nonce(&member.to_account_id());
		node.submit_and_watch("vote", &signed(&member.pair(), vote, nonce, genesis));
		println!("registration: {member:?} voted aye");
	}
	let close = council(QualificationCouncilCall::close {
		proposal_hash: hash,
		index: 0,
		proposal_weight_bound: weight,
		length_bound: length,
	});
	let nonce = node.next_nonce(&bob.to_account_id());
	let (_, events) = node.submit_and_watch("close", &signed(&bob.pair(), close, nonce, genesis));
	let approved = events.iter().any(|event| {
		matches!(
			event,
			gridshard_runtime::RuntimeEvent::Registration(pallet_registration::Event::Approved { who })
				if *who == account
		)
	});
	assert!(approved, "the motion ran approve: {events:?}");
	println!("registration: the council closed the motion and approved Household C");

	let record = node.rpc("registration_participant", json!([account.to_string()]));
	assert_eq!(record["status"], json!("approved"), "{record}");
	assert_eq!(record["name"], json!("Household C"), "{record}");
	assert_eq!(record["role"]["user"]["connection"]["point"], json!("feeder-2/house-77"));
	let page = node.rpc("registration_pendingApplications", json!([null, 10]));
	assert_eq!(page, json!([]));
	println!("registration: registration_participant shows it approved: {record}");

	// The market's other read methods answer for the new participant.
	let account = json!(account.to_string());
	assert_eq!(node.rpc("settlement_uncommittedEscrow", json!([account])), json!("0"));
	assert_eq!(node.rpc("settlement_ordersOf", json!([account])), json!([]));
	assert_eq!(node.rpc("settlement_order", json!([0])), json!(null));
	assert_eq!(node.rpc("reputation_standing", json!([account])), json!(null));
	assert_eq!(node.rpc("reputation_ranking", json!([])), json!([]));
}
