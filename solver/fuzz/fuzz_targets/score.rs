//! The checker the chain runs on every submitted solution, against a reference written for
//! clarity: for any problem and any claimed assignment (wrong length, agents that do not exist,
//! disallowed pairs, overloads at the limits), `check::score` never panics and gives the same
//! verdict and profit.

#![no_main]

use arbitrary::{Result, Unstructured};
use gridshard_solver::{
	check::{self, Infeasible},
	Assignment, Problem,
};
use gridshard_solver_fuzz::{problem_parts, refusal_is_due};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let mut u = Unstructured::new(data);
	let _ = case(&mut u);
});

fn case(u: &mut Unstructured) -> Result<()> {
	let (capacities, pairs) = problem_parts(u, 24, 8)?;
	let Ok(problem) = Problem::new(capacities.clone(), pairs.clone()) else {
		assert!(refusal_is_due(&capacities, &pairs), "a well-formed problem refused");
		return Ok(());
	};
	let length = match u.int_in_range(0u8..=7)? {
		0 => u.int_in_range(0..=problem.items() + 2)?,
		_ => problem.items(),
	};
	let assignment = (0..length)
		.map(|_| {
			Ok(match u.int_in_range(0u8..=7)? {
				0 => None,
				1 => Some(u32::MAX - u.int_in_range(0..=1)?),
				_ => Some(u.int_in_range(0..=problem.agents() as u32)?),
			})
		})
		.collect::<Result<Assignment>>()?;
	assert_eq!(check::score(&problem, &assignment), reference(&problem, &assignment));
	Ok(())
}

/// Length first; then the first item, in order, whose agent it may not go to; then the first
/// agent loaded beyond its capacity (loads summed without limit); else the sum of profits.
fn reference(problem: &Problem, assignment: &Assignment) -> core::result::Result<u128, Infeasible> {
	if assignment.len() != problem.items() {
		return Err(Infeasible::WrongLength);
	}
	let mut load = vec![0u128; problem.agents()];
	let mut profit = 0u128;
	for (item, agent) in assignment.iter().enumerate() {
		let Some(agent) = agent else { continue };
		let Some(pair) = problem.pairs_of(item).iter().find(|p| p.agent == *agent) else {
			return Err(Infeasible::DisallowedPair { item });
		};
		load[*agent as usize] += pair.load as u128;
		profit += pair.profit;
	}
	for (agent, capacity) in problem.capacities().iter().enumerate() {
		if load[agent] > *capacity as u128 {
			return Err(Infeasible::OverCapacity { agent });
		}
	}
	Ok(profit)
}
