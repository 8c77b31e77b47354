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
//! fits in its place, swap two items between their agents when both fit and the total rises, or
//! eject an item to another agent with room to let an unassigned one in.
//!
//! **Filling** ([`fill`], markets only): where the load is the energy, an agent left with spare
//! capacity may still be filled to the Wh by another subset of its items and the unassigned
//! ones, a subset-sum problem that local moves of one or two items rarely solve. A bitset
//! dynamic programme over the agent's capacity finds the fullest subset; on a market short of
//! capacity this is what reaches the energy bound, after which the bound proves the energy and
//! only the weight is left to search. **Exchanges** ([`exchange`]) then swap at most two of a
//! provider's requests for waiting ones of exactly the same energy and more weight.
//!
//! **Sequential knapsacks** ([`sequential_knapsacks`]): agents one at a time, smallest capacity
//! first, each packed optimally (a dynamic programme over its capacity) from the items still
//! free, valued at Lagrangian prices. On a market short of capacity this fills every provider to
//! the Wh *and* chooses among the many exact fillings by weight, which item-by-item moves cannot.
//! [`repack`] then re-solves each agent's knapsack over its own and the waiting items.

use crate::{
	check::{self, Infeasible},
	problem::{Assignment, Pair, Problem},
	subset_sum::SubsetSums,
};
use alloc::{vec, vec::Vec};

/// Unassigned candidates a fill considers for one agent, at most (the most profitable).
pub const FILL_CANDIDATES: usize = 64;

/// Trials of [`fill_forcing`], at most.
pub const FORCING_TRIALS: usize = 64;

/// Own items a fill considers dropping to make room (the least preferred), singly or in pairs.
pub const FILL_DROPS: usize = 8;

/// The largest table a fill builds for one agent, in 64-bit words (candidates times capacity
/// in bits): 2^19 words, 4 MiB. An agent whose table would be larger is not filled.
pub const FILL_WORDS: usize = 1 << 19;

/// Candidates [`sequential_knapsacks`] packs an agent from, at most (the best ranked).
pub const PACKING_CANDIDATES: usize = 32;

/// The dynamic programmes of [`sequential_knapsacks`] together take at most this many cells
/// (candidates times capacity); a problem needing more is left to the other heuristics.
pub const PACKING_CELLS: u64 = 1 << 26;

/// The largest capacity [`sequential_knapsacks`] packs: its table of best values then takes
/// at most 4 MiB, and its record of choices at most 1 MiB.
pub const PACKING_WIDTH: u64 = 1 << 18;

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

	/// A feasible `assignment` of `problem`, with its spare capacities and internal profit; why
	/// not where it is not feasible ([`check::score`]).
	pub fn of(problem: &Problem, assignment: &Assignment) -> Result<Self, Infeasible> {
		check::score(problem, assignment)?;
		let mut solution = Self::empty(problem);
		for (item, agent) in assignment.iter().enumerate() {
			if let Some(pair) = agent.and_then(|agent| problem.pair(item, agent)) {
				solution.put(item, pair);
			}
		}
		Ok(solution)
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
	greedy_onto(problem, &mut solution, order, key);
	solution
}

/// [`greedy`], adding the (unassigned) items in `order` to `solution`.
pub fn greedy_onto(
	problem: &Problem,
	solution: &mut Solution,
	order: &[usize],
	key: impl Fn(usize, &Pair) -> i128,
) {
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
}

