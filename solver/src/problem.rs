//! The problem: items (requests, jobs), agents (providers), and the pairs that may be matched.
//!
//! Every objective the solver supports is reduced to one internal form, the **optional-assignment
//! maximisation GAP**:
//!
//! ```text
//! maximise   sum_ij q_ij x_ij
//! subject to sum_j x_ij <= 1            for every item i
//!            sum_i a_ij x_ij <= b_j     for every agent j
//!            x_ij in {0, 1}, and x_ij = 0 where (i, j) is not an allowed pair
//! ```
//!
//! with integer profits `q_ij > 0` and loads `a_ij >= 0`. [`Problem`] holds that form; the
//! constructors in [`crate::objective`] build it from a market or from a plain GAP.

use alloc::{vec, vec::Vec};

/// The largest load or capacity accepted: `2^40` (a terawatt-hour in Wh). Keeps every product
/// of the search inside `i128`.
pub const MAX_LOAD: u64 = 1 << 40;

/// The largest internal profit accepted: `2^88`.
pub const MAX_PROFIT: u128 = 1 << 88;

/// The largest number of items or agents accepted.
pub const MAX_ITEMS: usize = 1 << 16;

/// Index of an agent.
pub type AgentIndex = u32;

/// For each item, the agent it is assigned to, or `None`.
pub type Assignment = Vec<Option<AgentIndex>>;

/// One allowed pair of an item: the agent, the load on it, the profit of the pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
	/// The agent.
	pub agent: AgentIndex,
	/// The load the item puts on the agent.
	pub load: u64,
	/// The internal profit of the pair (positive).
	pub profit: u128,
}

/// Why a problem could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemError {
	/// More than [`MAX_ITEMS`] items or agents.
	TooLarge,
	/// A pair names an item or agent that does not exist.
	IndexOutOfRange,
	/// The same pair is listed twice.
	DuplicatePair,
	/// A load or capacity above [`MAX_LOAD`].
	LoadTooLarge,
	/// A profit above [`MAX_PROFIT`], or zero.
	BadProfit,
	/// The input is not well formed (parsers).
	Malformed,
}

/// An optional-assignment maximisation GAP, checked on construction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
	capacities: Vec<u64>,
	/// The allowed pairs of each item, sorted by agent.
	pairs: Vec<Vec<Pair>>,
}

impl Problem {
	/// Builds a problem from agent capacities and, for each item, its allowed pairs.
	pub fn new(capacities: Vec<u64>, mut pairs: Vec<Vec<Pair>>) -> Result<Self, ProblemError> {
		if capacities.len() > MAX_ITEMS || pairs.len() > MAX_ITEMS {
			return Err(ProblemError::TooLarge);
		}
		if capacities.iter().any(|c| *c > MAX_LOAD) {
			return Err(ProblemError::LoadTooLarge);
		}
		for item in pairs.iter_mut() {
			item.sort_by_key(|p| p.agent);
			for (k, pair) in item.iter().enumerate() {
				if pair.agent as usize >= capacities.len() {
					return Err(ProblemError::IndexOutOfRange);
				}
				if k > 0 && item[k - 1].agent == pair.agent {
					return Err(ProblemError::DuplicatePair);
				}
				if pair.load > MAX_LOAD {
					return Err(ProblemError::LoadTooLarge);
				}
				if pair.profit == 0 || pair.profit > MAX_PROFIT {
					return Err(ProblemError::BadProfit);
				}
			}
		}
		Ok(Self { capacities, pairs })
	}

	/// Number of items.
	pub fn items(&self) -> usize {
		self.pairs.len()
	}

	/// Number of agents.
	pub fn agents(&self) -> usize {
		self.capacities.len()
	}

	/// The capacity of each agent.
	pub fn capacities(&self) -> &[u64] {
		&self.capacities
	}

	/// The allowed pairs of item `i`, sorted by agent.
	pub fn pairs_of(&self, item: usize) -> &[Pair] {
		&self.pairs[item]
	}

	/// The pair `(item, agent)`, if allowed.
	pub fn pair(&self, item: usize, agent: AgentIndex) -> Option<&Pair> {
		let pairs = &self.pairs[item];
		pairs.binary_search_by_key(&agent, |p| p.agent).ok().map(|k| &pairs[k])
	}

	/// For each agent, the allowed pairs that fit its capacity, with their items, by item.
	pub fn fitting_pairs_by_agent(&self) -> Vec<Vec<(usize, Pair)>> {
		let mut by_agent = vec![Vec::new(); self.agents()];
		for (item, pairs) in self.pairs.iter().enumerate() {
			for pair in pairs.iter().filter(|p| p.load <= self.capacities[p.agent as usize]) {
				by_agent[pair.agent as usize].push((item, *pair));
			}
		}
		by_agent
	}
}
