//! Exact branch-and-bound over the internal problem, with a node budget.
//!
//! 1. **Incumbent.** A greedy assignment by profit, improved by local search
//!    ([`crate::heuristic`]); then, during the subgradient optimisation of the root bound, the
//!    Lagrangian heuristic repairs every tenth relaxed solution.
//! 2. **Root bound.** `L(λ)` at the best prices found ([`crate::lagrangian`]).
//! 3. **Variable fixing.** Forcing item `i` onto agent `j` lowers the bound by exactly
//!    `best_i - red_ij` (the item's best reduced profit minus this pair's): a pair for which
//!    `L - best_i + red_ij` cannot beat the incumbent is removed for good, and so is the option
//!    of leaving `i` unassigned when `L - best_i` cannot. On the market instances this removes
//!    most pairs before the search starts.
//! 4. **Branching.** Items in a fixed order, most valuable first (highest best reduced profit:
//!    the decisions that move the bound most are taken first); at each item the options are the
//!    agents with room, best reduced profit first, and "unassigned" in its place by its reduced
//!    profit of zero. Depth first, so the first dive follows the Lagrangian prices and every
//!    node's partial assignment is itself a feasible solution (unassigned items are allowed).
//! 5. **Bounding at a node.** With the prices fixed at the root's, the bound of a node is
//!    `SCALE * fixed profit + sum_j λ_j residual_j + sum of best reduced profits of the items
//!    left`; the last sum is a precomputed suffix, so a child's bound costs O(1). A node that
//!    survives it gets the tighter bound that only counts pairs still fitting their agent's
//!    residual capacity.
//! 6. **Budget.** The search stops after `max_nodes` nodes (deterministic: every node computes
//!    the same answer), or when `should_stop` says so (a time limit, for tools). It then returns
//!    the incumbent and the largest bound among the open nodes, so the gap is proven.
//!
//! Memory is bounded by the depth: the stack holds at most one frame per item, each with at
//! most one option per agent plus one, whatever the budget: `O(n m)` words for `n` items and
//! `m` agents, besides the problem itself.

use crate::{
	heuristic::{self, Solution},
	lagrangian::{self, best_reduced, capacity_value, reduced, SCALE},
	problem::{Assignment, Pair, Problem},
};
use alloc::{vec, vec::Vec};

/// The answer of the search, in internal profits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
	/// The best assignment found.
	pub assignment: Assignment,
	/// Its internal profit.
	pub profit: u128,
	/// A proven upper bound on every feasible assignment's internal profit.
	pub bound: u128,
	/// Whether the search finished: then `bound == profit` and the assignment is optimal.
	pub optimal: bool,
	/// Nodes the search visited.
	pub nodes: u64,
}

/// How often (in nodes) `should_stop` is asked.
const STOP_CHECK_INTERVAL: u64 = 256;

/// One option at a node: an agent (or none) and its reduced profit.
#[derive(Clone, Copy)]
struct Choice {
	pair: Option<Pair>,
	reduced: i128,
}

/// A node on the depth-first stack.
struct Frame {
	/// The item branched on.
	item: usize,
	/// The node's bound (scaled).
	bound: i128,
	/// The item's best reduced profit among its fitting options.
	item_best: i128,
	/// Its options, best first.
	choices: Vec<Choice>,
	/// The next option to try.
	next: usize,
}

