//! # GridShard's assignment solver
//!
//! Exact branch-and-bound for the generalised assignment problem (GAP), in the form GridShard's
//! market needs (paper eq. 5, Algorithm 1): requests to providers, each request to at most one
//! provider, providers' capacities respected, every request served when the capacities allow
//! and otherwise the most energy served, and among those the largest total matching degree.
//!
//! `no_std`, no FRAME: the matching pallet's off-chain worker runs it inside the runtime, and
//! `gridshard-solve` runs it on files. All arithmetic is integer, every tie is broken by index,
//! and the budget is a node count: the same input gives the same answer on every machine.
//!
//! Reading order, like a textbook chapter:
//!
//! 1. [`problem`]: the internal form every objective reduces to;
//! 2. [`objective`]: the market and the plain GAP objectives, and back;
//! 3. [`check`]: feasibility and score in linear time (what the chain re-checks);
//! 4. [`heuristic`]: the first incumbent, and [`restarts`]: fillings from nothing where a
//!    market is still short of energy;
//! 5. [`flow`] and [`lagrangian`]: the upper bound;
//! 6. [`knapsack`] and [`knapsack_bound`]: the stronger bound, one knapsack per agent;
//! 7. [`search`]: branch-and-bound, variable fixing and the budget, and [`exact_fill`]: the
//!    search over exact fillings for a market whose providers can all be filled;
//! 8. [`neighbourhood`]: a few agents at a time re-solved by that search, where it has not
//!    ended;
//! 9. [`orlib`]: the OR-Library file format;
//! 10. [`generate`]: generated market instances for benchmarks and tests.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod check;
pub mod exact_fill;
pub mod flow;
pub mod generate;
pub mod heuristic;
pub mod knapsack;
pub mod knapsack_bound;
pub mod lagrangian;
pub mod neighbourhood;
pub mod objective;
pub mod orlib;
pub mod problem;
pub mod restarts;
pub mod search;
mod subset_sum;

pub use objective::{Market, Model, Sense, Value};
pub use problem::{Assignment, Pair, Problem, ProblemError};
pub use search::Outcome;

/// The solver's answer in the model's own terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
	/// The search's answer in internal profits.
	pub outcome: Outcome,
	/// The value of the assignment found.
	pub value: Value,
	/// The proven bound in the model's terms (see [`Model::bound`]); `None` when it proves that
	/// no complete assignment exists.
	pub bound: Option<i128>,
}

/// Solves a model within `max_nodes` branch-and-bound nodes (`u64::MAX` for no limit).
pub fn solve(model: &Model, max_nodes: u64) -> Solution {
	solve_until(model, max_nodes, &mut |_| false)
}

/// Solves a model within `max_nodes` nodes, stopping early when `should_stop` returns true. It
/// is asked before the root's sequential knapsacks (where they run), after the root and then
/// every few hundred nodes, with the internal profit of the best assignment found so far: tools
/// and the matching pallet's off-chain worker pass a clock, or a target to reach; the chain's
/// own checks never do.
pub fn solve_until(
	model: &Model,
	max_nodes: u64,
	should_stop: &mut dyn FnMut(u128) -> bool,
) -> Solution {
	let outcome = search::solve(&model.problem, &model.guide(), max_nodes, should_stop);
	answer(model, outcome)
}

/// [`solve_until`] from `start`, an assignment of the model (an earlier answer, or one found
/// elsewhere): the search's first incumbent where it is worth more than the greedy one (see
/// [`search::solve_from`]), so the answer is never worse than `start`. Refused, with the reason,
/// where `start` is not feasible.
pub fn solve_from_until(
	model: &Model,
	start: &Assignment,
	max_nodes: u64,
	should_stop: &mut dyn FnMut(u128) -> bool,
) -> Result<Solution, check::Infeasible> {
	let start = heuristic::Solution::of(&model.problem, start)?;
	let guide = model.guide();
	let outcome = search::solve_from(&model.problem, &guide, Some(start), max_nodes, should_stop);
	Ok(answer(model, outcome))
}

/// A search's outcome in the model's terms.
fn answer(model: &Model, outcome: Outcome) -> Solution {
	let value = model.value(outcome.profit);
	let bound = model.bound(outcome.bound);
	Solution { outcome, value, bound }
}
