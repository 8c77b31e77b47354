//! A solution found off the chain, submitted over RPC: on a `--dev` node whose off-chain worker
//! does not run, the snapshot is solved here (as anyone may solve it with `gridshard-solve`),
//! `matching_solutionTransaction` turns the answer into its transaction, `author_submitExtrinsic`
//! submits it, and the chain accepts and adopts it. An assignment over a provider's capacity is
//! refused by the RPC, and a worse solution's transaction by the chain (it does not beat the
//! best).

mod common;

use codec::Decode;
use common::{post_book, unhex, Node, PostedBook};
use gridshard_runtime::{UncheckedExtrinsic, PERIOD_BLOCKS, SOLUTION_BLOCKS};
use gridshard_solver::{solve, Market, Model, Value};
use serde_json::json;
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

const MINUTES: Duration = Duration::from_secs(60);

fn step(text: String) {
	println!("[solution] {text}");
}

#[test]
fn a_solution_found_off_the_chain_is_submitted_over_rpc_and_adopted() {
	let node = Node::start("solution", &["--dev", "--tmp", "--offchain-worker", "never"]);
	let providers = [(Sr25519Keyring::Eve, 200), (Sr25519Keyring::Ferdie, 250)];
	let users = [(Sr25519Keyring::AliceStash, 6_000), (Sr25519Keyring::BobStash, 9_000)];
	let PostedBook { period, .. } = post_book(&node, &providers, &users);
	step(format!("period {period}: two offers and two requests posted"));

	// The solution window: the snapshot is frozen.
	let close = (period + 1) * PERIOD_BLOCKS - SOLUTION_BLOCKS;
	node.wait_for("the solution window", 3 * MINUTES, || {
		(node.best_number() >= close as u64).then_some(())
	});
	let snapshot = node.rpc("matching_snapshot", json!([]));
	step(format!("matching_snapshot: {snapshot}"));
	let market = Market {
		requests: serde_json::from_value(snapshot["requests"].clone()).unwrap(),
		capacities: serde_json::from_value(snapshot["capacities"].clone()).unwrap(),
		pairs: serde_json::from_value(snapshot["pairs"].clone()).unwrap(),
	};
	let solved = solve(&Model::market(&market).unwrap(), 20_000);
	let Value::Market { energy, weight } = solved.value else { unreachable!() };
	assert_eq!(energy, 15_000, "both requests fit, one on each provider");

	// Both requests on one provider: 15 000 Wh on 10 000. Refused, with the reason.
	let refused = node.try_rpc("matching_solutionTransaction", json!([[0, 0]]));
	let error = refused.expect_err("an assignment over capacity is refused");
	assert!(error.contains("OverCapacity"), "{error}");
	step(format!("over capacity: refused: {error}"));

	// The solver's answer as its transaction, with the score the chain will recompute.
	let assignment = json!(solved.outcome.assignment);
	let transaction = node.rpc("matching_solutionTransaction", json!([assignment]));
	step(format!("matching_solutionTransaction: {transaction}"));
	assert_eq!(transaction["period"], json!(period));
	assert_eq!(transaction["energy"], json!(energy.to_string()));
	assert_eq!(transaction["weight"], json!(weight.to_string()));
	let bytes = unhex(transaction["extrinsic"].as_str().unwrap());
	let extrinsic = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("an extrinsic");
	let (block, _) = node.submit_and_watch("the submitted solution", &extrinsic);
	step(format!("the solution is in {block}"));
	let best = node.rpc("matching_bestSolution", json!([]));
	assert_eq!(best["energy"], json!(energy.to_string()), "{best}");
	assert_eq!(best["weight"], json!(weight.to_string()), "{best}");

	// A worse solution (the first request alone, where the solver put it) is a feasible
	// assignment, so the RPC builds its transaction, but it does not beat the best: the chain
	// refuses it before the pool.
	let first_only = json!([solved.outcome.assignment[0], null]);
	let worse = node.rpc("matching_solutionTransaction", json!([first_only]));
	assert_eq!(worse["energy"], json!("6000"), "{worse}");
	let refused = node.try_rpc("author_submitExtrinsic", json!([worse["extrinsic"]]));
	let error = refused.expect_err("a solution that does not beat the best is refused");
	step(format!("a worse solution: refused: {error}"));

	let adopted = node.wait_for("the adoption", 3 * MINUTES, || {
		let adopted = node.rpc("matching_lastAdopted", json!([]));
		(adopted["period"] == json!(period)).then_some(adopted)
	});
	step(format!("adopted: {adopted}"));
	assert_eq!(adopted["source"], json!("submitted"), "{adopted}");
	assert_eq!(adopted["energy"], json!(energy.to_string()), "{adopted}");
	assert_eq!(adopted["matched"], json!(2), "{adopted}");
}
