//! Market instances (requests x providers: 50x5, 200x20, 1000x50; tight and loose capacity):
//! the branch-and-bound solver against a greedy baseline and against CBC, an independent MILP
//! solver, on the same instances in the same run.
//!
//! `cargo bench -p gridshard-solver --bench market` prints, before criterion's timings, one
//! line per instance with what each solver reached within the same time limit, one thread each:
//!
//! - `b&b`: time, whether optimality was proven, the proven relative gap, the objective as
//!   energy served (Wh) and total weight, and `wgap`, the gap relative to the weight alone
//!   (where the bound's energy is the incumbent's: how far the weight may still rise);
//! - `cbc`: the same for CBC (zero gap tolerance), with its gap measured against our bound;
//! - `b&b to cbc`: how long the branch-and-bound takes to reach CBC's final objective, or `-` if
//!   it does not within the limit; and where CBC does not prove optimality, `cbc then`: what CBC
//!   has when given just that long. Where neither proves, "as fast" reads: CBC, given the time
//!   the branch-and-bound takes to reach CBC's 2-s objective, has less;
//! - `greedy`: the baseline's energy and weight.
//!
//! Five instances per size and capacity (the benchmark seed and the four after it), then a
//! summary per group; first with uniform weights ([`generate::market`]), then the same markets
//! weighted as the chain weighs them ([`generate::degree_market`], eq. 4; `degree` in the group's
//! name). The criterion timings that follow measure the root alone (heuristics, bound, fixing:
//! `max_nodes = 1`), the whole search and CBC on the first instance of each uniform group.

mod common;

use common::{branch_and_bound, cbc, gap, instance, millis, scale, split, weight_gap, Generator};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gridshard_solver::{generate, heuristic, problem::Problem};
use std::time::Duration;

/// (requests, providers).
const SIZES: [(usize, usize); 3] = [(50, 5), (200, 20), (1000, 50)];

/// (name, capacity as a percentage of demand).
const CAPACITY: [(&str, u64); 2] = [("tight", 70), ("loose", 130)];

/// How the generated markets are weighted: uniformly at random, or by eq. 4 as the chain does.
const WEIGHTS: [(&str, Generator); 2] =
	[("", generate::market), (" degree", generate::degree_market)];

/// Instances per size and capacity.
const INSTANCES: u64 = 5;

/// The time limit of one solve, for both solvers.
const LIMIT_MS: u64 = 2_000;

/// The greedy baseline: requests by energy, largest first, each to the provider with room
/// and the largest weight.
fn greedy(problem: &Problem) -> u128 {
	let mut order: Vec<usize> = (0..problem.items()).collect();
	let energy = |i: usize| problem.pairs_of(i).first().map_or(0, |p| p.load);
	order.sort_by(|a, b| energy(*b).cmp(&energy(*a)).then(a.cmp(b)));
	heuristic::greedy(problem, &order, |_, p| p.profit as i128).profit
}

fn report() {
	println!("limit {LIMIT_MS} ms per solve, one thread; gaps relative to the b&b's proven bound");
	for (weights, generator) in WEIGHTS {
		for (n, m) in SIZES {
			for (name, tightness) in CAPACITY {
				let group = format!("{n}x{m} {name}{weights}");
				let (mut ours_proven, mut cbc_proven, mut ours_times, mut cbc_times) =
					(0, 0, Vec::new(), Vec::new());
				let (mut reached, mut reach_times, mut better, mut worse) = (0, Vec::new(), 0, 0);
				let (mut compared, mut cbc_behind) = (0, 0);
				for k in 0..INSTANCES {
					let model = instance(generator, n, m, tightness, k);
					let scale = scale(&model);
					let limit = Duration::from_millis(LIMIT_MS);
					let (ours, ours_time) = branch_and_bound(&model, u128::MAX, limit);
					let (cbc_value, cbc_optimal, cbc_time) = cbc(&model.problem, limit);
					let (_, reach_time) = branch_and_bound(&model, cbc_value, limit);
					let reach = ours.outcome.profit >= cbc_value
						&& reach_time.as_millis() < LIMIT_MS as u128;
					let bound = ours.outcome.bound;
					// Where CBC does not prove, what it has when the b&b reaches its final objective.
					let cbc_then = (reach && !cbc_optimal).then(|| cbc(&model.problem, reach_time));
					println!(
					"{group:<21} #{k} b&b {:>7.1} ms {:<7} gap {:<9.2e} wgap {:<9} {:<28} | cbc {:>7.1} ms {:<7} gap {:<9.2e} {:<28} | b&b to cbc {:>9}, cbc then {:<37} | greedy {}",
					millis(ours_time),
					if ours.outcome.optimal { "optimal" } else { "stopped" },
					gap(bound, ours.outcome.profit),
					weight_gap(bound, ours.outcome.profit, scale),
					split(ours.outcome.profit, scale),
					millis(cbc_time),
					if cbc_optimal { "optimal" } else { "stopped" },
					gap(bound, cbc_value),
					split(cbc_value, scale),
					if reach { format!("{:.1} ms", millis(reach_time)) } else { "-".into() },
					cbc_then.map_or("-".into(), |(value, _, time)| format!(
						"{} in {:.0} ms",
						split(value, scale),
						millis(time)
					)),
					split(greedy(&model.problem), scale),
				);
					ours_proven += ours.outcome.optimal as u32;
					cbc_proven += cbc_optimal as u32;
					if ours.outcome.optimal {
						ours_times.push(millis(ours_time));
					}
					if cbc_optimal {
						cbc_times.push(millis(cbc_time));
					}
					if reach {
						reached += 1;
						reach_times.push(millis(reach_time));
					}
					if let Some((then, _, _)) = cbc_then {
						compared += 1;
						cbc_behind += (then < cbc_value) as u32;
					}
					better += (ours.outcome.profit > cbc_value) as u32;
					worse += (ours.outcome.profit < cbc_value) as u32;
				}
				let max = |times: &[f64]| times.iter().cloned().fold(0.0, f64::max);
				println!(
				"{group:<21} summary: b&b proves {ours_proven}/{INSTANCES} (slowest {:.1} ms), cbc proves {cbc_proven}/{INSTANCES} (slowest {:.1} ms); b&b reaches cbc's objective on {reached}/{INSTANCES} (slowest {:.1} ms), where cbc had not yet on {cbc_behind}/{compared}; final objective better on {better}, worse on {worse}",
				max(&ours_times),
				max(&cbc_times),
				max(&reach_times),
			);
			}
		}
	}
}

fn benchmarks(c: &mut Criterion) {
	report();
	let mut group = c.benchmark_group("market");
	group.sample_size(10);
	group.measurement_time(Duration::from_secs(5));
	for (n, m) in SIZES {
		for (name, tightness) in CAPACITY {
			let model = instance(generate::market, n, m, tightness, 0);
			let id = format!("{n}x{m}-{name}");
			group.bench_with_input(BenchmarkId::new("root", &id), &model, |b, model| {
				b.iter(|| gridshard_solver::solve(model, 1))
			});
			group.bench_with_input(
				BenchmarkId::new("branch_and_bound", &id),
				&model,
				|b, model| {
					b.iter(|| branch_and_bound(model, u128::MAX, Duration::from_millis(LIMIT_MS)))
				},
			);
			group.bench_with_input(BenchmarkId::new("greedy", &id), &model, |b, model| {
				b.iter(|| greedy(&model.problem))
			});
			group.bench_with_input(BenchmarkId::new("cbc", &id), &model, |b, model| {
				b.iter(|| cbc(&model.problem, Duration::from_millis(LIMIT_MS)))
			});
		}
	}
	group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
