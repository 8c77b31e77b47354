//! `gridshard-solve`: solves one assignment instance and prints one JSON line.
//!
//! ```text
//! gridshard-solve --orlib FILE --instance K --sense max|min [--time-limit-ms N] [--max-nodes N]
//! gridshard-solve --market FILE.json [--time-limit-ms N] [--max-nodes N]
//! gridshard-solve --generate REQUESTS,PROVIDERS,TIGHTNESS%,DENSITY%,SEED [--weights uniform|degree]
//!                 [--time-limit-ms N] [--max-nodes N]
//! ```
//!
//! Any of them with `--start FILE` starts from the assignment in `FILE` (a JSON array like the
//! answer's `assignment`, such as an earlier answer's): the answer is never worth less, and an
//! infeasible one is refused with the reason. Given a start, the root leaves out the restarted
//! fillings and the sequential knapsacks, which build assignments from nothing.
//!
//! Any of them with `--check FILE` does not solve: it scores the assignment in `FILE` with the
//! chain's checker (`check::score`) and prints its value, `{"objective":..}` with `energy` and
//! `weight` for a market, or refuses it with the reason (exit 1).
//!
//! Any of them with `--progress` also writes a line to standard error whenever the search shows
//! a better answer (it shows its incumbent at the root, every 256 nodes and between
//! neighbourhoods): the time since the start and the value (energy and weight of a market, the
//! total of a GAP once every job is assigned).
//!
//! `--generate` builds the market of `gridshard_solver::generate::market` (the benchmark's), or
//! with `--weights degree` that of `generate::degree_market` (weighted by eq. 4, as the chain);
//! with `--print-market` it prints that market as a market file instead of solving it, for
//! `--market` or for other solvers (`scripts/decomposition-bound.py` reads it).
//!
//! The line is `{"objective":..,"bound":..,"optimal":..,"nodes":..,"millis":..,"assignment":[..]}`:
//! for each job or request in input order, the 0-based agent or provider, or `null`. For a
//! market, `objective` and `bound` are in the solver's lexicographic units
//! (`energy * (W + 1) + weight`), and `energy` and `weight` are given too, and the bound read the
//! same way, `bound_energy` and `bound_weight`: where `bound_energy` equals `energy` the energy is
//! proven the most there is, and `bound_weight` bounds the weight of every assignment serving
//! it. For an OR-Library problem with no feasible complete assignment, `objective` is `null`.

