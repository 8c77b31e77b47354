//! Exact branch-and-bound over the internal problem, with a node budget.
//!
//! 1. **Incumbent.** A greedy assignment by profit, improved by local search
//!    ([`crate::heuristic`]); during the subgradient optimisation of the root bound the
//!    Lagrangian heuristic repairs every tenth relaxed solution (and fills agents to the Wh on
//!    a market short of capacity), and once more at the best prices; then filling, forced
//!    insertions, restarted fillings from nothing ([`crate::restarts`]) while a market is still
//!    short of its energy bound, the full local search and same-load exchanges polish the best.
//! 2. **Root bound.** `L(λ)` at the best prices found ([`crate::lagrangian`]; for a market, from
//!    the energy prices of a minimum cut, [`crate::flow`]).
//! 3. **Variable fixing.** Forcing item `i` onto agent `j` lowers the root bound by exactly
//!    `best_i - red_ij` (the item's best reduced profit minus this pair's): a pair for which
//!    `L - best_i + red_ij` cannot beat the incumbent is removed for good, and so is the option
//!    of leaving `i` unassigned when `L - best_i` cannot. Every better incumbent the search finds
//!    fixes more. On the market instances this removes most pairs.
//! 4. **Knapsack bound.** Over the options left, the Lagrangian relaxation of the assignment
//!    constraints instead ([`crate::knapsack_bound`]: one exact knapsack per agent, much closer
//!    to the optimum than the linear relaxation), from the reduced profits at the best prices;
//!    every fifth evaluation its packings are repaired into an assignment
//!    (`knapsack_heuristic`). It proves the incumbent optimal, or fixes options: forcing `i`
//!    onto `j` leaves agent `j` a knapsack without `i` and with less room, and where that
//!    cannot beat the incumbent the option goes, again on every better incumbent. Where most
//!    knapsacks are too hard for their budget (a market short of capacity: filling providers to
//!    the Wh is a subset-sum problem) it would be no better than the linear bound and is left
//!    out; there the root instead packs the agents one by one, each optimally by dynamic
//!    programming at the root's prices ([`heuristic::sequential_knapsacks`]), which chooses
//!    among the exact fillings by weight.
//! 5. **Exact fillings.** Where the incumbent of a market fills every provider to the Wh, every
//!    optimum does too, and only the weight is left: each provider takes one of its exact
//!    fillings. Where they are few enough to list ([`crate::exact_fill`]; on small markets),
//!    choosing one per provider, no request twice, is searched instead of the steps below, and
//!    proves the optimum where the linear and knapsack bounds stay well above the optimal
//!    weight (the small markets short of capacity; figures in the README).
//! 6. **Bounding at a node.** Prices adapt to the node: [`NODE_ITERATIONS`] half Polyak steps
//!    from the parent's prices, aimed at the value the node must reach, and the lowest bound
//!    seen is the node's (every price vector gives a valid bound). Two penalties sharpen it,
//!    each bounding a different part of the relaxation: the *crowding* penalty (the items whose
//!    best option is the same agent and overfill it must partly leave, at their regret; a
//!    minimum knapsack) and the *slack* penalty (an agent with little room left fills at most
//!    to the fullest subset sum of what may still go to it; the rest of its capacity is worth
//!    nothing). When the relaxed solution happens to fit, it is a new incumbent. A node these
//!    do not prune gets the knapsack bound, a few steps from the root's prices.
//! 7. **Branching.** Depth first, on the undecided item with the largest regret at the node's
//!    prices (best minus second-best fitting option: the decision that costs most if wrong),
//!    best option first; while a market's energy can still grow (the incumbent serves less
//!    than the maximum flow), on the largest item instead: that is a packing problem, and big
//!    items first is how packing is searched. Every node's partial assignment is feasible.
//! 8. **Neighbourhoods.** A search not ended after [`NEIGHBOURHOOD_AFTER`] nodes re-solves
//!    sets of three agents (every one, or 300 at random), with their items and the best waiting
//!    ones, by this same search from the incumbent's assignment ([`crate::neighbourhood`];
//!    [`solve_from`]); then, in turns with those sets, the items whose incumbent agent is not
//!    their best at the root's prices, re-solved on every agent at once (a relaxation-induced
//!    neighbourhood); then it goes on with the better incumbent, which fixes more options. Where
//!    profits follow loads (the chain's matching degree) the depth-first search alone stays in
//!    one corner of the tree; the README measures what this adds.
//! 9. **Budget.** The search stops after `max_nodes` nodes (deterministic: every node computes
//!    the same answer), or when `should_stop` says so (a time limit or a target, for tools). It
//!    then returns the incumbent and the largest bound among the open nodes, so the gap is
//!    proven.
//!
//! Memory is bounded by the depth: the stack holds at most one frame per item, each with at
//! most one option per agent plus one and the node's prices: `O(n m)` words for `n` items and
//! `m` agents, besides the problem itself and scratch space of the same order.

use crate::{
	exact_fill,
	heuristic::{self, Solution},
	knapsack::wide_mul,
	knapsack_bound::{
		Candidate, Evaluation, KnapsackBound, ITERATIONS,
		NODE_ITERATIONS as KNAPSACK_NODE_ITERATIONS,
	},
	lagrangian::{self, best_reduced, capacity_value, reduced, step, Guide, Relaxation, SCALE},
	neighbourhood,
	problem::{Assignment, Pair, Problem},
	restarts,
	subset_sum::fullest_sum,
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
	/// Whether the assignment is proven optimal: the search finished, or what it left open
	/// cannot beat it. Exactly when `bound == profit`.
	pub optimal: bool,
	/// Nodes the search visited.
	pub nodes: u64,
}

/// How often (in nodes) `should_stop` is asked, besides at the root.
const STOP_CHECK_INTERVAL: u64 = 256;

/// One option at a node: an agent (or none) and its reduced profit.
#[derive(Clone, Copy)]
struct Choice {
	pair: Option<Pair>,
	reduced: i128,
	/// `SCALE * profit` (0 for "unassigned").
	scaled: i128,
}

/// An option as the relaxation reads it, compact: its agent ([`NO_AGENT`] for "unassigned"),
/// load and `SCALE * profit`.
#[derive(Clone, Copy)]
struct Lean {
	scaled: i128,
	load: u64,
	agent: u32,
}

/// The agent of the "unassigned" option in [`Lean`].
const NO_AGENT: u32 = u32::MAX;

impl Lean {
	fn of(choice: &Choice) -> Self {
		match choice.pair {
			Some(pair) => Self { scaled: choice.scaled, load: pair.load, agent: pair.agent },
			None => Self { scaled: 0, load: 0, agent: NO_AGENT },
		}
	}
}

/// The options of every item, and the same in the compact form the relaxation reads.
struct Options {
	choices: Vec<Vec<Choice>>,
	lean: Vec<Vec<Lean>>,
}

impl Options {
	fn new(choices: Vec<Vec<Choice>>) -> Self {
		let lean = choices.iter().map(|c| c.iter().map(Lean::of).collect()).collect();
		Self { choices, lean }
	}

	/// Keeps the options of each item `i` for which `keep(i, choice)`.
	fn retain(&mut self, keep: impl Fn(usize, &Choice) -> bool) {
		for (i, (choices, lean)) in self.choices.iter_mut().zip(&mut self.lean).enumerate() {
			choices.retain(|c| keep(i, c));
			*lean = choices.iter().map(Lean::of).collect();
		}
	}
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
	/// The node's prices (scaled), where its children's price search starts.
	lambda: Vec<i128>,
}

