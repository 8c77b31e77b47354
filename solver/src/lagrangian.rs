//! The upper bound: a Lagrangian relaxation of the capacity constraints.
//!
//! Pricing each agent's capacity at `λ_j >= 0` per unit of load and dropping the capacity
//! constraints leaves a problem that splits by item:
//!
//! ```text
//! L(λ) = sum_j λ_j b_j + sum_i max(0, max_j (q_ij - λ_j a_ij))
//! ```
//!
//! Every feasible assignment is worth at most `L(λ)`, for every `λ >= 0` (the capacity terms it
//! leaves unused are non-negative). The best `λ` gives the value of the linear relaxation (the
//! relaxed problem has the integrality property), the bound of Ross and Soland. It is found by
//! subgradient optimisation ([`optimise`]): `b_j - load_j` of the relaxed solution is a
//! subgradient, and Polyak steps towards the incumbent's value shrink the bound.
//!
//! Where the subgradient starts and what it aims at comes from the objective ([`Guide`]): a
//! market's profits mix two scales (a Wh served is worth more than all the weight there is), so
//! its prices start at the energy prices of a minimum cut ([`crate::flow`]) and its steps aim at
//! the energy bound plus the incumbent's weight; the search then only moves prices on the
//! weight's scale. Starting from the incumbent alone, the steps would be sized by the energy the
//! incumbent lacks and throw the prices far off.
//!
//! Everything is integer: `λ` and reduced profits are scaled by [`SCALE`] and kept in `i128`,
//! so every node computes the same bound from the same problem. A reduced profit too negative to
//! represent is treated as minus infinity, which changes nothing (the pair is never the item's
//! best); the `λ b` terms saturate upwards, which only loosens the bound.

use crate::{
	flow::{self, EnergyCut},
	problem::{Pair, Problem},
};
use alloc::{vec, vec::Vec};

/// Fixed-point scale of prices and reduced profits.
pub const SCALE: i128 = 1 << 16;

/// Subgradient iterations at the root.
pub const ITERATIONS: usize = 300;

/// The reduced profit `SCALE q - λ_j a` of a pair, `None` if below the representable range.
pub fn reduced(pair: &Pair, lambda: &[i128]) -> Option<i128> {
	let price = lambda[pair.agent as usize].checked_mul(pair.load as i128)?;
	(SCALE * pair.profit as i128).checked_sub(price)
}

/// The best reduced profit of an item among its pairs, and 0 for leaving it unassigned.
pub fn best_reduced(pairs: &[Pair], lambda: &[i128]) -> i128 {
	pairs.iter().filter_map(|p| reduced(p, lambda)).fold(0, i128::max)
}

/// `sum_j λ_j r_j` for residual capacities `r`, saturating upwards.
pub fn capacity_value(lambda: &[i128], residual: &[u64]) -> i128 {
	lambda
		.iter()
		.zip(residual)
		.fold(0i128, |sum, (l, r)| sum.saturating_add(l.saturating_mul(*r as i128)))
}

/// `L(λ)`, scaled by [`SCALE`]; fills `choice` with each item's best agent in the relaxation.
pub fn evaluate(problem: &Problem, lambda: &[i128], choice: &mut [Option<u32>]) -> i128 {
	let mut bound = capacity_value(lambda, problem.capacities());
	for (item, slot) in choice.iter_mut().enumerate() {
		let mut best = (0i128, None);
		for pair in problem.pairs_of(item) {
			if let Some(r) = reduced(pair, lambda) {
				if r > best.0 {
					best = (r, Some(pair.agent));
				}
			}
		}
		bound = bound.saturating_add(best.0);
		*slot = best.1;
	}
	bound
}

/// Starting prices: an agent whose candidate pairs' loads exceed its capacity gets the lowest
/// profit per unit of load among its pairs, the price at which it would still take every item
/// it can; an agent with room for all its candidates gets 0. For the market this is close to the
/// optimum (a Wh of capacity is worth about `W + 1`), and it saves the subgradient most of its
/// way.
pub fn initial_prices(problem: &Problem) -> Vec<i128> {
	let m = problem.agents();
	let mut demand = vec![0u128; m];
	let mut lowest_ratio = vec![i128::MAX; m];
	for item in 0..problem.items() {
		for pair in problem.pairs_of(item) {
			let agent = pair.agent as usize;
			demand[agent] += pair.load as u128;
			if pair.load > 0 {
				let ratio = SCALE.saturating_mul(pair.profit as i128) / pair.load as i128;
				lowest_ratio[agent] = lowest_ratio[agent].min(ratio);
			}
		}
	}
	(0..m)
		.map(|j| {
			let tight = demand[j] > problem.capacities()[j] as u128;
			if tight && lowest_ratio[j] != i128::MAX {
				lowest_ratio[j]
			} else {
				0
			}
		})
		.collect()
}

/// What the objective tells the bound about the problem's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guide {
	/// Nothing: start from [`initial_prices`] and aim the steps at the incumbent's value.
	General,
	/// A market: profits `R_i * scale + w_ij` with load `R_i` on every agent.
	Market {
		/// One Wh served is worth this much profit.
		scale: u128,
		/// The maximum flow: the most energy, and the bottleneck providers.
		cut: EnergyCut,
	},
}

impl Guide {
	/// A market's guide for `problem`: one Wh served is worth `scale`, and the maximum flow
	/// gives the most energy and the bottleneck providers.
	pub fn market(scale: u128, problem: &Problem) -> Self {
		Guide::Market { scale, cut: flow::energy_bound(problem) }
	}

