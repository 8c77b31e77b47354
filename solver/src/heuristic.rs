//! The first incumbent: a greedy construction and a local improvement.
//!
//! **Construction** ([`greedy`]): items in a given order, each to the agent with the highest key
//! among those with room left. With the keys the reduced profits of a Lagrangian price vector
//! this is the Lagrangian heuristic: it repairs the relaxed solution into a feasible one, and
//! improves as the prices do.
//!
//! **Improvement** ([`improve`]): first-improvement local search until no move helps (at most
//! [`MAX_PASSES`] passes): put an unassigned item where it fits, move an item to an agent where
//! it is worth more and fits, replace an assigned item by a more profitable unassigned one that
//! fits in its place, or swap two items between their agents when both fit and the total rises.

use crate::problem::{Assignment, Pair, Problem};
use alloc::{vec, vec::Vec};

/// Passes of the improvement step, at most.
pub const MAX_PASSES: usize = 8;

/// Problems with at most this many items also try swaps (quadratic in the items).
pub const SWAP_LIMIT: usize = 400;

/// An assignment with its agents' spare capacity and its profit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
	/// The agent of each item.
	pub assignment: Assignment,
	/// Each agent's spare capacity.
	pub residual: Vec<u64>,
	/// The internal profit.
	pub profit: u128,
}

impl Solution {
	/// Nothing assigned.
	pub fn empty(problem: &Problem) -> Self {
		Self {
			assignment: vec![None; problem.items()],
			residual: problem.capacities().to_vec(),
			profit: 0,
		}
	}

	fn pair<'a>(&self, problem: &'a Problem, item: usize) -> Option<&'a Pair> {
		self.assignment[item].and_then(|agent| problem.pair(item, agent))
	}

	/// Assigns `item` through `pair` (which must fit).
	pub(crate) fn put(&mut self, item: usize, pair: &Pair) {
		self.assignment[item] = Some(pair.agent);
		self.residual[pair.agent as usize] -= pair.load;
		self.profit += pair.profit;
	}

	/// Takes `item` off the agent of `pair`, through which it is assigned.
	pub(crate) fn take(&mut self, item: usize, pair: &Pair) {
		self.assignment[item] = None;
		self.residual[pair.agent as usize] += pair.load;
		self.profit -= pair.profit;
	}
}

/// Assigns the items in `order`, each to the agent with room and the highest `key`, breaking
/// ties by the lower agent index.
pub fn greedy(problem: &Problem, order: &[usize], key: impl Fn(usize, &Pair) -> i128) -> Solution {
	let mut solution = Solution::empty(problem);
	for &item in order {
		let best = problem
			.pairs_of(item)
			.iter()
			.filter(|p| p.load <= solution.residual[p.agent as usize])
			.max_by(|a, b| key(item, a).cmp(&key(item, b)).then(b.agent.cmp(&a.agent)));
		if let Some(pair) = best {
			solution.put(item, pair);
		}
	}
	solution
}

/// Improves `solution` by local search (see the module docs).
pub fn improve(problem: &Problem, solution: &mut Solution) {
	for _ in 0..MAX_PASSES {
		let mut improved = false;
		for item in 0..problem.items() {
			let current = solution.pair(problem, item).copied();
			let gain_floor = current.map_or(0, |p| p.profit);
			let best = problem
				.pairs_of(item)
				.iter()
				.filter(|p| p.profit > gain_floor)
				.filter(|p| {
					let mut room = solution.residual[p.agent as usize];
					if current.is_some_and(|c| c.agent == p.agent) {
						room += current.map_or(0, |c| c.load);
					}
					p.load <= room
				})
				.max_by(|a, b| a.profit.cmp(&b.profit).then(b.agent.cmp(&a.agent)))
				.copied();
			if let Some(pair) = best {
				if let Some(current) = current {
					solution.take(item, &current);
				}
				solution.put(item, &pair);
				improved = true;
			}
		}
		if problem.items() <= SWAP_LIMIT {
			improved |= replace_pass(problem, solution);
			improved |= swap_pass(problem, solution);
		}
		if !improved {
			break;
		}
	}
}

/// One pass of replacements: an assigned item makes room for an unassigned one that is worth
/// more on the same agent and fits once the first has left.
fn replace_pass(problem: &Problem, solution: &mut Solution) -> bool {
	let mut improved = false;
	for out in 0..problem.items() {
		let Some(current) = solution.pair(problem, out).copied() else { continue };
		let room = solution.residual[current.agent as usize] + current.load;
		let best = (0..problem.items())
			.filter(|k| solution.assignment[*k].is_none())
			.filter_map(|k| problem.pair(k, current.agent).map(|p| (k, *p)))
			.filter(|(_, p)| p.profit > current.profit && p.load <= room)
			.max_by(|(a, pa), (b, pb)| pa.profit.cmp(&pb.profit).then(b.cmp(a)));
		if let Some((incoming, pair)) = best {
			solution.take(out, &current);
			solution.put(incoming, &pair);
			improved = true;
		}
	}
	improved
}

/// One pass of swaps between pairs of assigned items on different agents.
fn swap_pass(problem: &Problem, solution: &mut Solution) -> bool {
	let mut improved = false;
	for i in 0..problem.items() {
		for k in i + 1..problem.items() {
			let (Some(pi), Some(pk)) =
				(solution.pair(problem, i).copied(), solution.pair(problem, k).copied())
			else {
				continue;
			};
			if pi.agent == pk.agent {
				continue;
			}
			let (Some(ni), Some(nk)) = (problem.pair(i, pk.agent), problem.pair(k, pi.agent))
			else {
				continue;
			};
			if ni.profit + nk.profit <= pi.profit + pk.profit {
				continue;
			}
			let room_j = solution.residual[pi.agent as usize] + pi.load;
			let room_l = solution.residual[pk.agent as usize] + pk.load;
			if nk.load <= room_j && ni.load <= room_l {
				let (ni, nk) = (*ni, *nk);
				solution.take(i, &pi);
				solution.take(k, &pk);
				solution.put(i, &ni);
				solution.put(k, &nk);
				improved = true;
			}
		}
	}
	improved
}
