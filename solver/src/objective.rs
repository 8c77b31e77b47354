//! From a market or a plain GAP to the internal form of [`crate::problem`], and back.
//!
//! - **Market** ([`Market`]): serve as much energy as the capacities allow, and among the
//!   assignments that do, maximise the total weight. Lexicographic, made one objective by
//!   `q_ij = R_i * (W + 1) + w_ij`, where `W` bounds any assignment's total weight: one more Wh
//!   served is worth more than all the weight there is. Requests may stay unserved.
//! - **GAP, maximise** with every job assigned: `q_ij = p_ij + K`, `K` larger than any total
//!   profit, so that assigning one more job always pays; the optimum assigns every job when that
//!   is feasible, and among those maximises `sum p`.
//! - **GAP, minimise** cost with every job assigned: `q_ij = K - c_ij` in the same way.

use crate::{
	lagrangian::Guide,
	problem::{AgentIndex, Pair, Problem, ProblemError, MAX_LOAD},
};
use alloc::{vec, vec::Vec};

/// A market snapshot as the matching pallet sees it: requests with their energy, providers
/// with their capacity, and for each allowed (request, provider) pair its weight (the matching
/// degree `M` of the paper, in fixed point).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "codec", derive(codec::Encode, codec::Decode, scale_info::TypeInfo))]
pub struct Market {
	/// Energy asked by each request, in Wh (non-zero).
	pub requests: Vec<u64>,
	/// Capacity of each provider, in Wh.
	pub capacities: Vec<u64>,
	/// Allowed pairs: `(request, provider, weight)`.
	pub pairs: Vec<(u32, u32, u32)>,
}

/// Which objective a [`Model`] optimises, with what it needs to translate values back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
	/// The market's lexicographic objective; `scale = W + 1`.
	Market {
		/// One Wh served is worth this much internal profit.
		scale: u128,
	},
	/// Maximise profit, every item assigned.
	MaxAllAssigned {
		/// The constant added to every profit.
		k: u128,
	},
	/// Minimise cost, every item assigned.
	MinAllAssigned {
		/// The constant costs are subtracted from.
		k: u128,
	},
}

/// A problem in internal form together with its original objective.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
	/// The internal problem the search solves.
	pub problem: Problem,
	/// The original objective.
	pub sense: Sense,
}

/// A value of the original objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
	/// Market: energy served (Wh) and total weight.
	Market {
		/// Energy served, in Wh.
		energy: u128,
		/// Total weight of the served pairs.
		weight: u128,
	},
	/// Total profit or cost of a complete assignment.
	Total(i128),
	/// Not every item is assigned (in the all-assigned objectives): no feasible complete
	/// assignment is represented by this value.
	Incomplete,
}

impl Model {
	/// The market model.
	pub fn market(market: &Market) -> Result<Self, ProblemError> {
		let n = market.requests.len();
		if market.requests.iter().any(|r| *r == 0 || *r > MAX_LOAD) {
			return Err(ProblemError::Malformed);
		}
		let mut best_weight = vec![0u128; n];
		for (request, _, weight) in &market.pairs {
			let slot =
				best_weight.get_mut(*request as usize).ok_or(ProblemError::IndexOutOfRange)?;
			*slot = (*slot).max(*weight as u128);
		}
		let scale = best_weight.iter().sum::<u128>() + 1;
		let mut pairs = vec![Vec::new(); n];
		for (request, provider, weight) in &market.pairs {
			let energy = market.requests[*request as usize];
			pairs[*request as usize].push(Pair {
				agent: *provider,
				load: energy,
				profit: energy as u128 * scale + *weight as u128,
			});
		}
		Ok(Self {
			problem: Problem::new(market.capacities.clone(), pairs)?,
			sense: Sense::Market { scale },
		})
	}

	/// A plain GAP: `values[j][i]` and `loads[j][i]` of job `i` on agent `j` (the OR-Library
	/// layout), every job to be assigned, maximising (`maximise = true`) or minimising the
	/// total value. At least one agent is needed: with none, the layout cannot say how many
	/// jobs there are ([`ProblemError::Malformed`]).
	pub fn gap(
		values: &[Vec<u64>],
		loads: &[Vec<u64>],
		capacities: Vec<u64>,
		maximise: bool,
	) -> Result<Self, ProblemError> {
		let m = capacities.len();
		if m == 0 || values.len() != m || loads.len() != m {
			return Err(ProblemError::Malformed);
		}
		let n = values.first().map_or(0, |row| row.len());
		if values.iter().chain(loads).any(|row| row.len() != n) {
			return Err(ProblemError::Malformed);
		}
		let per_job_max = |i: usize| values.iter().map(|row| row[i] as u128).max().unwrap_or(0);
		let k = (0..n).map(per_job_max).sum::<u128>() + 1;
		let mut pairs = vec![Vec::with_capacity(m); n];
		for (i, item) in pairs.iter_mut().enumerate() {
			for j in 0..m {
				let value = values[j][i] as u128;
				let profit = if maximise { k + value } else { k - value };
				item.push(Pair { agent: j as AgentIndex, load: loads[j][i], profit });
			}
		}
		let sense =
			if maximise { Sense::MaxAllAssigned { k } } else { Sense::MinAllAssigned { k } };
		Ok(Self { problem: Problem::new(capacities, pairs)?, sense })
	}

