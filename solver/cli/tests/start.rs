//! `gridshard-solve --start`: an earlier answer as the first incumbent, and starts that are not
//! feasible or not readable, refused with the reason; `--check`: an assignment scored by the
//! chain's checker, or refused alike.

mod common;

use common::{answer, assert_refused, run};
use serde_json::{json, Value};
use std::process::Output;

/// Runs on the market of `spec` with `flag` naming a file that holds `assignment`, then `more`.
fn run_with(spec: &str, flag: &str, assignment: &str, more: &[&str]) -> Output {
	let path = std::env::temp_dir().join(format!("gridshard-start-{}{flag}", std::process::id()));
	std::fs::write(&path, assignment).unwrap();
	let output = run(&[&["--generate", spec, flag, path.to_str().unwrap()], more].concat());
	std::fs::remove_file(&path).unwrap();
	output
}

/// Runs on the market of `spec` from a start file holding `start`.
fn run_from(spec: &str, start: &str, budget: &str) -> Output {
	run_with(spec, "--start", start, &["--max-nodes", budget])
}

#[test]
fn an_earlier_answer_is_never_lost_and_a_better_search_goes_on_from_it() {
	let spec = "200,20,70,60,200090";
	// The root's answer, then one node from it: the same or better, never worse.
	let root = answer(&run(&["--generate", spec, "--max-nodes", "1"]));
	let again = answer(&run_from(spec, &root["assignment"].to_string(), "1"));
	let value = |a: &Value| (a["energy"].as_u64().unwrap(), a["weight"].as_u64().unwrap());
	assert!(value(&again) >= value(&root), "{:?} {:?}", value(&again), value(&root));
	// A longer search's answer as the start of a root-only one: kept.
	let longer = answer(&run(&["--generate", spec, "--max-nodes", "5000"]));
	assert!(value(&longer) > value(&root));
	let kept = answer(&run_from(spec, &longer["assignment"].to_string(), "1"));
	assert!(value(&kept) >= value(&longer), "{:?} {:?}", value(&kept), value(&longer));
}

#[test]
fn a_start_that_is_not_feasible_or_not_readable_is_refused_with_the_reason() {
	let spec = "30,4,80,60,7";
	let market = answer(&run(&["--generate", spec, "--print-market"]));
	let on_0: Vec<u64> = market["pairs"]
		.as_array()
		.unwrap()
		.iter()
		.filter(|pair| pair[1] == 0)
		.map(|pair| pair[0].as_u64().unwrap())
		.collect();
	// Every request allowed on provider 0 given to it (more than it holds), and one that is not.
	let mut crowded = vec![Value::Null; 30];
	on_0.iter().for_each(|i| crowded[*i as usize] = json!(0));
	let barred = (0..30).find(|i| !on_0.contains(i)).unwrap();
	let mut disallowed = vec![Value::Null; 30];
	disallowed[barred as usize] = json!(0);
	let (crowded, disallowed) = (json!(crowded).to_string(), json!(disallowed).to_string());
	let too_short = json!(vec![Value::Null; 29]).to_string();
	let barred = format!("request {barred} is given to an agent or provider it may not have");
	for (start, reason) in [
		(crowded.as_str(), "agent or provider 0 over capacity"),
		(disallowed.as_str(), barred.as_str()),
		(too_short.as_str(), "not one entry per job or request"),
		("[0, \"one\"]", "gridshard-start"),
	] {
		for output in [run_from(spec, start, "1"), run_with(spec, "--check", start, &[])] {
			assert_refused(&output, 1, reason);
		}
	}
}

#[test]
fn check_scores_an_answer_as_the_search_did_and_goes_with_no_start() {
	for spec in ["30,4,80,60,7", "200,20,70,60,200090"] {
		let solved = answer(&run(&["--generate", spec, "--max-nodes", "300"]));
		let checked = answer(&run_with(spec, "--check", &solved["assignment"].to_string(), &[]));
		for field in ["objective", "energy", "weight"] {
			assert_eq!(checked[field], solved[field], "{spec} {field}");
		}
	}
	let output = run(&["--generate", "30,4,80,60,7", "--check", "a.json", "--start", "b.json"]);
	assert_refused(&output, 2, "one of --check and --start");
}
