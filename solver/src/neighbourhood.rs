//! Large-neighbourhood search: a few agents at a time re-solved exactly.
//!
//! Where profits follow loads (the chain's matching degree grows with a request's energy and
//! saturates at the provider's reputation, so every request ranks the providers nearly alike),
//! the depth-first search stays in one corner of the tree and the moves of the local search
//! (one or two items at a time) stop short of what a MIP solver finds given minutes. Re-solving
//! the items of
//! three agents at once, with those of the items nobody serves that are worth most on them,
//! changes many assignments together: every item keeps to those agents or is left out, the
//! other agents keep theirs, so each neighbourhood is a small problem of its own ([`SET_SIZE`]
//! agents, their items and at most [`WAITING_ITEMS`] waiting ones), solved by the same
//! branch-and-bound from the current assignment within [`NEIGHBOURHOOD_NODES`] nodes, and
//! taken when it is worth more.
//!
//! Where there are at most [`NEIGHBOURHOODS`] sets of agents, each is tried once; otherwise
//! that many are drawn from [`SplitMix`] with a fixed seed. The work is capped by counts
//! ([`NEIGHBOURHOODS`], [`PATIENCE`]), so the same problem gives the same answer on every
//! machine.
//!
//! Sets of three agents cannot make a change that runs through many agents at once: a request
//! moving from a full provider to another full one that must pass one of its own on, and so on.
//! The relaxation knows where every item would rather be, so [`relaxation_induced`] frees the
//! items whose incumbent agent is not their best at the root's Lagrangian prices (the idea of
//! RINS, Danna, Rothberg and Le Pape, 2005, with the Lagrangian relaxation for the LP), keeps the
//! others where they are, and re-solves the freed ones on every agent's remaining room within
//! [`RELAXATION_NODES`] nodes. Its answers open new
//! moves to the sets of three agents, so [`improve_with_relaxation`] takes turns between the two
//! ([`RELAXATION_ROUNDS`] at most), with prices re-optimised for the better incumbent once the
//! root's free nothing better. What this adds is measured in the solver's README.

use crate::{
	generate::SplitMix,
	heuristic::Solution,
	lagrangian::{reduced, Guide},
	problem::{AgentIndex, Pair, Problem},
	search,
};
use alloc::vec::Vec;

/// Agents re-solved together.
pub const SET_SIZE: usize = 3;

/// Neighbourhoods solved, at most.
pub const NEIGHBOURHOODS: usize = 300;

/// The search stops after this many neighbourhoods in a row bring nothing better.
pub const PATIENCE: usize = 100;

/// The node budget of one neighbourhood's branch-and-bound.
pub const NEIGHBOURHOOD_NODES: u64 = 200;

/// A neighbourhood takes at most this many of the unassigned items, those worth most on its
/// agents first.
pub const WAITING_ITEMS: usize = 64;

/// The seed of the sets.
const SEED: u64 = 0x6e65_6967_6862_6f75;

/// The node budget of one relaxation-induced neighbourhood's branch-and-bound.
pub const RELAXATION_NODES: u64 = 1_000;

// The relaxation-induced neighbourhood's own search must end before it would start
// neighbourhoods of its own (its problem has all the agents).
const _: () = assert!(RELAXATION_NODES < search::NEIGHBOURHOOD_AFTER);

/// Turns of relaxation-induced neighbourhood and sets of agents, at most.
pub const RELAXATION_ROUNDS: usize = 4;

/// [`improve`], then up to [`RELAXATION_ROUNDS`] turns of [`relaxation_induced`] followed by
/// [`improve`] again, while the relaxation brings something better and `should_stop` (asked
/// between neighbourhoods, with the incumbent's profit) allows; returns whether `best` improved.
/// The relaxation's prices are `lambda` (the root's) until they free nothing worth more, then
/// the Lagrangian relaxation re-optimised towards the better incumbent (its target moves with
/// the incumbent, and so do the prices and which items they free).
pub fn improve_with_relaxation(
	problem: &Problem,
	guide: &Guide,
	best: &mut Solution,
	lambda: &[i128],
	should_stop: &mut dyn FnMut(u128) -> bool,
) -> bool {
	let start = best.profit;
	improve(problem, guide, best, should_stop);
	let mut lambda = lambda.to_vec();
	for _ in 0..RELAXATION_ROUNDS {
		if should_stop(best.profit) {
			break;
		}
		if !relaxation_induced(problem, guide, best, &lambda) {
			lambda = crate::lagrangian::optimise(problem, guide, best.profit, |_, _| None).lambda;
			if !relaxation_induced(problem, guide, best, &lambda) {
				break;
			}
		}
		improve(problem, guide, best, should_stop);
	}
	best.profit > start
}