/// Packs the agents one at a time, the smallest capacity first (ties by index): each takes the
/// subset of the still unassigned items that fits it with the highest total `value`, an exact
/// 0-1 knapsack solved by dynamic programming over its capacity, choosing among its
/// [`PACKING_CANDIDATES`] best items by `rank` (ties by index). The items left over go
/// greedily by profit, then the quick local search. `None` if a capacity reaches
/// [`PACKING_WIDTH`], or if within [`PACKING_CELLS`] cells an agent could consider fewer than
/// half the candidates.
pub fn sequential_knapsacks(
	problem: &Problem,
	value: impl Fn(usize, &Pair) -> i128,
	rank: impl Fn(usize, &Pair) -> i128,
) -> Option<Solution> {
	let per_agent = packing_cells_per_agent(problem)?;
	let by_agent = problem.fitting_pairs_by_agent();
	let mut agents: Vec<usize> = (0..problem.agents()).collect();
	agents.sort_by_key(|j| (problem.capacities()[*j], *j));
	let mut solution = Solution::empty(problem);
	let mut best = Vec::new();
	let mut taken = Vec::new();
	for j in agents {
		let capacity = problem.capacities()[j];
		let mut candidates: Vec<(usize, Pair, i128)> = by_agent[j]
			.iter()
			.filter(|(i, _)| solution.assignment[*i].is_none())
			.map(|(i, p)| (*i, *p, value(*i, p)))
			.filter(|(_, _, v)| *v > 0)
			.collect();
		candidates.sort_by(|(a, pa, _), (b, pb, _)| rank(*b, pb).cmp(&rank(*a, pa)).then(a.cmp(b)));
		let limit = (per_agent / (capacity + 1)) as usize;
		candidates.truncate(PACKING_CANDIDATES.min(limit));
		for (item, pair) in pack(&candidates, capacity, &mut best, &mut taken) {
			solution.put(item, &pair);
		}
	}
	complete(problem, &mut solution);
	Some(solution)
}

/// Completes a partial assignment: the unassigned items go greedily by profit, the most
/// profitable first ([`sort_by_top_profit`]), then the quick local search.
pub fn complete(problem: &Problem, solution: &mut Solution) {
	let mut rest: Vec<usize> =
		(0..problem.items()).filter(|i| solution.assignment[*i].is_none()).collect();
	sort_by_top_profit(problem, &mut rest);
	greedy_onto(problem, solution, &rest, |_, p| p.profit as i128);
	improve_quickly(problem, solution);
}

/// Re-packs each agent in turn (by index) from its own items and the waiting ones (the highest
/// `key` first, up to [`PACKING_CANDIDATES`] in all unless it holds more), optimally by the
/// dynamic programme of [`sequential_knapsacks`] at the items' true profits: the agent's
/// current items are among the candidates, so no agent ever loses profit. Returns whether
/// anything changed; does nothing where [`sequential_knapsacks`] would not run.
pub fn repack(problem: &Problem, solution: &mut Solution, key: impl Fn(&Pair) -> i128) -> bool {
	if packing_cells_per_agent(problem).is_none() {
		return false;
	}
	let (mut best, mut taken) = (Vec::new(), Vec::new());
	let mut changed = false;
	for agent in 0..problem.agents() {
		let capacity = problem.capacities()[agent];
		let own = items_on(problem, solution, agent);
		let room = PACKING_CANDIDATES.saturating_sub(own.len());
		let mut free = waiting(problem, solution, agent, &key);
		free.truncate(room);
		let candidates: Vec<(usize, Pair, i128)> =
			own.iter().chain(&free).map(|(i, p)| (*i, *p, p.profit as i128)).collect();
		let chosen = pack(&candidates, capacity, &mut best, &mut taken);
		let before: u128 = own.iter().map(|(_, p)| p.profit).sum();
		let after: u128 = chosen.iter().map(|(_, p)| p.profit).sum();
		if after > before {
			for (item, pair) in &own {
				solution.take(*item, pair);
			}
			for (item, pair) in &chosen {
				solution.put(*item, pair);
			}
			changed = true;
		}
	}
	changed
}

/// The cells each agent's programme may take in [`sequential_knapsacks`] and [`repack`], or
/// `None` where they do not run: a capacity reaches [`PACKING_WIDTH`], or an agent could
/// consider fewer than half of [`PACKING_CANDIDATES`] within [`PACKING_CELLS`].
fn packing_cells_per_agent(problem: &Problem) -> Option<u64> {
	let per_agent = PACKING_CELLS / problem.agents().max(1) as u64;
	let widest = problem.capacities().iter().max().copied().unwrap_or(0);
	let fits = widest < PACKING_WIDTH && per_agent / (widest + 1) >= PACKING_CANDIDATES as u64 / 2;
	fits.then_some(per_agent)
}