	/// The prices the subgradient starts from (scaled): for a market, `scale` per Wh on the
	/// bottleneck providers and 0 elsewhere, where the bound's energy part is already `E_LP`.
	pub fn start(&self, problem: &Problem) -> Vec<i128> {
		match self {
			Guide::General => initial_prices(problem),
			Guide::Market { scale, cut } => {
				let price = SCALE.saturating_mul(*scale as i128);
				cut.bottleneck.iter().map(|b| if *b { price } else { 0 }).collect()
			}
		}
	}

	/// Whether an assignment worth `profit` serves less energy than a market's bound (always
	/// false for other problems): then filling agents may still serve more.
	pub fn short_of_energy(&self, profit: u128) -> bool {
		match self {
			Guide::General => false,
			Guide::Market { scale, cut } => profit / scale < cut.energy,
		}
	}

	/// The value the steps aim at when the incumbent is worth `incumbent`: the incumbent itself,
	/// or for a market the energy bound with the incumbent's weight (an estimate of the
	/// optimum on the weight's scale).
	pub fn target(&self, incumbent: u128) -> u128 {
		match self {
			Guide::General => incumbent,
			Guide::Market { scale, cut } => {
				let estimate = cut.energy.saturating_mul(*scale).saturating_add(incumbent % scale);
				estimate.max(incumbent)
			}
		}
	}
}

/// The result of the subgradient optimisation.
pub struct Relaxation {
	/// The best prices found, scaled by [`SCALE`].
	pub lambda: Vec<i128>,
	/// `L(lambda)`, scaled.
	pub bound: i128,
}

/// Minimises `L(λ)` by subgradient optimisation, starting from the guide's prices, with Polyak
/// steps towards the guide's target for `lower_bound` (the incumbent's internal value). `on_relaxed` sees each relaxed
/// solution, for a Lagrangian heuristic to repair into a feasible one; it returns a new lower
/// bound if it found a better incumbent. Stops after [`ITERATIONS`], or when the bound meets the
/// lower bound (then the incumbent is optimal).
pub fn optimise(
	problem: &Problem,
	guide: &Guide,
	mut lower_bound: u128,
	mut on_relaxed: impl FnMut(&[i128], usize) -> Option<u128>,
) -> Relaxation {
	let m = problem.agents();
	let mut lambda = guide.start(problem);
	let mut choice = vec![None; problem.items()];
	let mut best = Relaxation { lambda: lambda.clone(), bound: i128::MAX };
	// The step size factor is `mu / 64`; it halves after 15 iterations without improvement.
	let mut mu: i128 = 128;
	let mut stalled = 0;
	for iteration in 0..ITERATIONS {
		let bound = evaluate(problem, &lambda, &mut choice);
		if bound < best.bound {
			best = Relaxation { lambda: lambda.clone(), bound };
			stalled = 0;
		} else {
			stalled += 1;
			if stalled >= 15 {
				mu /= 2;
				stalled = 0;
			}
		}
		if let Some(better) = on_relaxed(&lambda, iteration) {
			lower_bound = lower_bound.max(better);
		}
		let target = SCALE.saturating_mul(guide.target(lower_bound) as i128);
		if best.bound / SCALE <= lower_bound as i128 || mu == 0 {
			break;
		}
		// Subgradient: unused capacity of each agent in the relaxed solution.
		let mut load = vec![0u64; m];
		for (item, agent) in choice.iter().enumerate() {
			if let Some(agent) = agent {
				let pair = problem.pairs_of(item).iter().find(|p| p.agent == *agent);
				let slot = &mut load[*agent as usize];
				*slot = slot.saturating_add(pair.map_or(0, |p| p.load));
			}
		}
		let gap = bound.saturating_sub(target).max(0);
		if !step(&mut lambda, problem.capacities(), &load, gap, mu) {
			break;
		}
	}
	best
}

/// One projected subgradient step on `lambda` towards lowering the bound by `gap`, scaled by
/// `factor / 64`: the subgradient is each agent's capacity (`room`) less its load in the relaxed
/// solution, except that an agent with price 0 and spare capacity gives no direction (prices
/// cannot go below 0), and the Polyak step is `gap / |g|^2`. Returns false when the subgradient
/// is zero (the relaxed solution fills every priced agent exactly).
pub fn step(lambda: &mut [i128], room: &[u64], load: &[u64], gap: i128, factor: i128) -> bool {
	let mut norm = 0i128;
	let g: Vec<i128> = room
		.iter()
		.zip(load)
		.zip(lambda.iter())
		.map(|((r, l), price)| {
			let spare = *r as i128 - *l as i128;
			let g = if spare > 0 && *price == 0 { 0 } else { spare };
			norm = norm.saturating_add(g.saturating_mul(g));
			g
		})
		.collect();
	if norm == 0 {
		return false;
	}
	let mut gap = gap;
	while norm > (1 << 62) {
		norm >>= 1;
		gap >>= 1;
	}
	let (whole, rest) = (gap / norm, gap % norm);
	for (price, g) in lambda.iter_mut().zip(&g) {
		let change = whole.saturating_mul(*g).saturating_add(rest.saturating_mul(*g) / norm);
		let change = change.saturating_mul(factor) / 64;
		*price = price.saturating_sub(change).max(0);
	}
	true
}