/// Solves `problem` by branch-and-bound within `max_nodes` nodes, asking `should_stop` every
/// few hundred nodes whether to stop early.
pub fn solve(problem: &Problem, max_nodes: u64, should_stop: &mut dyn FnMut() -> bool) -> Outcome {
	let n = problem.items();

	// 1. First incumbent.
	let mut by_profit: Vec<usize> = (0..n).collect();
	let top_profit = |i: usize| problem.pairs_of(i).iter().map(|p| p.profit).max().unwrap_or(0);
	by_profit.sort_by(|a, b| top_profit(*b).cmp(&top_profit(*a)).then(a.cmp(b)));
	let mut best = heuristic::greedy(problem, &by_profit, |_, p| p.profit as i128);
	heuristic::improve(problem, &mut best);

	// 2. Root bound, with the Lagrangian heuristic.
	let relaxation = lagrangian::optimise(problem, best.profit, |lambda, iteration| {
		if iteration % 10 != 0 {
			return None;
		}
		let candidate = lagrangian_heuristic(problem, lambda);
		(candidate.profit > best.profit).then(|| {
			best = candidate;
			best.profit
		})
	});
	let lambda = relaxation.lambda;
	let root_bound = relaxation.bound;
	if root_bound / SCALE <= best.profit as i128 {
		return finished(best, 0);
	}

	// 3. Variable fixing.
	let best_red: Vec<i128> = (0..n).map(|i| best_reduced(problem.pairs_of(i), &lambda)).collect();
	let threshold = |incumbent: u128| SCALE.saturating_mul(incumbent as i128 + 1);
	let options: Vec<Vec<Choice>> = (0..n)
		.map(|i| {
			let keep = |red: i128| root_bound - best_red[i] + red >= threshold(best.profit);
			let mut choices: Vec<Choice> = problem
				.pairs_of(i)
				.iter()
				.filter(|p| p.load <= problem.capacities()[p.agent as usize])
				.filter_map(|p| {
					reduced(p, &lambda).map(|red| Choice { pair: Some(*p), reduced: red })
				})
				.filter(|c| keep(c.reduced))
				.collect();
			if keep(0) {
				choices.push(Choice { pair: None, reduced: 0 });
			}
			choices.sort_by(|a, b| b.reduced.cmp(&a.reduced).then(agent_key(a).cmp(&agent_key(b))));
			choices
		})
		.collect();

	// 4. and 5. Depth-first search, choosing the item to branch on at each node.
	let mut current = Solution::empty(problem);
	let mut decided = vec![false; n];
	let mut stack: Vec<Frame> = Vec::with_capacity(n + 1);
	let mut nodes = 0u64;
	let mut entering = true;
	loop {
		if core::mem::take(&mut entering) {
			nodes += 1;
			if current.profit > best.profit {
				best = current.clone();
			}
			let node = examine(&current, &decided, &options, &lambda);
			let stop =
				nodes >= max_nodes || (nodes.is_multiple_of(STOP_CHECK_INTERVAL) && should_stop());
			if stop {
				let open = open_bound(&stack).max(node.bound);
				return stopped(best, open, nodes);
			}
			match node.branch {
				Some((item, item_best)) if node.bound >= threshold(best.profit) => {
					let choices = options[item]
						.iter()
						.filter(|c| {
							c.pair.is_none_or(|p| p.load <= current.residual[p.agent as usize])
						})
						.copied()
						.collect();
					decided[item] = true;
					stack.push(Frame { item, bound: node.bound, item_best, choices, next: 0 });
				}
				_ => {
					if let Some(frame) = stack.last() {
						undo(problem, &mut current, frame.item);
					}
				}
			}
			continue;
		}
		let Some(frame) = stack.last_mut() else { break };
		let parent_less_item = frame.bound - frame.item_best;
		let next = frame.choices[frame.next..]
			.iter()
			.position(|c| parent_less_item + c.reduced >= threshold(best.profit));
		match next {
			Some(offset) => {
				let choice = frame.choices[frame.next + offset];
				frame.next += offset + 1;
				if let Some(pair) = choice.pair {
					current.put(frame.item, &pair);
				}
				entering = true;
			}
			None => {
				decided[frame.item] = false;
				stack.pop();
				if let Some(parent) = stack.last() {
					undo(problem, &mut current, parent.item);
				}
			}
		}
	}
	finished(best, nodes)
}

