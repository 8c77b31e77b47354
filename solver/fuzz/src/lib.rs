//! What the fuzz targets share: decoding libFuzzer's bytes into solver inputs that reach both
//! the small values brute force can check and the limits the solver accepts
//! ([`MAX_LOAD`], [`MAX_PROFIT`]), and brute force itself.
//!
//! The decoding is a fixed mapping of bytes (no random generator), so that a saved input
//! replays the same case.

use arbitrary::{Result, Unstructured};
// The solver's test helpers: `all_assignments` enumerates for brute force.
#[path = "../../tests/common/mod.rs"]
mod common;
pub use common::all_assignments;
use gridshard_solver::{
	check,
	problem::{MAX_LOAD, MAX_PROFIT},
	Market, Pair, Problem,
};

/// A load or capacity: small most of the time, sometimes at or near [`MAX_LOAD`], sometimes
/// anywhere up to it.
pub fn load(u: &mut Unstructured) -> Result<u64> {
	Ok(match u.int_in_range(0u8..=7)? {
		0..=4 => u.int_in_range(0..=40)?,
		5 => MAX_LOAD - u.int_in_range(0..=40)?,
		6 => u.int_in_range(0..=MAX_LOAD)?,
		// Just above the limit: refused with a named error.
		_ => MAX_LOAD + u.int_in_range(0..=1)?,
	})
}

/// An internal profit: small most of the time, sometimes near [`MAX_PROFIT`] or anywhere up
/// to it, rarely zero or just above the limit (refused).
pub fn profit(u: &mut Unstructured) -> Result<u128> {
	Ok(match u.int_in_range(0u8..=15)? {
		0..=11 => u.int_in_range(1..=60)?,
		12 => MAX_PROFIT - u.int_in_range(0..=60)?,
		13 => u.int_in_range(1..=MAX_PROFIT)?,
		14 => 0,
		_ => MAX_PROFIT + 1,
	})
}

/// An internal problem of at most `most_items` items and `most_agents` agents, with loads and
/// profits from [`load`] and [`profit`]; agent indices may be out of range and pairs may repeat,
/// which [`Problem::new`] must refuse.
pub fn problem_parts(
	u: &mut Unstructured,
	most_items: usize,
	most_agents: usize,
) -> Result<(Vec<u64>, Vec<Vec<Pair>>)> {
	let m = u.int_in_range(0..=most_agents)?;
	let n = u.int_in_range(0..=most_items)?;
	let capacities = (0..m).map(|_| load(u)).collect::<Result<Vec<_>>>()?;
	let mut items = Vec::with_capacity(n);
	for _ in 0..n {
		let mut pairs = Vec::new();
		for _ in 0..u.int_in_range(0..=m + 1)? {
			let agent = u.int_in_range(0..=m as u32)?;
			pairs.push(Pair { agent, load: load(u)?, profit: profit(u)? });
		}
		items.push(pairs);
	}
	Ok((capacities, items))
}

/// A market of at most `most_requests` requests and `most_providers` providers; requests may
/// be zero or above the limit, pairs may name requests or providers that do not exist or
/// repeat, and weights take any `u32`.
pub fn market(u: &mut Unstructured, most_requests: usize, most_providers: usize) -> Result<Market> {
	let m = u.int_in_range(0..=most_providers)?;
	let n = u.int_in_range(0..=most_requests)?;
	let requests = (0..n).map(|_| load(u)).collect::<Result<Vec<_>>>()?;
	let capacities = (0..m).map(|_| load(u)).collect::<Result<Vec<_>>>()?;
	let mut pairs = Vec::new();
	for _ in 0..u.int_in_range(0..=n * m + 1)? {
		let request = u.int_in_range(0..=n as u32)?;
		let provider = u.int_in_range(0..=m as u32)?;
		let weight = match u.int_in_range(0u8..=3)? {
			0 => u32::MAX - u.int_in_range(0..=3)?,
			_ => u.int_in_range(0..=10_000)?,
		};
		pairs.push((request, provider, weight));
	}
	Ok(Market { requests, capacities, pairs })
}

/// The best internal profit of all feasible assignments (checked by [`check::score`]).
pub fn brute_force(problem: &Problem) -> u128 {
	all_assignments(problem.items(), problem.agents())
		.filter_map(|assignment| check::score(problem, &assignment).ok())
		.max()
		.unwrap_or(0)
}

/// Whether [`Problem::new`] had a reason to refuse these parts: a capacity or load above
/// [`MAX_LOAD`], a pair naming an agent that does not exist or listed twice for one item, a
/// profit of zero or above [`MAX_PROFIT`].
pub fn refusal_is_due(capacities: &[u64], items: &[Vec<Pair>]) -> bool {
	let m = capacities.len() as u32;
	capacities.iter().any(|c| *c > MAX_LOAD)
		|| items.iter().any(|pairs| {
			let mut agents: Vec<u32> = pairs.iter().map(|p| p.agent).collect();
			agents.sort();
			agents.windows(2).any(|w| w[0] == w[1])
				|| pairs.iter().any(|p| {
					p.agent >= m || p.load > MAX_LOAD || p.profit == 0 || p.profit > MAX_PROFIT
				})
		})
}
