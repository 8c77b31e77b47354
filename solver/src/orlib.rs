//! The OR-Library GAP file format: the number of problems, then for each `m n`, the `m x n`
//! value matrix, the `m x n` resource matrix and the `m` capacities, whitespace-separated.

use crate::{objective::Model, problem::ProblemError};
use alloc::vec::Vec;

/// One problem of an OR-Library file, in the file's layout (`[agent][job]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrLibInstance {
	/// Value (profit or cost) of job `i` on agent `j`: `values[j][i]`.
	pub values: Vec<Vec<u64>>,
	/// Resource use of job `i` on agent `j`: `loads[j][i]`.
	pub loads: Vec<Vec<u64>>,
	/// Capacity of each agent.
	pub capacities: Vec<u64>,
}

impl OrLibInstance {
	/// The model of this instance, maximising or minimising with every job assigned.
	pub fn model(&self, maximise: bool) -> Result<Model, ProblemError> {
		Model::gap(&self.values, &self.loads, self.capacities.clone(), maximise)
	}
}

/// Parses every problem of an OR-Library GAP file.
pub fn parse(text: &str) -> Result<Vec<OrLibInstance>, ProblemError> {
	let mut numbers = text.split_ascii_whitespace().map(|t| t.parse::<u64>());
	let mut next = || -> Result<u64, ProblemError> {
		numbers.next().ok_or(ProblemError::Malformed)?.map_err(|_| ProblemError::Malformed)
	};
	let count = next()?;
	let mut instances = Vec::new();
	for _ in 0..count {
		let (m, n) = (next()? as usize, next()? as usize);
		if m == 0 || n == 0 || m > crate::problem::MAX_ITEMS || n > crate::problem::MAX_ITEMS {
			return Err(ProblemError::Malformed);
		}
		let mut matrix = || -> Result<Vec<Vec<u64>>, ProblemError> {
			(0..m).map(|_| (0..n).map(|_| next()).collect()).collect()
		};
		let values = matrix()?;
		let loads = matrix()?;
		let capacities = (0..m).map(|_| next()).collect::<Result<_, _>>()?;
		instances.push(OrLibInstance { values, loads, capacities });
	}
	Ok(instances)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_a_small_file_and_rejects_a_truncated_one() {
		let text = "1\n2 3\n1 2 3\n4 5 6\n1 1 1\n2 2 2\n5 6\n";
		let parsed = parse(text).unwrap();
		assert_eq!(parsed.len(), 1);
		assert_eq!(parsed[0].values, [[1, 2, 3], [4, 5, 6]]);
		assert_eq!(parsed[0].loads, [[1, 1, 1], [2, 2, 2]]);
		assert_eq!(parsed[0].capacities, [5, 6]);
		assert_eq!(parse("1\n2 3\n1 2"), Err(ProblemError::Malformed));
		assert_eq!(parse("x"), Err(ProblemError::Malformed));
	}
}
