//! Restarted fillings, for a market still short of its energy bound after the other
//! heuristics.
//!
//! Serving the most energy is a multiple subset-sum problem: where the capacities are nearly
//! all the demand can use, every provider must be filled to the Wh and exactly the right
//! requests left out (on some markets a single subset of requests has the sum the bound leaves
//! out). Moves of one or two requests, or one provider re-filled at a time
//! ([`heuristic::fill`](crate::heuristic::fill)), get stuck short of it there (by how much: the
//! solver's README).
//! Filling from nothing instead, the agents one at a time in a random order, each to the
//! fullest subset sum of the free items it can take, and restarting with new orders, explores
//! far more of the packings: some restart leaves the right items for the last agents.
//!
//! The orders come from [`SplitMix`] with a fixed seed, so the same problem gives the same
//! fillings on every machine, and the work is capped ([`RESTART_WORK`]) whatever the problem's
//! size.

use crate::{
	generate::SplitMix,
	heuristic::{Solution, FILL_CANDIDATES, FILL_WORDS},
	problem::{Pair, Problem},
	subset_sum::SubsetSums,
};
use alloc::{vec, vec::Vec};

/// Fillings from nothing, at most.
pub const RESTARTS: usize = 1024;

/// The restarts stop after this many in a row bring no better filling (fuller, or as full with
/// more profit).
pub const PATIENCE: usize = 512;

/// The restarts' subset-sum tables together fill at most this many 64-bit words; fewer
/// restarts run where one takes more.
pub const RESTART_WORK: u64 = 1 << 28;

/// The seed of the orders.
const SEED: u64 = 0x6772_6964_7368_6172;

/// The fullest of at most [`restart_budget`] fillings from nothing (by profit: on a market,
/// energy first), stopping at the first for which `enough` holds (given its profit), or after
/// [`PATIENCE`] in a row that are no fuller than the best. In each, the agents in a random order
/// take, each in turn, the fullest subset (by load) of at most [`FILL_CANDIDATES`] free items
/// that fit it, those fewest later agents can take first and at random among equals (an agent
/// whose table would exceed [`FILL_WORDS`] takes nothing). `None` if the budget is nil.
///
/// For a market the load is the energy, so this maximises energy; the weight is left to the
/// local search and exchanges that follow.
pub fn fullest_filling(problem: &Problem, enough: impl Fn(u128) -> bool) -> Option<Solution> {
	let by_agent = problem.fitting_pairs_by_agent();
	let restarts = budget(problem, &by_agent);

	let mut rng = SplitMix(SEED);
	let mut agents: Vec<usize> = (0..problem.agents()).collect();
	let mut turn = vec![0usize; problem.agents()];
	let mut best: Option<Solution> = None;
	let mut since_better = 0;
	for _ in 0..restarts {
		if since_better == PATIENCE {
			break;
		}
		since_better += 1;
		shuffle(&mut agents, &mut rng);
		for (k, agent) in agents.iter().enumerate() {
			turn[*agent] = k;
		}
		let mut solution = Solution::empty(problem);
		for (k, &agent) in agents.iter().enumerate() {
			let capacity = problem.capacities()[agent];
			let mut free: Vec<(usize, Pair)> = by_agent[agent]
				.iter()
				.filter(|(i, _)| solution.assignment[*i].is_none())
				.copied()
				.collect();
			shuffle(&mut free, &mut rng);
			// The items fewest of the agents still to come can take, first (stable: at random
			// among equals): the reconstruction keeps the earliest items it can.
			let later = |item: usize| {
				let fits = |p: &&Pair| p.load <= problem.capacities()[p.agent as usize];
				problem
					.pairs_of(item)
					.iter()
					.filter(fits)
					.filter(|p| turn[p.agent as usize] > k)
					.count()
			};
			free.sort_by_cached_key(|(item, _)| later(*item));
			free.truncate(FILL_CANDIDATES);
			let loads: Vec<u64> = free.iter().map(|(_, p)| p.load).collect();
			let Some(sums) = SubsetSums::new(&loads, capacity, FILL_WORDS) else { continue };
			let Some(fullest) = sums.fullest(capacity) else { continue };
			for (used, (item, pair)) in sums.chosen(fullest).iter().zip(&free) {
				if *used {
					solution.put(*item, pair);
				}
			}
		}
		if best.as_ref().is_none_or(|b| solution.profit > b.profit) {
			let done = enough(solution.profit);
			best = Some(solution);
			since_better = 0;
			if done {
				break;
			}
		}
	}
	best
}