use gridshard_solver::{
	check::Infeasible, orlib, solve_from_until, solve_until, Assignment, Market, Model, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::{process::ExitCode, time::Instant};

const USAGE: &str = "usage:
  gridshard-solve --orlib FILE --instance K --sense max|min [--time-limit-ms N] [--max-nodes N]
  gridshard-solve --market FILE.json [--time-limit-ms N] [--max-nodes N]
  gridshard-solve --generate REQUESTS,PROVIDERS,TIGHTNESS%,DENSITY%,SEED [--weights uniform|degree]
                  [--time-limit-ms N] [--max-nodes N]
  gridshard-solve --generate ... [--weights uniform|degree] --print-market
  any of them with --progress: each better answer found, on standard error
  any of them with --start FILE: from the assignment in FILE (JSON, like the answer's)
  any of them with --check FILE: the value of the assignment in FILE, not solved
  --print-market: the generated market as a market file, on standard output, not solved

A market file is JSON: {\"requests\": [Wh, ...], \"capacities\": [Wh, ...],
\"pairs\": [[request, provider, weight], ...]}";

/// The market snapshot file: the fields of [`Market`].
#[derive(Deserialize, Serialize)]
struct MarketFile {
	requests: Vec<u64>,
	capacities: Vec<u64>,
	pairs: Vec<(u32, u32, u32)>,
}

struct Args {
	orlib: Option<String>,
	instance: usize,
	maximise: bool,
	market: Option<String>,
	generate: Option<(usize, usize, u64, u64, u64)>,
	degree_weights: bool,
	time_limit_ms: Option<u64>,
	max_nodes: u64,
	progress: bool,
	print_market: bool,
	start: Option<String>,
	check: Option<String>,
}

fn parse_args() -> Result<Args, String> {
	let mut args = Args {
		orlib: None,
		instance: 1,
		maximise: true,
		market: None,
		generate: None,
		degree_weights: false,
		time_limit_ms: None,
		max_nodes: u64::MAX,
		progress: false,
		print_market: false,
		start: None,
		check: None,
	};
	let mut it = std::env::args().skip(1);
	while let Some(flag) = it.next() {
		let mut value = || it.next().ok_or(format!("{flag} needs a value"));
		match flag.as_str() {
			"--orlib" => args.orlib = Some(value()?),
			"--instance" => args.instance = value()?.parse().map_err(|_| "bad --instance")?,
			"--sense" => {
				args.maximise = match value()?.as_str() {
					"max" => true,
					"min" => false,
					other => return Err(format!("--sense is max or min, not {other}")),
				}
			}
			"--market" => args.market = Some(value()?),
			"--generate" => {
				let spec = value()?;
				let numbers: Vec<u64> =
					spec.split(',').map(str::parse).collect::<Result<_, _>>().map_err(|_| {
						format!(
							"--generate takes requests,providers,tightness,density,seed: {spec}"
						)
					})?;
				let [n, m, tightness, density, seed] = numbers[..] else {
					return Err(format!("--generate takes five numbers: {spec}"));
				};
				args.generate = Some((n as usize, m as usize, tightness, density, seed));
			}
			"--weights" => {
				args.degree_weights = match value()?.as_str() {
					"uniform" => false,
					"degree" => true,
					other => return Err(format!("--weights is uniform or degree, not {other}")),
				}
			}
			"--time-limit-ms" => {
				args.time_limit_ms = Some(value()?.parse().map_err(|_| "bad --time-limit-ms")?)
			}
			"--max-nodes" => args.max_nodes = value()?.parse().map_err(|_| "bad --max-nodes")?,
			"--progress" => args.progress = true,
			"--print-market" => args.print_market = true,
			"--start" => args.start = Some(value()?),
			"--check" => args.check = Some(value()?),
			"-h" | "--help" => return Err(String::new()),
			other => return Err(format!("unknown argument {other}")),
		}
	}
	let sources = [args.orlib.is_some(), args.market.is_some(), args.generate.is_some()];
	if sources.iter().filter(|given| **given).count() != 1 {
		return Err("give exactly one of --orlib, --market and --generate".into());
	}
	if args.degree_weights && args.generate.is_none() {
		return Err("--weights goes with --generate".into());
	}
	if args.print_market && args.generate.is_none() {
		return Err("--print-market goes with --generate".into());
	}
	if args.check.is_some() && args.start.is_some() {
		return Err("give one of --check and --start".into());
	}
	Ok(args)
}

/// The instance to solve; `None` when it was printed instead (`--print-market`).
fn load(args: &Args) -> Result<Option<Model>, String> {
	if let Some(path) = &args.orlib {
		let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
		let instances = orlib::parse(&text).map_err(|e| format!("{path}: {e:?}"))?;
		let instance = args
			.instance
			.checked_sub(1)
			.and_then(|k| instances.get(k))
			.ok_or(format!("{path} has {} problems; --instance is 1-based", instances.len()))?;
		return instance.model(args.maximise).map(Some).map_err(|e| format!("{path}: {e:?}"));
	}
	if let Some((n, m, tightness, density, seed)) = args.generate {
		let generate = match args.degree_weights {
			false => gridshard_solver::generate::market,
			true => gridshard_solver::generate::degree_market,
		};
		let market = generate(seed, n, m, tightness, density);
		if args.print_market {
			let Market { requests, capacities, pairs } = market;
			let file = MarketFile { requests, capacities, pairs };
			println!("{}", serde_json::to_string(&file).map_err(|e| e.to_string())?);
			return Ok(None);
		}
		return Model::market(&market).map(Some).map_err(|e| format!("generated market: {e:?}"));
	}
	let path = args.market.as_ref().expect("one of the three is given; qed");
	let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
	let file: MarketFile = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
	let market = Market { requests: file.requests, capacities: file.capacities, pairs: file.pairs };
	Model::market(&market).map(Some).map_err(|e| format!("{path}: {e:?}"))
}

/// The assignment in the file at `path` (of `--start` or `--check`): for each job or request,
/// its agent or provider or `null`.
fn read_assignment(path: &str) -> Result<Assignment, String> {
	let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
	serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// Why a start is not feasible, in words.
fn infeasible(reason: &Infeasible) -> String {
	match reason {
		Infeasible::WrongLength => "not one entry per job or request".into(),
		Infeasible::DisallowedPair { item } => {
			format!("job or request {item} is given to an agent or provider it may not have")
		}
		Infeasible::OverCapacity { agent } => format!("agent or provider {agent} over capacity"),
	}
}

/// `--check`: prints the value of the assignment at `path`, or why it is not feasible.
fn check(model: &Model, path: &str) -> ExitCode {
	let assignment = match read_assignment(path) {
		Ok(assignment) => assignment,
		Err(error) => {
			eprintln!("error: {error}");
			return ExitCode::from(1);
		}
	};
	let profit = match gridshard_solver::check::score(&model.problem, &assignment) {
		Ok(profit) => profit,
		Err(reason) => {
			eprintln!("error: {path}: not feasible: {}", infeasible(&reason));
			return ExitCode::from(1);
		}
	};
	let mut line = json!({});
	write_value(&mut line, model, profit);
	println!("{line}");
	ExitCode::SUCCESS
}

/// Writes into `line` the value of an assignment whose internal profit is `profit`, as the
/// answer gives it: `objective` (for a market in the solver's lexicographic units, as a string,
/// with `energy` and `weight`; for a GAP the total, or `null` where not every job is assigned).
fn write_value(line: &mut serde_json::Value, model: &Model, profit: u128) {
	match model.value(profit) {
		Value::Market { energy, weight } => {
			line["objective"] = json!(profit.to_string());
			line["energy"] = json!(energy as u64);
			line["weight"] = json!(weight as u64);
		}
		Value::Total(total) => line["objective"] = json!(total),
		Value::Incomplete => line["objective"] = serde_json::Value::Null,
	}
}

fn main() -> ExitCode {
	let args = match parse_args() {
		Ok(args) => args,
		Err(error) => {
			if !error.is_empty() {
				eprintln!("error: {error}");
			}
			eprintln!("{USAGE}");
			return ExitCode::from(2);
		}
	};
	let model = match load(&args) {
		Ok(Some(model)) => model,
		Ok(None) => return ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			return ExitCode::from(1);
		}
	};
	if let Some(path) = &args.check {
		return check(&model, path);
	}
	let start = match args.start.as_deref().map(read_assignment).transpose() {
		Ok(start) => start,
		Err(error) => {
			eprintln!("error: {error}");
			return ExitCode::from(1);
		}
	};
	let clock = Instant::now();
	let deadline = args.time_limit_ms.map(|ms| clock + std::time::Duration::from_millis(ms));
	let mut reported = 0;
	let mut should_stop = |incumbent: u128| {
		if args.progress && incumbent > reported {
			reported = incumbent;
			let millis = clock.elapsed().as_secs_f64() * 1e3;
			match model.value(incumbent) {
				Value::Market { energy, weight } => {
					eprintln!("progress: {millis:.1} ms: energy {energy} Wh, weight {weight}")
				}
				Value::Total(total) => eprintln!("progress: {millis:.1} ms: objective {total}"),
				Value::Incomplete => {
					eprintln!("progress: {millis:.1} ms: not every job assigned yet")
				}
			}
		}
		deadline.is_some_and(|d| Instant::now() >= d)
	};
	let solution = match &start {
		None => solve_until(&model, args.max_nodes, &mut should_stop),
		Some(start) => match solve_from_until(&model, start, args.max_nodes, &mut should_stop) {
			Ok(solution) => solution,
			Err(reason) => {
				let path = args.start.as_deref().unwrap_or_default();
				eprintln!("error: {path}: not a feasible start: {}", infeasible(&reason));
				return ExitCode::from(1);
			}
		},
	};
	let millis = clock.elapsed().as_millis() as u64;

	let mut line = json!({
		"bound": solution.bound.map(|b| b.to_string()),
		"optimal": solution.outcome.optimal,
		"nodes": solution.outcome.nodes,
		"millis": millis,
		"assignment": solution.outcome.assignment,
	});
	write_value(&mut line, &model, solution.outcome.profit);
	if let Value::Market { energy, weight } = model.value(solution.outcome.bound) {
		line["bound_energy"] = json!(energy as u64);
		line["bound_weight"] = json!(weight as u64);
	}
	if let (Value::Total(_), Some(bound)) = (solution.value, solution.bound) {
		line["bound"] = json!(bound);
	}
	println!("{line}");
	ExitCode::SUCCESS
}