/// The most valuable subset of `candidates` (item, pair, value) within `capacity`: the 0-1
/// knapsack by dynamic programming, `best[c]` the highest value within load `c` and one bit per
/// candidate and load recording whether the candidate raised it (`taken`), read back from the
/// full capacity. `best` and `taken` are storage kept between calls.
fn pack(
	candidates: &[(usize, Pair, i128)],
	capacity: u64,
	best: &mut Vec<i128>,
	taken: &mut Vec<u64>,
) -> Vec<(usize, Pair)> {
	let width = capacity as usize + 1;
	let words = width.div_ceil(64);
	best.clear();
	best.resize(width, 0);
	taken.clear();
	taken.resize(words * candidates.len(), 0);
	for (k, (_, pair, value)) in candidates.iter().enumerate() {
		let load = pair.load as usize;
		let row = &mut taken[k * words..(k + 1) * words];
		for c in (load..width).rev() {
			let with = best[c - load].saturating_add(*value);
			if with > best[c] {
				best[c] = with;
				row[c / 64] |= 1 << (c % 64);
			}
		}
	}
	let mut chosen = Vec::new();
	let mut c = capacity as usize;
	for (k, (item, pair, _)) in candidates.iter().enumerate().rev() {
		if taken[k * words + c / 64] >> (c % 64) & 1 == 1 {
			chosen.push((*item, *pair));
			c -= pair.load as usize;
		}
	}
	chosen
}

/// Sorts `items` by their most profitable pair, highest first (ties by index): the greedy
/// order of a first incumbent.
pub fn sort_by_top_profit(problem: &Problem, items: &mut [usize]) {
	let top_profit = |i: usize| problem.pairs_of(i).iter().map(|p| p.profit).max().unwrap_or(0);
	items.sort_by(|a, b| top_profit(*b).cmp(&top_profit(*a)).then(a.cmp(b)));
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
			improved |= eject_pass(problem, solution);
		}
		if !improved {
			break;
		}
	}
}

/// One pass of replacements: an assigned item makes room for an unassigned one that is worth
/// more on the same agent and fits once the first has left.
fn replace_pass(problem: &Problem, solution: &mut Solution) -> bool {
	// For each agent, the unassigned items' pairs on it, most profitable first.
	let mut waiting: Vec<Vec<(usize, Pair)>> = vec![Vec::new(); problem.agents()];
	for item in (0..problem.items()).filter(|i| solution.assignment[*i].is_none()) {
		for pair in problem.pairs_of(item) {
			waiting[pair.agent as usize].push((item, *pair));
		}
	}
	for list in waiting.iter_mut() {
		list.sort_by(|(a, pa), (b, pb)| pb.profit.cmp(&pa.profit).then(a.cmp(b)));
	}
	let mut improved = false;
	for out in 0..problem.items() {
		let Some(current) = solution.pair(problem, out).copied() else { continue };
		let room = solution.residual[current.agent as usize] + current.load;
		let best = waiting[current.agent as usize]
			.iter()
			.take_while(|(_, p)| p.profit > current.profit)
			.find(|(k, p)| solution.assignment[*k].is_none() && p.load <= room)
			.copied();
		if let Some((incoming, pair)) = best {
			solution.take(out, &current);
			solution.put(incoming, &pair);
			improved = true;
		}
	}
	improved
}

