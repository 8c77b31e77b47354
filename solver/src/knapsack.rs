//! The 0-1 knapsack, exactly or within a work budget: the subproblem of the bound in
//! [`crate::knapsack_bound`].
//!
//! Depth-first branch-and-bound in the manner of Horowitz and Sahni: items by profit per unit
//! of load, each node bounded by the linear relaxation of the items not yet decided (Dantzig's
//! bound: the items in order while they fit, then a fraction of the next), computed in
//! `O(log n)` from prefix sums. A greedy packing is the first incumbent. When the budget runs
//! out, the answer carries the root's linear bound instead of a proven optimum, which is still
//! an upper bound: the caller's bound stays valid, only weaker.
//!
//! Integer arithmetic throughout, ties broken by the caller's ids: the same items give the same
//! answer everywhere.

use alloc::vec::Vec;

/// An item: its profit (only positive ones are worth packing), its load and the caller's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
	/// Profit of packing it.
	pub profit: i128,
	/// Capacity it takes.
	pub load: u64,
	/// The caller's name for it.
	pub id: u32,
}

/// The answer for one knapsack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packing {
	/// The value of the best packing found (the chosen ids are in the caller's vector).
	pub value: i128,
	/// An upper bound on every packing's value: `value` itself when `exact`.
	pub bound: i128,
	/// Whether the search finished within its budget, proving `value` optimal.
	pub exact: bool,
	/// Search steps taken (at most the budget plus one).
	pub steps: u64,
}

/// Sorted items and prefix sums, kept between calls so that repeated solving allocates little.
#[derive(Default)]
pub struct Knapsack {
	items: Vec<Item>,
	/// `loads[k]`: the total load of the first `k` items in order.
	loads: Vec<u64>,
	/// `profits[k]`: the total profit of the first `k` items in order.
	profits: Vec<i128>,
	/// Each item's profit per unit of load, in order: whole units and the remainder
	/// (`profit = whole * load + remainder`), so that the linear bound divides only small
	/// numbers.
	rates: Vec<(i128, u64)>,
	/// Positions of the items packed on the current branch.
	taken: Vec<usize>,
	/// The profit of the items without load, always packed.
	base: i128,
}

impl Knapsack {
	/// The best packing of `items` (profits of any sign: only positive ones are packed; loads
	/// at most [`crate::problem::MAX_LOAD`]) into `capacity`, within `work` steps of the search;
	/// the chosen ids go to `chosen`, in no particular order.
	pub fn solve(
		&mut self,
		items: &[Item],
		capacity: u64,
		work: u64,
		chosen: &mut Vec<u32>,
	) -> Packing {
		chosen.clear();
		let mut base = 0i128;
		self.items.clear();
		for item in items.iter().filter(|i| i.profit > 0 && i.load <= capacity) {
			if item.load == 0 {
				base = base.saturating_add(item.profit);
				chosen.push(item.id);
			} else {
				self.items.push(*item);
			}
		}
		// Most profit per unit of load first: `p_a / l_a > p_b / l_b` iff `p_a l_b > p_b l_a`.
		self.items.sort_unstable_by(|a, b| {
			let ratio = |x: &Item, y: &Item| wide_mul(x.profit as u128, y.load as u128);
			ratio(b, a).cmp(&ratio(a, b)).then(a.load.cmp(&b.load)).then(a.id.cmp(&b.id))
		});
		self.rates.clear();
		self.loads.clear();
		self.profits.clear();
		self.loads.push(0);
		self.profits.push(0);
		for item in &self.items {
			self.loads.push(self.loads.last().copied().unwrap_or(0).saturating_add(item.load));
			self.profits
				.push(self.profits.last().copied().unwrap_or(0).saturating_add(item.profit));
			let load = item.load as i128;
			self.rates.push((item.profit / load, (item.profit % load) as u64));
		}
		let root = self.linear_bound(0, capacity);

		// The greedy packing: items in order, each if it still fits.
		let mut best = 0i128;
		let mut room = capacity;
		let mut best_set: Vec<usize> = Vec::new();
		for (k, item) in self.items.iter().enumerate() {
			if item.load <= room {
				room -= item.load;
				best = best.saturating_add(item.profit);
				best_set.push(k);
			}
		}

		// Depth first: pack item `k` if it fits, then try leaving out the last packed one.
		// Packing an item that fits leaves `value + bound` as it was (the same critical item,
		// the same fraction of it), so the bound is recomputed only after an item is skipped
		// or one is taken out.
		let n = self.items.len();
		let mut exact = true;
		let (mut k, mut room, mut value, mut steps) = (0usize, capacity, 0i128, 0u64);
		let mut just_packed = false;
		self.taken.clear();
		if best < root {
			loop {
				steps += 1;
				if steps > work {
					exact = false;
					break;
				}
				if k < n && (just_packed || value.saturating_add(self.linear_bound(k, room)) > best)
				{
					just_packed = self.items[k].load <= room;
					if just_packed {
						room -= self.items[k].load;
						value = value.saturating_add(self.items[k].profit);
						self.taken.push(k);
					}
					k += 1;
					continue;
				}
				just_packed = false;
				if k >= n && value > best {
					best = value;
					best_set.clone_from(&self.taken);
				}
				let Some(last) = self.taken.pop() else { break };
				room += self.items[last].load;
				value -= self.items[last].profit;
				k = last + 1;
			}
		}
		chosen.extend(best_set.iter().map(|k| self.items[*k].id));
		self.base = base;
		let value = base.saturating_add(best);
		let bound = if exact { value } else { base.saturating_add(root) };
		Packing { value, bound, exact, steps }
	}

