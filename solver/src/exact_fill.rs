//! Exact fillings: the search for a market whose providers can all be filled to the Wh.
//!
//! Once an assignment fills every provider of a market exactly, it serves all the energy there
//! is, so every optimal assignment fills every provider exactly too and only the weight is left
//! to choose: each provider takes one of its *exact fillings* (a subset of the requests it may
//! serve whose energies sum to its capacity), no request twice. The linear and knapsack bounds
//! know little of that (well above the optimal weight on the small markets short of capacity,
//! where general MIP and CP solvers do no better: figures in the solver's README). But with
//! energies in Wh spread over a wide range, a provider that may serve a few dozen requests has
//! few exact fillings. Then they can all be listed
//! ([`Fillings::list`], depth first over the requests, largest first, pruned by a table of the
//! sums the remaining requests reach), and the choice is a small set-packing problem
//! ([`Fillings::search`]): at each node the provider with the fewest fillings disjoint from the
//! requests already taken is branched on. The node is bounded by its profit plus, for every
//! provider still to choose, its best such filling, and by the Lagrangian relaxation of "each
//! request at most once" at prices set at the root ([`Fillings::price`]), much the closer of the
//! two. Its fillings are tried by decreasing profit less their requests' prices.
//!
//! Where providers may serve a hundred requests or more, their exact fillings run to millions or
//! billions. So past `MIN_FILLINGS` they are counted first,
//! stopping past the limit (by a dynamic programme over the sums, or, where its table would be
//! too large, by the same depth-first listing storing nothing), and listed only where they are
//! few enough, into tables of exactly their size; elsewhere the general search goes on.

use crate::{
	heuristic::{Solution, FILL_WORDS},
	problem::{Pair, Problem},
	subset_sum::SubsetSums,
};
use alloc::{vec, vec::Vec};

/// Exact fillings listed at most, over all providers; fewer where the requests need more than
/// two 64-bit words per filling (at most [`FILLING_WORDS`] words of membership bits in all), or
/// where the search has few nodes (see [`FILLINGS_PER_NODE`]). At most 8 MiB of bits and 18 MiB
/// of profits, reduced profits and order: enough for the 60x6 markets short of capacity, not
/// for 80x8 (counts in the solver's README).
pub const MAX_FILLINGS: usize = 1 << 19;

/// A search of `max_nodes` nodes lists at most `max_nodes` times this many fillings, and at least
/// [`MIN_FILLINGS`]: the neighbourhoods' searches of a few hundred nodes each, of which there
/// are hundreds, do not count and list half a million fillings each.
const FILLINGS_PER_NODE: u64 = 32;

/// Fillings listed at most whatever the budget (see [`FILLINGS_PER_NODE`]).
const MIN_FILLINGS: usize = 1 << 16;

/// The membership bits of all listed fillings take at most this many 64-bit words (8 MiB).
pub const FILLING_WORDS: usize = 1 << 20;

/// Request visits [`Fillings::price`] may make (each filling's requests, once a step).
const PRICING_WORK: usize = 1 << 27;

/// Request visits [`Fillings::price`] may make per node of the search's budget (within
/// [`PRICING_WORK`]): 2^25 for the least budget that prices, [`PRICING_MIN_NODES`].
const PRICING_WORK_PER_NODE: u64 = 1 << 13;

/// What `max_nodes` allows of `per_node` a node, within `low..=high`.
fn scaled(max_nodes: u64, per_node: u64, low: usize, high: usize) -> usize {
	usize::try_from(max_nodes.saturating_mul(per_node)).unwrap_or(usize::MAX).clamp(low, high)
}

/// Subgradient steps [`Fillings::price`] takes at most.
const PRICING_ROUNDS: usize = 100;

/// Fewer steps than this are not taken at all (the prices stay 0): a few steps give prices that
/// order the fillings worse than their profits do.
const PRICING_MIN_ROUNDS: usize = 20;

/// Searches of fewer nodes are not priced: the neighbourhoods' searches of 200 and 1 000 nodes
/// (hundreds of them on a market short of capacity) gain too little for the time they take
/// (measured in the solver's README).
const PRICING_MIN_NODES: u64 = 1 << 12;

/// Steps without a lower bound after which [`Fillings::price`] halves its step.
const PRICING_PATIENCE: usize = 20;

/// How often (in nodes) the search asks `should_stop`.
const STOP_CHECK_INTERVAL: u64 = 256;

/// No provider: a node pruned before branching.
const NONE: usize = usize::MAX;

/// Calls `visit` with each request of `members` (bits), in increasing order.
fn for_each_member(members: &[u64], mut visit: impl FnMut(usize)) {
	for (w, word) in members.iter().enumerate() {
		let mut bits = *word;
		while bits != 0 {
			visit(w * 64 + bits.trailing_zeros() as usize);
			bits &= bits - 1;
		}
	}
}

/// The sum of `prices` over the requests of `members` (bits).
fn cost(members: &[u64], prices: &[i128]) -> i128 {
	let mut sum = 0;
	for_each_member(members, |i| sum += prices[i]);
	sum
}

/// Whether two sets of requests (as bits) share none.
fn disjoint(a: &[u64], b: &[u64]) -> bool {
	a.iter().zip(b).all(|(a, b)| a & b == 0)
}