/// Solves `problem` by branch-and-bound within `max_nodes` nodes, asking `should_stop` (with the
/// incumbent's profit) before the root's sequential knapsacks (where they run), after the root
/// and every few hundred nodes whether to stop early;
/// `guide` says what the objective knows of the problem's shape ([`Guide::General`] when
/// nothing).
pub fn solve(
	problem: &Problem,
	guide: &Guide,
	max_nodes: u64,
	should_stop: &mut dyn FnMut(u128) -> bool,
) -> Outcome {
	solve_from(problem, guide, None, max_nodes, should_stop)
}

/// [`solve`], with `start` (a feasible assignment of `problem`) as a first incumbent where it is
/// worth more than the greedy one. Given a start, the root leaves out its two costliest
/// heuristics, the restarted fillings and the sequential knapsacks, which build assignments
/// from nothing: the caller's assignment stands in for them (the neighbourhoods of
/// [`crate::neighbourhood`], which solve hundreds of small problems from the incumbent's).
///
/// Each numbered step of the module's documentation is one function here.
pub fn solve_from(
	problem: &Problem,
	guide: &Guide,
	start: Option<Solution>,
	max_nodes: u64,
	should_stop: &mut dyn FnMut(u128) -> bool,
) -> Outcome {
	let from_nothing = start.is_none();
	let mut best = first_incumbent(problem, start);
	let relaxation = root_relaxation(problem, guide, &mut best);
	polish_incumbent(problem, guide, &relaxation.lambda, from_nothing, &mut best);
	if relaxation.bound / SCALE <= best.profit as i128 {
		return finished(best, 0);
	}
	let mut root = fix_variables(problem, relaxation, best.profit);
	if knapsack_at_root(problem, &mut root, &mut best) {
		return finished(best, 0);
	}
	if root.knapsack.is_none() && from_nothing {
		// The packing takes several times the rest of the root: a tool may stop before it.
		if should_stop(best.profit) {
			return stopped(best, unscaled(root.bound), 0);
		}
		if sequential_packing(problem, &mut root, &mut best) {
			return finished(best, 0);
		}
	}
	if let Some(end) = exact_fillings(problem, guide, root.bound, &mut best, max_nodes, should_stop)
	{
		return end.with(best);
	}
	DepthFirst::new(problem, guide, root, best).run(max_nodes, should_stop)
}

/// How a step before the depth-first search ends the search.
enum Ended {
	/// The incumbent is proven optimal after this many nodes.
	Proven {
		/// Nodes visited.
		nodes: u64,
	},
	/// The search stopped with this bound on what it left open.
	Stopped {
		/// The proven bound (internal profit).
		bound: u128,
		/// Nodes visited.
		nodes: u64,
	},
}

impl Ended {
	/// The outcome with `best` as the answer.
	fn with(self, best: Solution) -> Outcome {
		match self {
			Ended::Proven { nodes } => finished(best, nodes),
			Ended::Stopped { bound, nodes } => stopped(best, bound, nodes),
		}
	}
}

/// Step 1, the first incumbent: the greedy assignment by profit, improved by local search, or
/// `start` where it is worth more.
fn first_incumbent(problem: &Problem, start: Option<Solution>) -> Solution {
	let mut by_profit: Vec<usize> = (0..problem.items()).collect();
	heuristic::sort_by_top_profit(problem, &mut by_profit);
	let mut best = heuristic::greedy(problem, &by_profit, |_, p| p.profit as i128);
	heuristic::improve(problem, &mut best);
	match start {
		Some(start) if start.profit > best.profit => start,
		_ => best,
	}
}

/// Step 2, the root bound: the subgradient optimisation of `L(λ)`, the Lagrangian heuristic
/// repairing every tenth relaxed solution (filling agents to the Wh every fiftieth) and once
/// more at the best prices into a better `best`.
fn root_relaxation(problem: &Problem, guide: &Guide, best: &mut Solution) -> Relaxation {
	let relaxation = lagrangian::optimise(problem, guide, best.profit, |lambda, iteration| {
		if iteration % 10 != 0 {
			return None;
		}
		let candidate = lagrangian_heuristic(problem, guide, lambda, iteration % 50 == 0);
		(candidate.profit > best.profit).then(|| {
			*best = candidate;
			best.profit
		})
	});
	let at_best_prices = lagrangian_heuristic(problem, guide, &relaxation.lambda, true);
	if at_best_prices.profit > best.profit {
		*best = at_best_prices;
	}
	relaxation
}

/// Step 1, continued at the root's prices `lambda`: while a market is short of its energy
/// bound, filling, forced insertions and (when the search starts from nothing) the restarted
/// fillings; then the full local search and, on a market, same-load exchanges.
fn polish_incumbent(
	problem: &Problem,
	guide: &Guide,
	lambda: &[i128],
	from_nothing: bool,
	best: &mut Solution,
) {
	let key = |p: &Pair| reduced(p, lambda).unwrap_or(i128::MIN);
	if guide.short_of_energy(best.profit) {
		heuristic::fill(problem, best, key);
	}
	if guide.short_of_energy(best.profit) {
		heuristic::fill_forcing(problem, best, key);
	}
	if guide.short_of_energy(best.profit) && from_nothing {
		let enough = |profit: u128| !guide.short_of_energy(profit);
		if let Some(mut filled) = restarts::fullest_filling(problem, enough) {
			heuristic::repack(problem, &mut filled, key);
			if filled.profit > best.profit {
				*best = filled;
			}
		}
	}
	heuristic::improve(problem, best);
	if matches!(guide, Guide::Market { .. }) {
		let before = best.profit;
		for _ in 0..EXCHANGE_PASSES {
			if !heuristic::exchange(problem, best, key) {
				break;
			}
		}
		if best.profit != before {
			heuristic::improve(problem, best);
		}
	}
}

/// What the root hands the search: its prices and bound, each item's best reduced profit, the
/// options fixing left and the knapsack bound where it helps.
struct Root {
	/// The root's best prices (scaled).
	lambda: Vec<i128>,
	/// `L(λ)` at those prices (scaled).
	bound: i128,
	/// Each item's best reduced profit at those prices.
	best_red: Vec<i128>,
	/// The options left of every item.
	options: Options,
	/// The knapsack bound, where its knapsacks were within their budget.
	knapsack: Option<KnapsackFixing>,
}

impl Root {
	/// Removes for good the options that cannot be part of an assignment better than
	/// `incumbent`, by the root's bound (step 3) and the knapsack bound (step 4).
	fn fix_for(&mut self, incumbent: u128) {
		let (bound, best_red) = (self.bound, &self.best_red);
		self.options.retain(|i, c| bound - best_red[i] + c.reduced >= threshold(incumbent));
		if let Some(knapsack) = &mut self.knapsack {
			knapsack.fix(&mut self.options, threshold(incumbent));
		}
	}
}

