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
//!
//! **Filling** ([`fill`], markets only): where the load is the energy, an agent left with spare
//! capacity may still be filled to the Wh by another subset of its items and the unassigned
//! ones, a subset-sum problem that local moves of one or two items rarely solve. A bitset
//! dynamic programme over the agent's capacity finds the fullest subset; on a market short of
//! capacity this is what reaches the energy bound, after which the bound proves the energy and
//! only the weight is left to search.

use crate::problem::{Assignment, Pair, Problem};
use alloc::{vec, vec::Vec};

/// Unassigned candidates a fill considers for one agent, at most (the most profitable).
pub const FILL_CANDIDATES: usize = 64;

/// The largest table a fill builds for one agent, in 64-bit words (candidates times capacity
/// in bits): 2^19 words, 4 MiB. An agent whose table would be larger is not filled.
pub const FILL_WORDS: usize = 1 << 19;

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
	local_search(problem, solution, problem.items() <= SWAP_LIMIT);
}

/// Improves `solution` by the moves of [`improve`] except swaps, which are quadratic in the
/// items: for the many repairs of the Lagrangian heuristic.
pub fn improve_quickly(problem: &Problem, solution: &mut Solution) {
	local_search(problem, solution, false);
}

fn local_search(problem: &Problem, solution: &mut Solution, swaps: bool) {
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
		improved |= replace_pass(problem, solution);
		if swaps {
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
	let mut unassigned: Vec<usize> =
		(0..problem.items()).filter(|k| solution.assignment[*k].is_none()).collect();
	for out in 0..problem.items() {
		let Some(current) = solution.pair(problem, out).copied() else { continue };
		let room = solution.residual[current.agent as usize] + current.load;
		let best = unassigned
			.iter()
			.enumerate()
			.filter_map(|(slot, k)| problem.pair(*k, current.agent).map(|p| (slot, *k, *p)))
			.filter(|(_, _, p)| p.profit > current.profit && p.load <= room)
			.max_by(|(_, a, pa), (_, b, pb)| pa.profit.cmp(&pb.profit).then(b.cmp(a)));
		if let Some((slot, incoming, pair)) = best {
			solution.take(out, &current);
			solution.put(incoming, &pair);
			unassigned[slot] = out;
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

/// Fills agents with spare capacity as full as a subset of their own items and the unassigned
/// ones allows (see the module docs), agents with the most spare capacity first; profit may
/// fall, load never does. For problems whose load is what the objective values first (markets).
///
/// Per agent: its items first, then up to [`FILL_CANDIDATES`] unassigned ones by decreasing
/// profit; layer `k` of the table is the set of sums the first `k` candidates reach, so the
/// reconstruction from the fullest sum keeps the earliest candidates it can: the agent's own
/// items, then the most profitable.
pub fn fill(problem: &Problem, solution: &mut Solution) {
	let mut agents: Vec<usize> =
		(0..problem.agents()).filter(|j| solution.residual[*j] > 0).collect();
	agents.sort_by(|a, b| solution.residual[*b].cmp(&solution.residual[*a]).then(a.cmp(b)));
	for agent in agents {
		fill_agent(problem, solution, agent);
	}
}

fn fill_agent(problem: &Problem, solution: &mut Solution, agent: usize) {
	let capacity = problem.capacities()[agent];
	let on_agent = |item: usize| problem.pair(item, agent as u32).copied();
	let mut candidates: Vec<(usize, Pair)> = (0..problem.items())
		.filter(|i| solution.assignment[*i] == Some(agent as u32))
		.filter_map(|i| on_agent(i).map(|p| (i, p)))
		.collect();
	let own = candidates.len();
	let mut free: Vec<(usize, Pair)> = (0..problem.items())
		.filter(|i| solution.assignment[*i].is_none())
		.filter_map(|i| on_agent(i).map(|p| (i, p)))
		.filter(|(_, p)| p.load <= capacity)
		.collect();
	free.sort_by(|(a, pa), (b, pb)| pb.profit.cmp(&pa.profit).then(a.cmp(b)));
	free.truncate(FILL_CANDIDATES);
	candidates.extend(free);

	let words = capacity as usize / 64 + 1;
	let layers = candidates.len() + 1;
	if layers.saturating_mul(words) > FILL_WORDS {
		return;
	}
	let mut table = vec![0u64; layers * words];
	table[0] = 1;
	let top_mask = if capacity % 64 == 63 { u64::MAX } else { (1u64 << (capacity % 64 + 1)) - 1 };
	for (k, (_, pair)) in candidates.iter().enumerate() {
		let (before, after) = table.split_at_mut((k + 1) * words);
		let (prev, next) = (&before[k * words..], &mut after[..words]);
		let (shift_words, shift_bits) = ((pair.load / 64) as usize, (pair.load % 64) as u32);
		for w in 0..words {
			let mut shifted = 0;
			if w >= shift_words {
				shifted = prev[w - shift_words] << shift_bits;
				if shift_bits > 0 && w > shift_words {
					shifted |= prev[w - shift_words - 1] >> (64 - shift_bits);
				}
			}
			next[w] = prev[w] | shifted;
		}
		next[words - 1] &= top_mask;
	}
	let reached =
		|layer: usize, sum: u64| table[layer * words + (sum / 64) as usize] >> (sum % 64) & 1 == 1;
	let current = capacity - solution.residual[agent];
	let Some(fullest) = (current + 1..=capacity).rev().find(|s| reached(layers - 1, *s)) else {
		return;
	};
	let mut used = vec![false; candidates.len()];
	let mut sum = fullest;
	for k in (0..candidates.len()).rev() {
		if !reached(k, sum) {
			used[k] = true;
			sum -= candidates[k].1.load;
		}
	}
	for (k, (item, pair)) in candidates.iter().enumerate() {
		match (k < own, used[k]) {
			(true, false) => solution.take(*item, pair),
			(false, true) => solution.put(*item, pair),
			_ => {}
		}
	}
}