/// One provider's exact fillings, by decreasing reduced profit at [`Fillings::prices`] (ties by
/// decreasing profit, then in the order listed).
struct Level {
	agent: usize,
	/// The fillings' internal profits.
	profits: Vec<u128>,
	/// The fillings' profits less the prices of their requests.
	reduced: Vec<i128>,
	/// The fillings' requests, [`Fillings::words`] words of bits each.
	members: Vec<u64>,
	/// The requests it may serve (a pair that fits its capacity), as bits.
	candidates: Vec<u64>,
	/// The fillings by decreasing profit (ties by index).
	by_profit: Vec<u32>,
}

impl Level {
	fn members(&self, filling: usize, words: usize) -> &[u64] {
		&self.members[filling * words..(filling + 1) * words]
	}

	/// A filling's profit less the prices of its requests.
	fn reduced_at(&self, filling: usize, words: usize, prices: &[i128]) -> i128 {
		self.profits[filling] as i128 - cost(self.members(filling, words), prices)
	}

	/// Orders the fillings by decreasing reduced profit, ties by decreasing profit, then as
	/// they are.
	fn sort(&mut self, words: usize) {
		let mut order: Vec<usize> = (0..self.profits.len()).collect();
		order.sort_by(|a, b| {
			let key = |f: &usize| (self.reduced[*f], self.profits[*f]);
			key(b).cmp(&key(a)).then(a.cmp(b))
		});
		permute_rows(&mut self.members, words, &mut order.clone());
		permute_rows(&mut self.profits, 1, &mut order.clone());
		permute_rows(&mut self.reduced, 1, &mut order);
		self.by_profit = (0..self.profits.len() as u32).collect();
		self.by_profit.sort_by(|a, b| {
			self.profits[*b as usize].cmp(&self.profits[*a as usize]).then(a.cmp(b))
		});
	}

	/// The best profit, and the best reduced profit, of the fillings disjoint from `taken`; and
	/// how many there are, counted up to `enough`.
	fn best_disjoint(&self, taken: &[u64], words: usize, enough: usize) -> Option<Tops> {
		let mut count = 0;
		let mut reduced = None;
		for filling in 0..self.profits.len() {
			if disjoint(self.members(filling, words), taken) {
				count += 1;
				reduced = reduced.or(Some(self.reduced[filling]));
				if count >= enough {
					break;
				}
			}
		}
		let reduced = reduced?;
		let profit = self
			.by_profit
			.iter()
			.map(|f| *f as usize)
			.find(|f| disjoint(self.members(*f, words), taken))
			.map(|f| self.profits[f])?;
		Some(Tops { best: Rest { profit, reduced }, count })
	}
}

/// A provider's best fillings disjoint from the requests taken, and how many there are (see
/// [`Level::best_disjoint`]).
struct Tops {
	best: Rest,
	count: usize,
}

/// A best profit and a best reduced profit (with all prices 0, the same): one provider's among
/// the fillings it may still take, or their sums over the providers not yet chosen.
#[derive(Clone, Copy, Default)]
struct Rest {
	profit: u128,
	reduced: i128,
}

/// Every provider's exact fillings.
pub struct Fillings {
	/// One level per provider, the fewest fillings first (ties by index).
	levels: Vec<Level>,
	/// Words of one filling's membership bits.
	words: usize,
	/// A price for each request, at least 0 (all 0 until [`Fillings::price`]): the search's
	/// bound is that of the Lagrangian relaxation of "each request at most once" at these
	/// prices (see [`Fillings::search`]).
	prices: Vec<i128>,
	/// The largest price [`Fillings::price`] sets: the largest profit of a pair.
	most_price: i128,
}

/// What [`Fillings::search`] found.
pub struct FillingSearch {
	/// The best assignment found that is better than the incumbent, if any.
	pub better: Option<Solution>,
	/// An upper bound on every assignment's internal profit (the optimum's, when `proven`).
	pub bound: u128,
	/// Whether the search finished: the best of the incumbent and `better` is optimal.
	pub proven: bool,
	/// Nodes visited.
	pub nodes: u64,
}