/// Step 3, variable fixing: each item keeps the options (and "unassigned") whose forcing
/// leaves the root bound able to beat an incumbent worth `incumbent`, best reduced profit
/// first.
fn fix_variables(problem: &Problem, relaxation: Relaxation, incumbent: u128) -> Root {
	let Relaxation { lambda, bound } = relaxation;
	let best_red: Vec<i128> =
		(0..problem.items()).map(|i| best_reduced(problem.pairs_of(i), &lambda)).collect();
	let choices: Vec<Vec<Choice>> = (0..problem.items())
		.map(|i| {
			let keep = |red: i128| bound - best_red[i] + red >= threshold(incumbent);
			let mut choices: Vec<Choice> = problem
				.pairs_of(i)
				.iter()
				.filter(|p| p.load <= problem.capacities()[p.agent as usize])
				.filter_map(|p| {
					reduced(p, &lambda).map(|red| Choice {
						pair: Some(*p),
						reduced: red,
						scaled: SCALE * p.profit as i128,
					})
				})
				.filter(|c| keep(c.reduced))
				.collect();
			if keep(0) {
				choices.push(Choice { pair: None, reduced: 0, scaled: 0 });
			}
			choices.sort_by(|a, b| b.reduced.cmp(&a.reduced).then(agent_key(a).cmp(&agent_key(b))));
			choices
		})
		.collect();
	Root { lambda, bound, best_red, options: Options::new(choices), knapsack: None }
}

/// Step 4, the knapsack bound: optimised at the root where its knapsacks are within their
/// budget, improving `best` on the way; true where it proves `best` optimal, and otherwise it
/// fixes more options for good.
fn knapsack_at_root(problem: &Problem, root: &mut Root, best: &mut Solution) -> bool {
	root.knapsack = KnapsackFixing::at_root(problem, &root.options, &root.best_red, best);
	if root.knapsack.as_ref().is_some_and(|k| k.bound() < threshold(best.profit)) {
		return true;
	}
	if let Some(knapsack) = &mut root.knapsack {
		knapsack.fix(&mut root.options, threshold(best.profit));
	}
	false
}

/// Step 4, where the knapsacks were too hard for that bound (a market short of capacity): the
/// sequential knapsacks at the root's prices, an option valued at its profit less part of the
/// item's best reduced profit and each agent's candidates ranked by their reduced cost. True
/// where the packing meets the root bound.
fn sequential_packing(problem: &Problem, root: &mut Root, best: &mut Solution) -> bool {
	let (lambda, best_red) = (&root.lambda, &root.best_red);
	let value = |i: usize, p: &Pair| {
		let price = best_red[i] / 8 * PACKING_PRICE_EIGHTHS;
		(SCALE * p.profit as i128).saturating_sub(price)
	};
	let rank = |i: usize, p: &Pair| {
		reduced(p, lambda).map_or(i128::MIN, |r| r.saturating_sub(best_red[i]))
	};
	let Some(mut packed) = heuristic::sequential_knapsacks(problem, value, rank) else {
		return false;
	};
	heuristic::repack(problem, &mut packed, |p| reduced(p, lambda).unwrap_or(i128::MIN));
	if packed.profit <= best.profit {
		return false;
	}
	heuristic::improve(problem, &mut packed);
	*best = packed;
	if root.bound / SCALE <= best.profit as i128 {
		return true;
	}
	root.fix_for(best.profit);
	false
}

/// Step 5, exact fillings: where a market's incumbent fills every provider to the Wh, so does
/// every optimum, and where the providers' exact fillings are few enough to list, choosing one
/// per provider replaces the depth-first search. `None` where it does not apply.
fn exact_fillings(
	problem: &Problem,
	guide: &Guide,
	root_bound: i128,
	best: &mut Solution,
	max_nodes: u64,
	should_stop: &mut dyn FnMut(u128) -> bool,
) -> Option<Ended> {
	if !matches!(guide, Guide::Market { .. }) || best.residual.iter().any(|r| *r != 0) {
		return None;
	}
	let mut fillings = exact_fill::Fillings::list(problem, max_nodes)?;
	fillings.price(best.profit, max_nodes);
	let found = fillings.search(problem, best, max_nodes, should_stop);
	if let Some(better) = found.better {
		*best = better;
	}
	if found.proven {
		return Some(Ended::Proven { nodes: found.nodes });
	}
	// Both bounds hold; the root's is usually far weaker.
	let bound = found.bound.min(unscaled(root_bound));
	Some(Ended::Stopped { bound, nodes: found.nodes })
}

/// Steps 6 to 9: the depth-first search from the root, bounding each node at its own prices,
/// branching on the costliest decision, re-solving neighbourhoods once, until the tree is done,
/// the node budget is spent or `should_stop` says so.
struct DepthFirst<'a> {
	problem: &'a Problem,
	guide: &'a Guide,
	root: Root,
	/// The incumbent.
	best: Solution,
	/// The node's partial assignment (always feasible).
	current: Solution,
	/// Which items the stack has decided.
	decided: Vec<bool>,
	stack: Vec<Frame>,
	scratch: Scratch,
	/// Nodes entered.
	nodes: u64,
}

impl<'a> DepthFirst<'a> {
	/// A search at the root, with the root's incumbent.
	fn new(problem: &'a Problem, guide: &'a Guide, root: Root, best: Solution) -> Self {
		let n = problem.items();
		Self {
			problem,
			guide,
			root,
			best,
			current: Solution::empty(problem),
			decided: vec![false; n],
			stack: Vec::with_capacity(n + 1),
			scratch: Scratch::new(problem.agents()),
			nodes: 0,
		}
	}

	/// Searches until the tree is done (the incumbent is optimal) or the search stops (the
	/// outcome's bound is the largest among the open nodes).
	fn run(mut self, max_nodes: u64, should_stop: &mut dyn FnMut(u128) -> bool) -> Outcome {
		loop {
			if let Some(open) = self.enter(max_nodes, should_stop) {
				return stopped(self.best, unscaled(open), self.nodes);
			}
			if !self.next_child() {
				return finished(self.best, self.nodes);
			}
		}
	}

	/// Enters the node the stack and `current` describe: takes a better incumbent (the node's
	/// assignment, the relaxation's completion, the neighbourhoods' once), fixes more options
	/// when it finds one, then branches or goes back to the parent. Answers the bound on the
	/// open nodes (scaled) when the search must stop here.
	fn enter(&mut self, max_nodes: u64, should_stop: &mut dyn FnMut(u128) -> bool) -> Option<i128> {
		self.nodes += 1;
		let incumbent = self.best.profit;
		if self.current.profit > self.best.profit {
			self.best = self.current.clone();
		}
		let prices = self.stack.last().map_or(&self.root.lambda, |frame| &frame.lambda);
		let at = Node::examine(
			&self.current,
			&self.decided,
			&self.root.options,
			prices,
			threshold(self.best.profit),
			self.guide.short_of_energy(self.best.profit),
			&mut self.scratch,
		);
		if let Some(completion) = &at.completion {
			self.complete(completion);
		}
		if self.nodes == NEIGHBOURHOOD_AFTER {
			let (problem, guide, lambda) = (self.problem, self.guide, &self.root.lambda);
			neighbourhood::improve_with_relaxation(
				problem,
				guide,
				&mut self.best,
				lambda,
				should_stop,
			);
		}
		if self.best.profit > incumbent {
			self.root.fix_for(self.best.profit);
		}
		let stop = self.nodes >= max_nodes
			|| ((self.nodes == 1 || self.nodes.is_multiple_of(STOP_CHECK_INTERVAL))
				&& should_stop(self.best.profit));
		if stop {
			return Some(open_bound(&self.stack).max(at.pruning_bound));
		}
		self.branch_or_return(at);
		None
	}

	/// Takes the node's assignment completed by the relaxation's `completion` as the incumbent
	/// where it is worth more, after local search.
	fn complete(&mut self, completion: &[(usize, Pair)]) {
		let mut candidate = self.current.clone();
		for (item, pair) in completion {
			candidate.put(*item, pair);
		}
		if candidate.profit > self.best.profit {
			heuristic::improve(self.problem, &mut candidate);
			self.best = candidate;
		}
	}

