//! What the benchmarks share: the branch-and-bound with a clock, CBC on the same problem, and
//! how values and gaps are printed.

// Each benchmark uses part of it.
#![allow(dead_code)]

use coin_cbc::{Model as CbcModel, Sense as CbcSense};
use gridshard_solver::{
	check,
	problem::{Assignment, Problem},
	solve_until, Market, Model, Sense,
};
use std::time::{Duration, Instant};

/// Pairs allowed, in percent.
pub const DENSITY: u64 = 60;

/// A market generator: `(seed, requests, providers, tightness, density)`.
pub type Generator = fn(u64, usize, usize, u64, u64) -> Market;

/// The seed of the `k`-th benchmark market of a size and capacity: the same markets in every
/// benchmark and in `gridshard-solve --generate n,m,tightness,60,seed`.
pub fn seed(n: usize, m: usize, tightness: u64, k: u64) -> u64 {
	n as u64 * 1_000 + m as u64 + tightness + k
}

/// The `k`-th benchmark market of `n` requests and `m` providers, with capacity `tightness`
/// percent of the demand.
pub fn instance(generator: Generator, n: usize, m: usize, tightness: u64, k: u64) -> Model {
	let market = generator(seed(n, m, tightness, k), n, m, tightness, DENSITY);
	Model::market(&market).expect("generated markets are valid")
}

/// The scale of a market model's internal values: one Wh is worth this much (the weight is the
/// remainder).
pub fn scale(model: &Model) -> u128 {
	match model.sense {
		Sense::Market { scale } => scale,
		_ => unreachable!("market models only"),
	}
}

/// The branch-and-bound until proven optimal, `limit`, or an objective of at least `target`.
pub fn branch_and_bound(
	model: &Model,
	target: u128,
	limit: Duration,
) -> (gridshard_solver::Solution, Duration) {
	let start = Instant::now();
	let deadline = start + limit;
	let solution = solve_until(model, u64::MAX, &mut |incumbent| {
		incumbent >= target || Instant::now() >= deadline
	});
	(solution, start.elapsed())
}

/// CBC on the same internal problem within `limit`; returns (objective, proven optimal, time).
/// The objective is that of the assignment CBC answers, checked and scored exactly by
/// [`check::score`] (0 if CBC has no feasible one: stopped early, it may answer a fractional
/// point).
pub fn cbc(problem: &Problem, limit: Duration) -> (u128, bool, Duration) {
	let start = Instant::now();
	let mut model = CbcModel::default();
	model.set_parameter("log", "0");
	model.set_parameter("logLevel", "0");
	model.set_parameter("threads", "1");
	model.set_parameter("seconds", &format!("{}", limit.as_secs_f64()));
	model.set_parameter("ratioGap", "0");
	model.set_parameter("allowableGap", "0");
	model.set_obj_sense(CbcSense::Maximize);
	let agent_rows: Vec<_> = problem
		.capacities()
		.iter()
		.map(|b| {
			let row = model.add_row();
			model.set_row_upper(row, *b as f64);
			row
		})
		.collect();
	let mut columns = Vec::new();
	for item in 0..problem.items() {
		let one = model.add_row();
		model.set_row_upper(one, 1.0);
		for pair in problem.pairs_of(item) {
			let x = model.add_binary();
			model.set_obj_coeff(x, pair.profit as f64);
			model.set_weight(one, x, 1.0);
			model.set_weight(agent_rows[pair.agent as usize], x, pair.load as f64);
			columns.push((x, item, pair.agent));
		}
	}
	let solution = model.solve();
	let mut assignment: Assignment = vec![None; problem.items()];
	let mut twice = false;
	for (x, item, agent) in &columns {
		if solution.col(*x) > 0.5 {
			twice |= assignment[*item].replace(*agent).is_some();
		}
	}
	let objective = if twice { 0 } else { check::score(problem, &assignment).unwrap_or(0) };
	(objective, solution.raw().is_proven_optimal(), start.elapsed())
}

/// `energy Wh / weight` of an internal value.
pub fn split(value: u128, scale: u128) -> String {
	format!("{} Wh / {}", value / scale, value % scale)
}

pub fn gap(bound: u128, value: u128) -> f64 {
	bound.saturating_sub(value) as f64 / bound.max(1) as f64
}

/// The gap relative to the weight of `value` alone, where the bound's energy is `value`'s (`-`
/// where the energy is not proven).
pub fn weight_gap(bound: u128, value: u128, scale: u128) -> String {
	if bound / scale != value / scale {
		return "-".into();
	}
	format!("{:.2e}", (bound - value) as f64 / (value % scale).max(1) as f64)
}

pub fn millis(duration: Duration) -> f64 {
	duration.as_secs_f64() * 1e3
}