impl Fillings {
	/// Lists every provider's exact fillings for a search of `max_nodes` nodes, or `None` if
	/// there are more than the limit (see [`MAX_FILLINGS`]) or a provider's table of sums would
	/// exceed [`FILL_WORDS`]. Past [`MIN_FILLINGS`] it counts them all first, so that nothing is
	/// stored where they are too many and each provider's table is allocated once, at its size;
	/// up to it (the neighbourhoods' small searches) the tables grow as they fill, in one pass.
	pub fn list(problem: &Problem, max_nodes: u64) -> Option<Self> {
		let words = problem.items().div_ceil(64).max(1);
		let most = MAX_FILLINGS.min(FILLING_WORDS / words);
		let limit = scaled(max_nodes, FILLINGS_PER_NODE, MIN_FILLINGS.min(most), most);
		let by_agent = problem.fitting_pairs_by_agent();
		let capacity = |agent: usize| problem.capacities()[agent];
		let mut counts = Vec::with_capacity(by_agent.len());
		if limit > MIN_FILLINGS {
			let mut counted = 0;
			for (agent, pairs) in by_agent.iter().enumerate() {
				let left = limit - counted;
				let loads = pairs.iter().map(|(_, pair)| pair.load);
				let count = match count_by_sums(loads, capacity(agent), left) {
					Counted::Exactly(count) => count,
					Counted::Over => return None,
					Counted::TooLarge => {
						let pairs = pairs.clone();
						list_agent(agent, capacity(agent), pairs, words, left, Keep::Count)?.count
					}
				};
				counted += count;
				counts.push(count);
			}
		}
		let mut levels = Vec::with_capacity(by_agent.len());
		let mut listed = 0;
		for (agent, pairs) in by_agent.into_iter().enumerate() {
			let (limit, keep) = match counts.get(agent) {
				Some(count) => (*count, Keep::Reserve),
				None => (limit - listed, Keep::Grow),
			};
			let level = list_agent(agent, capacity(agent), pairs, words, limit, keep)?
				.level
				.expect("a listing that stores gives a level; qed");
			listed += level.profits.len();
			levels.push(level);
		}
		levels.sort_by_key(|l| (l.profits.len(), l.agent));
		let pairs = (0..problem.items()).flat_map(|item| problem.pairs_of(item));
		let most_price = pairs.map(|pair| pair.profit).max().unwrap_or(0) as i128;
		Some(Self { levels, words, prices: vec![0; problem.items()], most_price })
	}

	/// Prices the requests for the search's bound: subgradient steps on the Lagrangian dual
	/// `L(u) = sum_i u_i + sum_j max_f (p_f - u(f))` (a provider's best filling at the prices,
	/// `u(f)` the prices of its requests; every `u >= 0` bounds every choice of one filling per
	/// provider, no request twice), towards `target` (the incumbent's profit), keeping the
	/// prices of the least `L` found. Integer arithmetic, so deterministic; for a search of
	/// `max_nodes` nodes, at most [`PRICING_WORK_PER_NODE`] request visits a node and
	/// [`PRICING_WORK`] in all (what it does to the root's bound: the solver's README). The
	/// fillings are then reordered by reduced profit.
	pub fn price(&mut self, target: u128, max_nodes: u64) {
		let visits: usize = self
			.levels
			.iter()
			.map(|l| l.members.iter().map(|w| w.count_ones() as usize).sum::<usize>())
			.sum();
		let work = scaled(max_nodes, PRICING_WORK_PER_NODE, 0, PRICING_WORK);
		let rounds = (work / visits.max(1)).min(PRICING_ROUNDS);
		if max_nodes < PRICING_MIN_NODES || rounds < PRICING_MIN_ROUNDS {
			return;
		}
		let target = target as i128;
		let most = self.most_price;
		let mut prices = vec![0i128; self.prices.len()];
		let (mut best, mut best_prices) = (i128::MAX, prices.clone());
		// The step's factor, in 64ths: halved after `PRICING_PATIENCE` steps without a lower `L`.
		let (mut factor, mut since_better) = (128i128, 0);
		let mut gradient = vec![0i128; prices.len()];
		for _ in 0..rounds {
			let value = self.dual(&prices, &mut gradient);
			if value < best {
				(best, since_better) = (value, 0);
				best_prices.clone_from(&prices);
			} else {
				since_better += 1;
				if since_better == PRICING_PATIENCE {
					(factor, since_better) = (factor / 2, 0);
				}
			}
			let norm: i128 = gradient.iter().map(|g| g * g).sum();
			if norm == 0 || factor == 0 || value <= target {
				break;
			}
			// Saturating, and no price above the largest profit of any pair, so that sums of
			// prices and reduced profits over all requests and providers stay far within an
			// `i128` (profits are at most `MAX_PROFIT`, 2^88, and requests and providers at most
			// `MAX_ITEMS`, 2^16); every price at least 0 gives a valid bound.
			let step = (value - target).saturating_mul(factor) / 64 / norm;
			for (price, g) in prices.iter_mut().zip(&gradient) {
				*price = price.saturating_sub(step.saturating_mul(*g)).clamp(0, most);
			}
		}
		self.prices = best_prices;
		let words = self.words;
		for level in &mut self.levels {
			for filling in 0..level.profits.len() {
				level.reduced[filling] = level.reduced_at(filling, words, &self.prices);
			}
			level.sort(words);
		}
	}

	/// `L(prices)`, and in `gradient` its subgradient: 1 less the number of providers whose
	/// best filling at the prices takes the request.
	fn dual(&self, prices: &[i128], gradient: &mut [i128]) -> i128 {
		gradient.fill(1);
		let mut value: i128 = prices.iter().sum();
		for level in &self.levels {
			let mut top: Option<(i128, usize)> = None;
			for filling in 0..level.profits.len() {
				let reduced = level.reduced_at(filling, self.words, prices);
				if top.is_none_or(|(r, _)| reduced > r) {
					top = Some((reduced, filling));
				}
			}
			if let Some((reduced, filling)) = top {
				value += reduced;
				for_each_member(level.members(filling, self.words), |i| gradient[i] -= 1);
			}
		}
		value
	}

