//! `gridshard-solve --market` on a file in the format of the node's `matching_snapshot` RPC
//! (the solver's fields plus the names of the rows, which it ignores), and on a malformed one.

use serde_json::{json, Value};
use std::process::Command;

fn run(file: &str, contents: &str) -> std::process::Output {
	let path = std::env::temp_dir().join(format!("gridshard-solve-{}-{file}", std::process::id()));
	std::fs::write(&path, contents).unwrap();
	let output = Command::new(env!("CARGO_BIN_EXE_gridshard-solve"))
		.args(["--market", path.to_str().unwrap()])
		.output()
		.unwrap();
	std::fs::remove_file(&path).unwrap();
	output
}

#[test]
fn solves_a_snapshot_as_the_rpc_answers_it() {
	let snapshot = json!({
		"period": 3,
		"requestIds": [0, 1],
		"providers": [
			"5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw",
			"5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL"
		],
		"requests": [6000, 9000],
		"capacities": [10000, 10000],
		"pairs": [[0, 0, 400000], [0, 1, 300000], [1, 0, 500000], [1, 1, 450000]]
	});
	let output = run("snapshot.json", &snapshot.to_string());
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
	// Both requests fit only on different providers; 400 000 + 450 000 beats 300 000 + 500 000.
	assert_eq!(answer["optimal"], json!(true));
	assert_eq!(answer["energy"], json!(15_000));
	assert_eq!(answer["weight"], json!(850_000));
	assert_eq!(answer["assignment"], json!([0, 1]));
}

#[test]
fn a_malformed_snapshot_is_refused_with_a_message() {
	let output = run("broken.json", r#"{"requests": [6000], "capacities": [10000]}"#);
	assert!(!output.status.success());
	let message = String::from_utf8_lossy(&output.stderr);
	assert!(message.contains("pairs"), "{message}");
}