	/// Pushes the node's branching decision where neither its bound nor (within its reach) the
	/// knapsack bound prunes it; otherwise undoes the decision that led to it.
	fn branch_or_return(&mut self, at: Node) {
		let needed = threshold(self.best.profit);
		let branch = at.branch.filter(|_| {
			at.pruning_bound >= needed && !self.knapsack_prunes(at.pruning_bound, needed)
		});
		match branch {
			Some(branch) => {
				self.decided[branch.item] = true;
				self.stack.push(Frame {
					item: branch.item,
					bound: at.bound,
					item_best: branch.best,
					choices: branch.choices,
					next: 0,
					lambda: at.lambda,
				});
			}
			None => {
				if let Some(frame) = self.stack.last() {
					undo(self.problem, &mut self.current, frame.item);
				}
			}
		}
	}

	/// Whether the knapsack bound prunes the node, tried only where the node's own bound is
	/// within [`KNAPSACK_REACH`] times the gap it closed at the root and its budget lasts.
	fn knapsack_prunes(&mut self, pruning_bound: i128, needed: i128) -> bool {
		let Root { bound, options, knapsack, .. } = &mut self.root;
		knapsack.as_mut().is_some_and(|k| {
			pruning_bound - needed <= KNAPSACK_REACH * (*bound - k.bound()).max(0)
				&& !k.node.spent()
				&& k.node_bound(&self.current, &self.decided, options, needed) < needed
		})
	}

	/// Moves to the next child worth entering: the top frame's next option that can still beat
	/// the incumbent, going back up from frames with none left. False when the tree is done.
	fn next_child(&mut self) -> bool {
		loop {
			let needed = threshold(self.best.profit);
			let Some(frame) = self.stack.last_mut() else { return false };
			let parent_less_item = frame.bound - frame.item_best;
			let next = frame.choices[frame.next..]
				.iter()
				.position(|c| parent_less_item + c.reduced >= needed);
			match next {
				Some(offset) => {
					let choice = frame.choices[frame.next + offset];
					frame.next += offset + 1;
					if let Some(pair) = choice.pair {
						self.current.put(frame.item, &pair);
					}
					return true;
				}
				None => {
					self.decided[frame.item] = false;
					self.stack.pop();
					if let Some(parent) = self.stack.last() {
						undo(self.problem, &mut self.current, parent.item);
					}
				}
			}
		}
	}
}

/// A search that has not ended after this many nodes re-solves sets of agents and the items
/// the relaxation would move ([`neighbourhood::improve_with_relaxation`]) for a better
/// incumbent, then goes on with it.
pub const NEIGHBOURHOOD_AFTER: u64 = 4_096;

/// Knapsack search steps the root's knapsack bound may take (the nodes share
/// [`crate::knapsack_bound::WORK`]): enough for markets with uniform weights, a cap for markets
/// weighted as the chain weighs them (weight growing with energy: strongly correlated
/// knapsacks), where the bound proves nothing for its time; past this it stands at its best
/// prices so far. The README gives the measured step counts.
pub const ROOT_KNAPSACK_WORK: u64 = 1 << 20;

/// A node gets the knapsack bound only if its cheap bound exceeds what it must reach by at
/// most this many times the gap the knapsack bound closed at the root: the knapsack bound costs
/// some twenty times more, and a node much further above is unlikely to be pruned by it.
pub const KNAPSACK_REACH: i128 = 2;

/// Subgradient steps at each node, warm-started from the parent's prices.
pub const NODE_ITERATIONS: usize = 2;

/// The nodes' steps are this many 64ths of the Polyak step: aimed at the value a node must
/// reach, a full step overshoots wherever the node's bound stays above it (half steps chosen
/// against full, 2/3 and 1/4 ones on the benchmark: see the README).
pub const NODE_STEP: i128 = 32;

/// Scratch space of [`Node::examine`], kept between nodes so that nodes allocate little.
struct Scratch {
	/// Each agent's load in the relaxed solution.
	load: Vec<u64>,
	/// For each agent, the undecided items whose best fitting option it is: `(load, regret)`.
	crowds: Vec<Vec<(u64, u128)>>,
	/// Each undecided item's best fitting option and regret.
	firsts: Vec<(usize, Choice, i128)>,
	/// For each agent checked by [`slack_penalty`], the loads that could still go to it.
	loads: Vec<Vec<u64>>,
	/// The bitset of [`fullest_sum`].
	sums: Vec<u64>,
}

impl Scratch {
	fn new(agents: usize) -> Self {
		Self {
			load: vec![0; agents],
			crowds: vec![Vec::new(); agents],
			firsts: Vec::new(),
			loads: vec![Vec::new(); agents],
			sums: Vec::new(),
		}
	}
}

/// The regret of an item with a single fitting option: it cannot go anywhere else.
const NO_ALTERNATIVE: u128 = u128::MAX;

/// The decision a node branches on.
struct Branch {
	/// The item.
	item: usize,
	/// Its best reduced profit at the node's prices.
	best: i128,
	/// Its fitting options at the node's prices, best first.
	choices: Vec<Choice>,
}

/// What [`Node::examine`] finds at a node.
struct Node {
	/// The node's Lagrangian bound (scaled) at its prices: `SCALE * profit + sum_j λ_j r_j +
	/// sum over undecided items of their best reduced profit among options that still fit`. A
	/// child's bound is at most this less the item's best plus the child's option.
	bound: i128,
	/// That bound less the crowding penalty: what the node is pruned by.
	pruning_bound: i128,
	/// The node's prices.
	lambda: Vec<i128>,
	/// What to branch on, or `None` when the node is pruned or every item is decided.
	branch: Option<Branch>,
	/// The relaxed solution's assignments of the undecided items, when it is feasible.
	completion: Option<Vec<(usize, Pair)>>,
}

impl Node {
	fn pruned(bound: i128, lambda: Vec<i128>) -> Self {
		Self { bound, pruning_bound: bound, lambda, branch: None, completion: None }
	}

	/// Bounds a node and picks its branching decision.
	///
	/// **Prices.** Starting from the parent's prices, [`NODE_ITERATIONS`] subgradient steps
	/// aimed at `threshold` (the value a node must reach to be worth exploring) adapt them to
	/// the node's decisions; the lowest bound seen is the node's. Every price vector gives a
	/// valid bound, so the steps can only help.
	///
	/// **Branching.** The undecided item with the largest regret (best minus second-best
	/// reduced profit among its fitting options), the one whose wrong decision would cost most;
	/// ties go to the larger best reduced profit, then the lower index. An item without any
	/// fitting option (fixing removed "unassigned" and no agent has room) makes the node
	/// infeasible.
	///
	/// **Crowding penalty.** In the relaxation each item takes its best fitting option, and
	/// the items crowding onto agent `j` may together exceed its residual capacity `r_j`. In
	/// every feasible completion the items that leave `j` lose at least their regret each, and
	/// those that stay fit in `r_j`; so the bound may be lowered by the cheapest way to shed the
	/// excess, a minimum knapsack whose linear relaxation (items by regret per unit of load, the
	/// last one fractional, rounded down) is a valid lower bound. The agents' crowds are
	/// disjoint, so their penalties add up. An excess that cannot be shed proves the node
	/// infeasible.
	fn examine(
		current: &Solution,
		decided: &[bool],
		options: &Options,
		start: &[i128],
		threshold: i128,
		packing: bool,
		scratch: &mut Scratch,
	) -> Self {
		let (bound, lambda) =
			match Self::bound_at_prices(current, decided, options, start, threshold, scratch) {
				Ok(at) => at,
				Err((bound, lambda)) => return Self::pruned(bound, lambda),
			};
		let Some(penalty) = Self::penalty(current, decided, options, &lambda, scratch) else {
			return Self::pruned(i128::MIN / 4, lambda);
		};
		let pruning_bound = bound.saturating_sub(penalty);
		let completion = Self::completion(current, scratch);
		if pruning_bound < threshold {
			return Self { bound, pruning_bound, lambda, branch: None, completion };
		}
		let branch = Self::branch(current, options, &lambda, packing, scratch);
		Self { bound, pruning_bound, lambda, branch, completion }
	}

