//! A small deterministic generator of instances, shared by the tests.

#![allow(dead_code)]

use gridshard_solver::{Market, Pair, Problem};

pub use gridshard_solver::generate::SplitMix as Rng;

/// A random internal problem with `n` items and `m` agents.
pub fn random_problem(rng: &mut Rng, n: usize, m: usize) -> Problem {
	let capacities = (0..m).map(|_| rng.range(0, 30)).collect();
	let mut pairs = Vec::with_capacity(n);
	for _ in 0..n {
		let mut item = Vec::new();
		for agent in 0..m as u32 {
			if rng.chance(75) {
				item.push(Pair { agent, load: rng.range(0, 15), profit: rng.range(1, 40) as u128 });
			}
		}
		pairs.push(item);
	}
	Problem::new(capacities, pairs).unwrap()
}

/// A random market of 1 to `most_requests` requests and 1 to `most_providers` providers, with
/// total capacity 30 % to 130 % of demand and 70 % of pairs allowed.
pub fn random_sized_market(rng: &mut Rng, most_requests: u64, most_providers: u64) -> Market {
	let n = rng.range(1, most_requests) as usize;
	let m = rng.range(1, most_providers) as usize;
	let tightness = rng.range(30, 130);
	random_market(rng, n, m, tightness, 70)
}

/// A random market of 1 to `most_providers` providers and as many to `most_requests` requests
/// of 1 to 12 Wh, built so that every provider can be filled to the Wh: request `j` is given to
/// provider `j`, every later one to a random provider or to none, and a provider's capacity is
/// what it was given; the pairs of that filling are allowed, and any other with probability one
/// half.
pub fn fillable_market(rng: &mut Rng, most_requests: u64, most_providers: u64) -> Market {
	let m = rng.range(1, most_providers) as usize;
	let n = rng.range(m as u64, most_requests.max(m as u64)) as usize;
	let requests: Vec<u64> = (0..n).map(|_| rng.range(1, 12)).collect();
	let owner: Vec<Option<u32>> = (0..n)
		.map(|i| {
			let pick = if i < m { i as u64 } else { rng.range(0, m as u64) };
			(pick < m as u64).then_some(pick as u32)
		})
		.collect();
	let mut capacities = vec![0u64; m];
	for (request, provider) in owner.iter().enumerate() {
		if let Some(j) = provider {
			capacities[*j as usize] += requests[request];
		}
	}
	let mut pairs = Vec::new();
	for i in 0..n as u32 {
		for j in 0..m as u32 {
			if owner[i as usize] == Some(j) || rng.chance(50) {
				pairs.push((i, j, rng.range(1, 10_000) as u32));
			}
		}
	}
	Market { requests, capacities, pairs }
}

/// A random market with `n` requests and `m` providers; `tightness` is total capacity as a
/// percentage of total demand.
pub fn random_market(rng: &mut Rng, n: usize, m: usize, tightness: u64, density: u64) -> Market {
	let requests: Vec<u64> = (0..n).map(|_| rng.range(500, 20_000)).collect();
	let total: u64 = requests.iter().sum();
	let per_provider = total * tightness / 100 / m as u64;
	let capacities = (0..m).map(|_| rng.range(per_provider / 2, per_provider * 3 / 2)).collect();
	let mut pairs = Vec::new();
	for i in 0..n as u32 {
		for j in 0..m as u32 {
			if rng.chance(density) {
				pairs.push((i, j, rng.range(1, 10_000) as u32));
			}
		}
	}
	Market { requests, capacities, pairs }
}

/// Every assignment of `n` items to `m` agents or none, as base-`(m + 1)` counters.
pub fn all_assignments(n: usize, m: usize) -> impl Iterator<Item = Vec<Option<u32>>> {
	let total = (m as u64 + 1).pow(n as u32);
	(0..total).map(move |mut code| {
		(0..n)
			.map(|_| {
				let digit = code % (m as u64 + 1);
				code /= m as u64 + 1;
				(digit < m as u64).then_some(digit as u32)
			})
			.collect()
	})
}
