//! Generated markets of the benchmark's sizes: the loose ones are solved to proven optimality
//! within a small node budget (at the value an independent MILP solver proves, where one did),
//! on the tight ones the root alone serves all the energy the maximum flow allows, which proves
//! the energy optimal, and the small tight ones are proven optimal by the search over exact
//! fillings.

use gridshard_solver::{check, flow::energy_bound, generate, solve, Model, Value};

/// (seed, energy, weight) of loose 200x20 markets (`generate::market(seed, 200, 20, 130, 60)`):
/// the benchmark's five, whose optima CBC proves in the benchmark, and three more whose optima
/// HiGHS 1.16 proves (checked outside the repository); the last three need the knapsack bound
/// at the search's nodes.
const LOOSE: [(u64, u128, u128); 8] = [
	(200_150, 1_966_012, 1_836_155),
	(200_151, 2_130_507, 1_849_154),
	(200_152, 2_132_377, 1_829_041),
	(200_153, 1_995_923, 1_833_637),
	(200_154, 1_950_557, 1_843_720),
	(18, 2_225_713, 1_821_101),
	(26, 2_186_381, 1_844_645),
	(27, 2_012_200, 1_849_567),
];

/// Nodes within which every loose market here is proven: well inside the 20 000 the matching
/// pallet gives its off-chain workers.
const NODES: u64 = 5_000;

/// Solves `model` within `nodes` nodes and checks that the answer is proven optimal and
/// feasible at the score it claims; returns its value.
fn proven(seed: u64, model: &Model, nodes: u64) -> Value {
	let solution = solve(model, nodes);
	assert!(solution.outcome.optimal, "seed {seed}: not proven in {nodes} nodes");
	assert_eq!(
		check::score(&model.problem, &solution.outcome.assignment),
		Ok(solution.outcome.profit),
		"seed {seed}"
	);
	println!("seed {seed}: optimal in {} nodes", solution.outcome.nodes);
	solution.value
}

#[test]
fn loose_markets_are_solved_to_proven_optimality() {
	for (seed, energy, weight) in LOOSE {
		let model = Model::market(&generate::market(seed, 200, 20, 130, 60)).unwrap();
		assert_eq!(proven(seed, &model, NODES), Value::Market { energy, weight }, "seed {seed}");
	}
}

#[test]
fn large_loose_markets_are_solved_to_proven_optimality() {
	for seed in 1_000_180..1_000_185 {
		let model = Model::market(&generate::market(seed, 1000, 50, 130, 60)).unwrap();
		let Value::Market { energy, .. } = proven(seed, &model, NODES) else { unreachable!() };
		assert_eq!(
			energy,
			energy_bound(&model.problem).energy,
			"seed {seed}: the most energy served"
		);
	}
}

/// The tight benchmark markets (capacity 70 % of demand), 50x5 and 200x20: the root fills
/// every provider to the Wh. On the 50x5 ones that takes the restarted fillings (before them,
/// 1 to 15 Wh were missing even after 2 s of search).
#[test]
fn tight_markets_serve_the_maximum_flow_at_the_root() {
	let small = (50_075..50_080).map(|seed| (seed, 50, 5));
	let large = (200_090..200_095).map(|seed| (seed, 200, 20));
	for (seed, n, m) in small.chain(large) {
		let model = Model::market(&generate::market(seed, n, m, 70, 60)).unwrap();
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

/// (seed, energy, weight) of the benchmark's 50x5 tight markets (`generate::market(seed, 50, 5,
/// 70, 60)`): optima found outside the solver (a separate Python listing of exact fillings and
/// set-packing search); CBC proves none of them in 2 s, and its answers serve less energy.
const SMALL_TIGHT: [(u64, u128, u128); 5] = [
	(50_075, 354_307, 257_409),
	(50_076, 467_401, 243_347),
	(50_077, 404_493, 246_025),
	(50_078, 337_524, 209_824),
	(50_079, 350_375, 239_860),
];

#[test]
fn small_tight_markets_are_solved_to_proven_optimality() {
	for (seed, energy, weight) in SMALL_TIGHT {
		let model = Model::market(&generate::market(seed, 50, 5, 70, 60)).unwrap();
		// Within the 20 000 nodes the matching pallet gives its off-chain workers.
		assert_eq!(proven(seed, &model, 20_000), Value::Market { energy, weight }, "seed {seed}");
	}
}

/// The frontier benchmark's 60x6 markets short of capacity (70 486 and 322 560 exact fillings on
/// two of them) are listed and proven, by the search over exact fillings at its prices.
#[test]
fn sixty_by_six_tight_markets_are_solved_to_proven_optimality() {
	for seed in 60_076..60_079 {
		let model = Model::market(&generate::market(seed, 60, 6, 70, 60)).unwrap();
		let Value::Market { energy, .. } = proven(seed, &model, 100_000) else { unreachable!() };
		let capacity: u64 = model.problem.capacities().iter().sum();
		assert_eq!(energy, u128::from(capacity), "seed {seed}: every provider full");
	}
}

/// Markets weighted as the chain weighs them (eq. 4: weight grows with energy and saturates at
/// the provider's reputation) are far from proven within the pallet's budget; there the search
/// re-solves sets of providers once it has run `NEIGHBOURHOOD_AFTER` nodes, which lifts the
/// weight of the 200x20 market short of capacity by more than 5 % (82.7 M to 89.7 M) and that
/// of the loose one too, at the same (all the) energy.
#[test]
fn chain_weighted_markets_gain_from_the_neighbourhoods() {
	use gridshard_solver::search::NEIGHBOURHOOD_AFTER;
	for (seed, tightness, percent) in [(200_090, 70, 105), (200_150, 130, 100)] {
		let model = Model::market(&generate::degree_market(seed, 200, 20, tightness, 60)).unwrap();
		let split = |nodes| {
			let solution = solve(&model, nodes);
			assert_eq!(
				check::score(&model.problem, &solution.outcome.assignment),
				Ok(solution.outcome.profit)
			);
			let Value::Market { energy, weight } = solution.value else { unreachable!() };
			(energy, weight)
		};
		let (before, after) = (split(NEIGHBOURHOOD_AFTER - 1), split(NEIGHBOURHOOD_AFTER));
		println!("seed {seed}: weight {} before the neighbourhoods, {} after", before.1, after.1);
		assert_eq!(before.0, energy_bound(&model.problem).energy, "seed {seed}: all the energy");
		assert_eq!(after.0, before.0, "seed {seed}");
		assert!(after.1 * 100 > before.1 * percent, "seed {seed}: {} to {}", before.1, after.1);
	}
}

/// (seed, energy, weight) of the benchmark's chain-weighted 50x5 loose markets that CBC proves
/// optimal in the benchmark (`generate::degree_market(seed, 50, 5, 130, 60)`; #1, #3, #4).
const SMALL_LOOSE_DEGREE: [(u64, u128, u128); 3] =
	[(50_136, 500_817, 18_914_617), (50_138, 505_002, 26_234_383), (50_139, 461_560, 28_003_694)];

/// Correlated weights make even these small markets take thousands of nodes (#3 some 29 000);
/// the optima are those an independent MILP solver proves.
#[test]
fn small_chain_weighted_loose_markets_are_proven_at_the_milp_optima() {
	for (seed, energy, weight) in SMALL_LOOSE_DEGREE {
		let model = Model::market(&generate::degree_market(seed, 50, 5, 130, 60)).unwrap();
		assert_eq!(proven(seed, &model, 100_000), Value::Market { energy, weight }, "seed {seed}");
	}
}