	/// The node's bound: [`NODE_ITERATIONS`] subgradient steps from the parent's prices
	/// `start` towards `threshold`, the lowest bound seen with its prices, the relaxed solution
	/// at those prices recorded in `scratch`. Refused, with the bound and prices to prune the
	/// node at, where an item cannot go anywhere or the bound falls below `threshold`.
	fn bound_at_prices(
		current: &Solution,
		decided: &[bool],
		options: &Options,
		start: &[i128],
		threshold: i128,
		scratch: &mut Scratch,
	) -> Result<(i128, Vec<i128>), (i128, Vec<i128>)> {
		let mut lambda = start.to_vec();
		let mut best: Option<(i128, Vec<i128>)> = None;
		let mut recorded = false;
		for iteration in 0..=NODE_ITERATIONS {
			let record = iteration == NODE_ITERATIONS;
			let Some(bound) = relax(current, decided, options, &lambda, scratch, record) else {
				return Err((i128::MIN / 4, lambda));
			};
			let last_is_best = best.as_ref().is_none_or(|(lowest, _)| bound < *lowest);
			recorded = record && last_is_best;
			if last_is_best {
				best = Some((bound, lambda.clone()));
			}
			if bound < threshold || iteration == NODE_ITERATIONS {
				break;
			}
			if !step(&mut lambda, &current.residual, &scratch.load, bound - threshold, NODE_STEP) {
				break;
			}
		}
		let (bound, lambda) = best.expect("the loop runs at least once; qed");
		if bound < threshold {
			return Err((bound, lambda));
		}
		if !recorded {
			relax(current, decided, options, &lambda, scratch, true)
				.expect("the same node and prices relaxed before; qed");
		}
		Ok((bound, lambda))
	}

	/// The crowding and slack penalties of the relaxed solution recorded in `scratch`, at
	/// prices `lambda`; `None` where a crowd's excess cannot be shed (the node is infeasible).
	fn penalty(
		current: &Solution,
		decided: &[bool],
		options: &Options,
		lambda: &[i128],
		scratch: &mut Scratch,
	) -> Option<i128> {
		scratch.crowds.iter_mut().for_each(Vec::clear);
		for (_, first, regret) in &scratch.firsts {
			if let Some(pair) = first.pair.filter(|p| p.load > 0) {
				let shed = if *regret == i128::MAX { NO_ALTERNATIVE } else { *regret as u128 };
				scratch.crowds[pair.agent as usize].push((pair.load, shed));
			}
		}
		// The relaxation's load on each agent is its crowd's; what exceeds the residual must go.
		let mut penalty = 0i128;
		let crowds = scratch.crowds.iter_mut().zip(&scratch.load).zip(&current.residual);
		for ((crowd, load), residual) in crowds {
			let cost = shedding_cost(crowd, load.saturating_sub(*residual))?;
			penalty = penalty.saturating_add(cost.min(i128::MAX as u128) as i128);
		}
		Some(penalty.saturating_add(slack_penalty(current, decided, options, lambda, scratch)))
	}

	/// With no agent crowded, the relaxed solution recorded in `scratch` is feasible: its
	/// assignments of the undecided items complete the node into a candidate incumbent.
	fn completion(current: &Solution, scratch: &Scratch) -> Option<Vec<(usize, Pair)>> {
		let feasible = scratch.load.iter().zip(&current.residual).all(|(load, r)| load <= r);
		feasible.then(|| {
			scratch
				.firsts
				.iter()
				.filter_map(|(item, first, _)| first.pair.map(|p| (*item, p)))
				.collect()
		})
	}

	/// The decision to branch on: the item with the largest regret; while a market's energy can
	/// still grow (`packing`), the largest item (a packing decision) that can go somewhere. Its
	/// fitting options at the node's prices `lambda`, best first.
	fn branch(
		current: &Solution,
		options: &Options,
		lambda: &[i128],
		packing: bool,
		scratch: &Scratch,
	) -> Option<Branch> {
		let load = |c: &Choice| c.pair.map_or(0, |p| p.load);
		let widest = if packing {
			scratch.firsts.iter().filter(|(_, f, _)| f.pair.is_some()).max_by(
				|(a, fa, ra), (b, fb, rb)| load(fa).cmp(&load(fb)).then(ra.cmp(rb)).then(b.cmp(a)),
			)
		} else {
			None
		}
		.or_else(|| {
			scratch.firsts.iter().max_by(|(a, fa, ra), (b, fb, rb)| {
				ra.cmp(rb).then(fa.reduced.cmp(&fb.reduced)).then(b.cmp(a))
			})
		});
		let fits =
			|c: &&Choice| c.pair.is_none_or(|p| p.load <= current.residual[p.agent as usize]);
		let at_prices = |c: &Choice| match c.pair {
			Some(pair) => reduced_at(c.scaled, lambda[pair.agent as usize], pair.load)
				.map(|reduced| Choice { reduced, ..*c }),
			None => Some(*c),
		};
		widest.map(|(item, first, _)| {
			let mut choices: Vec<Choice> =
				options.choices[*item].iter().filter(fits).filter_map(at_prices).collect();
			choices.sort_by(|a, b| b.reduced.cmp(&a.reduced).then(agent_key(a).cmp(&agent_key(b))));
			Branch { item: *item, best: first.reduced, choices }
		})
	}
}

/// The node's Lagrangian bound at prices `lambda` (scaled), each undecided item taking its best
/// fitting option; records in `scratch` each agent's load in that relaxed solution and, if
/// `record`, each undecided item's best option and regret (best minus second-best reduced
/// profit, `i128::MAX` for a single option). `None` if an undecided item has no fitting option.
fn relax(
	current: &Solution,
	decided: &[bool],
	options: &Options,
	lambda: &[i128],
	scratch: &mut Scratch,
	record: bool,
) -> Option<i128> {
	scratch.load.iter_mut().for_each(|l| *l = 0);
	scratch.firsts.clear();
	let mut bound = SCALE
		.saturating_mul(current.profit as i128)
		.saturating_add(capacity_value(lambda, &current.residual));
	for (item, lean) in options.lean.iter().enumerate() {
		if decided[item] {
			continue;
		}
		// The best option (its index and reduced profit) and the second-best reduced profit.
		let (mut first, mut second): (Option<(usize, i128)>, Option<i128>) = (None, None);
		for (k, option) in lean.iter().enumerate() {
			let reduced = if option.agent == NO_AGENT {
				0
			} else {
				let agent = option.agent as usize;
				if option.load > current.residual[agent] {
					continue;
				}
				match reduced_at(option.scaled, lambda[agent], option.load) {
					Some(value) => value,
					None => continue,
				}
			};
			match first {
				Some((_, f)) if reduced <= f => {
					if second.is_none_or(|s| reduced > s) {
						second = Some(reduced);
					}
				}
				_ => {
					second = first.map(|(_, f)| f);
					first = Some((k, reduced));
				}
			}
		}
		let (k, reduced) = first?;
		bound = bound.saturating_add(reduced);
		let chosen = lean[k];
		if chosen.agent != NO_AGENT {
			scratch.load[chosen.agent as usize] += chosen.load;
		}
		if record {
			let regret = second.map_or(i128::MAX, |second| reduced - second);
			scratch.firsts.push((item, Choice { reduced, ..options.choices[item][k] }, regret));
		}
	}
	Some(bound)
}

