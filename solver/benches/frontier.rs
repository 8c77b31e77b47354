//! Where the proofs of markets short of capacity stop, by size: the branch-and-bound and CBC on
//! the same generated markets (capacity 70 % of demand, the `market` benchmark's tight ones)
//! from 50x5 to 200x20, with a longer time limit.
//!
//! `cargo bench -p gridshard-solver --bench frontier` prints one line per market: for each
//! solver its time, whether it proved optimality, the energy it serves below the providers'
//! capacities (an assignment that fills every provider to the Wh serves all the energy there is,
//! so 0 proves the energy optimal) and its weight; for the branch-and-bound also its nodes and
//! `wgap`, the weight's proven gap. Then a summary per size.
//!
//! On such a market every optimal assignment fills every provider exactly, so the weight is
//! chosen among exact fillings: a search over them proves 50x5, but their number grows
//! exponentially with the requests each provider may serve, and neither our bounds nor CBC's
//! see that constraint.

mod common;

use common::{branch_and_bound, cbc, instance, millis, scale, split, weight_gap};
use gridshard_solver::generate;
use std::time::Duration;

/// (requests, providers): the market benchmark's 50x5 and 200x20 and sizes between.
const SIZES: [(usize, usize); 5] = [(50, 5), (60, 6), (80, 8), (100, 10), (200, 20)];

/// Capacity, as a percentage of demand.
const TIGHTNESS: u64 = 70;

/// Markets per size.
const INSTANCES: u64 = 3;

/// The time limit of one solve, for both solvers.
const LIMIT_MS: u64 = 10_000;

fn main() {
	println!(
		"capacity {TIGHTNESS} % of demand, limit {LIMIT_MS} ms per solve, one thread; short: Wh \
		 below the providers' capacities"
	);
	let limit = Duration::from_millis(LIMIT_MS);
	for (n, m) in SIZES {
		let group = format!("{n}x{m} tight");
		let (mut ours_proven, mut cbc_proven, mut ours_full, mut cbc_full) = (0, 0, 0, 0);
		let mut slowest_proof: f64 = 0.0;
		for k in 0..INSTANCES {
			let model = instance(generate::market, n, m, TIGHTNESS, k);
			let scale = scale(&model);
			let capacity: u128 = model.problem.capacities().iter().map(|c| *c as u128).sum();
			let short = |value: u128| capacity.saturating_sub(value / scale);
			let (ours, ours_time) = branch_and_bound(&model, u128::MAX, limit);
			let (cbc_value, cbc_optimal, cbc_time) = cbc(&model.problem, limit);
			let outcome = &ours.outcome;
			println!(
				"{group:<12} #{k} b&b {:>8.1} ms {:<7} {:>9} nodes short {:>5} Wh wgap {:<9} {:<26} | cbc {:>8.1} ms {:<7} short {:>6} Wh {}",
				millis(ours_time),
				if outcome.optimal { "optimal" } else { "stopped" },
				outcome.nodes,
				short(outcome.profit),
				weight_gap(outcome.bound, outcome.profit, scale),
				split(outcome.profit, scale),
				millis(cbc_time),
				if cbc_optimal { "optimal" } else { "stopped" },
				short(cbc_value),
				split(cbc_value, scale),
			);
			ours_proven += outcome.optimal as u32;
			cbc_proven += cbc_optimal as u32;
			ours_full += (short(outcome.profit) == 0) as u32;
			cbc_full += (short(cbc_value) == 0) as u32;
			if outcome.optimal {
				slowest_proof = slowest_proof.max(millis(ours_time));
			}
		}
		println!(
			"{group:<12} summary: b&b proves {ours_proven}/{INSTANCES} (slowest {slowest_proof:.1} ms) and fills every provider on {ours_full}/{INSTANCES}; cbc proves {cbc_proven}/{INSTANCES} and fills every provider on {cbc_full}/{INSTANCES}"
		);
	}
}