	/// What the search may know of this model's shape: for a market, its scale and maximum
	/// flow ([`crate::flow`]).
	pub fn guide(&self) -> Guide {
		match self.sense {
			Sense::Market { scale } => Guide::market(scale, &self.problem),
			_ => Guide::General,
		}
	}

	/// The original value of an assignment whose internal profit is `internal`: for a market its
	/// energy and weight; for the all-assigned objectives the total where every job is assigned,
	/// which the profit alone tells, since `K` exceeds every total (maximising, complete exactly
	/// when the profit is at least `n K`; minimising, when it is above `(n - 1) K`). So a search's
	/// incumbent can be read without its assignment.
	pub fn value(&self, internal: u128) -> Value {
		let n = self.problem.items() as u128;
		match self.sense {
			Sense::Market { scale } => {
				Value::Market { energy: internal / scale, weight: internal % scale }
			}
			Sense::MaxAllAssigned { k } if internal >= n * k => {
				Value::Total((internal - n * k) as i128)
			}
			// `internal > (n - 1) K`, written so that it cannot underflow.
			Sense::MinAllAssigned { k } if internal + k > n * k => {
				Value::Total((n * k - internal) as i128)
			}
			_ => Value::Incomplete,
		}
	}

	/// The original bound implied by an internal upper bound: for the all-assigned objectives,
	/// a bound on complete assignments (an upper bound when maximising, a lower one when
	/// minimising), `None` if the internal bound proves that no complete assignment exists.
	pub fn bound(&self, internal_bound: u128) -> Option<i128> {
		let n = self.problem.items() as u128;
		match self.sense {
			Sense::Market { .. } => Some(internal_bound as i128),
			Sense::MaxAllAssigned { k } => internal_bound.checked_sub(n * k).map(|b| b as i128),
			// A complete assignment's internal value is `n k - cost` with `0 <= cost < k`; an
			// incomplete one's is at most `(n - 1) k`.
			Sense::MinAllAssigned { k } if internal_bound + k > n * k => {
				Some((n * k).saturating_sub(internal_bound) as i128)
			}
			Sense::MinAllAssigned { .. } => None,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::problem::Assignment;

	#[test]
	fn malformed_gaps_are_refused() {
		// No agents: how many jobs there are is lost, so no answer could name them.
		assert_eq!(Model::gap(&[], &[], vec![], true), Err(ProblemError::Malformed));
		// Rows of different lengths, or a row missing.
		let ragged = [vec![1, 2], vec![3]];
		assert_eq!(Model::gap(&ragged, &ragged, vec![5, 5], true), Err(ProblemError::Malformed));
		assert_eq!(Model::gap(&[vec![1]], &[], vec![5], false), Err(ProblemError::Malformed));
		let one = [vec![4, 2]];
		let model = Model::gap(&one, &[vec![1, 1]], vec![2], false).unwrap();
		assert_eq!(model.problem.items(), 2);
	}

	#[test]
	fn the_profit_alone_gives_the_value_of_every_assignment() {
		let values = [vec![7, 0, 3, 9], vec![2, 8, 8, 1]];
		let loads = [vec![2, 3, 1, 2], vec![1, 2, 2, 3]];
		let market = Market {
			requests: vec![3, 5, 2, 4],
			capacities: vec![6, 5],
			pairs: vec![(0, 0, 7), (0, 1, 2), (1, 1, 8), (2, 0, 3), (2, 1, 8), (3, 0, 9)],
		};
		let models = [
			Model::gap(&values, &loads, vec![4, 4], true).unwrap(),
			Model::gap(&values, &loads, vec![4, 4], false).unwrap(),
			Model::market(&market).unwrap(),
		];
		for model in models {
			let (mut totals, mut incompletes) = (0, 0);
			// Every assignment of 4 items to 2 agents or none: 3^4.
			for code in 0..81u32 {
				let assignment: Assignment = (0..4)
					.map(|i| match code / 3u32.pow(i) % 3 {
						0 => None,
						agent => Some(agent - 1),
					})
					.collect();
				let Ok(profit) = crate::check::score(&model.problem, &assignment) else {
					continue;
				};
				// The reference: completeness read from the assignment, totals from the values.
				let total = |sign: i128| -> i128 {
					assignment
						.iter()
						.enumerate()
						.map(|(i, a)| a.map_or(0, |j| sign * values[j as usize][i] as i128))
						.sum()
				};
				let complete = assignment.iter().all(Option::is_some);
				let expected = match model.sense {
					Sense::Market { .. } => {
						let served = assignment.iter().enumerate().filter_map(|(i, a)| {
							let j = (*a)?;
							let pair = market.pairs.iter().find(|p| (p.0, p.1) == (i as u32, j));
							Some((market.requests[i] as u128, pair?.2 as u128))
						});
						let (energy, weight) =
							served.fold((0, 0), |(e, w), (re, rw)| (e + re, w + rw));
						Value::Market { energy, weight }
					}
					Sense::MaxAllAssigned { .. } if complete => Value::Total(total(1)),
					Sense::MinAllAssigned { .. } if complete => Value::Total(-total(-1)),
					_ => Value::Incomplete,
				};
				let value = model.value(profit);
				assert_eq!(value, expected, "{assignment:?}");
				totals += matches!(value, Value::Total(_)) as u32;
				incompletes += matches!(value, Value::Incomplete) as u32;
			}
			if !matches!(model.sense, Sense::Market { .. }) {
				assert!(totals > 0 && incompletes > 0, "both kinds are compared");
			}
		}
	}
}