	/// After [`Knapsack::solve`], an upper bound on packing the same items into `room` (at most
	/// the capacity solved for): the linear relaxation's value.
	pub fn linear_bound_with_room(&self, room: u64) -> i128 {
		self.base.saturating_add(self.linear_bound(0, room))
	}

	/// The linear relaxation's value (rounded down) of packing items `k..` into `room`.
	fn linear_bound(&self, k: usize, room: u64) -> i128 {
		let start = self.loads[k];
		// The last position `t` with the items `k..t` fitting whole: a binary search whose
		// halving step is a conditional move, not a branch (the search's hottest loop).
		let (loads, most) = (&self.loads[k..], start.saturating_add(room));
		let (mut t, mut len) = (0, loads.len());
		while len > 1 {
			let half = len / 2;
			t = if loads[t + half] <= most { t + half } else { t };
			len -= half;
		}
		let t = k + t;
		let whole = self.profits[t] - self.profits[k];
		match self.items.get(t) {
			None => whole,
			Some(critical) => {
				let rest = room - (self.loads[t] - start);
				let (rate, remainder) = self.rates[t];
				// `profit * rest / load` without overflow (`rest < load`), and in 64 bits where
				// the remainder's part fits (loads of a market are at most some 10^4 Wh).
				let part = match remainder.checked_mul(rest) {
					Some(product) => (product / critical.load) as i128,
					None => (remainder as u128 * rest as u128 / critical.load as u128) as i128,
				};
				whole.saturating_add(rate * rest as i128 + part)
			}
		}
	}
}