/// `scaled - price * load`, the reduced profit of a pair whose scaled profit is `scaled`;
/// `None` below the representable range. The common case (a price below `2^64`) takes one
/// widening multiplication.
fn reduced_at(scaled: i128, price: i128, load: u64) -> Option<i128> {
	match u64::try_from(price) {
		Ok(price) => {
			let cost = price as u128 * load as u128;
			i128::try_from(cost).ok().and_then(|cost| scaled.checked_sub(cost))
		}
		Err(_) => price.checked_mul(load as i128).and_then(|cost| scaled.checked_sub(cost)),
	}
}

/// Agents with at most this much residual capacity are checked by `slack_penalty`.
pub const SLACK_CHECK_LIMIT: u64 = 1 << 14;

/// The bitset work (words times loads) `slack_penalty` spends at one node, at most: agents
/// beyond it are not checked (which only weakens the bound).
pub const SLACK_WORK_PER_NODE: usize = 1 << 15;

/// The bound credits each agent's residual capacity `r_j` at its price `λ_j`, as if it could
/// be filled; but an agent is filled at most to the fullest sum of the loads that may still go
/// to it. For agents with a positive price and a small residual (at most
/// [`SLACK_CHECK_LIMIT`]), that sum is computed (a bitset subset sum), and the capacity that
/// must stay unused is subtracted at its price. On a market short of capacity (`λ_j` a Wh's
/// worth) this prunes every node that can no longer fill its agents to the Wh. It bounds a
/// different part of the relaxation than the crowding penalty, so the two add up.
fn slack_penalty(
	current: &Solution,
	decided: &[bool],
	options: &Options,
	lambda: &[i128],
	scratch: &mut Scratch,
) -> i128 {
	let checked = |j: usize| {
		lambda[j] > 0 && current.residual[j] > 0 && current.residual[j] <= SLACK_CHECK_LIMIT
	};
	if !(0..lambda.len()).any(checked) {
		return 0;
	}
	scratch.loads.iter_mut().for_each(Vec::clear);
	for (item, lean) in options.lean.iter().enumerate() {
		if decided[item] {
			continue;
		}
		for option in lean.iter().filter(|o| o.agent != NO_AGENT) {
			let j = option.agent as usize;
			if checked(j) && option.load <= current.residual[j] {
				scratch.loads[j].push(option.load);
			}
		}
	}
	let mut penalty = 0i128;
	// The fullest sums within a budget of bitset work per node, the smallest residuals first.
	let mut agents: Vec<usize> = (0..lambda.len()).filter(|j| checked(*j)).collect();
	agents.sort_by_key(|j| (current.residual[*j], *j));
	let mut work = 0usize;
	for j in agents {
		let residual = current.residual[j];
		work += (residual as usize / 64 + 1) * scratch.loads[j].len();
		if work > SLACK_WORK_PER_NODE {
			break;
		}
		let fullest = fullest_sum(&scratch.loads[j], residual, &mut scratch.sums);
		penalty = penalty.saturating_add(lambda[j].saturating_mul((residual - fullest) as i128));
	}
	penalty
}

/// Depth of the branching on critical items in [`shedding_cost`].
const SHEDDING_DEPTH: u32 = 3;

/// A lower bound on the regret lost by moving items of `crowd` off an agent until `excess` of
/// their load has left (so that the rest fits its residual capacity), a minimum knapsack. Its
/// linear relaxation sheds items by regret per unit of load, the last one (the critical item)
/// fractionally; every integer solution
/// either sheds the critical item whole or not at all, so the smaller of the two relaxations
/// with that item decided is a lower bound at least as strong; the branching goes
/// [`SHEDDING_DEPTH`] levels deep (crowds of up to 64 items). `None` if the excess cannot be
/// shed (items without an alternative hold more than the residual).
fn shedding_cost(crowd: &mut [(u64, u128)], excess: u64) -> Option<u128> {
	if excess == 0 {
		return Some(0);
	}
	let excess = excess as u128;
	// Cheapest regret per unit of load first: `r_a / l_a < r_b / l_b` iff `r_a l_b < r_b l_a`;
	// ties by the values themselves, a total order, so that every platform sorts alike.
	crowd.sort_unstable_by(|a, b| {
		let ((la, ra), (lb, rb)) = (a, b);
		wide_mul(*ra, *lb as u128).cmp(&wide_mul(*rb, *la as u128)).then(a.cmp(b))
	});
	let depth = if crowd.len() <= 64 { SHEDDING_DEPTH } else { 0 };
	shed(crowd, 0, 0, excess, depth)
}

/// The branching of [`shedding_cost`]: items in mask `out` are shed, those in `stay` are not.
fn shed(crowd: &[(u64, u128)], out: u64, stay: u64, excess: u128, depth: u32) -> Option<u128> {
	let (cost, critical) = cover(crowd, out, stay, excess)?;
	let Some(critical) = critical.filter(|_| depth > 0) else { return Some(cost) };
	let bit = 1u64 << critical;
	let shedding = shed(crowd, out | bit, stay, excess, depth - 1);
	let keeping = shed(crowd, out, stay | bit, excess, depth - 1);
	match (shedding, keeping) {
		(Some(a), Some(b)) => Some(a.min(b)),
		(one, other) => one.or(other),
	}
}

