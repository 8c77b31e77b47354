//! The energy bound of a market: the most energy that could be served if requests could be
//! split between providers, a maximum flow.
//!
//! The network has a source, one node per request (supplied with its energy `R_i`), one node per
//! provider (draining at most its capacity `b_j` into the sink), and an arc of unbounded capacity
//! for each allowed pair. Its maximum flow is the linear relaxation's most energy, `E_LP`; no
//! assignment serves more. A minimum cut tells the prices of the energy objective: a provider on
//! the source side of the cut is a bottleneck whose every Wh is worth a Wh served (`α_j = 1`),
//! one on the sink side has room to spare (`α_j = 0`). Pricing capacity at `α_j` makes the
//! Lagrangian bound's energy part exactly `E_LP` (the cut's value), which is where
//! [`crate::lagrangian`] starts its search for the weight prices.
//!
//! Dinic's algorithm, iterative (no recursion), integer capacities: `O(V^2 E)` in the worst
//! case and far less on these unit-depth networks; memory `O(V + E)`.

use crate::problem::Problem;
use alloc::{vec, vec::Vec};

/// The maximum flow's value and the minimum cut's bottleneck providers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnergyCut {
	/// The most energy the linear relaxation serves (Wh).
	pub energy: u128,
	/// For each provider, whether it is on the source side of the minimum cut (a bottleneck).
	pub bottleneck: Vec<bool>,
}

/// An arc of the residual network; arcs come in pairs `(2k, 2k + 1)`, each the other's reverse.
struct Arc {
	to: usize,
	room: u64,
}

struct Network {
	arcs: Vec<Arc>,
	/// For each node, its arcs' indices.
	out: Vec<Vec<usize>>,
	level: Vec<u32>,
	next_arc: Vec<usize>,
}

const UNREACHED: u32 = u32::MAX;

impl Network {
	fn new(nodes: usize) -> Self {
		Self {
			arcs: Vec::new(),
			out: vec![Vec::new(); nodes],
			level: vec![UNREACHED; nodes],
			next_arc: vec![0; nodes],
		}
	}

	fn add(&mut self, from: usize, to: usize, room: u64) {
		self.out[from].push(self.arcs.len());
		self.arcs.push(Arc { to, room });
		self.out[to].push(self.arcs.len());
		self.arcs.push(Arc { to: from, room: 0 });
	}

	/// Breadth-first levels from `source` over arcs with room; whether `sink` is reached.
	fn levels(&mut self, source: usize, sink: usize) -> bool {
		self.level.iter_mut().for_each(|l| *l = UNREACHED);
		self.level[source] = 0;
		let mut queue = vec![source];
		let mut head = 0;
		while let Some(&node) = queue.get(head) {
			head += 1;
			for &arc in &self.out[node] {
				let Arc { to, room } = self.arcs[arc];
				if room > 0 && self.level[to] == UNREACHED {
					self.level[to] = self.level[node] + 1;
					queue.push(to);
				}
			}
		}
		self.level[sink] != UNREACHED
	}

	/// Pushes a blocking flow along level-increasing arcs; returns its value.
	fn blocking_flow(&mut self, source: usize, sink: usize) -> u128 {
		self.next_arc.iter_mut().for_each(|a| *a = 0);
		let mut total = 0u128;
		let mut path: Vec<usize> = Vec::new();
		let mut node = source;
		loop {
			if node == sink {
				let push = path.iter().map(|a| self.arcs[*a].room).min().unwrap_or(0);
				for &arc in &path {
					self.arcs[arc].room -= push;
					self.arcs[arc ^ 1].room += push;
				}
				total += push as u128;
				path.clear();
				node = source;
				continue;
			}
			let advance = self.out[node][self.next_arc[node]..].iter().position(|&arc| {
				let Arc { to, room } = self.arcs[arc];
				room > 0 && self.level[to] == self.level[node].wrapping_add(1)
			});
			match advance {
				Some(offset) => {
					self.next_arc[node] += offset;
					let arc = self.out[node][self.next_arc[node]];
					path.push(arc);
					node = self.arcs[arc].to;
				}
				None => {
					// A dead end: nothing more passes through this node in this phase.
					self.next_arc[node] = self.out[node].len();
					let Some(arc) = path.pop() else { return total };
					node = self.arcs[arc ^ 1].to;
					self.next_arc[node] += 1;
				}
			}
		}
	}
}

/// The maximum flow of `problem` read as a market: each item's load (the same on every agent,
/// as in a market; the first pair's is taken) is its energy.
pub fn energy_bound(problem: &Problem) -> EnergyCut {
	let (n, m) = (problem.items(), problem.agents());
	let (source, sink) = (0, n + m + 1);
	let agent = |j: usize| 1 + n + j;
	let mut network = Network::new(n + m + 2);
	for item in 0..n {
		let pairs = problem.pairs_of(item);
		let Some(first) = pairs.first() else { continue };
		network.add(source, 1 + item, first.load);
		for pair in pairs {
			network.add(1 + item, agent(pair.agent as usize), u64::MAX);
		}
	}
	for (j, capacity) in problem.capacities().iter().enumerate() {
		network.add(agent(j), sink, *capacity);
	}
	let mut energy = 0u128;
	while network.levels(source, sink) {
		energy += network.blocking_flow(source, sink);
	}
	// After the last phase, `level` marks what the source still reaches: the source side.
	let bottleneck = (0..m).map(|j| network.level[agent(j)] != UNREACHED).collect();
	EnergyCut { energy, bottleneck }
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::problem::Pair;

	fn pair(agent: u32, load: u64) -> Pair {
		Pair { agent, load, profit: 1 }
	}

	#[test]
	fn splits_requests_across_providers() {
		// Requests 6 and 5 Wh; provider 0 (4 Wh) takes both, provider 1 (4 Wh) only the first.
		let problem =
			Problem::new(vec![4, 4], vec![vec![pair(0, 6), pair(1, 6)], vec![pair(0, 5)]]).unwrap();
		let cut = energy_bound(&problem);
		assert_eq!(cut.energy, 8);
		assert_eq!(cut.bottleneck, vec![true, true]);
	}

	#[test]
	fn a_provider_with_room_is_not_a_bottleneck() {
		// Provider 1 could take 10 Wh more but only request 1 (3 Wh) may use it.
		let problem = Problem::new(
			vec![5, 13],
			vec![vec![pair(0, 9)], vec![pair(0, 3), pair(1, 3)], vec![pair(0, 2)]],
		)
		.unwrap();
		let cut = energy_bound(&problem);
		assert_eq!(cut.energy, 5 + 3);
		assert_eq!(cut.bottleneck, vec![true, false]);
	}

	#[test]
	fn an_empty_market_has_no_energy() {
		let problem = Problem::new(vec![7], vec![vec![], vec![]]).unwrap();
		assert_eq!(energy_bound(&problem), EnergyCut { energy: 0, bottleneck: vec![false] });
	}
}
