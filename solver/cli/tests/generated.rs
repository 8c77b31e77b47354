//! `gridshard-solve --generate` with uniform and chain (eq. 4) weights, printed as a market file,
//! and `--weights` and `--print-market` misused.

mod common;

use common::{answer, assert_refused, run};
use gridshard_solver::{generate, solve, Model, Value};
use serde_json::{json, Value as Json};

#[test]
fn generates_the_markets_of_the_library_with_either_weights() {
	let spec = "30,4,80,60,7";
	for (weights, generator) in [
		("uniform", generate::market as fn(u64, usize, usize, u64, u64) -> _),
		("degree", generate::degree_market),
	] {
		let answer =
			answer(&run(&["--generate", spec, "--weights", weights, "--max-nodes", "500"]));
		let model = Model::market(&generator(7, 30, 4, 80, 60)).unwrap();
		let solution = solve(&model, 500);
		let Value::Market { energy, weight } = solution.value else { unreachable!() };
		assert_eq!(answer["energy"], json!(energy as u64), "{weights}");
		assert_eq!(answer["weight"], json!(weight as u64), "{weights}");
		// The bound read as energy and weight, never below the answer's.
		let Value::Market { energy: most, weight: bound } = model.value(solution.outcome.bound)
		else {
			unreachable!()
		};
		assert_eq!(answer["bound_energy"], json!(most as u64), "{weights}");
		assert_eq!(answer["bound_weight"], json!(bound as u64), "{weights}");
		assert!((most, bound) >= (energy, weight), "{weights}");
	}
}

#[test]
fn weights_and_printing_are_refused_without_a_generated_market_or_with_an_unknown_name() {
	for (args, flag) in [
		(&["--orlib", "gap1.txt", "--weights", "degree"][..], "--weights"),
		(&["--generate", "30,4,80,60,7", "--weights", "heavy"][..], "--weights"),
		(&["--market", "market.json", "--print-market"][..], "--print-market"),
	] {
		assert_refused(&run(args), 2, flag);
	}
}

#[test]
fn a_printed_market_is_the_generated_one_and_solves_alike_from_its_file() {
	let spec = "30,4,80,60,7";
	let output = run(&["--generate", spec, "--weights", "degree", "--print-market"]);
	let printed = answer(&output);
	let market = generate::degree_market(7, 30, 4, 80, 60);
	assert_eq!(printed["requests"], json!(market.requests));
	assert_eq!(printed["capacities"], json!(market.capacities));
	assert_eq!(printed["pairs"], json!(market.pairs));
	let path = std::env::temp_dir().join(format!("gridshard-print-{}.json", std::process::id()));
	std::fs::write(&path, &output.stdout).unwrap();
	let from_file = run(&["--market", path.to_str().unwrap(), "--max-nodes", "500"]);
	std::fs::remove_file(&path).unwrap();
	let generated = run(&["--generate", spec, "--weights", "degree", "--max-nodes", "500"]);
	let timeless = |output: &std::process::Output| {
		let mut answer = answer(output);
		answer.as_object_mut().unwrap().remove("millis");
		answer
	};
	assert_eq!(timeless(&from_file), timeless(&generated));
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
