//! Feasibility and score of an assignment, in time linear in its size: what the chain runs on
//! every submitted solution.

use crate::problem::{Assignment, Problem};
use alloc::vec;

/// Why an assignment is not feasible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Infeasible {
	/// The assignment does not have one entry per item.
	WrongLength,
	/// An item is assigned to an agent it may not be matched with.
	DisallowedPair {
		/// The item.
		item: usize,
	},
	/// An agent's load exceeds its capacity.
	OverCapacity {
		/// The agent.
		agent: usize,
	},
}

/// Checks `assignment` against `problem` and returns its internal profit.
///
/// Linear in the number of items (a binary search among each item's pairs, which are few).
pub fn score(problem: &Problem, assignment: &Assignment) -> Result<u128, Infeasible> {
	if assignment.len() != problem.items() {
		return Err(Infeasible::WrongLength);
	}
	let mut load = vec![0u64; problem.agents()];
	let mut profit = 0u128;
	for (item, agent) in assignment.iter().enumerate() {
		let Some(agent) = agent else { continue };
		let pair = problem.pair(item, *agent).ok_or(Infeasible::DisallowedPair { item })?;
		let used = &mut load[*agent as usize];
		*used = used.saturating_add(pair.load);
		profit = profit.saturating_add(pair.profit);
	}
	match load.iter().zip(problem.capacities()).position(|(used, cap)| used > cap) {
		Some(agent) => Err(Infeasible::OverCapacity { agent }),
		None => Ok(profit),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::problem::Pair;

	fn problem() -> Problem {
		let pair = |agent, load, profit| Pair { agent, load, profit };
		Problem::new(
			vec![10, 5],
			vec![vec![pair(0, 6, 3), pair(1, 5, 4)], vec![pair(0, 6, 2)], vec![]],
		)
		.unwrap()
	}

	#[test]
	fn feasible_assignments_score_their_profit() {
		assert_eq!(score(&problem(), &vec![Some(1), Some(0), None]), Ok(6));
		assert_eq!(score(&problem(), &vec![None, None, None]), Ok(0));
	}

	#[test]
	fn infeasible_assignments_are_named() {
		let p = problem();
		assert_eq!(score(&p, &vec![Some(0)]), Err(Infeasible::WrongLength));
		assert_eq!(
			score(&p, &vec![Some(0), Some(0), None]),
			Err(Infeasible::OverCapacity { agent: 0 })
		);
		assert_eq!(
			score(&p, &vec![None, Some(1), None]),
			Err(Infeasible::DisallowedPair { item: 1 })
		);
		assert_eq!(
			score(&p, &vec![None, None, Some(0)]),
			Err(Infeasible::DisallowedPair { item: 2 })
		);
		assert_eq!(
			score(&p, &vec![None, None, Some(7)]),
			Err(Infeasible::DisallowedPair { item: 2 })
		);
	}
}
