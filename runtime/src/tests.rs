//! Runtime tests: the named presets build, and blocks run the way the node builds them (a
//! timestamp inherent and the miner's pre-runtime digest).

use crate::{
	configs::QualificationCollective,
	genesis_config_presets::{self, ENDOWMENT},
	testing::{self, check_invariants},
	AccountId, AllPalletsWithSystem, Balances, CouncilRootCall, Difficulty, Executive,
	QualificationCouncil, Registration, RegistrationCall, Runtime, RuntimeCall, RuntimeOrigin,
	Settlement, Sudo, System, UncheckedExtrinsic, BLOCK_REWARD, GRID, REGISTRATION_DEPOSIT,
	TARGET_BLOCK_TIME_MS,
};
use codec::Encode;
use frame_support::traits::{fungible::Inspect, IntegrityTest};
use sp_core::U256;
use sp_keyring::Sr25519Keyring;

/// Externalities with the genesis of a named preset.
fn preset_ext(preset: &str) -> sp_io::TestExternalities {
	genesis_config_presets::preset_storage(preset).into()
}

/// Runs block `n` as a miner would build it, the timestamp `TARGET_BLOCK_TIME_MS * n`.
fn run_block(n: u32, miner: &sp_runtime::AccountId32) {
	testing::run_block(n, miner, TARGET_BLOCK_TIME_MS * n as u64, || {});
}

/// `call` as a general transaction without signer, as meters and off-chain workers send it,
/// with the extensions the runtime gives authorised calls.
pub(crate) fn general(call: RuntimeCall) -> UncheckedExtrinsic {
	use frame_system::offchain::CreateAuthorizedTransaction;
	<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_authorized_transaction(call)
}

/// An order of 10 kWh at 1 GRID per kWh from Eve to the Alice stash household, delivering from
/// `window_start` to `window_end`, its escrow held.
fn open_eves_order(window_start: u32, window_end: u32) -> gridshard_primitives::traits::OrderId {
	use gridshard_primitives::traits::{Escrow, OrderBook, OrderTerms};
	let user = Sr25519Keyring::AliceStash.to_account_id();
	Settlement::hold(&user, 10 * GRID).unwrap();
	Settlement::open_order(OrderTerms {
		user,
		provider: Sr25519Keyring::Eve.to_account_id(),
		agreed: 10_000,
		price: GRID,
		grid_fee: GRID / 100,
		period: 0,
		window_start,
		window_end,
	})
	.unwrap()
}

/// The genesis participants are approved, and the main service nodes form the council.
fn check_market_genesis() {
	let council: Vec<AccountId> =
		genesis_config_presets::main_service_nodes().into_iter().map(|(_, a)| a).collect();
	let mut members = pallet_collective::Members::<Runtime, QualificationCollective>::get();
	members.sort();
	let mut council = council;
	council.sort();
	assert_eq!(members, council);
	let participants = genesis_config_presets::market_participants();
	assert_eq!(participants.len(), 4);
	for participant in participants {
		let record = Registration::participant(&participant.account).unwrap();
		assert_eq!(record.status, pallet_registration::Status::Approved);
		assert_eq!(record.deposit, REGISTRATION_DEPOSIT);
		assert_eq!(Balances::balance(&participant.account), ENDOWMENT - REGISTRATION_DEPOSIT);
	}
}

#[test]
fn pallets_pass_their_integrity_tests() {
	sp_io::TestExternalities::default().execute_with(|| {
		AllPalletsWithSystem::integrity_test();
	});
}

/// A participant cannot leave ahead of a suspension being voted: its deposit stays held
/// longer than the council's motion lives.
#[test]
fn unbonding_outlasts_a_council_motion() {
	use frame_support::traits::Get;
	let unbonding: crate::BlockNumber =
		<Runtime as pallet_registration::Config>::UnbondingPeriod::get();
	let motion: crate::BlockNumber = <Runtime as pallet_collective::Config<
		crate::configs::QualificationCollective,
	>>::MotionDuration::get();
	assert!(unbonding > motion, "unbonding {unbonding} blocks, a motion {motion}");
}

