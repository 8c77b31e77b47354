//! Property tests against brute force: on thousands of random small instances the solver's
//! optimum equals the best of all assignments, every returned assignment is feasible, the
//! same input gives the same output, and a budget-limited answer has a valid bound.

mod common;

use common::{
	all_assignments, fillable_market, random_market, random_problem, random_sized_market, Rng,
};
use gridshard_solver::{
	check,
	heuristic::{self, Solution},
	lagrangian::{self, Guide},
	neighbourhood, solve, solve_from_until, Market, Model, Value,
};

const INSTANCES: u64 = 3_000;

fn brute_force(problem: &gridshard_solver::Problem) -> u128 {
	all_assignments(problem.items(), problem.agents())
		.filter_map(|a| check::score(problem, &a).ok())
		.max()
		.unwrap_or(0)
}

#[test]
fn internal_optimum_equals_brute_force() {
	let mut rng = Rng(1);
	for instance in 0..INSTANCES {
		let n = rng.range(1, 7) as usize;
		let m = rng.range(1, 3) as usize;
		let problem = random_problem(&mut rng, n, m);
		let outcome =
			gridshard_solver::search::solve(&problem, &Guide::General, u64::MAX, &mut |_| false);
		let score = check::score(&problem, &outcome.assignment);
		assert_eq!(score, Ok(outcome.profit), "instance {instance}: infeasible or misscored");
		assert!(outcome.optimal);
		assert_eq!(outcome.profit, brute_force(&problem), "instance {instance}: {problem:?}");
		assert_eq!(outcome.bound, outcome.profit);
	}
}

/// The best (energy, weight) of all assignments of `market`: most energy, then most weight.
fn brute_force_market(market: &Market, model: &Model) -> (u128, u128) {
	let (n, m) = (market.requests.len(), market.capacities.len());
	all_assignments(n, m)
		.filter(|a| check::score(&model.problem, a).is_ok())
		.map(|a| {
			let mut energy = 0u128;
			let mut weight = 0u128;
			for (i, agent) in a.iter().enumerate() {
				if let Some(j) = agent {
					energy += market.requests[i] as u128;
					weight += market
						.pairs
						.iter()
						.find(|(r, p, _)| *r as usize == i && p == j)
						.map(|(_, _, w)| *w as u128)
						.unwrap();
				}
			}
			(energy, weight)
		})
		.max()
		.unwrap()
}

#[test]
fn market_optimum_is_lexicographic_energy_then_weight() {
	let mut rng = Rng(2);
	for instance in 0..INSTANCES {
		let market = random_sized_market(&mut rng, 6, 3);
		let model = Model::market(&market).unwrap();
		let solution = solve(&model, u64::MAX);
		let (energy, weight) = brute_force_market(&market, &model);
		assert_eq!(
			solution.value,
			Value::Market { energy, weight },
			"instance {instance}: {market:?}"
		);
	}
}

/// Markets whose providers can all be filled to the Wh, with small energies (many fillings, many
/// ties): the optimum fills them all, and the search over exact fillings proves it.
#[test]
fn markets_that_fill_every_provider_match_brute_force() {
	let mut rng = Rng(7);
	let mut listed = 0;
	for instance in 0..INSTANCES {
		let market = fillable_market(&mut rng, 7, 3);
		let model = Model::market(&market).unwrap();
		let solution = solve(&model, u64::MAX);
		let (energy, weight) = brute_force_market(&market, &model);
		assert_eq!(energy, market.capacities.iter().sum::<u64>() as u128);
		assert_eq!(
			solution.value,
			Value::Market { energy, weight },
			"instance {instance}: {market:?}"
		);
		assert!(solution.outcome.optimal);
		listed += usize::from(
			gridshard_solver::exact_fill::Fillings::list(&model.problem, u64::MAX).is_some(),
		);
	}
	// The listing ran on (nearly) every instance, so the search over exact fillings was tested.
	assert!(listed as u64 > INSTANCES * 9 / 10, "{listed} of {INSTANCES}");
}