/// The linear relaxation of shedding `excess` from `crowd` (sorted by regret per unit of load)
/// with the items in mask `out` shed and those in `stay` kept: its cost rounded down, and the
/// item shed fractionally if any. `None` if the items that can leave do not cover the excess.
fn cover(
	crowd: &[(u64, u128)],
	out: u64,
	stay: u64,
	mut excess: u128,
) -> Option<(u128, Option<usize>)> {
	let mut cost = 0u128;
	for (_, (load, regret)) in
		crowd.iter().enumerate().filter(|(k, _)| *k < 64 && out >> k & 1 == 1)
	{
		cost = cost.saturating_add(*regret);
		excess = excess.saturating_sub(*load as u128);
	}
	for (k, (load, regret)) in crowd.iter().enumerate() {
		if excess == 0 {
			break;
		}
		let decided = k < 64 && (out | stay) >> k & 1 == 1;
		if *regret == NO_ALTERNATIVE || decided {
			continue;
		}
		let load = *load as u128;
		if load <= excess {
			cost = cost.saturating_add(*regret);
			excess -= load;
		} else {
			let part = regret.checked_mul(excess).map_or((regret / load) * excess, |r| r / load);
			return Some((cost.saturating_add(part), Some(k)));
		}
	}
	(excess == 0).then_some((cost, None))
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

/// The knapsack bound at the root's best prices, kept to fix options as better incumbents come.
struct KnapsackFixing {
	/// The root's relaxation, its best prices and its evaluation there.
	relaxation: KnapsackBound,
	u: Vec<i128>,
	at: Evaluation,
	/// Storage for the nodes' relaxations.
	node: KnapsackBound,
}

impl KnapsackFixing {
	/// Optimises the knapsack bound over the options left by the root's fixing, from the
	/// cheap bound's reduced profits `best_red`, repairing its packings into incumbents
	/// ([`knapsack_heuristic`]) on the way and polishing `best` after. `None` where it cannot
	/// help: an item without options (the search proves it), or knapsacks too hard for their
	/// budget.
	fn at_root(
		problem: &Problem,
		options: &Options,
		best_red: &[i128],
		best: &mut Solution,
	) -> Option<Self> {
		if options.choices.iter().any(|c| c.is_empty()) {
			return None;
		}
		let mut relaxation = KnapsackBound::with_work_limit(problem.agents(), ROOT_KNAPSACK_WORK);
		let undecided = vec![false; problem.items()];
		let root = Solution::empty(problem);
		relax_knapsacks(&mut relaxation, &root, &undecided, options);
		let mut u = best_red.to_vec();
		let at = relaxation.optimise(&mut u, ITERATIONS, threshold(best.profit), |at| {
			let candidate = knapsack_heuristic(problem, &at.chosen);
			(candidate.profit > best.profit).then(|| {
				*best = candidate;
				threshold(best.profit)
			})
		});
		heuristic::improve(problem, best);
		let node = KnapsackBound::new(problem.agents());
		at.solved().then_some(Self { relaxation, u, at, node })
	}

	/// The knapsack bound of a search node (scaled), a few steps from the root's prices towards
	/// `threshold`: the options of the undecided items that fit their agents' residual
	/// capacities, on top of the profit already assigned.
	fn node_bound(
		&mut self,
		current: &Solution,
		decided: &[bool],
		options: &Options,
		threshold: i128,
	) -> i128 {
		relax_knapsacks(&mut self.node, current, decided, options);
		let mut u = self.u.clone();
		self.node.optimise(&mut u, KNAPSACK_NODE_ITERATIONS, threshold, |_| None).bound
	}

	/// The bound (scaled).
	fn bound(&self) -> i128 {
		self.at.bound
	}

	/// Removes the options that cannot be part of an assignment worth `threshold`.
	fn fix(&mut self, options: &mut Options, threshold: i128) {
		let removed = self.relaxation.removable(&self.u, &self.at, threshold);
		options.retain(|i, c| {
			c.pair.is_none_or(|p| removed.binary_search(&(i as u32, p.agent)).is_err())
		});
	}
}

/// Gives `relaxation` the subproblem at `current`: the options of the undecided items that fit
/// their agents' residual capacities, the profit already assigned, and which items must be
/// assigned (fixing removed their "unassigned" option).
fn relax_knapsacks(
	relaxation: &mut KnapsackBound,
	current: &Solution,
	decided: &[bool],
	options: &Options,
) {
	relaxation.reset(&current.residual, SCALE.saturating_mul(current.profit as i128));
	for (i, choices) in options.choices.iter().enumerate().filter(|(i, _)| !decided[*i]) {
		let mut must = true;
		for c in choices {
			match c.pair {
				Some(p) if p.load <= current.residual[p.agent as usize] => relaxation.add_option(
					p.agent as usize,
					Candidate { item: i as u32, load: p.load, scaled: c.scaled },
				),
				Some(_) => {}
				None => must = false,
			}
		}
		relaxation.add_item(i as u32, must);
	}
}

/// The value (scaled) a bound must reach for its node to hold something better than an
/// incumbent worth `incumbent`.
fn threshold(incumbent: u128) -> i128 {
	SCALE.saturating_mul(incumbent as i128 + 1)
}

/// The knapsack bound's heuristic: each agent takes the items its knapsack packs (an item
/// packed twice goes where it earns most), the others go greedily by profit where they fit,
/// then the quick local search.
fn knapsack_heuristic(problem: &Problem, packed: &[Vec<u32>]) -> Solution {
	let n = problem.items();
	let mut owner: Vec<Option<&Pair>> = vec![None; n];
	for (agent, items) in packed.iter().enumerate() {
		for item in items {
			let pair = problem.pair(*item as usize, agent as u32);
			let slot = &mut owner[*item as usize];
			if let Some(pair) = pair.filter(|p| slot.is_none_or(|o| p.profit > o.profit)) {
				*slot = Some(pair);
			}
		}
	}
	let mut solution = Solution::empty(problem);
	for (item, pair) in owner.iter().enumerate() {
		if let Some(pair) = pair {
			solution.put(item, pair);
		}
	}
	heuristic::complete(problem, &mut solution);
	solution
}

/// The sequential knapsacks value an option at its profit less this many eighths of the item's
/// best reduced profit (its price for being assigned at all), chosen among 1/4, 1/2, 5/8, 3/4,
/// 7/8 and the whole price on the benchmark's markets short of capacity (see the README).
pub const PACKING_PRICE_EIGHTHS: i128 = 7;

/// Passes of [`heuristic::exchange`] at the root, at most.
pub const EXCHANGE_PASSES: usize = 4;

/// The Lagrangian heuristic: items by best reduced profit, each to its best agent with room,
/// then the quick local search and, if `fill` and a market's energy falls short of its bound,
/// the filling of agents with spare capacity.
fn lagrangian_heuristic(problem: &Problem, guide: &Guide, lambda: &[i128], fill: bool) -> Solution {
	let n = problem.items();
	let red: Vec<i128> = (0..n).map(|i| best_reduced(problem.pairs_of(i), lambda)).collect();
	let mut order: Vec<usize> = (0..n).collect();
	order.sort_by(|a, b| red[*b].cmp(&red[*a]).then(a.cmp(b)));
	let mut solution =
		heuristic::greedy(problem, &order, |_, p| reduced(p, lambda).unwrap_or(i128::MIN));
	if fill && guide.short_of_energy(solution.profit) {
		heuristic::fill(problem, &mut solution, |p| reduced(p, lambda).unwrap_or(i128::MIN));
	}
	heuristic::improve_quickly(problem, &mut solution);
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

/// A relaxation's bound, scaled by [`SCALE`], as a bound on internal profit (never below zero).
fn unscaled(bound: i128) -> u128 {
	(bound.max(0) / SCALE) as u128
}

/// The answer of a search stopped before it finished, with `bound` (internal profit) proven on
/// what it left open: optimal all the same where that bound does not exceed the incumbent.
fn stopped(best: Solution, bound: u128, nodes: u64) -> Outcome {
	let bound = bound.max(best.profit);
	Outcome {
		profit: best.profit,
		bound,
		assignment: best.assignment,
		optimal: bound == best.profit,
		nodes,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{check, generate, objective::Market, Model};

	/// Small markets, tight and loose, with uniform and with the chain's weights: small enough
	/// to enumerate every assignment.
	fn small_models() -> Vec<Model> {
		let mut models = Vec::new();
		for seed in 0..12u64 {
			let (tightness, density) = [(60, 80), (100, 70), (140, 90)][seed as usize % 3];
			let market = if seed % 2 == 0 {
				generate::market(seed, 6, 3, tightness, density)
			} else {
				generate::degree_market(seed, 6, 3, tightness, density)
			};
			if let Ok(model) = Model::market(&market) {
				models.push(model);
			}
		}
		assert!(models.len() >= 10, "the markets have something to match");
		models
	}

	/// Every feasible assignment of `problem` with its profit.
	fn feasible(problem: &Problem) -> Vec<(Assignment, u128)> {
		let (n, m) = (problem.items(), problem.agents() as u32);
		let mut all = Vec::new();
		let mut assignment: Assignment = vec![None; n];
		loop {
			if let Ok(profit) = check::score(problem, &assignment) {
				all.push((assignment.clone(), profit));
			}
			// The next assignment in counting order, `None` as the lowest digit.
			let mut i = 0;
			loop {
				if i == n {
					return all;
				}
				assignment[i] = match assignment[i] {
					None => Some(0),
					Some(agent) if agent + 1 < m => Some(agent + 1),
					Some(_) => None,
				};
				if assignment[i].is_some() {
					break;
				}
				i += 1;
			}
		}
	}

	/// The optimum's profit.
	fn optimum(problem: &Problem) -> u128 {
		feasible(problem).iter().map(|(_, profit)| *profit).max().expect("the empty one")
	}

	/// Whether `solution` is a feasible assignment worth its recorded profit.
	fn holds(problem: &Problem, solution: &Solution) -> bool {
		check::score(problem, &solution.assignment) == Ok(solution.profit)
	}

	/// Whether every assignment worth more than `incumbent` keeps all its options in `root`.
	fn keeps_every_better_assignment(problem: &Problem, root: &Root, incumbent: u128) -> bool {
		feasible(problem).iter().filter(|(_, profit)| *profit > incumbent).all(|(a, _)| {
			a.iter().enumerate().all(|(i, agent)| {
				root.options.choices[i].iter().any(|c| c.pair.map(|p| p.agent) == *agent)
			})
		})
	}

	/// The root up to fixing, as [`solve_from`] runs it from nothing.
	fn root_of(model: &Model) -> (Root, Solution) {
		let (problem, guide) = (&model.problem, model.guide());
		let mut best = first_incumbent(problem, None);
		let relaxation = root_relaxation(problem, &guide, &mut best);
		polish_incumbent(problem, &guide, &relaxation.lambda, true, &mut best);
		(fix_variables(problem, relaxation, best.profit), best)
	}

	#[test]
	fn the_first_incumbent_is_feasible_and_takes_a_better_start() {
		for model in small_models() {
			let problem = &model.problem;
			let greedy = first_incumbent(problem, None);
			assert!(holds(problem, &greedy));
			let (best, _) = feasible(problem).into_iter().max_by_key(|(_, p)| *p).unwrap();
			let start = Solution::of(problem, &best).unwrap();
			let chosen = first_incumbent(problem, Some(start.clone()));
			assert_eq!(chosen.profit, greedy.profit.max(start.profit));
		}
	}

	#[test]
	fn the_root_bound_holds_and_its_heuristic_only_improves() {
		for model in small_models() {
			let problem = &model.problem;
			let before = first_incumbent(problem, None);
			let mut best = before.clone();
			let relaxation = root_relaxation(problem, &model.guide(), &mut best);
			assert!(holds(problem, &best) && best.profit >= before.profit);
			assert!(relaxation.bound >= SCALE * optimum(problem) as i128, "a valid bound");
		}
	}

	#[test]
	fn polishing_never_lowers_the_incumbent() {
		for model in small_models() {
			let problem = &model.problem;
			let before = first_incumbent(problem, None);
			let mut best = before.clone();
			let lambda = model.guide().start(problem);
			polish_incumbent(problem, &model.guide(), &lambda, true, &mut best);
			assert!(holds(problem, &best) && best.profit >= before.profit);
		}
	}

	#[test]
	fn fixing_keeps_every_assignment_better_than_the_incumbent() {
		for model in small_models() {
			let (root, best) = root_of(&model);
			assert!(keeps_every_better_assignment(&model.problem, &root, best.profit));
			// Fixing for a worse incumbent keeps more, never less.
			let mut scratch = first_incumbent(&model.problem, None);
			let relaxation = root_relaxation(&model.problem, &model.guide(), &mut scratch);
			let weaker = fix_variables(&model.problem, relaxation, 0);
			assert!(keeps_every_better_assignment(&model.problem, &weaker, 0));
		}
	}

	#[test]
	fn the_knapsack_bound_proves_only_optima_and_keeps_better_assignments() {
		for model in small_models() {
			let problem = &model.problem;
			let (mut root, mut best) = root_of(&model);
			let proven = knapsack_at_root(problem, &mut root, &mut best);
			assert!(holds(problem, &best));
			if proven {
				assert_eq!(best.profit, optimum(problem));
			} else {
				assert!(keeps_every_better_assignment(problem, &root, best.profit));
			}
			if let Some(knapsack) = &root.knapsack {
				assert!(knapsack.bound() >= SCALE * optimum(problem) as i128);
			}
		}
	}

	#[test]
	fn sequential_packing_only_improves_and_proves_only_optima() {
		for model in small_models() {
			let problem = &model.problem;
			let (mut root, mut best) = root_of(&model);
			let before = best.profit;
			let proven = sequential_packing(problem, &mut root, &mut best);
			assert!(holds(problem, &best) && best.profit >= before);
			if proven {
				assert_eq!(best.profit, optimum(problem));
			} else {
				assert!(keeps_every_better_assignment(problem, &root, best.profit));
			}
		}
	}

	#[test]
	fn exact_fillings_prove_a_market_filled_to_the_wh() {
		// Two providers of 10 kWh, requests that can fill both exactly in several ways.
		let market = Market {
			requests: vec![4_000, 6_000, 5_000, 5_000, 3_000, 7_000],
			capacities: vec![10_000, 10_000],
			pairs: (0..6u32)
				.flat_map(|i| (0..2u32).map(move |j| (i, j, 1 + (i * 7 + j * 3) % 11)))
				.collect(),
		};
		let model = Model::market(&market).unwrap();
		let (problem, guide) = (&model.problem, model.guide());
		let (filled, _) = feasible(problem)
			.into_iter()
			.filter(|(a, _)| Solution::of(problem, a).unwrap().residual.iter().all(|r| *r == 0))
			.min_by_key(|(_, profit)| *profit)
			.expect("a filling to the Wh");
		let mut best = Solution::of(problem, &filled).unwrap();
		let end = exact_fillings(problem, &guide, i128::MAX, &mut best, u64::MAX, &mut |_| false);
		assert!(matches!(end, Some(Ended::Proven { .. })));
		assert_eq!(best.profit, optimum(problem));
		// An incumbent with room left is not this step's.
		let mut partial = Solution::empty(problem);
		let end =
			exact_fillings(problem, &guide, i128::MAX, &mut partial, u64::MAX, &mut |_| false);
		assert!(end.is_none());
	}

	#[test]
	fn the_depth_first_search_finds_the_optimum_and_bounds_what_it_leaves() {
		for model in small_models() {
			let (problem, guide) = (&model.problem, model.guide());
			let (root, best) = root_of(&model);
			let outcome =
				DepthFirst::new(problem, &guide, root, best).run(u64::MAX, &mut |_| false);
			assert!(outcome.optimal);
			assert_eq!(outcome.profit, optimum(problem));
			let (root, best) = root_of(&model);
			let stopped = DepthFirst::new(problem, &guide, root, best).run(1, &mut |_| false);
			assert_eq!(stopped.nodes, 1);
			assert!(stopped.bound >= optimum(problem) && stopped.profit <= optimum(problem));
		}
	}
}
