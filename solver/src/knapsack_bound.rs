//! The second upper bound: a Lagrangian relaxation of the assignment constraints (Fisher,
//! Jaikumar and Van Wassenhove, 1986), one knapsack per agent.
//!
//! Pricing each item's "at most one agent" constraint at `u_i` and dropping it leaves one 0-1
//! knapsack per agent:
//!
//! ```text
//! L(u) = sum_i u_i + sum_j max { sum_i (q_ij - u_i) x_ij : sum_i a_ij x_ij <= b_j }
//! ```
//!
//! with `u_i >= 0` for an item that may stay unassigned and `u_i` of any sign for one that must
//! be assigned (variable fixing has removed its "unassigned" option). The knapsacks lack the
//! integrality property, so the best `L(u)` can lie well below the linear relaxation that
//! [`crate::lagrangian`] reaches: it is the linear relaxation strengthened by every valid
//! inequality of each capacity row, and on the benchmark's markets closes most of the gap
//! between the linear relaxation and the optimum. Each evaluation solves `m` knapsacks
//! ([`crate::knapsack`]), so the search uses it where the cheap bound has done what it can: at
//! the root, to prove the incumbent optimal or to fix options for good
//! ([`KnapsackBound::removable`]), and at the nodes the cheap bound does not prune, a few steps
//! from the root's prices.
//!
//! Prices start at the cheap bound's reduced profits (where `L(u)` is at most the linear
//! relaxation's value) and follow projected subgradient steps (`1 -` the number of knapsacks
//! holding item `i`) of Polyak's size towards the value the incumbent must beat. Integer and
//! scaled by [`crate::lagrangian::SCALE`] like the rest of the search.

use crate::knapsack::{Item, Knapsack, Packing};
use alloc::{vec, vec::Vec};

/// Subgradient iterations at the root, at most.
pub const ITERATIONS: usize = 600;

/// Subgradient iterations at a search node, from the root's prices.
pub const NODE_ITERATIONS: usize = 6;

/// Knapsack search steps one relaxation may take over all its evaluations; past them it is
/// spent and optimises no further. The root has its own; the search nodes share one, which
/// caps their cost whatever the node budget (its time in the solver's README).
pub const WORK: u64 = 1 << 26;

/// Every this many evaluations the packings are repaired into an assignment.
pub const HEURISTIC_INTERVAL: usize = 5;

/// Search steps each knapsack may take in one evaluation; past them it answers with its linear
/// bound (valid, weaker).
pub const KNAPSACK_WORK: u64 = 1 << 12;

/// Search steps of each exact knapsack solved to test whether an option can be fixed.
pub const FIXING_WORK: u64 = 1 << 10;

/// An option still open: item, load and `SCALE * profit`.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
	/// The item.
	pub item: u32,
	/// Its load on the agent.
	pub load: u64,
	/// `SCALE *` its profit there.
	pub scaled: i128,
}

/// The relaxation of a (sub)problem: the open options of each agent, which items must be
/// assigned, and each agent's room.
pub struct KnapsackBound {
	/// The open options, by agent.
	by_agent: Vec<Vec<Candidate>>,
	/// Items in the relaxation, and whether each must be assigned (its price is free).
	items: Vec<(u32, bool)>,
	/// Each agent's room.
	room: Vec<u64>,
	/// The value already secured (scaled), added to every bound.
	base: i128,
	/// Scratch: one knapsack's items.
	scratch: Vec<Item>,
	knapsack: Knapsack,
	/// Knapsack search steps taken by every evaluation so far.
	work: u64,
	/// The steps past which it is spent.
	work_limit: u64,
}

/// `L(u)` at some prices, with the packings that give it.
pub struct Evaluation {
	/// The bound (scaled).
	pub bound: i128,
	/// Each agent's packing.
	pub packings: Vec<Packing>,
	/// The items each agent's best packing holds.
	pub chosen: Vec<Vec<u32>>,
}

impl Evaluation {
	/// Whether at most half the knapsacks ran out of budget: otherwise the bound is about the
	/// linear relaxation's and not worth its cost.
	pub fn solved(&self) -> bool {
		2 * self.packings.iter().filter(|p| !p.exact).count() <= self.packings.len()
	}
}

impl KnapsackBound {
	/// An empty relaxation over `agents` agents; [`Self::reset`] and [`Self::add_option`] and
	/// [`Self::add_item`] give it a (sub)problem.
	pub fn new(agents: usize) -> Self {
		Self::with_work_limit(agents, WORK)
	}