	/// Searches for the most profitable choice of one filling per provider, no item twice,
	/// better than `incumbent`, visiting at most `max_nodes` nodes (the last one left open, as
	/// in [`crate::search::solve`]), asking `should_stop` (with the best profit so far) every few
	/// hundred. `incumbent` must fill every provider to the Wh (then it is itself such a choice,
	/// and the answer's bound holds for every assignment).
	///
	/// At each node every provider still to choose is scanned for its fillings disjoint from the
	/// requests taken, and the search branches on the provider with the fewest (ties by index),
	/// its fillings by decreasing reduced profit: the most constrained choice first, as in
	/// exact-cover search. The node's bound is the least of two: its value plus each provider
	/// still to choose at its best filling among those, and its value plus the prices of the
	/// requests still free that a provider still to choose may take plus each such provider's
	/// best reduced profit among those fillings (the rest of any choice is worth its reduced
	/// profits plus the prices of the requests it takes, no request twice, prices at least 0).
	/// With all prices 0 (before [`Fillings::price`]) the two are the same.
	pub fn search(
		&self,
		problem: &Problem,
		incumbent: &Solution,
		max_nodes: u64,
		should_stop: &mut dyn FnMut(u128) -> bool,
	) -> FillingSearch {
		let depth = self.levels.len();
		let words = self.words;
		let mut best = incumbent.profit;
		let mut best_choice: Option<Vec<(usize, usize)>> = None;
		if depth == 0 {
			return self.found(problem, best_choice, best, true, 0);
		}
		// At depth `d`: the provider branched on (`NONE` where the node was pruned) and the
		// filling chosen for it, the next filling to try, the bound of the providers not yet
		// chosen besides it, the value so far and the requests taken so far (`words` words per
		// depth); and which providers the path has chosen.
		let mut level_at = vec![NONE; depth];
		let mut choice = vec![0usize; depth];
		let mut next = vec![0usize; depth];
		let mut others = vec![Rest::default(); depth];
		let mut usable = vec![0i128; depth];
		let mut value = vec![0u128; depth + 1];
		let mut taken = vec![0u64; (depth + 1) * words];
		let mut placed = vec![false; depth];
		let mut d = 0;
		let mut nodes = 0u64;
		let mut entering = true;
		loop {
			if core::mem::take(&mut entering) {
				nodes += 1;
				let stop = nodes >= max_nodes
					|| (nodes.is_multiple_of(STOP_CHECK_INTERVAL) && should_stop(best));
				if stop {
					let taken = &taken[d * words..(d + 1) * words];
					let at = Open { level_at: &level_at[..d], next: &next, others: &others };
					let open = self.open_bound(at, &usable, &value, &placed, taken, d);
					return self.found(problem, best_choice, open.max(best), false, nodes);
				}
				if d == depth {
					// A filling for every provider: a complete assignment.
					if value[d] > best {
						best = value[d];
						best_choice =
							Some(level_at.iter().copied().zip(choice.iter().copied()).collect());
					}
					d -= 1;
				} else {
					let here = &taken[d * words..(d + 1) * words];
					level_at[d] = NONE;
					next[d] = usize::MAX;
					usable[d] = self.usable(&placed, here);
					if let Some((level, rest)) =
						self.branch(&placed, here, (value[d], usable[d]), best)
					{
						level_at[d] = level;
						placed[level] = true;
						others[d] = rest;
						next[d] = 0;
					}
				}
			}
			// The next filling of the provider at depth `d` that is disjoint from what is taken
			// and may still beat `best`.
			let mut chosen = None;
			if let Some(level) = self.levels.get(level_at[d]) {
				let (above, below) = taken.split_at_mut((d + 1) * words);
				let here = &above[d * words..];
				while next[d] < level.profits.len() {
					let filling = next[d];
					let profit = level.profits[filling];
					let bound =
						value[d] as i128 + usable[d] + level.reduced[filling] + others[d].reduced;
					if bound <= best as i128 {
						next[d] = usize::MAX;
						break;
					}
					next[d] += 1;
					if value[d] + profit + others[d].profit <= best {
						continue;
					}
					let members = level.members(filling, words);
					if disjoint(members, here) {
						for ((slot, a), b) in below[..words].iter_mut().zip(members).zip(here) {
							*slot = a | b;
						}
						chosen = Some((filling, profit));
						break;
					}
				}
			}
			match chosen {
				Some((filling, profit)) => {
					choice[d] = filling;
					value[d + 1] = value[d] + profit;
					d += 1;
					entering = true;
				}
				None => {
					if let Some(flag) = placed.get_mut(level_at[d]) {
						*flag = false;
					}
					if d == 0 {
						return self.found(problem, best_choice, best, true, nodes);
					}
					d -= 1;
				}
			}
		}
	}

	/// The prices of the requests not in `taken` that some provider not `placed` may take.
	fn usable(&self, placed: &[bool], taken: &[u64]) -> i128 {
		let mut sum = 0;
		for (w, taken) in taken.iter().enumerate() {
			let mut free = 0;
			for (level, _) in self.levels.iter().zip(placed).filter(|(_, placed)| !**placed) {
				free |= level.candidates[w];
			}
			sum += cost(&[free & !taken], &self.prices[w * 64..]);
		}
		sum
	}