/// Re-solves random sets of [`SET_SIZE`] agents of `best` (see the module docs) while
/// `should_stop` (asked between neighbourhoods with the incumbent's profit) allows; returns
/// whether `best` improved. Does nothing on problems of at most [`SET_SIZE`] agents (which
/// is also what keeps the neighbourhoods' own searches from recursing).
pub fn improve(
	problem: &Problem,
	guide: &Guide,
	best: &mut Solution,
	should_stop: &mut dyn FnMut(u128) -> bool,
) -> bool {
	let m = problem.agents();
	if m <= SET_SIZE {
		return false;
	}
	let start = best.profit;
	let mut since_better = 0;
	for agents in sets(m) {
		if since_better == PATIENCE || should_stop(best.profit) {
			break;
		}
		if resolve(problem, guide, best, &agents) {
			since_better = 0;
		} else {
			since_better += 1;
		}
	}
	best.profit > start
}

/// The sets of [`SET_SIZE`] agents to re-solve, each in increasing order: every one, in
/// lexicographic order, where there are at most [`NEIGHBOURHOODS`] (re-solving a set again
/// from the answer it gave finds nothing); otherwise that many drawn at random.
fn sets(agents: usize) -> Vec<Vec<usize>> {
	let mut every = Vec::new();
	let mut set: Vec<usize> = (0..SET_SIZE).collect();
	loop {
		if every.len() == NEIGHBOURHOODS {
			break;
		}
		every.push(set.clone());
		// The next combination: raise the last position that can still rise, reset those after.
		let Some(k) = (0..SET_SIZE).rev().find(|&k| set[k] < agents - SET_SIZE + k) else {
			return every;
		};
		set[k] += 1;
		for after in k + 1..SET_SIZE {
			set[after] = set[after - 1] + 1;
		}
	}
	let mut rng = SplitMix(SEED);
	(0..NEIGHBOURHOODS)
		.map(|_| {
			let mut set = Vec::with_capacity(SET_SIZE);
			while set.len() < SET_SIZE {
				let agent = rng.range(0, agents as u64 - 1) as usize;
				if !set.contains(&agent) {
					set.push(agent);
				}
			}
			set.sort_unstable();
			set
		})
		.collect()
}

/// One neighbourhood: the items of `agents` and the unassigned items that may go to them,
/// re-solved on those agents alone; `best` takes the answer if it is worth more.
fn resolve(problem: &Problem, guide: &Guide, best: &mut Solution, agents: &[usize]) -> bool {
	let local = |agent: AgentIndex| agents.binary_search(&(agent as usize)).ok();
	let own_pairs = |item: usize| -> Vec<Pair> {
		problem
			.pairs_of(item)
			.iter()
			.filter_map(|p| local(p.agent).map(|a| Pair { agent: a as AgentIndex, ..*p }))
			.collect()
	};
	let mut items = Vec::new();
	let mut pairs = Vec::new();
	// Each item the set's agents serve now: its position here and its pair on the local agent.
	let mut serving = Vec::new();
	let mut waiting = Vec::new();
	for item in 0..problem.items() {
		let Some(agent) = best.assignment[item] else {
			let own = own_pairs(item);
			if let Some(top) = own.iter().map(|p| p.profit).max() {
				waiting.push((top, item, own));
			}
			continue;
		};
		if let (Some(local_agent), Some(pair)) = (local(agent), problem.pair(item, agent)) {
			serving.push((items.len(), Pair { agent: local_agent as AgentIndex, ..*pair }));
			items.push(item);
			pairs.push(own_pairs(item));
		}
	}
	waiting.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
	for (_, item, own) in waiting.into_iter().take(WAITING_ITEMS) {
		items.push(item);
		pairs.push(own);
	}
	let capacities = agents.iter().map(|a| problem.capacities()[*a]).collect();
	let Ok(sub) = Problem::new(capacities, pairs) else { return false };
	let to_agent = |local: AgentIndex| agents[local as usize] as AgentIndex;
	Neighbourhood { items, problem: sub, serving }.adopt(
		problem,
		guide,
		best,
		NEIGHBOURHOOD_NODES,
		to_agent,
	)
}

