//! The README's "One period by hand", run as it is written against a `--dev` node: the block
//! between `<!-- walkthrough:begin -->` and `<!-- walkthrough:end -->`, with only the node's
//! binary and RPC address put in. Two providers offer, two households request, four meter
//! clients report, the providers settle, and every order is paid out.

mod common;

use common::Node;
use std::process::Command;

/// The README's walkthrough block, for `binary` and the node at `rpc`.
fn walkthrough(binary: &str, rpc: &str) -> String {
	let readme = include_str!("../../README.md");
	let block = readme
		.split("<!-- walkthrough:begin -->")
		.nth(1)
		.and_then(|rest| rest.split("<!-- walkthrough:end -->").next())
		.expect("the README has the walkthrough");
	let script = block.trim().trim_start_matches("```sh").trim_end_matches("```");
	assert!(script.contains("N=$CARGO_TARGET_DIR/release/gridshard-node\n"));
	assert!(script.contains("RPC=http://127.0.0.1:9944\n"));
	script
		.replace("N=$CARGO_TARGET_DIR/release/gridshard-node\n", &format!("N={binary}\n"))
		.replace("RPC=http://127.0.0.1:9944\n", &format!("RPC={rpc}\n"))
}

#[test]
fn the_readmes_period_runs_as_written() {
	// Blocks every two seconds on average (the dev node's own pace is slower).
	let node =
		Node::start("walkthrough", &["--dev", "--tmp", "--simulated-mining-mean-ms", "2000"]);
	let script = walkthrough(
		env!("CARGO_BIN_EXE_gridshard-node"),
		&format!("http://127.0.0.1:{}", node.rpc_port),
	);
	let directory = std::env::temp_dir().join(format!("gridshard-walkthrough-{}", node.rpc_port));
	std::fs::create_dir_all(&directory).unwrap();
	let output = Command::new("bash")
		.args(["-euo", "pipefail", "-c", &script])
		.current_dir(&directory)
		.output()
		.expect("bash runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	println!("{stdout}");
	assert!(
		output.status.success(),
		"the walkthrough failed:\n{stdout}\n{stderr}\nnode log:\n{}",
		node.log()
	);
	assert_eq!(stdout.matches("Matching(Event::OfferPosted").count(), 2, "{stdout}");
	assert_eq!(stdout.matches("Matching(Event::RequestPosted").count(), 2, "{stdout}");
	assert_eq!(stdout.matches("applying for its settlement").count(), 2, "{stdout}");
	assert_eq!(stdout.matches("Settlement(Event::Settled").count(), 2, "{stdout}");
	// Each provider's and the household's status shows its order paid out.
	assert_eq!(stdout.matches("paid out in block").count(), 3, "{stdout}");
	let meters = std::fs::read_to_string(directory.join("meters.log")).unwrap_or_default();
	assert_eq!(meters.matches("every order's final reading is taken").count(), 4, "{meters}");
	let _ = std::fs::remove_dir_all(&directory);
}