	/// Examines a node whose path has chosen the providers `placed`, taking the requests
	/// `taken`, worth `value`, with `usable` the prices of the free requests the other providers
	/// may take: for each other provider, its fillings disjoint from `taken`. `None` if some
	/// provider has none or the node cannot beat `best` (its bound: the least of `value` plus
	/// each such provider's best profit and `value + usable` plus each one's best reduced
	/// profit); otherwise the provider with the fewest (ties by index), and the bounds of the
	/// others.
	fn branch(
		&self,
		placed: &[bool],
		taken: &[u64],
		(value, usable): (u128, i128),
		best: u128,
	) -> Option<(usize, Rest)> {
		let mut total = Rest::default();
		let mut fewest: Option<(usize, usize, Rest)> = None;
		for (index, level) in self.levels.iter().enumerate() {
			if placed[index] {
				continue;
			}
			// Past the fewest so far this level is not branched on: its best is all it needs.
			let enough = fewest.map_or(usize::MAX, |(count, _, _)| count);
			let tops = level.best_disjoint(taken, self.words, enough)?;
			total.profit += tops.best.profit;
			total.reduced += tops.best.reduced;
			if tops.count < enough {
				fewest = Some((tops.count, index, tops.best));
			}
		}
		let (_, index, top) = fewest?;
		let bound =
			(value + total.profit).min((value as i128 + usable + total.reduced).max(0) as u128);
		let others =
			Rest { profit: total.profit - top.profit, reduced: total.reduced - top.reduced };
		(bound > best).then_some((index, others))
	}

	/// The most any choice not yet explored can be worth when the search stops entering a node
	/// at depth `d` (taking `taken`): the node itself (the least of its value plus each provider
	/// not yet chosen at its best profit, and its value plus the prices of the usable free
	/// requests plus each one's best reduced profit), and at each depth above it the fillings
	/// not yet tried there (at most the best reduced profit left, fillings being by decreasing
	/// reduced profit, and at most the provider's best profit) with the bounds of the other
	/// providers at that node.
	fn open_bound(
		&self,
		at: Open,
		usable: &[i128],
		value: &[u128],
		placed: &[bool],
		taken: &[u64],
		d: usize,
	) -> u128 {
		let mut unplaced = Rest::default();
		for (level, _) in self.levels.iter().zip(placed).filter(|(_, placed)| !**placed) {
			unplaced.profit += level.by_profit.first().map_or(0, |f| level.profits[*f as usize]);
			unplaced.reduced += level.reduced.first().copied().unwrap_or(0);
		}
		let node = value[d] as i128 + self.usable(placed, taken) + unplaced.reduced;
		let mut open = (value[d] + unplaced.profit).min(node.max(0) as u128);
		for (e, level) in at.level_at.iter().enumerate() {
			let Some(level) = self.levels.get(*level) else { continue };
			if let Some(reduced) = level.reduced.get(at.next[e]) {
				let by_prices = value[e] as i128 + usable[e] + reduced + at.others[e].reduced;
				let most = level.profits[level.by_profit[0] as usize];
				let by_profits = value[e] + most + at.others[e].profit;
				open = open.max(by_profits.min(by_prices.max(0) as u128));
			}
		}
		open
	}

	fn found(
		&self,
		problem: &Problem,
		choice: Option<Vec<(usize, usize)>>,
		bound: u128,
		proven: bool,
		nodes: u64,
	) -> FillingSearch {
		let better = choice.map(|choice| {
			let mut solution = Solution::empty(problem);
			for (level, filling) in choice {
				let level = &self.levels[level];
				let members = level.members(filling, self.words);
				for item in 0..problem.items() {
					if members[item / 64] >> (item % 64) & 1 == 1 {
						let pair = problem
							.pair(item, level.agent as u32)
							.expect("a filling holds only items with a pair on its agent; qed");
						solution.put(item, pair);
					}
				}
			}
			solution
		});
		FillingSearch { better, bound, proven, nodes }
	}
}

/// Sums (a provider's capacity and below) [`count_by_sums`] keeps a count for at most (4 MiB).
const COUNT_SUMS: u64 = 1 << 20;

/// Cells (candidate requests times sums) [`count_by_sums`] fills at most.
const COUNT_CELLS: u64 = 1 << 25;

/// What [`count_by_sums`] found.
#[derive(Debug, PartialEq, Eq)]
enum Counted {
	/// This many subsets.
	Exactly(usize),
	/// More than the limit.
	Over,
	/// The table would be too large: not counted.
	TooLarge,
}