/// The relaxation-induced neighbourhood (see the module docs): the items whose agent in `best`
/// is not the one with their largest positive reduced profit at the prices `lambda` (left
/// unassigned where there is none), re-solved on every agent's room in `best` plus what they
/// use now, the other items kept where they are; `best` takes the answer if it is worth more.
pub fn relaxation_induced(
	problem: &Problem,
	guide: &Guide,
	best: &mut Solution,
	lambda: &[i128],
) -> bool {
	let preferred = |item: usize| {
		problem
			.pairs_of(item)
			.iter()
			.filter(|p| p.load <= problem.capacities()[p.agent as usize])
			.filter_map(|p| reduced(p, lambda).map(|r| (r, p.agent)))
			.filter(|(r, _)| *r > 0)
			// The largest reduced profit, ties to the lower agent.
			.max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
			.map(|(_, agent)| agent)
	};
	let items: Vec<usize> =
		(0..problem.items()).filter(|&i| preferred(i) != best.assignment[i]).collect();
	if items.is_empty() {
		return false;
	}
	let mut capacities = best.residual.clone();
	let mut serving = Vec::new();
	for (k, &item) in items.iter().enumerate() {
		if let Some(pair) = best.assignment[item].and_then(|a| problem.pair(item, a)) {
			capacities[pair.agent as usize] += pair.load;
			serving.push((k, *pair));
		}
	}
	let pairs = items.iter().map(|&i| problem.pairs_of(i).to_vec()).collect();
	let Ok(sub) = Problem::new(capacities, pairs) else { return false };
	Neighbourhood { items, problem: sub, serving }.adopt(
		problem,
		guide,
		best,
		RELAXATION_NODES,
		|agent| agent,
	)
}

/// A part of a problem re-solved on its own: some of its items, on some of its agents.
struct Neighbourhood {
	/// The items, by their index in the whole problem: the part's item `k` is `items[k]`.
	items: Vec<usize>,
	/// The part, with its own agents' capacities.
	problem: Problem,
	/// The part's items that the incumbent serves on the part's agents, with their pairs there:
	/// the part's first incumbent.
	serving: Vec<(usize, Pair)>,
}