/// What [`examine`] finds at a node.
struct Node {
	/// The node's bound (scaled): `SCALE * profit + sum_j λ_j residual_j + sum over undecided
	/// items of their best reduced profit among options that still fit`.
	bound: i128,
	/// The item to branch on and its best reduced profit, or `None` when all are decided.
	branch: Option<(usize, i128)>,
}

/// Computes a node's bound and picks its branching item: the undecided item with the largest
/// regret (best minus second-best reduced profit among its fitting options), the one whose
/// wrong decision would cost most; ties go to the larger best reduced profit, then the lower
/// index. An item without any fitting option (fixing removed "unassigned" and no agent has
/// room) makes the node worthless: its bound becomes very negative and prunes it.
fn examine(current: &Solution, decided: &[bool], options: &[Vec<Choice>], lambda: &[i128]) -> Node {
	let mut bound = SCALE
		.saturating_mul(current.profit as i128)
		.saturating_add(capacity_value(lambda, &current.residual));
	let mut branch: Option<(usize, i128, i128)> = None;
	for (item, choices) in options.iter().enumerate() {
		if decided[item] {
			continue;
		}
		let mut fitting = choices
			.iter()
			.filter(|c| c.pair.is_none_or(|p| p.load <= current.residual[p.agent as usize]))
			.map(|c| c.reduced);
		let Some(first) = fitting.next() else {
			return Node { bound: i128::MIN / 4, branch: None };
		};
		let regret = fitting.next().map_or(i128::MAX, |second| first - second);
		bound = bound.saturating_add(first);
		let better = match branch {
			None => true,
			Some((_, best_first, best_regret)) => (regret, first) > (best_regret, best_first),
		};
		if better {
			branch = Some((item, first, regret));
		}
	}
	Node { bound, branch: branch.map(|(item, first, _)| (item, first)) }
}

/// Sorting key that puts agents before "unassigned" among equal reduced profits.
fn agent_key(choice: &Choice) -> u64 {
	choice.pair.map_or(u64::MAX, |p| p.agent as u64)
}

/// Takes item `item` off its agent in `current`, if assigned.
fn undo(problem: &Problem, current: &mut Solution, item: usize) {
	if let Some(agent) = current.assignment[item] {
		let pair = problem.pair(item, agent).expect("assigned through an allowed pair; qed");
		current.take(item, pair);
	}
}

/// The largest bound among the untried options on the stack (scaled).
fn open_bound(stack: &[Frame]) -> i128 {
	stack
		.iter()
		.flat_map(|frame| {
			let base = frame.bound - frame.item_best;
			frame.choices[frame.next..].iter().map(move |c| base + c.reduced)
		})
		.max()
		.unwrap_or(i128::MIN)
}

/// The Lagrangian heuristic: items by best reduced profit, each to its best agent with room.
fn lagrangian_heuristic(problem: &Problem, lambda: &[i128]) -> Solution {
	let n = problem.items();
	let red: Vec<i128> = (0..n).map(|i| best_reduced(problem.pairs_of(i), lambda)).collect();
	let mut order: Vec<usize> = (0..n).collect();
	order.sort_by(|a, b| red[*b].cmp(&red[*a]).then(a.cmp(b)));
	let mut solution =
		heuristic::greedy(problem, &order, |_, p| reduced(p, lambda).unwrap_or(i128::MIN));
	heuristic::improve(problem, &mut solution);
	solution
}

fn finished(best: Solution, nodes: u64) -> Outcome {
	Outcome {
		profit: best.profit,
		bound: best.profit,
		assignment: best.assignment,
		optimal: true,
		nodes,
	}
}

fn stopped(best: Solution, open: i128, nodes: u64) -> Outcome {
	let bound = (open.max(0) / SCALE) as u128;
	Outcome {
		profit: best.profit,
		bound: bound.max(best.profit),
		assignment: best.assignment,
		optimal: false,
		nodes,
	}
}
