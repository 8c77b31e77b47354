//! `gridshard-solve --generate` with uniform and chain (eq. 4) weights, and `--weights` misused.

use gridshard_solver::{generate, solve, Model, Value};
use serde_json::{json, Value as Json};
use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
	Command::new(env!("CARGO_BIN_EXE_gridshard-solve")).args(args).output().unwrap()
}

#[test]
fn generates_the_markets_of_the_library_with_either_weights() {
	let spec = "30,4,80,60,7";
	for (weights, generator) in [
		("uniform", generate::market as fn(u64, usize, usize, u64, u64) -> _),
		("degree", generate::degree_market),
	] {
		let output = run(&["--generate", spec, "--weights", weights, "--max-nodes", "500"]);
		assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
		let answer: Json = serde_json::from_slice(&output.stdout).unwrap();
		let model = Model::market(&generator(7, 30, 4, 80, 60)).unwrap();
		let Value::Market { energy, weight } = solve(&model, 500).value else { unreachable!() };
		assert_eq!(answer["energy"], json!(energy as u64), "{weights}");
		assert_eq!(answer["weight"], json!(weight as u64), "{weights}");
	}
}

#[test]
fn weights_are_refused_without_a_generated_market_or_with_an_unknown_name() {
	for args in [
		&["--orlib", "gap1.txt", "--weights", "degree"][..],
		&["--generate", "30,4,80,60,7", "--weights", "heavy"][..],
	] {
		let output = run(args);
		assert_eq!(output.status.code(), Some(2), "{args:?}");
		let message = String::from_utf8_lossy(&output.stderr);
		assert!(message.contains("--weights"), "{message}");
		assert!(output.stdout.is_empty());
	}
}