#[test]
fn both_presets_build_and_fund_their_accounts() {
	preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(Balances::balance(&Sr25519Keyring::Dave.to_account_id()), ENDOWMENT);
		assert_eq!(
			Difficulty::difficulty(),
			U256::from(genesis_config_presets::DEV_INITIAL_DIFFICULTY)
		);
		check_market_genesis();
		check_invariants();
	});
	preset_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		for (_, account) in genesis_config_presets::main_service_nodes() {
			assert_eq!(Balances::balance(&account), ENDOWMENT);
		}
		assert_eq!(
			Difficulty::difficulty(),
			U256::from(genesis_config_presets::LOCAL_INITIAL_DIFFICULTY)
		);
		check_market_genesis();
		check_invariants();
	});
	// Every named preset builds and keeps the invariants: dev, local, three regions, coordinator.
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 6);
	for name in names {
		let name: &str = name.as_ref();
		preset_ext(name).execute_with(check_invariants);
	}
	assert!(genesis_config_presets::get_preset(&"mainnet".into()).is_none());
	assert!(genesis_config_presets::get_preset(&"region-4".into()).is_none());
}

#[test]
fn each_block_pays_its_miner_and_issuance_grows_by_exactly_the_rewards() {
	preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let issuance = Balances::total_issuance();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let fresh = Sr25519Keyring::One.to_account_id();
		let bob_before = Balances::balance(&bob);
		for n in 1..=6 {
			run_block(n, if n % 2 == 0 { &bob } else { &fresh });
			check_invariants();
		}
		assert_eq!(Balances::total_issuance(), issuance + 6 * BLOCK_REWARD);
		assert_eq!(Balances::balance(&bob), bob_before + 3 * BLOCK_REWARD);
		assert_eq!(Balances::balance(&fresh), 3 * BLOCK_REWARD);
		assert_eq!(System::block_number(), 6);
		assert_eq!(pallet_timestamp::Now::<Runtime>::get(), 6 * TARGET_BLOCK_TIME_MS);
	});
}

#[test]
fn blocks_on_target_keep_the_difficulty_and_fast_ones_raise_it() {
	preset_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let start = Difficulty::difficulty();
		let miner = Sr25519Keyring::Alice.to_account_id();
		for n in 1..=5 {
			run_block(n, &miner);
		}
		assert_eq!(Difficulty::difficulty(), start);
	});
	preset_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let start = Difficulty::difficulty();
		let miner = Sr25519Keyring::Alice.to_account_id();
		// Blocks one millisecond apart.
		for n in 1..=3u32 {
			testing::run_block(n, &miner, 1_000 + n as u64, || {});
		}
		assert!(Difficulty::difficulty() > start);
		check_invariants();
	});
}

#[test]
fn development_meter_keys_are_the_derived_keys() {
	use sp_core::Pair;
	for participant in genesis_config_presets::market_participants() {
		let keyring = Sr25519Keyring::from_account_id(&participant.account).unwrap();
		let derived = genesis_config_presets::development_meter(keyring).public();
		println!("{keyring:?}: {}", sp_core::hexdisplay::HexDisplay::from(&derived.0));
		assert_eq!(participant.meter_key, derived, "{keyring:?}");
	}
}

#[test]
fn three_of_the_four_main_service_nodes_approve_an_application() {
	use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};
	use pallet_registration::{Application, GridConnection, Role, Status, VoltageLevel};
	use sp_core::Pair;
	use sp_runtime::traits::Hash as _;

	preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let signed = |who: &AccountId| RuntimeOrigin::signed(who.clone());
		let [alice, bob, charlie, _dave] =
			genesis_config_presets::main_service_nodes().map(|(_, account)| account);
		let applicant = Sr25519Keyring::CharlieStash.to_account_id();
		let meter = genesis_config_presets::development_meter(Sr25519Keyring::CharlieStash);
		let meter_id = b"MTR-HOUSE-0077".to_vec();
		let payload = Registration::meter_key_proof_payload(
			&Registration::genesis_hash(),
			&applicant,
			&meter_id,
		);
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
			meter_key_proof: meter.sign(&payload),
			settlement_commitment: sp_core::H256::repeat_byte(0x77),
		};
		assert_ok!(Registration::apply(signed(&applicant), Box::new(application)));
		let status = || Registration::participant(&applicant).unwrap().status;

		// One member alone is not the council.
		assert_noop!(
			Registration::approve(signed(&alice), applicant.clone()),
			sp_runtime::DispatchError::BadOrigin
		);

		let call = RuntimeCall::Registration(RegistrationCall::approve { who: applicant.clone() });
		let length = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);

		// A motion passed by two of the four runs, but with an origin too weak to approve.
		assert_ok!(QualificationCouncil::propose(
			signed(&alice),
			2,
			Box::new(call.clone()),
			length
		));
		assert_ok!(QualificationCouncil::vote(signed(&alice), hash, 0, true));
		assert_ok!(QualificationCouncil::vote(signed(&bob), hash, 0, true));
		assert_ok!(QualificationCouncil::close(signed(&bob), hash, 0, weight, length));
		assert_eq!(status(), Status::Pending);

		// Three of the four approve.
		assert_ok!(QualificationCouncil::propose(signed(&alice), 3, Box::new(call), length));
		assert_ok!(QualificationCouncil::vote(signed(&alice), hash, 1, true));
		assert_ok!(QualificationCouncil::vote(signed(&bob), hash, 1, true));
		assert_ok!(QualificationCouncil::vote(signed(&charlie), hash, 1, true));
		assert_ok!(QualificationCouncil::close(signed(&alice), hash, 1, weight, length));
		assert_eq!(status(), Status::Approved);
		check_invariants();
	});
}