#[test]
fn gap_objectives_match_brute_force_over_complete_assignments() {
	let mut rng = Rng(3);
	for instance in 0..INSTANCES {
		let n = rng.range(1, 6) as usize;
		let m = rng.range(1, 3) as usize;
		let values: Vec<Vec<u64>> =
			(0..m).map(|_| (0..n).map(|_| rng.range(1, 50)).collect()).collect();
		let loads: Vec<Vec<u64>> =
			(0..m).map(|_| (0..n).map(|_| rng.range(1, 20)).collect()).collect();
		let capacities: Vec<u64> = (0..m).map(|_| rng.range(5, 40)).collect();
		for maximise in [true, false] {
			let model = Model::gap(&values, &loads, capacities.clone(), maximise).unwrap();
			let solution = solve(&model, u64::MAX);
			let totals = all_assignments(n, m)
				.filter(|a| a.iter().all(Option::is_some))
				.filter(|a| check::score(&model.problem, a).is_ok())
				.map(|a| {
					a.iter()
						.enumerate()
						.map(|(i, j)| values[j.unwrap() as usize][i] as i128)
						.sum::<i128>()
				});
			let best = if maximise { totals.max() } else { totals.min() };
			match best {
				Some(best) => {
					assert_eq!(solution.value, Value::Total(best), "instance {instance}");
					assert_eq!(solution.bound, Some(best), "instance {instance}");
				}
				None => {
					assert_eq!(solution.value, Value::Incomplete, "instance {instance}");
					assert_eq!(solution.bound, None, "instance {instance}");
				}
			}
		}
	}
}

#[test]
fn same_input_same_output() {
	let mut rng = Rng(4);
	for _ in 0..200 {
		let market = random_market(&mut rng, 40, 5, 80, 60);
		let model = Model::market(&market).unwrap();
		assert_eq!(solve(&model, 2_000), solve(&model, 2_000));
	}
}

/// From every assignment of small markets, feasible or not: an infeasible start is refused with
/// the checker's reason; a feasible one is held with its profit and spare capacities, and the
/// answer from it is feasible, never worth less than the start, and its bound still holds; with
/// no budget it is the optimum.
#[test]
fn a_start_is_refused_when_infeasible_and_never_lost() {
	let mut rng = Rng(12);
	let (mut refused, mut kept, mut improved) = (0, 0, 0);
	for instance in 0..300 {
		let market = random_sized_market(&mut rng, 5, 3);
		let model = Model::market(&market).unwrap();
		let optimum = brute_force(&model.problem);
		let (n, m) = (market.requests.len(), market.capacities.len());
		for start in all_assignments(n, m).chain([vec![None; n + 1]]) {
			let budget = if rng.chance(10) { u64::MAX } else { 1 };
			let answer = solve_from_until(&model, &start, budget, &mut |_| false);
			let profit = match check::score(&model.problem, &start) {
				Err(reason) => {
					assert_eq!(answer, Err(reason), "instance {instance}: {start:?}");
					refused += 1;
					continue;
				}
				Ok(profit) => profit,
			};
			// The start as the search holds it: its profit and each provider's spare capacity.
			let held = Solution::of(&model.problem, &start).unwrap();
			let mut spare: Vec<u64> = market.capacities.clone();
			for (i, j) in start.iter().enumerate() {
				if let Some(j) = j {
					spare[*j as usize] -= market.requests[i];
				}
			}
			assert_eq!((held.profit, &held.residual), (profit, &spare));
			let outcome = answer.unwrap().outcome;
			assert_eq!(check::score(&model.problem, &outcome.assignment), Ok(outcome.profit));
			assert!(outcome.profit >= profit, "instance {instance}: {start:?} lost");
			assert!(outcome.bound >= optimum, "instance {instance}: {start:?}");
			if budget == u64::MAX {
				assert_eq!(outcome.profit, optimum, "instance {instance}: {start:?}");
			}
			kept += u32::from(outcome.profit == profit);
			improved += u32::from(outcome.profit > profit);
		}
	}
	assert!(refused > 0 && kept > 0 && improved > 0, "{refused} {kept} {improved}");
}

#[test]
fn a_budget_limited_answer_is_feasible_and_its_bound_holds() {
	let mut rng = Rng(5);
	let mut proven_when_stopped = 0;
	for instance in 0..300 {
		let n = rng.range(5, 8) as usize;
		let m = rng.range(2, 3) as usize;
		let problem = random_problem(&mut rng, n, m);
		let optimum = brute_force(&problem);
		for budget in [1, 2, 5, 20] {
			let outcome =
				gridshard_solver::search::solve(&problem, &Guide::General, budget, &mut |_| false);
			assert_eq!(check::score(&problem, &outcome.assignment), Ok(outcome.profit));
			assert!(outcome.profit <= optimum);
			assert!(outcome.bound >= optimum, "instance {instance} budget {budget}");
			assert!(outcome.nodes <= budget);
			// Stopped by the budget, the answer is still proven where the bound reaches it.
			assert_eq!(outcome.optimal, outcome.bound == outcome.profit, "instance {instance}");
			proven_when_stopped += (outcome.optimal && outcome.nodes == budget) as u32;
		}
	}
	assert!(proven_when_stopped > 0, "no stopped search had its answer proven");
}