/// How many subsets of `loads` sum to exactly `capacity`, if at most `limit`, by a dynamic
/// programme over the sums with counts saturating past `limit`: the listing's count without
/// listing, in time `loads x capacity` whatever the count (a provider with tens of millions of
/// fillings is found to have too many far sooner than by counting them one by one up to the
/// limit). [`Counted::TooLarge`] past [`COUNT_SUMS`] sums or
/// [`COUNT_CELLS`] cells.
fn count_by_sums(
	loads: impl ExactSizeIterator<Item = u64>,
	capacity: u64,
	limit: usize,
) -> Counted {
	let cells = (loads.len() as u64).saturating_mul(capacity.saturating_add(1));
	let Ok(cap) = u32::try_from(limit.saturating_add(1)) else { return Counted::TooLarge };
	if capacity >= COUNT_SUMS || cells > COUNT_CELLS {
		return Counted::TooLarge;
	}
	// `ways[s]`: the subsets of the loads so far summing to `s`, at most `cap`.
	let mut ways = vec![0u32; capacity as usize + 1];
	ways[0] = 1;
	// Loads of 0 never make a filling of their own: the listing records a filling as soon as
	// its sum is reached, before any of them (they come last, by decreasing load).
	for load in loads.filter(|load| *load > 0) {
		// Below `COUNT_SUMS` after the `min`: a `usize` on every target (a load above the
		// capacity, which a fitting pair never has, adds nothing).
		let load = load.min(capacity + 1) as usize;
		// From the top down, so that each sum adds the count before this load.
		for s in (load..ways.len()).rev() {
			ways[s] = ways[s].saturating_add(ways[s - load]).min(cap);
		}
	}
	match ways[capacity as usize] {
		count if count == cap => Counted::Over,
		count => Counted::Exactly(count as usize),
	}
}

/// Where the search stands at each depth above the node it stops at: the provider branched on,
/// its next filling to try, the bound of the other providers.
struct Open<'a> {
	level_at: &'a [usize],
	next: &'a [usize],
	others: &'a [Rest],
}

/// What [`list_agent`] found: how many exact fillings, and the level listing them where asked
/// to store them.
struct Listed {
	count: usize,
	level: Option<Level>,
}

/// What [`list_agent`] does with the fillings it finds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
	/// Counts them only.
	Count,
	/// Lists them into tables that grow as they fill.
	Grow,
	/// Lists them into tables of the listing's limit, allocated at once (the limit being their
	/// count).
	Reserve,
}

/// The exact fillings of `agent` (of `capacity`) from its fitting pairs `items`, at most `limit`
/// of them (`None` past it, or if the table of sums would exceed [`FILL_WORDS`]): counted, and
/// listed as `keep` says.
fn list_agent(
	agent: usize,
	capacity: u64,
	mut items: Vec<(usize, Pair)>,
	words: usize,
	limit: usize,
	keep: Keep,
) -> Option<Listed> {
	items.sort_by(|(a, pa), (b, pb)| pb.load.cmp(&pa.load).then(a.cmp(b)));
	// Layer `k` of the table over the reversed loads: the sums the last `k` items reach.
	let reversed: Vec<u64> = items.iter().rev().map(|(_, p)| p.load).collect();
	let sums = SubsetSums::new(&reversed, capacity, FILL_WORDS)?;
	let table = if keep == Keep::Reserve { limit } else { 0 };
	let mut listing = Listing {
		items: &items,
		sums: &sums,
		words,
		limit,
		store: keep != Keep::Count,
		count: 0,
		chosen: Vec::new(),
		profits: Vec::with_capacity(table),
		members: Vec::with_capacity(table * words),
	};
	if sums.reached(items.len(), capacity) {
		listing.all(capacity).ok()?;
	}
	let Listing { count, profits, members, .. } = listing;
	if keep == Keep::Count {
		return Some(Listed { count, level: None });
	}
	let mut candidates = vec![0u64; words];
	for (item, _) in &items {
		candidates[item / 64] |= 1 << (item % 64);
	}
	// Profits are at most `MAX_PROFIT`, 2^88, so sums of them fit an `i128`.
	let reduced = profits.iter().map(|p| *p as i128).collect();
	let mut level = Level { agent, profits, reduced, members, candidates, by_profit: Vec::new() };
	level.sort(words);
	Some(Listed { count, level: Some(level) })
}

/// Rearranges `rows` (rows of `width` values) so that row `k` becomes the old row `order[k]`, in
/// place, one cycle of the permutation `order` at a time (`order` is used up): no second table.
fn permute_rows<T: Copy + Default>(rows: &mut [T], width: usize, order: &mut [usize]) {
	let mut first = vec![T::default(); width];
	for start in 0..order.len() {
		if order[start] == usize::MAX {
			continue;
		}
		first.copy_from_slice(&rows[start * width..(start + 1) * width]);
		let mut at = start;
		loop {
			let from = core::mem::replace(&mut order[at], usize::MAX);
			if from == start {
				rows[at * width..(at + 1) * width].copy_from_slice(&first);
				break;
			}
			rows.copy_within(from * width..(from + 1) * width, at * width);
			at = from;
		}
	}
}

/// The state of one provider's listing.
struct Listing<'a> {
	items: &'a [(usize, Pair)],
	sums: &'a SubsetSums,
	words: usize,
	limit: usize,
	/// Whether to store the fillings or only count them.
	store: bool,
	count: usize,
	/// The items taken on the current branch (indices into `items`).
	chosen: Vec<usize>,
	profits: Vec<u128>,
	members: Vec<u64>,
}

/// More fillings than the limit.
struct TooMany;

/// Where a frame of the listing stands: its item is still to be taken, or left out, or both
/// branches are done.
enum Branch {
	Take,
	Leave,
	Done,
}