#[test]
fn a_meter_reading_is_a_feeless_general_transaction_authorised_by_its_meter() {
	use pallet_settlement::{reading_payload, Reading, Side};
	use sp_core::Pair;
	use sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
	};

	preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let miner = Sr25519Keyring::Alice.to_account_id();
		run_block(1, &miner);
		let provider = Sr25519Keyring::Eve.to_account_id();
		let order = open_eves_order(2, 6);

		let reading =
			Reading { order, side: Side::Provider, energy: 4_000, sequence: 1, is_final: false };
		let reading_by = |meter: Sr25519Keyring| {
			let signature = genesis_config_presets::development_meter(meter)
				.sign(&reading_payload(&Settlement::genesis_hash(), &reading));
			general(RuntimeCall::Settlement(crate::SettlementCall::submit_reading {
				reading,
				signature,
			}))
		};
		let parent = System::parent_hash();
		// The pool's check, which must leave no trace in the block's state.
		let validate = |extrinsic| {
			frame_support::storage::with_transaction(|| {
				let validity =
					Executive::validate_transaction(TransactionSource::External, extrinsic, parent);
				sp_runtime::TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(
					validity,
				))
			})
			.unwrap()
		};

		let forged = reading_by(Sr25519Keyring::Ferdie);
		assert_eq!(
			validate(forged),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);

		let genuine = reading_by(Sr25519Keyring::Eve);
		assert!(Executive::validate_transaction(
			TransactionSource::External,
			genuine.clone(),
			parent
		)
		.is_ok());
		// Readings go first and have room in a full block (issue 27, finding 9): above any
		// transaction without a tip, and in the operational class.
		let validity =
			Executive::validate_transaction(TransactionSource::External, genuine.clone(), parent)
				.expect("valid");
		assert_eq!(validity.priority, pallet_settlement::READING_PRIORITY);
		let transfer = RuntimeCall::Balances(crate::BalancesCall::transfer_keep_alive {
			dest: provider.clone().into(),
			value: GRID,
		});
		let info = frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&transfer);
		let untipped =
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::get_priority(
				&info, 150, 0, GRID,
			);
		assert!(validity.priority > untipped, "{} > {untipped}", validity.priority);
		let class = frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&genuine).class;
		assert_eq!(class, frame_support::dispatch::DispatchClass::Operational);
		let eve_before = Balances::balance(&provider);
		Executive::initialize_block(&testing::mined_header(
			System::block_number() + 1,
			parent,
			&miner,
		));
		Executive::apply_extrinsic(genuine).unwrap().unwrap();
		let order = pallet_settlement::Orders::<Runtime>::get(order).unwrap();
		assert_eq!(order.provider_reading.energy, 4_000);
		assert_eq!(Balances::balance(&provider), eve_before, "no fee for a meter reading");
		check_invariants();
	});
}

#[test]
fn without_a_sudo_key_all_four_main_service_nodes_act_as_root() {
	use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};
	use sp_runtime::traits::Hash as _;

	for preset in genesis_config_presets::preset_names() {
		let preset: &str = preset.as_ref();
		let key = pallet_sudo::Key::<Runtime>::get;
		let expected = (preset == sp_genesis_builder::DEV_RUNTIME_PRESET)
			.then(|| Sr25519Keyring::Alice.to_account_id());
		preset_ext(preset).execute_with(|| assert_eq!(key(), expected, "{preset}"));
	}

	preset_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let signed = |who: &AccountId| RuntimeOrigin::signed(who.clone());
		let members = genesis_config_presets::main_service_nodes().map(|(_, account)| account);
		let set_storage = RuntimeCall::System(frame_system::Call::set_storage {
			items: vec![(b"gridshard:test".to_vec(), b"set by the council".to_vec())],
		});
		// Nobody holds the key.
		assert_noop!(
			Sudo::sudo(signed(&members[0]), Box::new(set_storage.clone())),
			pallet_sudo::Error::<Runtime>::RequireSudo
		);
		let call = RuntimeCall::CouncilRoot(CouncilRootCall::dispatch_as_root {
			call: Box::new(set_storage),
		});
		let length = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let stored = || sp_io::storage::get(b"gridshard:test");
		let motion = |index: u32, voters: &[AccountId]| {
			let threshold = voters.len() as u32;
			assert_ok!(QualificationCouncil::propose(
				signed(&voters[0]),
				threshold,
				Box::new(call.clone()),
				length
			));
			for voter in voters {
				assert_ok!(QualificationCouncil::vote(signed(voter), hash, index, true));
			}
			assert_ok!(QualificationCouncil::close(
				signed(&voters[0]),
				hash,
				index,
				weight,
				length
			));
		};

		// Three of four approve participants, but are not Root.
		motion(0, &members[..3]);
		assert_eq!(stored(), None);
		// All four are.
		motion(1, &members);
		assert_eq!(stored().as_deref(), Some(&b"set by the council"[..]));
		check_invariants();
	});
}

