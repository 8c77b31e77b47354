//! `gridshard-node participant`, the participant's command line, against a `--dev` node: the
//! refusals it meets come back named, with the pallet's explanation and what to do, and change
//! nothing; bad input is refused before anything is sent; an offer and a request go through and
//! `status` shows them. (Every refusal the command line can meet has its message checked by the
//! unit test `every_refusal_the_command_line_can_meet_says_what_to_do`.)

mod common;

use common::Node;
use gridshard_runtime::PERIOD_BLOCKS;
use std::{process::Command, time::Duration};

/// Runs `gridshard-node participant --rpc <node> <args>`; whether it succeeded, and its standard
/// output and error.
fn participant(node: &Node, args: &[&str]) -> (bool, String, String) {
	let output = Command::new(env!("CARGO_BIN_EXE_gridshard-node"))
		.arg("participant")
		.args(["--rpc", &format!("http://127.0.0.1:{}", node.rpc_port)])
		.args(args)
		.output()
		.expect("the node binary runs");
	(
		output.status.success(),
		String::from_utf8_lossy(&output.stdout).into_owned(),
		String::from_utf8_lossy(&output.stderr).into_owned(),
	)
}

/// Runs a command that the chain must refuse; its message.
fn refused(node: &Node, args: &[&str]) -> String {
	let (success, stdout, stderr) = participant(node, args);
	assert!(!success, "{args:?} went through:\n{stdout}\n{stderr}");
	println!("participant {}:\n{stderr}", args.join(" "));
	stderr
}

#[test]
fn refusals_are_named_with_what_to_do_and_a_period_is_posted() {
	let node =
		Node::start("participant", &["--dev", "--tmp", "--simulated-mining-mean-ms", "3000"]);
	node.wait_for("the first block", Duration::from_secs(120), || {
		(node.best_number() >= 1).then_some(())
	});

	// Bad input never reaches the chain.
	let message =
		refused(&node, &["--key", "//Eve", "offer", "--price", "abc", "--capacity-wh", "1"]);
	assert!(message.contains("`abc` is not an amount of milli-GRID"), "{message}");
	let message = refused(&node, &["offer", "--price", "200", "--capacity-wh", "1"]);
	assert!(message.contains("give the participant's key with --key SURI"), "{message}");

	// The pool refuses what an account without funds cannot pay for.
	let message = refused(
		&node,
		&[
			"--key",
			"//Nobody",
			"apply-user",
			"--name",
			"Nobody",
			"--meter-id",
			"MTR-0",
			"--meter-key",
			"//Nobody//meter",
			"--point",
			"feeder-9",
		],
	);
	assert!(message.contains("Inability to pay some fees"), "{message}");
	assert!(message.contains("what to do: the account cannot pay the transaction's fee: fund it"));

	// The chain's refusals, each named with the pallet's words and what to do.
	let message = refused(
		&node,
		&[
			"--key",
			"//Eve",
			"apply-provider",
			"--name",
			"Eve again",
			"--meter-id",
			"MTR-EVE-2",
			"--meter-key",
			"//Eve//meter2",
			"--point",
			"feeder-1",
			"--kind",
			"wind",
			"--rated-power-w",
			"5000",
		],
	);
	assert!(message.contains("the chain refused it: Registration::AlreadyRegistered: The account already has a record"), "{message}");
	assert!(message.contains("what to do: this account has a record already"), "{message}");
	let message = refused(&node, &["--key", "//Eve", "settle", "--order", "42"]);
	assert!(message.contains("Settlement::UnknownOrder: No such order"), "{message}");
	let message = refused(&node, &["--key", "//Eve", "request", "--energy-wh", "100"]);
	assert!(message.contains("Matching::NotApprovedUser"), "{message}");
	assert!(message.contains("what to do: only approved users request energy"), "{message}");
	let message = refused(&node, &["--key", "//Alice//stash", "dispute", "--order", "7"]);
	assert!(message.contains("Settlement::UnknownOrder"), "{message}");

	// In an early block of an open phase: an offer without capacity, an unknown request, then
	// an offer and a request that go through.
	node.wait_for("an early block of an open phase", Duration::from_secs(300), || {
		let best = node.best_number() as u32;
		(best >= PERIOD_BLOCKS && (1..=3).contains(&(best % PERIOD_BLOCKS))).then_some(())
	});
	let message =
		refused(&node, &["--key", "//Eve", "offer", "--price", "200", "--capacity-wh", "0"]);
	assert!(message.contains("Matching::ZeroCapacity: An offer needs some capacity."), "{message}");
	assert!(message.contains("what to do: give a --capacity-wh above zero"), "{message}");
	let message = refused(&node, &["--key", "//Alice//stash", "cancel-request", "--id", "9"]);
	assert!(message.contains("Matching::UnknownRequest"), "{message}");

	let (success, stdout, stderr) = participant(
		&node,
		&["--key", "//Eve", "offer", "--price", "200", "--capacity-wh", "10000"],
	);
	assert!(success, "{stdout}\n{stderr}");
	assert!(stdout.contains("Matching(Event::OfferPosted"), "{stdout}");
	let (success, stdout, stderr) = participant(
		&node,
		&["--key", "//Alice//stash", "request", "--energy-wh", "4000", "--limit", "300"],
	);
	assert!(success, "{stdout}\n{stderr}");
	assert!(stdout.contains("Matching(Event::RequestPosted"), "{stdout}");

	let (success, stdout, stderr) = participant(&node, &["--key", "//Eve", "status"]);
	assert!(success, "{stderr}");
	println!("participant --key //Eve status:\n{stdout}");
	assert!(stdout.contains("Eve Solar (provider, region 1), approved"), "{stdout}");
	assert!(stdout.contains("offer of 10000 Wh at 200 mGRID per kWh"), "{stdout}");
	let (success, stdout, stderr) = participant(&node, &["--key", "//Alice//stash", "status"]);
	assert!(success, "{stderr}");
	println!("participant --key //Alice//stash status:\n{stdout}");
	assert!(stdout.contains("request 0 of 4000 Wh, limit 300 mGRID, escrow 1.2 GRID"), "{stdout}");
}