#[test]
fn filling_and_exchanges_stay_feasible_and_never_serve_less() {
	let mut rng = Rng(5);
	for instance in 0..INSTANCES {
		let market = random_sized_market(&mut rng, 12, 4);
		let problem = Model::market(&market).unwrap().problem;
		let order: Vec<usize> = (0..market.requests.len()).collect();
		let mut solution = heuristic::greedy(&problem, &order, |_, p| p.profit as i128);
		let served = |s: &heuristic::Solution| -> u64 {
			problem.capacities().iter().zip(&s.residual).map(|(c, r)| c - r).sum()
		};
		let before = served(&solution);
		heuristic::fill(&problem, &mut solution, |p| p.profit as i128);
		assert_eq!(
			check::score(&problem, &solution.assignment),
			Ok(solution.profit),
			"instance {instance}"
		);
		assert!(served(&solution) >= before, "instance {instance}: the fill served less");
		let mut exchanged = solution.clone();
		heuristic::exchange(&problem, &mut exchanged, |p| p.profit as i128);
		assert_eq!(check::score(&problem, &exchanged.assignment), Ok(exchanged.profit));
		assert!(
			served(&exchanged) >= served(&solution),
			"instance {instance}: exchange served less"
		);
		assert!(exchanged.profit >= solution.profit, "instance {instance}: exchange lost profit");
		let mut forced = solution.clone();
		heuristic::fill_forcing(&problem, &mut forced, |p| p.profit as i128);
		assert_eq!(check::score(&problem, &forced.assignment), Ok(forced.profit));
		assert!(forced.profit >= solution.profit, "instance {instance}: forcing lost profit");
	}
}

/// A neighbourhood search, run on an answer in place: whether it found a better one.
type Neighbourhood<'a> = &'a dyn Fn(&mut Solution) -> bool;

#[test]
fn neighbourhoods_stay_feasible_never_lose_and_stay_below_the_optimum() {
	let mut rng = Rng(6);
	// Answers improved by sets of agents, and by the relaxation-induced neighbourhood.
	let (mut by_sets, mut by_relaxation) = (0, 0);
	for instance in 0..600 {
		let (problem, guide) = if instance % 2 == 0 {
			let n = rng.range(1, 6) as usize;
			let m = rng.range(4, 5) as usize;
			(random_problem(&mut rng, n, m), Guide::General)
		} else {
			let n = rng.range(1, 6) as usize;
			let m = rng.range(4, 5) as usize;
			let tightness = rng.range(30, 130);
			let model = Model::market(&random_market(&mut rng, n, m, tightness, 70)).unwrap();
			(model.problem.clone(), model.guide())
		};
		let order: Vec<usize> = (0..problem.items()).rev().collect();
		let before = heuristic::greedy(&problem, &order, |_, p| p.profit as i128);
		let lambda = lagrangian::optimise(&problem, &guide, before.profit, |_, _| None).lambda;
		let sets = |s: &mut Solution| neighbourhood::improve(&problem, &guide, s, &mut |_| false);
		let relaxation =
			|s: &mut Solution| neighbourhood::relaxation_induced(&problem, &guide, s, &lambda);
		let neighbourhoods: [(Neighbourhood, &mut u32); 2] =
			[(&sets, &mut by_sets), (&relaxation, &mut by_relaxation)];
		for (neighbourhood, improved) in neighbourhoods {
			let mut after = before.clone();
			*improved += neighbourhood(&mut after) as u32;
			assert_eq!(check::score(&problem, &after.assignment), Ok(after.profit), "{instance}");
			let residual: Vec<u64> = (0..problem.agents())
				.map(|j| {
					let on_j =
						(0..problem.items()).filter(|i| after.assignment[*i] == Some(j as u32));
					problem.capacities()[j]
						- on_j.map(|i| problem.pair(i, j as u32).unwrap().load).sum::<u64>()
				})
				.collect();
			assert_eq!(after.residual, residual, "instance {instance}");
			assert!(after.profit >= before.profit, "instance {instance}");
			assert!(after.profit <= brute_force(&problem), "instance {instance}");
			let mut again = before.clone();
			neighbourhood(&mut again);
			assert_eq!(again, after, "instance {instance}");
		}
	}
	assert!(by_sets > 0, "no set of agents improved a reversed greedy answer");
	assert!(by_relaxation > 0, "no relaxation-induced neighbourhood improved one");
	println!("of 600 reversed greedy answers, {by_sets} improved by sets of agents, {by_relaxation} by the relaxation");
}
