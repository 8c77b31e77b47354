//! A whole trading period on a `--dev` node, driven over RPC: offers and requests, the
//! off-chain worker's solution, orders, signed meter readings, settlement, payout and
//! reputation. Prints each step; `scripts/period-demo.sh` runs it with its output shown.
//!
//! It needs about 80 blocks (a period is 20; the payout waits 20 blocks after settlement, and
//! reputation counts it when that period ends): about half a minute on a fresh dev chain, whose
//! first blocks come fast while the difficulty climbs towards 6-second blocks.

mod common;

use common::{general, post_book, signed, Node, PostedBook};
use gridshard_runtime::{
	genesis_config_presets::development_meter, RuntimeCall, SettlementCall, PERIOD_BLOCKS,
	SOLUTION_BLOCKS,
};
use pallet_settlement::{reading_payload, Reading, Side};
use serde_json::{json, Value};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

const MINUTES: Duration = Duration::from_secs(60);

fn step(text: String) {
	println!("[period] {text}");
}

#[test]
fn a_whole_period_over_rpc_ends_with_orders_settled_and_reputations_updated() {
	let node = Node::start("period", &["--dev", "--tmp"]);
	let genesis = node.genesis();
	let providers = [(Sr25519Keyring::Eve, 200), (Sr25519Keyring::Ferdie, 250)];
	let users = [(Sr25519Keyring::AliceStash, 6_000), (Sr25519Keyring::BobStash, 9_000)];

	let PostedBook { period, start, included } = post_book(&node, &providers, &users);
	step(format!("block #{start}: period {period} is open; posted offers and requests"));
	for (what, block) in included {
		step(format!("{what} is in {block}"));
	}
	let book = node.rpc("matching_book", json!([period]));
	step(format!("matching_book: {book}"));
	let preview = node.rpc("matching_preview", json!([]));
	step(format!("matching_preview: {preview}"));
	// The solver's input, in the format `gridshard-solve --market` reads: solving it here
	// gives what the runtime's preview gives.
	let snapshot = node.rpc("matching_snapshot", json!([]));
	step(format!("matching_snapshot: {snapshot}"));
	assert_eq!(snapshot["period"], json!(period));
	assert_eq!(snapshot["requests"], json!([6_000, 9_000]));
	assert_eq!(snapshot["capacities"], json!([10_000, 10_000]));
	let market: gridshard_solver::Market = gridshard_solver::Market {
		requests: serde_json::from_value(snapshot["requests"].clone()).unwrap(),
		capacities: serde_json::from_value(snapshot["capacities"].clone()).unwrap(),
		pairs: serde_json::from_value(snapshot["pairs"].clone()).unwrap(),
	};
	let solved =
		gridshard_solver::solve(&gridshard_solver::Model::market(&market).unwrap(), 20_000);
	let gridshard_solver::Value::Market { energy, weight } = solved.value else { unreachable!() };
	assert_eq!(preview["energy"], json!(energy.to_string()));
	assert_eq!(preview["weight"], json!(weight.to_string()));
	// The search's proven bound comes with it: this small market is proven.
	assert_eq!((&preview["boundEnergy"], &preview["optimal"]), (&preview["energy"], &json!(true)));

	// The close, the worker's solution, and the adoption at the next period.
	let adopted = node.wait_for("the adoption", 5 * MINUTES, || {
		let adopted = node.rpc("matching_lastAdopted", json!([]));
		(adopted["period"] == json!(period)).then_some(adopted)
	});
	step(format!(
		"the snapshot closed at block #{}; adopted: {adopted}",
		(period + 1) * PERIOD_BLOCKS - SOLUTION_BLOCKS
	));
	assert_eq!(adopted["matched"], json!(2), "{adopted}");

	let orders: Vec<Value> = providers
		.iter()
		.flat_map(|(provider, _)| {
			let orders =
				node.rpc("settlement_ordersOf", json!([provider.to_account_id().to_string()]));
			orders.as_array().unwrap().clone()
		})
		.collect();
	assert_eq!(orders.len(), 2, "{orders:?}");
	for order in &orders {
		step(format!(
			"order {}: {} Wh from {} to {} at {} per kWh, escrow {}, window {}",
			order["id"],
			order["agreed"],
			order["provider"],
			order["user"],
			order["price"],
			order["escrow"],
			order["window"]
		));
	}

	// Both meters of each order report full delivery, as feeless general transactions.
	let keyring = |ss58: &Value| {
		let account: sp_runtime::AccountId32 = ss58.as_str().unwrap().parse().unwrap();
		Sr25519Keyring::from_account_id(&account).unwrap()
	};
	for order in &orders {
		let id = order["id"].as_u64().unwrap();
		let agreed = order["agreed"].as_u64().unwrap();
		for (side, who) in [(Side::Provider, &order["provider"]), (Side::User, &order["user"])] {
			let reading = Reading { order: id, side, energy: agreed, sequence: 1, is_final: true };
			let signature =
				development_meter(keyring(who)).sign(&reading_payload(&node.genesis(), &reading));
			let call =
				RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
			let (block, _) = node.submit_and_watch("a meter reading", &general(call));
			step(format!("order {id}: {side:?} meter read {agreed} Wh (final) in {block}"));
		}
	}

	// After the delivery window each provider applies for settlement.
	for order in &orders {
		let id = order["id"].as_u64().unwrap();
		let window_end = order["window"][1].as_u64().unwrap();
		node.wait_for("the end of the delivery window", 5 * MINUTES, || {
			(node.best_number() >= window_end).then_some(())
		});
		let provider = keyring(&order["provider"]);
		let call = RuntimeCall::Settlement(SettlementCall::apply_for_settlement { order: id });
		let nonce = node.next_nonce(&provider.to_account_id());
		let (block, _) = node
			.submit_and_watch("the settlement", &signed(&provider.pair(), call, nonce, genesis));
		let settled = node.rpc("settlement_order", json!([id]));
		step(format!(
			"order {id}: {provider:?} applied in {block}; outcome {}, payable at #{}",
			settled["outcome"], settled["payableAt"]
		));
	}

	// Payout after the dispute window and the confirmation depth.
	for order in &orders {
		let id = order["id"].as_u64().unwrap();
		node.wait_for("the payout", 10 * MINUTES, || {
			node.rpc("settlement_order", json!([id])).is_null().then_some(())
		});
		step(format!("order {id}: paid out (block #{})", node.best_number()));
	}
	let payout_period = node.best_number() as u32 / PERIOD_BLOCKS;

	// Reputation counts the deliveries when the payout's period ends.
	for (provider, _) in providers {
		let account = provider.to_account_id().to_string();
		let standing = node.wait_for("the reputation", 10 * MINUTES, || {
			let standing = node.rpc("reputation_standing", json!([account]));
			(standing["comprehensive"].as_str()? != "0.000000000000000000").then_some(standing)
		});
		step(format!("{provider:?}: reputation_standing {standing}"));
		assert!(standing["lifetimeTrades"].as_u64().unwrap() >= 1);
	}
	let ranking = node.rpc("reputation_ranking", json!([]));
	step(format!("reputation_ranking after period {payout_period}: {ranking}"));
	step(format!("done at block #{} (amounts in units of 10^-12 GRID)", node.best_number()));
}