/// `a * b` as a 256-bit number `(high, low)`, for exact comparisons of ratios.
pub(crate) fn wide_mul(a: u128, b: u128) -> (u128, u128) {
	const LOW: u128 = u64::MAX as u128;
	let (a1, a0, b1, b0) = (a >> 64, a & LOW, b >> 64, b & LOW);
	let (low, cross1, cross2, high) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
	let middle = (low >> 64) + (cross1 & LOW) + (cross2 & LOW);
	let low = (low & LOW) | (middle << 64);
	let high = high + (cross1 >> 64) + (cross2 >> 64) + (middle >> 64);
	(high, low)
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use crate::generate::SplitMix;

	/// The best packing's value, by trying every subset (a dozen items at most).
	pub(crate) fn brute_force(items: &[Item], capacity: u64) -> i128 {
		(0u32..1 << items.len())
			.filter_map(|mask| {
				let set = items.iter().enumerate().filter(|(k, _)| mask >> k & 1 == 1);
				let load: u64 = set.clone().map(|(_, i)| i.load).sum();
				(load <= capacity).then(|| set.map(|(_, i)| i.profit.max(0)).sum())
			})
			.max()
			.unwrap_or(0)
	}

	#[test]
	fn finds_the_optimum_of_small_knapsacks() {
		let mut rng = SplitMix(7);
		let mut knapsack = Knapsack::default();
		let mut chosen = Vec::new();
		for _ in 0..2_000 {
			let n = rng.range(0, 12) as usize;
			let items: Vec<Item> = (0..n)
				.map(|id| Item {
					profit: rng.range(0, 200) as i128 - 50,
					load: rng.range(0, 60),
					id: id as u32,
				})
				.collect();
			let capacity = rng.range(0, 200);
			let packing = knapsack.solve(&items, capacity, u64::MAX, &mut chosen);
			assert!(packing.exact);
			assert_eq!(packing.value, brute_force(&items, capacity));
			let load: u64 = chosen.iter().map(|id| items[*id as usize].load).sum();
			let profit: i128 = chosen.iter().map(|id| items[*id as usize].profit).sum();
			assert!(load <= capacity);
			assert_eq!(profit, packing.value);
		}
	}

	/// Dantzig's bound computed directly over the items that fit `capacity`: by profit per
	/// load, whole while they fit `room`, then `floor(profit * rest / load)` of the next.
	fn dantzig(items: &[Item], capacity: u64, room: u64) -> i128 {
		let mut sorted: Vec<Item> = items.iter().filter(|i| i.load <= capacity).copied().collect();
		sorted.sort_by(|a, b| (b.profit * a.load as i128).cmp(&(a.profit * b.load as i128)));
		let (mut value, mut room) = (0i128, room);
		for item in sorted {
			if item.load <= room {
				room -= item.load;
				value += item.profit;
			} else {
				return value + item.profit * room as i128 / item.load as i128;
			}
		}
		value
	}

	#[test]
	fn the_linear_bound_is_dantzigs_with_small_loads_and_loads_near_the_limit() {
		let mut rng = SplitMix(9);
		let mut knapsack = Knapsack::default();
		let mut chosen = Vec::new();
		for round in 0..1_000 {
			// A market's loads (the 64-bit division) and loads near the limit (the wide one).
			let big = if round % 2 == 0 { 20_000 } else { crate::problem::MAX_LOAD };
			// Profits below 2^80 keep the direct computation's products inside `i128`.
			let items: Vec<Item> = (0..10)
				.map(|id| Item {
					profit: (rng.next_u64() as i128) << 16 | rng.range(0, 1 << 16) as i128,
					load: rng.range(big / 4, big),
					id,
				})
				.collect();
			let capacity = rng.range(big / 2, 4 * big);
			let packing = knapsack.solve(&items, capacity, u64::MAX, &mut chosen);
			assert_eq!(packing.value, brute_force(&items, capacity));
			for room in [capacity, capacity - 1, capacity / 3] {
				assert_eq!(knapsack.linear_bound_with_room(room), dantzig(&items, capacity, room));
			}
		}
	}

	#[test]
	fn a_spent_budget_still_bounds_the_optimum() {
		let mut rng = SplitMix(8);
		let mut knapsack = Knapsack::default();
		let mut chosen = Vec::new();
		for _ in 0..500 {
			let items: Vec<Item> = (0..14)
				.map(|id| {
					let load = rng.range(1, 100);
					Item { profit: load as i128 * 10 + rng.range(0, 5) as i128, load, id }
				})
				.collect();
			let capacity = rng.range(50, 500);
			let packing = knapsack.solve(&items, capacity, 3, &mut chosen);
			let optimum = brute_force(&items, capacity);
			assert!(packing.value <= optimum && optimum <= packing.bound);
			let load: u64 = chosen.iter().map(|id| items[*id as usize].load).sum();
			assert!(load <= capacity);
		}
	}
}