/// One pass of ejections: an unassigned item enters an agent after one of the agent's items
/// moves to another agent with room, when the total rises (on a market: when the newcomer brings
/// energy, whatever weight the move costs).
fn eject_pass(problem: &Problem, solution: &mut Solution) -> bool {
	let mut improved = false;
	for incoming in 0..problem.items() {
		if solution.assignment[incoming].is_some() {
			continue;
		}
		// (gain, item moved, its pair now, its new pair, incoming pair)
		let mut best: Option<(u128, usize, Pair, Pair, Pair)> = None;
		for entry in problem.pairs_of(incoming) {
			let agent = entry.agent as usize;
			let Some(needed) = entry.load.checked_sub(solution.residual[agent]).filter(|n| *n > 0)
			else {
				continue;
			};
			for moved in 0..problem.items() {
				let Some(now) = solution.pair(problem, moved).copied() else { continue };
				if now.agent != entry.agent || now.load < needed {
					continue;
				}
				for to in problem.pairs_of(moved) {
					if to.agent == now.agent || to.load > solution.residual[to.agent as usize] {
						continue;
					}
					let Some(gain) = (entry.profit + to.profit).checked_sub(now.profit) else {
						continue;
					};
					if gain > 0 && best.is_none_or(|(g, ..)| gain > g) {
						best = Some((gain, moved, now, *to, *entry));
					}
				}
			}
		}
		if let Some((_, moved, now, to, entry)) = best {
			solution.take(moved, &now);
			solution.put(moved, &to);
			solution.put(incoming, &entry);
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
/// Per agent, the waiting candidates are up to [`FILL_CANDIDATES`] unassigned items by
/// decreasing `key` (the caller's preference: the Lagrangian heuristic passes reduced profits,
/// which weigh a market's weight against the capacity it takes). First a top-up: at most two of
/// the agent's least preferred items leave and waiting ones come in, the fullest subset sum;
/// if the agent is still not full, a reshuffle over all its items and the waiting ones. A
/// subset-sum table's layer `k` holds the sums the first `k` candidates reach, so the
/// reconstruction keeps the earliest candidates it can: the agent's own items, then the
/// preferred ones.
pub fn fill(problem: &Problem, solution: &mut Solution, key: impl Fn(&Pair) -> i128) {
	let mut agents: Vec<usize> =
		(0..problem.agents()).filter(|j| solution.residual[*j] > 0).collect();
	agents.sort_by(|a, b| solution.residual[*b].cmp(&solution.residual[*a]).then(a.cmp(b)));
	for agent in agents {
		fill_agent(problem, solution, agent, &key);
	}
}

/// Exchanges, on each agent, at most two of its least preferred items for waiting ones of the
/// same total load and a larger total `key`: the load served stays, the key grows. For a market
/// whose providers are full to the Wh, this is how the weight improves without losing energy.
/// Returns whether anything changed.
pub fn exchange(problem: &Problem, solution: &mut Solution, key: impl Fn(&Pair) -> i128) -> bool {
	let mut changed = false;
	for agent in 0..problem.agents() {
		changed |= top_up(problem, solution, agent, &key, true);
	}
	changed
}

fn fill_agent(
	problem: &Problem,
	solution: &mut Solution,
	agent: usize,
	key: &impl Fn(&Pair) -> i128,
) {
	top_up(problem, solution, agent, key, false);
	if solution.residual[agent] == 0 {
		return;
	}

	// Reshuffle: any subset of the agent's items and the free ones, the fullest.
	let free = waiting(problem, solution, agent, key);
	reshuffle(problem, solution, agent, problem.capacities()[agent], &free);
}

/// The items assigned to `agent`, with their pairs on it, by index.
fn items_on(problem: &Problem, solution: &Solution, agent: usize) -> Vec<(usize, Pair)> {
	(0..problem.items())
		.filter(|i| solution.assignment[*i] == Some(agent as u32))
		.filter_map(|i| problem.pair(i, agent as u32).map(|p| (i, *p)))
		.collect()
}

/// The unassigned items that fit `agent` when empty, by decreasing `key` (then index), at most
/// [`FILL_CANDIDATES`] of them.
fn waiting(
	problem: &Problem,
	solution: &Solution,
	agent: usize,
	key: &impl Fn(&Pair) -> i128,
) -> Vec<(usize, Pair)> {
	let capacity = problem.capacities()[agent];
	let mut free: Vec<(usize, Pair)> = (0..problem.items())
		.filter(|i| solution.assignment[*i].is_none())
		.filter_map(|i| problem.pair(i, agent as u32).map(|p| (i, *p)))
		.filter(|(_, p)| p.load <= capacity)
		.collect();
	free.sort_by(|(a, pa), (b, pb)| key(pb).cmp(&key(pa)).then(a.cmp(b)));
	free.truncate(FILL_CANDIDATES);
	free
}

/// Drops at most two of the agent's least preferred items and adds waiting ones: the most load
/// first, then the best change of key; with `exchange`, also a change of items at the same load
/// when the key grows. Returns whether anything changed.
fn top_up(
	problem: &Problem,
	solution: &mut Solution,
	agent: usize,
	key: &impl Fn(&Pair) -> i128,
	exchange: bool,
) -> bool {
	let mut own = items_on(problem, solution, agent);
	let free = waiting(problem, solution, agent, key);
	own.sort_by(|(a, pa), (b, pb)| key(pa).cmp(&key(pb)).then(a.cmp(b)));

	// Top up: drop at most two of the cheapest own items and add free ones, the most energy
	// first and then the best change of key.
	let residual = solution.residual[agent];
	let cheapest = &own[..own.len().min(FILL_DROPS)];
	let mut drops: Vec<Vec<usize>> = vec![Vec::new()];
	for a in 0..cheapest.len() {
		drops.push(vec![a]);
		for b in a + 1..cheapest.len() {
			drops.push(vec![a, b]);
		}
	}
	let dropped = |drop: &[usize]| drop.iter().map(|k| cheapest[*k].1.load).sum::<u64>();
	let reach = drops.iter().map(|d| residual + dropped(d)).max().unwrap_or(residual);
	let loads: Vec<u64> = free.iter().map(|(_, p)| p.load).collect();
	if let Some(sums) = SubsetSums::new(&loads, reach, FILL_WORDS) {
		let mut best: Option<(u64, i128, usize, u64)> = None;
		for (d, drop) in drops.iter().enumerate() {
			let out = dropped(drop);
			let Some(sum) = sums.fullest(residual + out) else { continue };
			let Some(gain) = sum.checked_sub(out) else { continue };
			let change =
				sums.chosen(sum)
					.iter()
					.zip(&free)
					.filter(|(used, _)| **used)
					.map(|(_, (_, p))| key(p))
					.sum::<i128>() - drop.iter().map(|k| key(&cheapest[*k].1)).sum::<i128>();
			let worth = gain > 0 || (exchange && !drop.is_empty() && change > 0);
			if worth && best.is_none_or(|(g, c, _, _)| (gain, change) > (g, c)) {
				best = Some((gain, change, d, sum));
			}
		}
		if let Some((_, _, d, sum)) = best {
			for k in &drops[d] {
				let (item, pair) = cheapest[*k];
				solution.take(item, &pair);
			}
			for (used, (item, pair)) in sums.chosen(sum).iter().zip(&free) {
				if *used {
					solution.put(*item, pair);
				}
			}
			return true;
		}
	}
	false
}

/// Replaces the items of `agent` by the fullest subset of them and `free` (unassigned items
/// with a pair on the agent) within `room`, keeping its own items where it can. With `room` at
/// least the agent's load, it does nothing unless the subset is fuller; with less, it cuts the
/// agent down to fit (forced insertions make room that way).
fn reshuffle(
	problem: &Problem,
	solution: &mut Solution,
	agent: usize,
	room: u64,
	free: &[(usize, Pair)],
) {
	let mut candidates = items_on(problem, solution, agent);
	let kept = candidates.len();
	candidates.extend(free.iter().filter(|(_, p)| p.load <= room));
	let loads: Vec<u64> = candidates.iter().map(|(_, p)| p.load).collect();
	let Some(sums) = SubsetSums::new(&loads, room, FILL_WORDS) else { return };
	let current = problem.capacities()[agent] - solution.residual[agent];
	let Some(fullest) = sums.fullest(room) else { return };
	if fullest <= current && room >= current {
		return;
	}
	for (k, (used, (item, pair))) in sums.chosen(fullest).iter().zip(&candidates).enumerate() {
		match (k < kept, used) {
			(true, false) => solution.take(*item, pair),
			(false, true) => solution.put(*item, pair),
			_ => {}
		}
	}
}

/// Tries, at most [`FORCING_TRIALS`] times, to serve an unassigned item on one of its agents by
/// reshuffling that agent around it and then filling every agent ([`fill`]); keeps a trial that
/// raises the profit. Largest items first. For a market still short of its energy bound after
/// [`fill`], where serving an item needs space freed on several agents at once.
pub fn fill_forcing(problem: &Problem, solution: &mut Solution, key: impl Fn(&Pair) -> i128) {
	let mut waiting: Vec<usize> =
		(0..problem.items()).filter(|i| solution.assignment[*i].is_none()).collect();
	let load = |i: usize| problem.pairs_of(i).first().map_or(0, |p| p.load);
	waiting.sort_by(|a, b| load(*b).cmp(&load(*a)).then(a.cmp(b)));
	let mut trials = 0;
	for item in waiting {
		for pair in problem.pairs_of(item) {
			if solution.assignment[item].is_some() || trials >= FORCING_TRIALS {
				return;
			}
			let agent = pair.agent as usize;
			let Some(room) = problem.capacities()[agent].checked_sub(pair.load) else { continue };
			trials += 1;
			let mut trial = solution.clone();
			let free: Vec<(usize, Pair)> = (0..problem.items())
				.filter(|i| *i != item && trial.assignment[*i].is_none())
				.filter_map(|i| problem.pair(i, pair.agent).map(|p| (i, *p)))
				.collect();
			// Empty the agent down to the reshuffled subset within `room`, then add the item.
			let own = items_on(problem, &trial, agent);
			reshuffle(problem, &mut trial, agent, room, &free);
			if trial.residual[agent] < pair.load {
				// The reshuffle kept more than `room` (nothing fuller within it): make room.
				for (i, p) in own.iter().rev() {
					if trial.residual[agent] >= pair.load {
						break;
					}
					if trial.assignment[*i] == Some(pair.agent) {
						trial.take(*i, p);
					}
				}
			}
			if trial.residual[agent] < pair.load {
				continue;
			}
			trial.put(item, pair);
			fill(problem, &mut trial, &key);
			if trial.profit > solution.profit {
				*solution = trial;
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		check,
		generate::SplitMix,
		knapsack::{tests::brute_force, Item},
	};

	#[test]
	fn sequential_knapsacks_fill_an_agent_that_local_moves_cannot() {
		// Agent 0 (10), items of 6, 5 and 5 worth their load: the greedy takes the 6 and no
		// single move improves it; the knapsack takes both 5s.
		let problem =
			Problem::new(vec![10], vec![vec![pair(0, 6)], vec![pair(0, 5)], vec![pair(0, 5)]])
				.unwrap();
		let mut greedy_first = greedy(&problem, &[0, 1, 2], |_, p| p.profit as i128);
		improve(&problem, &mut greedy_first);
		assert_eq!(greedy_first.profit, 60);
		let packed =
			sequential_knapsacks(&problem, |_, p| p.profit as i128, |_, p| p.profit as i128)
				.unwrap();
		assert_eq!(packed.assignment, vec![None, Some(0), Some(0)]);
		assert_eq!(packed.profit, 100);
	}

	#[test]
	fn sequential_knapsacks_and_repacking_are_feasible_and_pack_one_agent_optimally() {
		let mut rng = SplitMix(21);
		for round in 0..1_000 {
			let (n, m) = (rng.range(1, 9) as usize, rng.range(1, 3) as usize);
			let capacities: Vec<u64> = (0..m).map(|_| rng.range(0, 30)).collect();
			let mut pairs: Vec<Vec<Pair>> = vec![Vec::new(); n];
			for item in &mut pairs {
				for agent in 0..m as u32 {
					if rng.chance(70) {
						let load = rng.range(1, 12);
						item.push(Pair { agent, load, profit: rng.range(1, 40) as u128 });
					}
				}
			}
			let problem = Problem::new(capacities, pairs).unwrap();
			let solution = sequential_knapsacks(&problem, |_, p| p.profit as i128, |_, _| 0)
				.expect("small capacities fit the cell budget");
			assert_eq!(check::score(&problem, &solution.assignment), Ok(solution.profit));
			// Re-packing a greedy assignment keeps it feasible and never loses profit.
			let order: Vec<usize> = (0..n).collect();
			let mut repacked = greedy(&problem, &order, |_, p| p.load as i128);
			let before = repacked.profit;
			repack(&problem, &mut repacked, |p| p.profit as i128);
			assert_eq!(check::score(&problem, &repacked.assignment), Ok(repacked.profit));
			assert!(repacked.profit >= before, "round {round}: re-packing lost profit");
			if m == 1 {
				// One agent: the programme is the exact knapsack (local search cannot beat it).
				let items: Vec<Item> = (0..n)
					.filter_map(|i| problem.pairs_of(i).first())
					.map(|p| Item { profit: p.profit as i128, load: p.load, id: 0 })
					.collect();
				let optimum = brute_force(&items, problem.capacities()[0]);
				assert_eq!(solution.profit as i128, optimum, "round {round}");
			}
		}
	}

	fn pair(agent: u32, load: u64) -> Pair {
		Pair { agent, load, profit: load as u128 * 10 }
	}

	#[test]
	fn filling_drops_an_item_to_fill_exactly() {
		// Agent 0 (10) holds item 0 (7); items 1 and 2 (5 each) wait. Nothing fits the 3 left,
		// but without item 0 the two fill the agent exactly.
		let problem =
			Problem::new(vec![10], vec![vec![pair(0, 7)], vec![pair(0, 5)], vec![pair(0, 5)]])
				.unwrap();
		let mut solution = Solution::empty(&problem);
		solution.put(0, &problem.pairs_of(0)[0]);
		fill(&problem, &mut solution, |p| p.profit as i128);
		assert_eq!(solution.assignment, vec![None, Some(0), Some(0)]);
		assert_eq!(solution.residual[0], 0);
		assert_eq!(check::score(&problem, &solution.assignment), Ok(solution.profit));
	}

	#[test]
	fn filling_keeps_the_agents_items_and_takes_the_preferred_one() {
		// Agent 0 (9) holds item 0 (5); items 1 and 2 (4 each) wait, item 2 worth more.
		let more = Pair { agent: 0, load: 4, profit: 41 };
		let problem =
			Problem::new(vec![9], vec![vec![pair(0, 5)], vec![pair(0, 4)], vec![more]]).unwrap();
		let mut solution = Solution::empty(&problem);
		solution.put(0, &problem.pairs_of(0)[0]);
		fill(&problem, &mut solution, |p| p.profit as i128);
		assert_eq!(solution.assignment, vec![Some(0), None, Some(0)]);
		assert_eq!(solution.residual[0], 0);
	}

	#[test]
	fn local_search_ejects_an_item_to_let_a_bigger_one_in() {
		// Agent 0 (5) holds item 0 (3), agent 1 (3) is empty; item 1 (5) only fits agent 0
		// once item 0 moves to agent 1.
		let problem =
			Problem::new(vec![5, 3], vec![vec![pair(0, 3), pair(1, 3)], vec![pair(0, 5)]]).unwrap();
		let mut solution = Solution::empty(&problem);
		solution.put(0, &problem.pairs_of(0)[0]);
		improve(&problem, &mut solution);
		assert_eq!(solution.assignment, vec![Some(1), Some(0)]);
		assert_eq!(solution.profit, 80);
	}
}