impl Neighbourhood {
	/// Solves the part from the incumbent's assignment within `max_nodes` nodes; where the
	/// answer is worth more, `best` takes it for the part's items (on the agents `to_agent` maps
	/// the part's to) and keeps the rest.
	fn adopt(
		self,
		problem: &Problem,
		guide: &Guide,
		best: &mut Solution,
		max_nodes: u64,
		to_agent: impl Fn(AgentIndex) -> AgentIndex,
	) -> bool {
		let sub = &self.problem;
		let sub_guide = match guide {
			Guide::General => Guide::General,
			Guide::Market { scale, .. } => Guide::market(*scale, sub),
		};
		let mut start = Solution::empty(sub);
		for (k, pair) in &self.serving {
			start.put(*k, pair);
		}
		let current = start.profit;
		let outcome = search::solve_from(sub, &sub_guide, Some(start), max_nodes, &mut |_| false);
		if outcome.profit <= current {
			return false;
		}
		for &item in &self.items {
			if let Some(pair) = best.assignment[item].and_then(|a| problem.pair(item, a)).copied() {
				best.take(item, &pair);
			}
		}
		for (k, &item) in self.items.iter().enumerate() {
			if let Some(local) = outcome.assignment[k] {
				let pair = *problem
					.pair(item, to_agent(local))
					.expect("the neighbourhood's pairs are the item's");
				best.put(item, &pair);
			}
		}
		true
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{check, generate, heuristic, Model};

	fn root_incumbent(model: &Model) -> Solution {
		let problem = &model.problem;
		let mut order: Vec<usize> = (0..problem.items()).collect();
		heuristic::sort_by_top_profit(problem, &mut order);
		let mut best = heuristic::greedy(problem, &order, |_, p| p.profit as i128);
		heuristic::improve(problem, &mut best);
		best
	}

	#[test]
	fn neighbourhoods_improve_feasibly_and_deterministically() {
		for seed in [200_150, 200_090] {
			let model = Model::market(&generate::degree_market(seed, 200, 20, 130, 60)).unwrap();
			let problem = &model.problem;
			let before = root_incumbent(&model);
			let mut after = before.clone();
			assert!(improve(problem, &model.guide(), &mut after, &mut |_| false));
			assert!(after.profit > before.profit);
			assert_eq!(check::score(problem, &after.assignment), Ok(after.profit));
			// Spare capacities and profit agree with the assignment.
			assert_eq!(Solution::of(problem, &after.assignment).as_ref(), Ok(&after));
			let mut again = before.clone();
			improve(problem, &model.guide(), &mut again, &mut |_| false);
			assert_eq!(again, after);
		}
	}

	/// The root's prices, as the search has them when the neighbourhoods start.
	fn root_prices(model: &Model, incumbent: &Solution) -> Vec<i128> {
		crate::lagrangian::optimise(&model.problem, &model.guide(), incumbent.profit, |_, _| None)
			.lambda
	}

	#[test]
	fn the_relaxation_frees_what_sets_of_three_agents_cannot_move() {
		// A market weighted by eq. 4 with room to spare: every request is served, and the sets
		// of three agents have done all they can.
		let model = Model::market(&generate::degree_market(200_150, 200, 20, 130, 60)).unwrap();
		let problem = &model.problem;
		let mut stuck = root_incumbent(&model);
		while improve(problem, &model.guide(), &mut stuck, &mut |_| false) {}
		let lambda = root_prices(&model, &stuck);
		let mut after = stuck.clone();
		assert!(relaxation_induced(problem, &model.guide(), &mut after, &lambda));
		assert!(after.profit > stuck.profit);
		assert_eq!(check::score(problem, &after.assignment), Ok(after.profit));
		// The same energy (every request), more weight.
		let scale = match model.sense {
			crate::Sense::Market { scale } => scale,
			_ => unreachable!("a market"),
		};
		assert_eq!(after.profit / scale, stuck.profit / scale);
		assert_eq!(Solution::of(problem, &after.assignment).as_ref(), Ok(&after));
		let mut again = stuck.clone();
		relaxation_induced(problem, &model.guide(), &mut again, &lambda);
		assert_eq!(again, after);
		// Taking turns with the sets of three goes further than either.
		let mut turns = stuck.clone();
		assert!(improve_with_relaxation(problem, &model.guide(), &mut turns, &lambda, &mut |_| {
			false
		}));
		assert!(turns.profit > after.profit);
		assert_eq!(check::score(problem, &turns.assignment), Ok(turns.profit));
	}

	#[test]
	fn an_incumbent_the_relaxation_agrees_with_is_left_alone() {
		let model = Model::market(&generate::degree_market(200_150, 200, 20, 130, 60)).unwrap();
		let (problem, guide) = (&model.problem, model.guide());
		// At prices above every profit per Wh the relaxation serves nothing, as the empty
		// assignment does: no item is freed.
		let dear = vec![crate::lagrangian::SCALE * (1 << 80); problem.agents()];
		let mut empty = Solution::empty(problem);
		assert!(!relaxation_induced(problem, &guide, &mut empty, &dear));
		assert_eq!(empty, Solution::empty(problem));
		// A stop before the first neighbourhood changes nothing either.
		let before = root_incumbent(&model);
		let mut after = before.clone();
		let lambda = root_prices(&model, &before);
		assert!(!improve_with_relaxation(problem, &guide, &mut after, &lambda, &mut |_| true));
		assert_eq!(after, before);
	}

	#[test]
	fn few_agents_give_every_set_once_and_many_give_random_distinct_agents() {
		assert_eq!(
			sets(5),
			[
				[0, 1, 2],
				[0, 1, 3],
				[0, 1, 4],
				[0, 2, 3],
				[0, 2, 4],
				[0, 3, 4],
				[1, 2, 3],
				[1, 2, 4],
				[1, 3, 4],
				[2, 3, 4]
			]
		);
		assert_eq!(sets(SET_SIZE), [(0..SET_SIZE).collect::<Vec<_>>()]);
		// C(12, 3) = 220 sets, C(13, 3) = 286, C(14, 3) = 364 > 300: drawn.
		assert_eq!(sets(13).len(), 286);
		let drawn = sets(20);
		assert_eq!(drawn.len(), NEIGHBOURHOODS);
		assert!(drawn.iter().all(|s| s.windows(2).all(|w| w[0] < w[1]) && s[SET_SIZE - 1] < 20));
		assert_ne!(drawn[0], drawn[1]);
		assert_eq!(drawn, sets(20));
	}

	#[test]
	fn a_stop_before_the_first_neighbourhood_changes_nothing() {
		let model = Model::market(&generate::degree_market(200_150, 200, 20, 130, 60)).unwrap();
		let before = root_incumbent(&model);
		let mut after = before.clone();
		assert!(!improve(&model.problem, &model.guide(), &mut after, &mut |_| true));
		assert_eq!(after, before);
	}

	#[test]
	fn problems_of_a_few_agents_are_left_alone() {
		let model = Model::market(&generate::degree_market(50_075, 50, SET_SIZE, 70, 60)).unwrap();
		let before = root_incumbent(&model);
		let mut after = before.clone();
		assert!(!improve(&model.problem, &model.guide(), &mut after, &mut |_| false));
		assert_eq!(after, before);
	}
}
