//! Market instances (requests x providers: 50x5, 200x20, 1000x50; tight and loose capacity):
//! the branch-and-bound solver against a greedy baseline and against CBC, an independent MILP
//! solver, on the same instances in the same run.
//!
//! `cargo bench -p gridshard-solver --bench market` prints, before criterion's timings, one
//! line per instance and solver with the objective reached (energy served in Wh, weight), the
//! proven bound, the gap, the nodes and the time, so that quality and speed are read together.
//! The branch-and-bound is measured twice: at the root (`max_nodes = 1`: heuristics, subgradient
//! bound, variable fixing), and run to proven optimality or the time limit with its proven gap.
//! CBC gets the same limit and a zero gap tolerance. Gaps are relative to the branch-and-bound's
//! proven bound.

use coin_cbc::{Model as CbcModel, Sense as CbcSense};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gridshard_solver::{generate, heuristic, problem::Problem, solve_until, Market, Model, Value};
use std::time::{Duration, Instant};

/// (requests, providers, time limit of one solve).
const SIZES: [(usize, usize, u64); 3] = [(50, 5, 2_000), (200, 20, 2_000), (1000, 50, 2_000)];

/// (name, capacity as a percentage of demand).
const CAPACITY: [(&str, u64); 2] = [("tight", 70), ("loose", 130)];

/// Pairs allowed, in percent.
const DENSITY: u64 = 60;

fn instance(n: usize, m: usize, tightness: u64) -> (Market, Model) {
	let market =
		generate::market(n as u64 * 1_000 + m as u64 + tightness, n, m, tightness, DENSITY);
	let model = Model::market(&market).expect("generated markets are valid");
	(market, model)
}

fn root(model: &Model) -> gridshard_solver::Solution {
	gridshard_solver::solve(model, 1)
}

fn branch_and_bound(model: &Model, limit_ms: u64) -> gridshard_solver::Solution {
	let deadline = Instant::now() + Duration::from_millis(limit_ms);
	solve_until(model, u64::MAX, &mut || Instant::now() >= deadline)
}

/// The greedy baseline: requests by energy, largest first, each to the provider with room
/// and the largest weight.
fn greedy(problem: &Problem) -> u128 {
	let mut order: Vec<usize> = (0..problem.items()).collect();
	let energy = |i: usize| problem.pairs_of(i).first().map_or(0, |p| p.load);
	order.sort_by(|a, b| energy(*b).cmp(&energy(*a)).then(a.cmp(b)));
	heuristic::greedy(problem, &order, |_, p| p.profit as i128).profit
}

/// CBC on the same internal problem; returns (objective, proven optimal).
fn cbc(problem: &Problem, limit_ms: u64) -> (f64, bool) {
	let mut model = CbcModel::default();
	model.set_parameter("log", "0");
	model.set_parameter("logLevel", "0");
	model.set_parameter("threads", "1");
	model.set_parameter("seconds", &format!("{}", limit_ms as f64 / 1000.0));
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
	for item in 0..problem.items() {
		let one = model.add_row();
		model.set_row_upper(one, 1.0);
		for pair in problem.pairs_of(item) {
			let x = model.add_binary();
			model.set_obj_coeff(x, pair.profit as f64);
			model.set_weight(one, x, 1.0);
			model.set_weight(agent_rows[pair.agent as usize], x, pair.load as f64);
		}
	}
	let solution = model.solve();
	let raw = solution.raw();
	(raw.obj_value(), raw.is_proven_optimal())
}

fn describe(value: Value) -> String {
	match value {
		Value::Market { energy, weight } => format!("energy {energy} Wh, weight {weight}"),
		other => format!("{other:?}"),
	}
}

fn report() {
	println!("instance            solver  objective (internal)      bound                     gap        nodes      time");
	for (n, m, limit) in SIZES {
		for (name, tightness) in CAPACITY {
			let (_, model) = instance(n, m, tightness);
			let label = format!("{n}x{m} {name}");

			let start = Instant::now();
			let at_root = root(&model);
			let root_time = start.elapsed();
			let root_gap = (at_root.outcome.bound - at_root.outcome.profit) as f64
				/ at_root.outcome.bound.max(1) as f64;
			println!(
				"{label:<19} root    {:<25} {:<25} {:<10.2e} {:<10} {:>8.1} ms",
				at_root.outcome.profit,
				at_root.outcome.bound,
				root_gap,
				at_root.outcome.nodes,
				root_time.as_secs_f64() * 1e3,
			);

			let start = Instant::now();
			let solution = branch_and_bound(&model, limit);
			let bnb_time = start.elapsed();
			let bound = solution.outcome.bound;
			let gap = (bound - solution.outcome.profit) as f64 / bound.max(1) as f64;
			println!(
				"{label:<19} b&b     {:<25} {:<25} {:<10.2e} {:<10} {:>8.1} ms  {} {}",
				solution.outcome.profit,
				bound,
				gap,
				solution.outcome.nodes,
				bnb_time.as_secs_f64() * 1e3,
				if solution.outcome.optimal { "optimal" } else { "stopped" },
				describe(solution.value),
			);

			let start = Instant::now();
			let baseline = greedy(&model.problem);
			println!(
				"{label:<19} greedy  {:<25} {:<25} {:<10.2e} {:<10} {:>8.1} ms",
				baseline,
				"-",
				(bound - baseline) as f64 / bound.max(1) as f64,
				"-",
				start.elapsed().as_secs_f64() * 1e3,
			);

			let start = Instant::now();
			let (objective, optimal) = cbc(&model.problem, limit);
			println!(
				"{label:<19} cbc     {:<25.0} {:<25} {:<10.2e} {:<10} {:>8.1} ms  {}",
				objective,
				"-",
				(bound as f64 - objective) / bound.max(1) as f64,
				"-",
				start.elapsed().as_secs_f64() * 1e3,
				if optimal { "optimal" } else { "stopped" },
			);
		}
	}
}

fn benchmarks(c: &mut Criterion) {
	report();
	let mut group = c.benchmark_group("market");
	group.sample_size(10);
	group.measurement_time(Duration::from_secs(5));
	for (n, m, limit) in SIZES {
		for (name, tightness) in CAPACITY {
			let (_, model) = instance(n, m, tightness);
			let id = format!("{n}x{m}-{name}");
			group.bench_with_input(BenchmarkId::new("root", &id), &model, |b, model| {
				b.iter(|| root(model))
			});
			group.bench_with_input(
				BenchmarkId::new("branch_and_bound", &id),
				&model,
				|b, model| b.iter(|| branch_and_bound(model, limit)),
			);
			group.bench_with_input(BenchmarkId::new("greedy", &id), &model, |b, model| {
				b.iter(|| greedy(&model.problem))
			});
			group.bench_with_input(BenchmarkId::new("cbc", &id), &model, |b, model| {
				b.iter(|| cbc(&model.problem, limit))
			});
		}
	}
	group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