/// Found by the runtime fuzzer: a transfer that left 1 unit behind reaped its sender and burned
/// the unit, so total issuance fell below genesis plus the block rewards. Dust now goes to the
/// reward pot.
#[test]
fn a_reaped_accounts_dust_goes_to_the_reward_pot() {
	use frame_support::{assert_ok, traits::fungible::Mutate};
	preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let (from, to) = (Sr25519Keyring::One.to_account_id(), Sr25519Keyring::Two.to_account_id());
		let pot = crate::configs::RewardPot::get();
		assert_ok!(Balances::mint_into(&from, 10 * GRID));
		let (issuance, pot_before) = (Balances::total_issuance(), Balances::balance(&pot));
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(from.clone()),
			to.clone().into(),
			10 * GRID - 1
		));
		assert_eq!(Balances::balance(&from), 0, "reaped");
		assert_eq!(Balances::balance(&pot), pot_before + 1, "its dust is in the pot");
		assert_eq!(Balances::total_issuance(), issuance, "and nothing left issuance");
		check_invariants();
	});
}

/// Issue 27, finding 8: a ruled dispute was payable after the confirmation depth (10 blocks)
/// while the dispute window it opened lasted 20, so the payout ran ahead of a dispute still
/// allowed. Every settlement (by the provider, the hook, a ruling or an expiry) now pays after
/// both.
#[test]
fn a_ruled_dispute_pays_only_after_the_dispute_window_it_opens() {
	use frame_support::{assert_ok, traits::Get};
	use pallet_settlement::{OrderStatus, Reading, Side};
	use sp_core::Pair;

	preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let miner = Sr25519Keyring::Alice.to_account_id();
		run_block(1, &miner);
		let user = Sr25519Keyring::AliceStash.to_account_id();
		let provider = Sr25519Keyring::Eve.to_account_id();
		let order = open_eves_order(1, 3);
		for side in [Side::Provider, Side::User] {
			let reading = Reading { order, side, energy: 10_000, sequence: 1, is_final: true };
			let signature = genesis_config_presets::development_meter(match side {
				Side::Provider => Sr25519Keyring::Eve,
				Side::User => Sr25519Keyring::AliceStash,
			})
			.sign(&pallet_settlement::reading_payload(&Settlement::genesis_hash(), &reading));
			assert_ok!(Settlement::submit_reading(
				frame_system::RawOrigin::Authorized.into(),
				reading,
				signature
			));
		}
		for n in 2..=4 {
			run_block(n, &miner);
		}
		assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(provider), order));
		assert_ok!(Settlement::dispute(RuntimeOrigin::signed(user.clone()), order));
		let trading_centre = Sr25519Keyring::Dave.to_account_id();
		assert_ok!(Settlement::resolve_dispute(
			RuntimeOrigin::signed(trading_centre),
			order,
			10_000,
			10_000
		));
		let ruled_at = System::block_number();
		let window: u32 = <Runtime as pallet_settlement::Config>::DisputeWindow::get();
		let status = pallet_settlement::Orders::<Runtime>::get(order).unwrap().status;
		assert!(
			matches!(status, OrderStatus::Settled { payable_at, .. } if payable_at == ruled_at + window),
			"{status:?}"
		);
		// Past the confirmation depth, within the window: not paid, and still disputable.
		for n in ruled_at + 1..ruled_at + window {
			run_block(n, &miner);
		}
		assert!(pallet_settlement::Orders::<Runtime>::contains_key(order), "not paid yet");
		assert_ok!(Settlement::dispute(RuntimeOrigin::signed(user), order));
		check_invariants();
	});
}