impl Listing<'_> {
	/// Lists the fillings of `capacity` (which the caller has checked the table reaches), depth
	/// first with a stack of its own (one frame per item at most, on the heap: a provider may
	/// have thousands of candidates): each frame `(k, rest, branch)` lists the fillings that take
	/// `rest` more from `items[k..]` besides `chosen`, first with item `k`, then without.
	fn all(&mut self, capacity: u64) -> Result<(), TooMany> {
		let mut stack = vec![(0usize, capacity, Branch::Take)];
		while let Some(frame) = stack.last_mut() {
			let (k, rest) = (frame.0, frame.1);
			if rest == 0 {
				self.record()?;
				stack.pop();
				continue;
			}
			// `rest > 0` is reached from `items[k..]`, so `k` is an item.
			let after = self.items.len() - k - 1;
			match frame.2 {
				Branch::Take => {
					frame.2 = Branch::Leave;
					let load = self.items[k].1.load;
					if load <= rest && self.sums.reached(after, rest - load) {
						self.chosen.push(k);
						stack.push((k + 1, rest - load, Branch::Take));
					}
				}
				Branch::Leave => {
					frame.2 = Branch::Done;
					if self.chosen.last() == Some(&k) {
						self.chosen.pop();
					}
					if self.sums.reached(after, rest) {
						stack.push((k + 1, rest, Branch::Take));
					}
				}
				Branch::Done => {
					stack.pop();
				}
			}
		}
		Ok(())
	}

	/// Counts `chosen` as a filling, and records it where the listing stores.
	fn record(&mut self) -> Result<(), TooMany> {
		if self.count == self.limit {
			return Err(TooMany);
		}
		self.count += 1;
		if !self.store {
			return Ok(());
		}
		let start = self.members.len();
		self.members.resize(start + self.words, 0);
		let mut profit = 0;
		for c in &self.chosen {
			let (item, pair) = self.items[*c];
			self.members[start + item / 64] |= 1 << (item % 64);
			profit += pair.profit;
		}
		self.profits.push(profit);
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{check, generate, objective::Model};

	/// A filling of every provider to the Wh (the restarts find one on this market).
	fn full_filling(problem: &Problem) -> Solution {
		crate::restarts::fullest_filling(problem, |_| false).expect("the tables fit")
	}

	/// Every exact filling of `agent`, by enumerating the subsets of its items (brute force).
	fn brute_force_count(problem: &Problem, agent: usize) -> usize {
		let capacity = problem.capacities()[agent];
		let loads: Vec<u64> = (0..problem.items())
			.filter_map(|i| problem.pair(i, agent as u32).map(|p| p.load))
			.collect();
		(0u64..1 << loads.len())
			.filter(|set| {
				let sum: u64 = loads
					.iter()
					.enumerate()
					.filter(|(k, _)| set >> k & 1 == 1)
					.map(|(_, l)| l)
					.sum();
				sum == capacity
			})
			.count()
	}

	#[test]
	fn lists_every_exact_filling() {
		for seed in 0..40 {
			let market = generate::market(seed, 16, 3, 70, 60);
			let problem = Model::market(&market).unwrap().problem;
			let fillings = Fillings::list(&problem, u64::MAX).expect("few fillings");
			for level in &fillings.levels {
				assert_eq!(
					level.profits.len(),
					brute_force_count(&problem, level.agent),
					"seed {seed}"
				);
				assert!(level.profits.windows(2).all(|w| w[0] >= w[1]));
				// Each filling's requests fill the provider and are worth its profit: the
				// rows were rearranged with their profits.
				for (filling, profit) in level.profits.iter().enumerate() {
					let members = level.members(filling, fillings.words);
					let pairs: Vec<&Pair> = (0..problem.items())
						.filter(|i| members[i / 64] >> (i % 64) & 1 == 1)
						.map(|i| problem.pair(i, level.agent as u32).unwrap())
						.collect();
					let load: u64 = pairs.iter().map(|p| p.load).sum();
					assert_eq!(load, problem.capacities()[level.agent], "seed {seed}");
					assert_eq!(pairs.iter().map(|p| p.profit).sum::<u128>(), *profit);
				}
			}
		}
	}

	#[test]
	fn counting_by_sums_agrees_with_the_listing() {
		let mut random = generate::SplitMix(11);
		for case in 0..300 {
			let loads: Vec<u64> = (0..random.range(0, 14)).map(|_| random.range(0, 30)).collect();
			let capacity = random.range(0, 120);
			let items: Vec<(usize, Pair)> = loads
				.iter()
				.enumerate()
				.filter(|(_, load)| **load <= capacity)
				.map(|(item, load)| (item, Pair { agent: 0, load: *load, profit: 1 }))
				.collect();
			let limit = random.range(1, 40) as usize;
			let fitting = items.iter().map(|(_, pair)| pair.load);
			let by_sums = count_by_sums(fitting, capacity, limit);
			let listed = list_agent(0, capacity, items.clone(), 1, limit, Keep::Count);
			let expected = listed.map_or(Counted::Over, |l| Counted::Exactly(l.count));
			assert_eq!(by_sums, expected, "case {case}: {loads:?} into {capacity}, limit {limit}");
		}
		// Past its table's size it leaves the count to the listing.
		assert_eq!(count_by_sums([1, 2].into_iter(), COUNT_SUMS, 10), Counted::TooLarge);
	}

	#[test]
	fn rows_are_rearranged_in_place_as_ordered() {
		let mut random = generate::SplitMix(7);
		for (rows, width) in [(0, 1), (1, 3), (50, 1), (64, 2), (100, 3)] {
			let table: Vec<u64> = (0..rows * width).map(|_| random.next_u64()).collect();
			let mut order: Vec<usize> = (0..rows).collect();
			for k in (1..rows).rev() {
				order.swap(k, random.range(0, k as u64) as usize);
			}
			let expected: Vec<u64> =
				order.iter().flat_map(|r| table[r * width..(r + 1) * width].to_vec()).collect();
			let mut rearranged = table.clone();
			permute_rows(&mut rearranged, width, &mut order);
			assert_eq!(rearranged, expected, "{rows} rows of {width}");
		}
	}

	#[test]
	fn a_stopped_search_bounds_the_optimum() {
		let model = Model::market(&generate::market(50_076, 50, 5, 70, 60)).unwrap();
		let problem = &model.problem;
		let start = full_filling(problem);
		assert!(start.residual.iter().all(|r| *r == 0), "the restarts fill every provider");
		let mut optimum = None;
		let mut root_bounds = Vec::new();
		// Without prices (the bound: each provider's best filling) and with them.
		for priced in [false, true] {
			let mut fillings = Fillings::list(problem, u64::MAX).expect("few fillings");
			if priced {
				fillings.price(start.profit, u64::MAX);
			}
			let full = fillings.search(problem, &start, u64::MAX, &mut |_| false);
			assert!(full.proven);
			let best = full.better.expect("the restarts' weight is not optimal");
			assert_eq!(check::score(problem, &best.assignment), Ok(best.profit));
			assert_eq!(full.bound, best.profit);
			assert_eq!(*optimum.get_or_insert(best.profit), best.profit, "priced: {priced}");
			for budget in [1, 10, 100, 1_000, 5_000] {
				let stopped = fillings.search(problem, &start, budget, &mut |_| false);
				if stopped.proven {
					// The prices prove it sooner.
					assert!(priced && stopped.nodes <= budget);
					assert_eq!(stopped.bound, full.bound);
					continue;
				}
				assert_eq!(stopped.nodes, budget);
				assert!(stopped.bound >= full.bound, "budget {budget}, priced: {priced}");
				let profit = stopped.better.as_ref().map_or(start.profit, |s| s.profit);
				assert!(profit <= full.bound);
				if budget == 1 {
					root_bounds.push(stopped.bound);
				}
			}
		}
		// The prices bring the root's bound down (from some 50 % above the optimal weight).
		assert!(root_bounds[1] < root_bounds[0], "{root_bounds:?}");
	}

	#[test]
	fn prices_keep_the_bound_above_every_optimum() {
		// The benchmark's 50x5 and a 60x6 market short of capacity, each filled to the Wh by
		// the restarts: priced, the search proves the optimum the unpriced search proves, in
		// fewer nodes.
		let markets = (50_075..50_080).map(|seed| (seed, 50, 5)).chain([(60_076, 60, 6)]);
		for (seed, n, m) in markets {
			let problem = Model::market(&generate::market(seed, n, m, 70, 60)).unwrap().problem;
			let start = full_filling(&problem);
			assert!(start.residual.iter().all(|r| *r == 0), "seed {seed}");
			let mut fillings = Fillings::list(&problem, u64::MAX).expect("few fillings");
			let plain = fillings.search(&problem, &start, u64::MAX, &mut |_| false);
			fillings.price(start.profit, u64::MAX);
			let priced = fillings.search(&problem, &start, u64::MAX, &mut |_| false);
			assert!(plain.proven && priced.proven, "seed {seed}");
			assert_eq!(plain.bound, priced.bound, "seed {seed}");
			assert!(priced.nodes < plain.nodes, "seed {seed}: {} >= {}", priced.nodes, plain.nodes);
		}
	}

	#[test]
	fn gives_up_where_fillings_are_too_many() {
		// 80x8 #1: 3 258 259 exact fillings; 200x20: 3e7 to 4e11 for each provider.
		for (seed, n, m) in [(80_079, 80, 8), (200_090, 200, 20)] {
			let model = Model::market(&generate::market(seed, n, m, 70, 60)).unwrap();
			assert!(Fillings::list(&model.problem, u64::MAX).is_none(), "{n}x{m}");
		}
	}

	#[test]
	fn lists_hundreds_of_thousands() {
		// The frontier benchmark's 60x6 markets short of capacity: 70 486 and 322 560 exact
		// fillings, counted by a dynamic programme over the sums outside the solver (Python).
		for (seed, count) in [(60_077, 70_486), (60_078, 322_560)] {
			let model = Model::market(&generate::market(seed, 60, 6, 70, 60)).unwrap();
			let fillings = Fillings::list(&model.problem, u64::MAX).expect("fewer than the limit");
			let listed: usize = fillings.levels.iter().map(|l| l.profits.len()).sum();
			assert_eq!(listed, count, "seed {seed}");
		}
	}
}
