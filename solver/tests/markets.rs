//! Generated markets of the benchmark's size (200 requests, 20 providers): the loose ones the
//! benchmark's CBC also proves are solved to proven optimality at the same value, and on the
//! tight ones the root alone serves all the energy the maximum flow allows, which proves the
//! energy optimal.

use gridshard_solver::{check, flow::energy_bound, generate, solve, Model, Value};

/// (seed, energy, weight) of loose instances (`generate::market(seed, 200, 20, 130, 60)`,
/// the benchmark's first, third and fifth) with the optimum CBC proves in the benchmark.
const LOOSE: [(u64, u128, u128); 3] = [
	(200_150, 1_966_012, 1_836_155),
	(200_152, 2_132_377, 1_829_041),
	(200_154, 1_950_557, 1_843_720),
];

#[test]
fn loose_markets_are_solved_to_proven_optimality() {
	for (seed, energy, weight) in LOOSE {
		let model = Model::market(&generate::market(seed, 200, 20, 130, 60)).unwrap();
		let solution = solve(&model, 1_000_000);
		assert!(solution.outcome.optimal, "seed {seed}: not proven in 10^6 nodes");
		assert_eq!(solution.value, Value::Market { energy, weight }, "seed {seed}");
		assert_eq!(
			check::score(&model.problem, &solution.outcome.assignment),
			Ok(solution.outcome.profit)
		);
		println!("seed {seed}: optimal in {} nodes", solution.outcome.nodes);
	}
}

#[test]
fn tight_markets_serve_the_maximum_flow_at_the_root() {
	for seed in 200_090..200_095 {
		let model = Model::market(&generate::market(seed, 200, 20, 70, 60)).unwrap();
		let most = energy_bound(&model.problem).energy;
		let solution = solve(&model, 1);
		let Value::Market { energy, .. } = solution.value else { unreachable!() };
		assert_eq!(energy, most, "seed {seed}");
		assert_eq!(
			check::score(&model.problem, &solution.outcome.assignment),
			Ok(solution.outcome.profit)
		);
	}
}