	/// [`Self::new`], spent after `work_limit` knapsack search steps instead of [`WORK`].
	pub fn with_work_limit(agents: usize, work_limit: u64) -> Self {
		Self {
			by_agent: vec![Vec::new(); agents],
			items: Vec::new(),
			room: vec![0; agents],
			base: 0,
			scratch: Vec::new(),
			knapsack: Knapsack::default(),
			work: 0,
			work_limit,
		}
	}

	/// Whether its evaluations have taken more than its limit of knapsack search steps
	/// ([`WORK`] unless made [with another](Self::with_work_limit)).
	pub fn spent(&self) -> bool {
		self.work > self.work_limit
	}

	/// Empties the relaxation for a (sub)problem where each agent has `room` left and `base`
	/// (scaled) is already secured, keeping its storage.
	pub fn reset(&mut self, room: &[u64], base: i128) {
		self.by_agent.iter_mut().for_each(Vec::clear);
		self.items.clear();
		self.room.clear();
		self.room.extend_from_slice(room);
		self.base = base;
	}

	/// Adds an open option of `agent` (it must fit the agent's room).
	pub fn add_option(&mut self, agent: usize, candidate: Candidate) {
		self.by_agent[agent].push(candidate);
	}

	/// Adds an item, and whether it must be assigned (then its price is free).
	pub fn add_item(&mut self, item: u32, must_be_assigned: bool) {
		self.items.push((item, must_be_assigned));
	}

	/// `L(u)` (scaled) with each agent's packing.
	pub fn evaluate(&mut self, u: &[i128], into: &mut Evaluation) {
		let mut bound = self.base;
		for (item, _) in &self.items {
			bound = bound.saturating_add(u[*item as usize]);
		}
		into.packings.clear();
		into.chosen.resize_with(self.by_agent.len(), Vec::new);
		for (j, candidates) in self.by_agent.iter().enumerate() {
			self.scratch.clear();
			self.scratch.extend(candidates.iter().map(|c| Item {
				profit: c.scaled.saturating_sub(u[c.item as usize]),
				load: c.load,
				id: c.item,
			}));
			let packing = self.knapsack.solve(
				&self.scratch,
				self.room[j],
				KNAPSACK_WORK,
				&mut into.chosen[j],
			);
			bound = bound.saturating_add(packing.bound);
			self.work = self.work.saturating_add(packing.steps);
			into.packings.push(packing);
		}
		into.bound = bound;
	}

	/// Minimises `L(u)` in at most `iterations` steps from `u` (left at the best prices found)
	/// towards `threshold`, the value a bound must fall below to prove that nothing better than
	/// the incumbent exists; stops there, or when the relaxation is [spent](Self::spent).
	/// `on_evaluated` sees every [`HEURISTIC_INTERVAL`]th evaluation, for a heuristic to repair
	/// into an assignment; it returns a new threshold when it found a better incumbent. Returns
	/// the evaluation at the best prices.
	pub fn optimise(
		&mut self,
		u: &mut Vec<i128>,
		iterations: usize,
		mut threshold: i128,
		mut on_evaluated: impl FnMut(&Evaluation) -> Option<i128>,
	) -> Evaluation {
		let mut current = Evaluation { bound: 0, packings: Vec::new(), chosen: Vec::new() };
		let mut best = Evaluation { bound: i128::MAX, packings: Vec::new(), chosen: Vec::new() };
		let mut best_u = u.clone();
		let mut count = vec![0i128; u.len()];
		// The step is `mu / 64` of Polyak's; it halves after 25 iterations without improvement.
		let (mut mu, mut stalled) = (128i128, 0);
		for iteration in 0..iterations {
			self.evaluate(u, &mut current);
			if iteration % HEURISTIC_INTERVAL == 0 {
				if let Some(better) = on_evaluated(&current) {
					threshold = threshold.max(better);
				}
			}
			let solved = current.solved();
			let improved = current.bound < best.bound;
			if improved {
				best_u.clone_from(u);
				core::mem::swap(&mut best, &mut current);
				stalled = 0;
				if best.bound < threshold {
					break;
				}
			} else {
				stalled += 1;
				if stalled >= 25 {
					mu /= 2;
					stalled = 0;
				}
			}
			// Knapsacks too hard for their budget (loads and profits alike, as on a market
			// short of capacity) answer with their linear bounds: no better than the cheap bound.
			if mu == 0 || !solved || self.spent() {
				break;
			}
			let evaluated = if improved { &best } else { &current };
			for (item, _) in &self.items {
				count[*item as usize] = 0;
			}
			for chosen in &evaluated.chosen {
				for item in chosen {
					count[*item as usize] += 1;
				}
			}
			// Subgradient `1 - count_i`; a price held at 0 gets no upward push below 0.
			let mut norm = 0i128;
			for (item, free) in &self.items {
				let i = *item as usize;
				let g = 1 - count[i];
				if g > 0 && !free && u[i] <= 0 {
					count[i] = 1;
					continue;
				}
				norm += g * g;
			}
			if norm == 0 {
				break;
			}
			let gap = evaluated.bound.saturating_sub(threshold).max(0);
			let t = (gap / 64).saturating_mul(mu) / norm;
			if t == 0 {
				break;
			}
			for (item, free) in &self.items {
				let i = *item as usize;
				let g = 1 - count[i];
				let price = u[i].saturating_sub(t.saturating_mul(g));
				u[i] = if *free { price } else { price.max(0) };
			}
		}
		*u = best_u;
		best
	}

