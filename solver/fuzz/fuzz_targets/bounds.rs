//! The solver on problems too large for brute force (up to 40 items and 8 agents, loads and
//! profits up to the limits; markets, some generated like the benchmark's), with budgets on
//! both sides of `NEIGHBOURHOOD_AFTER` so that the neighbourhoods run inside the search, and
//! stopped by a tool's `should_stop` at any of its questions: every answer is feasible and
//! scored as reported, every bound holds against every answer, more nodes never give less, a
//! proof ends the search, and the same input gives the same answer.

#![no_main]

use arbitrary::{Result, Unstructured};
use gridshard_solver::{check, generate, lagrangian::Guide, search, Market, Model, Problem};
use gridshard_solver_fuzz::{load, market, problem_parts};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let mut u = Unstructured::new(data);
	let _ = case(&mut u);
});

/// A benchmark-like market (`generate`), whose searches run long enough for the
/// neighbourhoods and the exact fillings, with a few of its numbers pushed to the limits.
fn generated(u: &mut Unstructured) -> Result<Market> {
	let (n, m) = (u.int_in_range(10..=40)?, u.int_in_range(4..=8)?);
	let (seed, tightness, density) =
		(u.arbitrary()?, u.int_in_range(40..=140)?, u.int_in_range(30..=90)?);
	let mut market = if u.arbitrary()? {
		generate::market(seed, n, m, tightness, density)
	} else {
		generate::degree_market(seed, n, m, tightness, density)
	};
	for _ in 0..u.int_in_range(0..=3)? {
		match u.int_in_range(0u8..=2)? {
			0 => market.requests[u.choose_index(n)?] = load(u)?,
			1 => market.capacities[u.choose_index(m)?] = load(u)?,
			_ if !market.pairs.is_empty() => {
				let pair = u.choose_index(market.pairs.len())?;
				market.pairs[pair].2 = u32::MAX;
			}
			_ => {}
		}
	}
	Ok(market)
}

fn case(u: &mut Unstructured) -> Result<()> {
	let short = u.int_in_range(0..=256)?;
	let long = search::NEIGHBOURHOOD_AFTER + u.int_in_range(0..=1_024)?;
	let (problem, guide) = match u.int_in_range(0u8..=2)? {
		0 => {
			let (capacities, pairs) = problem_parts(u, 40, 8)?;
			let Ok(problem) = Problem::new(capacities, pairs) else { return Ok(()) };
			(problem, Guide::General)
		}
		kind => {
			let market = if kind == 1 { market(u, 40, 8)? } else { generated(u)? };
			let Ok(model) = Model::market(&market) else { return Ok(()) };
			let guide = model.guide();
			(model.problem, guide)
		}
	};
	let problem = &problem;
	// A tool's stop: at the `asks`-th question (at the root, between neighbourhoods, every few
	// hundred nodes).
	let asks = u.int_in_range(1..=12)?;
	let mut asked = 0;
	let mut stop_at = |_| {
		asked += 1;
		asked >= asks
	};
	let runs = [
		search::solve(problem, &guide, short, &mut |_| false),
		search::solve(problem, &guide, long, &mut |_| false),
		search::solve(problem, &guide, u64::MAX, &mut stop_at),
	];
	for run in &runs {
		assert_eq!(check::score(problem, &run.assignment), Ok(run.profit), "misscored");
		for other in &runs {
			assert!(other.profit <= run.bound, "a bound below an answer");
		}
		assert_eq!(run.optimal, run.profit == run.bound, "proof and bound disagree");
	}
	let [short_run, long_run, _] = &runs;
	assert!(short_run.profit <= long_run.profit, "more nodes, less profit");
	if short_run.optimal {
		assert_eq!(long_run, short_run, "a proven answer changed with more nodes");
	}
	let again = search::solve(problem, &guide, long, &mut |_| false);
	assert_eq!(&again, long_run, "not deterministic");
	Ok(())
}
