//! End to end: a `--dev --tmp` node mines, serves RPC, and includes a signed transfer.

mod common;

use codec::{Decode, Encode};
use common::{hex, signed, unhex, Node};
use gridshard_primitives::{AccountId, Balance, Nonce, GRID};
use gridshard_runtime::{BalancesCall, RuntimeCall};
use serde_json::json;
use sp_keyring::Sr25519Keyring;
use sp_runtime::MultiAddress;
use std::time::Duration;

type AccountInfo = frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>;

fn free_balance(node: &Node, who: &AccountId) -> Balance {
	let key = frame_system::Account::<gridshard_runtime::Runtime>::hashed_key_for(who);
	match node.rpc("state_getStorage", json!([hex(&key)])).as_str() {
		Some(data) => AccountInfo::decode(&mut &unhex(data)[..]).unwrap().data.free,
		None => 0,
	}
}

#[test]
fn dev_node_mines_and_includes_a_signed_transfer() {
	let node = Node::start("dev", &["--dev", "--tmp"]);

	let height = node.wait_for("three blocks", Duration::from_secs(120), || {
		let best = node.best_number();
		(best >= 3).then_some(best)
	});
	println!("dev node: mined to #{height}");

	let status = node.rpc("mining_status", json!([]));
	assert_eq!(status["mining"], json!(true), "{status}");
	assert!(status["blocksMined"].as_u64().unwrap() >= 3, "{status}");
	let mined = node.wait_for("the mining metrics", Duration::from_secs(30), || {
		node.metric("gridshard_mining_blocks_mined").filter(|mined| *mined >= 3.0)
	});
	println!("dev node: Prometheus reports {mined} blocks mined");

	let alice = Sr25519Keyring::Alice;
	let dave = Sr25519Keyring::Dave.to_account_id();
	let genesis = node.genesis();
	let nonce = node.next_nonce(&alice.to_account_id());
	let dave_before = free_balance(&node, &dave);

	let amount = 42 * GRID;
	let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
		dest: MultiAddress::Id(dave.clone()),
		value: amount,
	});
	let transfer = signed(&alice.pair(), call, nonce, genesis);
	let encoded = hex(&transfer.encode());
	let tx_hash = node.rpc("author_submitExtrinsic", json!([encoded]));
	println!("dev node: transfer submitted as {tx_hash}");

	let included_in = node.wait_for("the transfer in a block", Duration::from_secs(120), || {
		let best = node.best_number();
		(best.saturating_sub(5)..=best).find_map(|n| {
			let hash = node.rpc("chain_getBlockHash", json!([n]));
			let block = node.rpc("chain_getBlock", json!([hash]));
			let extrinsics = block["block"]["extrinsics"].as_array()?;
			extrinsics.iter().any(|x| x.as_str() == Some(encoded.as_str())).then_some(n)
		})
	});
	println!("dev node: transfer included in #{included_in}");

	// The balance read at the best block shows the transfer.
	let dave_after = node.wait_for("Dave's balance to change", Duration::from_secs(30), || {
		let balance = free_balance(&node, &dave);
		(balance != dave_before).then_some(balance)
	});
	assert_eq!(dave_after, dave_before + amount);
}

#[test]
fn unsafe_methods_are_refused_on_a_public_interface() {
	// `--rpc-external` with the default `--rpc-methods auto` serves only safe methods.
	let node = Node::start("public", &["--dev", "--tmp", "--rpc-external"]);
	for unsafe_method in ["mining_status", "matching_preview"] {
		let refused = node.try_rpc(unsafe_method, json!([]));
		assert!(refused.is_err(), "{unsafe_method}: {refused:?}");
	}
	assert!(node.try_rpc("chain_getHeader", json!([])).is_ok());
}
