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

#[test]
fn progress_reports_better_answers_on_standard_error_and_the_answer_stays_one_line() {
	let output = run(&["--generate", "200,20,70,60,200090", "--max-nodes", "5000", "--progress"]);
	assert!(output.status.success());
	let stdout = String::from_utf8(output.stdout).unwrap();
	assert_eq!(stdout.lines().count(), 1);
	let answer: Json = serde_json::from_str(&stdout).unwrap();
	// `progress: 12.3 ms: energy E Wh, weight W`, each better than the one before.
	let reported: Vec<(u64, u64)> = String::from_utf8(output.stderr)
		.unwrap()
		.lines()
		.map(|line| {
			let (_, rest) = line.split_once(" ms: energy ").expect("a market's progress line");
			let (energy, weight) = rest.split_once(" Wh, weight ").unwrap();
			(energy.parse().unwrap(), weight.parse().unwrap())
		})
		.collect();
	assert!(reported.len() >= 2, "{reported:?}");
	assert!(reported.windows(2).all(|w| w[0] < w[1]), "{reported:?}");
	let last = *reported.last().unwrap();
	let answer = (answer["energy"].as_u64().unwrap(), answer["weight"].as_u64().unwrap());
	assert!(last <= answer, "{last:?} {answer:?}");
}