/// How many fillings [`fullest_filling`] tries at most: [`RESTARTS`], or fewer where their
/// subset-sum tables would exceed [`RESTART_WORK`] words (each agent's: one layer per candidate
/// and one more, each a bit per unit of capacity).
pub fn restart_budget(problem: &Problem) -> usize {
	budget(problem, &problem.fitting_pairs_by_agent())
}

/// [`restart_budget`], given each agent's fitting pairs.
fn budget(problem: &Problem, by_agent: &[Vec<(usize, Pair)>]) -> usize {
	let per_restart: u64 = by_agent
		.iter()
		.zip(problem.capacities())
		.map(|(pairs, capacity)| {
			let layers = pairs.len().min(FILL_CANDIDATES) as u64 + 1;
			layers.saturating_mul(capacity / 64 + 1)
		})
		.fold(0, u64::saturating_add);
	RESTARTS.min((RESTART_WORK / per_restart.max(1)) as usize)
}

/// Fisher-Yates with `rng`.
fn shuffle<T>(items: &mut [T], rng: &mut SplitMix) {
	for k in (1..items.len()).rev() {
		items.swap(k, rng.range(0, k as u64) as usize);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{check, generate, objective::Model, Value};

	/// The one 50x5 benchmark market short of energy (capacity 570 205 Wh, and only one subset
	/// of requests has the sum that must be left out for every provider to be full).
	fn short_market() -> Model {
		Model::market(&generate::market(50_135, 50, 5, 130, 60)).expect("a valid market")
	}

	fn energy(model: &Model, solution: &Solution) -> u128 {
		match model.value(solution.profit) {
			Value::Market { energy, .. } => energy,
			other => panic!("a market has a market value, not {other:?}"),
		}
	}

	#[test]
	fn fillings_are_feasible_and_deterministic() {
		let model = short_market();
		let problem = &model.problem;
		let first = fullest_filling(problem, |_| false).expect("the tables fit");
		let again = fullest_filling(problem, |_| false).expect("the tables fit");
		assert_eq!(first, again);
		assert_eq!(check::score(problem, &first.assignment), Ok(first.profit));
	}

	#[test]
	fn larger_markets_get_fewer_restarts_within_the_same_work() {
		let small = short_market();
		let large = Model::market(&generate::market(1_000_120, 1000, 50, 70, 60)).unwrap();
		// Counted outside the solver (Python, from the generator): the 50x5 market's tables
		// take 277 536 words a restart, the 1000x50 one's 7 815 080.
		assert_eq!(restart_budget(&small.problem), 967);
		assert_eq!(restart_budget(&large.problem), 34);
	}

	#[test]
	fn restarts_serve_more_than_one_filling_and_more_than_cbc_in_two_seconds() {
		let model = short_market();
		let problem = &model.problem;
		// Enough at once: the first filling only.
		let one = fullest_filling(problem, |_| true).expect("the tables fit");
		let all = fullest_filling(problem, |_| false).expect("the tables fit");
		assert!(energy(&model, &all) > energy(&model, &one));
		// CBC 2.10.8 has 569 912 Wh after 2 s; the energy bound (maximum flow) is 570 205 Wh.
		assert!(energy(&model, &all) > 569_912);
		assert!(energy(&model, &all) <= 570_205);
	}
}