	/// The options `(item, agent)` that no assignment worth `threshold` or more can use, at
	/// prices `u` evaluated as `at`: forcing item `i` onto agent `j` makes the bound at most
	/// `L(u) - K_j + (q_ij - u_i) + K_j'`, where `K_j` bounds agent `j`'s knapsack and `K_j'`
	/// bounds the same knapsack without `i` and with `a_ij` less room. `K_j'` is first the
	/// linear bound, then if that is not enough (and agent `j`'s knapsack was solved exactly) a
	/// knapsack search within [`FIXING_WORK`].
	pub fn removable(&mut self, u: &[i128], at: &Evaluation, threshold: i128) -> Vec<(u32, u32)> {
		let mut removable = Vec::new();
		let mut doubtful = Vec::new();
		let mut chosen = Vec::new();
		for (j, candidates) in self.by_agent.iter().enumerate() {
			let packing = at.packings[j];
			let without_j = at.bound.saturating_sub(packing.bound);
			let held = |item: u32| packing.exact && at.chosen[j].contains(&item);
			// Solve the agent's knapsack once more to have its items sorted for linear bounds.
			self.scratch.clear();
			self.scratch.extend(candidates.iter().map(|c| Item {
				profit: c.scaled.saturating_sub(u[c.item as usize]),
				load: c.load,
				id: c.item,
			}));
			self.knapsack.solve(&self.scratch, self.room[j], 0, &mut chosen);
			doubtful.clear();
			for c in candidates.iter().filter(|c| !held(c.item)) {
				let profit = c.scaled.saturating_sub(u[c.item as usize]);
				let rest = self.knapsack.linear_bound_with_room(self.room[j] - c.load);
				if without_j.saturating_add(profit).saturating_add(rest) < threshold {
					removable.push((c.item, j as u32));
				} else {
					doubtful.push(*c);
				}
			}
			// An agent whose knapsack was too hard for its budget is not searched again.
			if !packing.exact {
				continue;
			}
			for c in &doubtful {
				let profit = c.scaled.saturating_sub(u[c.item as usize]);
				let others: Vec<Item> =
					self.scratch.iter().filter(|i| i.id != c.item).copied().collect();
				let rest =
					self.knapsack.solve(&others, self.room[j] - c.load, FIXING_WORK, &mut chosen);
				if without_j.saturating_add(profit).saturating_add(rest.bound) < threshold {
					removable.push((c.item, j as u32));
				}
			}
		}
		removable.sort_unstable();
		removable
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{generate::SplitMix, lagrangian::SCALE};

	/// An option of a test instance: `(item, agent, load, profit)`.
	type Offer = (u32, u32, u64, i128);

	/// A small random instance: items, options and capacities.
	fn instance(rng: &mut SplitMix) -> (usize, Vec<Offer>, Vec<u64>) {
		let (n, m) = (rng.range(1, 6) as usize, rng.range(1, 3) as usize);
		let capacities: Vec<u64> = (0..m).map(|_| rng.range(0, 40)).collect();
		let mut options = Vec::new();
		for i in 0..n {
			for (j, capacity) in capacities.iter().enumerate() {
				let load = rng.range(1, 20);
				if rng.chance(70) && load <= *capacity {
					options.push((i as u32, j as u32, load, rng.range(1, 50) as i128));
				}
			}
		}
		(n, options, capacities)
	}

	/// Every assignment's value and options used, by enumeration; `complete` keeps only those
	/// assigning every item.
	fn assignments(
		n: usize,
		options: &[Offer],
		capacities: &[u64],
		complete: bool,
	) -> Vec<(i128, Vec<(u32, u32)>)> {
		let mut all = Vec::new();
		let mut choice = vec![usize::MAX; n];
		loop {
			let used: Vec<_> =
				choice.iter().filter(|k| **k != usize::MAX).map(|k| options[*k]).collect();
			let mut load = vec![0u64; capacities.len()];
			used.iter().for_each(|o| load[o.1 as usize] += o.2);
			if load.iter().zip(capacities).all(|(l, c)| l <= c) && (!complete || used.len() == n) {
				all.push((
					used.iter().map(|o| o.3).sum(),
					used.iter().map(|o| (o.0, o.1)).collect(),
				));
			}
			// Next combination: each item takes none or one of its options.
			let mut i = 0;
			loop {
				if i == n {
					return all;
				}
				let next = options
					.iter()
					.enumerate()
					.skip(choice[i].wrapping_add(1))
					.find(|(_, o)| o.0 as usize == i)
					.map(|(k, _)| k);
				match next {
					Some(k) => {
						choice[i] = k;
						break;
					}
					None => {
						choice[i] = usize::MAX;
						i += 1;
					}
				}
			}
		}
	}

	fn relaxation(
		n: usize,
		options: &[Offer],
		capacities: &[u64],
		complete: bool,
	) -> KnapsackBound {
		let mut relaxation = KnapsackBound::new(capacities.len());
		relaxation.reset(capacities, 0);
		for (item, agent, load, profit) in options {
			let candidate = Candidate { item: *item, load: *load, scaled: SCALE * profit };
			relaxation.add_option(*agent as usize, candidate);
		}
		(0..n as u32).for_each(|i| relaxation.add_item(i, complete));
		relaxation
	}

	#[test]
	fn bounds_every_assignment_and_fixes_no_option_an_optimum_uses() {
		let mut rng = SplitMix(11);
		for round in 0..1_500 {
			let (n, options, capacities) = instance(&mut rng);
			let complete = round % 2 == 1;
			let all = assignments(n, &options, &capacities, complete);
			let Some(optimum) = all.iter().map(|a| a.0).max() else { continue };
			let mut bound = relaxation(n, &options, &capacities, complete);
			let mut evaluation = Evaluation { bound: 0, packings: Vec::new(), chosen: Vec::new() };
			for _ in 0..5 {
				let u: Vec<i128> = (0..n)
					.map(|_| {
						rng.range(0, 60 * SCALE as u64) as i128
							- if complete { 30 * SCALE } else { 0 }
					})
					.collect();
				bound.evaluate(&u, &mut evaluation);
				assert!(
					evaluation.bound >= SCALE * optimum,
					"round {round}: bound below the optimum"
				);
			}
			let mut u = vec![0; n];
			let threshold = SCALE * optimum;
			let at = bound.optimise(&mut u, ITERATIONS, threshold + SCALE, |_| None);
			assert!(at.bound >= threshold, "round {round}: optimised bound below the optimum");
			let removed = bound.removable(&u, &at, threshold);
			for (value, used) in all.iter().filter(|a| a.0 == optimum) {
				for option in used {
					assert!(
						!removed.contains(option),
						"round {round}: {option:?} of an optimum ({value}) removed"
					);
				}
			}
		}
	}

	#[test]
	fn a_work_limit_spends_the_relaxation_and_its_bound_still_holds() {
		let mut rng = SplitMix(12);
		let mut spent = 0;
		for round in 0..300 {
			let (n, options, capacities) = instance(&mut rng);
			let all = assignments(n, &options, &capacities, false);
			let Some(optimum) = all.iter().map(|a| a.0).max() else { continue };
			let mut bound = relaxation(n, &options, &capacities, false);
			let limit = rng.range(0, 8);
			bound.work_limit = limit;
			let mut u = vec![0; n];
			let at = bound.optimise(&mut u, ITERATIONS, SCALE * optimum + SCALE, |_| None);
			assert!(at.bound >= SCALE * optimum, "round {round}: bound below the optimum");
			assert_eq!(bound.spent(), bound.work > limit, "round {round}");
			spent += bound.spent() as u32;
		}
		assert!(spent > 0, "some relaxation was spent");
	}
}
