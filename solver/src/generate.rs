//! Generated market instances, for benchmarks and tests: the same seed gives the same
//! instance on every machine.
//!
//! Requests ask for 0.5 to 20 kWh (in Wh); providers' capacities are spread around an equal
//! share of `tightness` percent of the total demand (tight: below 100, not everything can be
//! served; loose: above); each (request, provider) pair is allowed with probability `density`
//! percent (a user's limit price or a negative revenue rules the others out), with a weight
//! (the matching degree, in fixed point) uniform in 1..=10 000 ([`market`]) or, as the chain
//! computes it, by the paper's eq. 4 from the provider's price and reputation and the grid fee
//! ([`degree_market`]).

use crate::objective::Market;
use alloc::vec::Vec;

/// SplitMix64: a tiny, well-mixed, seedable generator.
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// Uniform in `low..=high`.
	pub fn range(&mut self, low: u64, high: u64) -> u64 {
		low + self.next_u64() % (high - low + 1)
	}

	/// `true` with probability `percent` / 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.next_u64() % 100 < percent
	}

	/// One of `items` (not empty), uniformly.
	pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
		items[self.range(0, items.len() as u64 - 1) as usize]
	}
}

/// A market of `requests` x `providers`; see the module docs.
pub fn market(
	seed: u64,
	requests: usize,
	providers: usize,
	tightness: u64,
	density: u64,
) -> Market {
	let mut rng = SplitMix(seed);
	let demand: Vec<u64> = (0..requests).map(|_| rng.range(500, 20_000)).collect();
	let share = demand.iter().sum::<u64>() * tightness / 100 / providers.max(1) as u64;
	let capacities = (0..providers).map(|_| rng.range(share / 2, share * 3 / 2)).collect();
	let mut pairs = Vec::new();
	for request in 0..requests as u32 {
		for provider in 0..providers as u32 {
			if rng.range(1, 100) <= density {
				pairs.push((request, provider, rng.range(1, 10_000) as u32));
			}
		}
	}
	Market { requests: demand, capacities, pairs }
}

/// The same requests, capacities and allowed pairs as [`market`] would draw, weighted as the
/// matching pallet weighs them: the matching degree of eq. 4, `M = zeta RC / (zeta + RC)`, in
/// millionths (the pallet's `WEIGHT_SCALE`), with `zeta` the revenue of eq. 3 in GRID.
///
/// Each provider asks 80 to 300 milli-GRID per kWh and has a reputation `RC` of 0.3 to 1.3;
/// providers and requests sit in one of four regions, and a pair in two regions pays a grid fee
/// of 5 to 40 milli-GRID per kWh (table drawn per ordered pair of regions), so that `zeta =
/// R_i (price_j - fee) / 10^6` GRID for `R_i` in Wh. A typical order's `zeta` is then about one
/// GRID, the magnitude of a reputation, as the runtime's `ZetaUnit` intends. Unlike the uniform
/// weights, these grow with the request's energy and saturate at the provider's reputation:
/// every request ranks the providers nearly alike, and weight follows energy, which makes the
/// assignment much harder to prove (correlated profits and loads).
pub fn degree_market(
	seed: u64,
	requests: usize,
	providers: usize,
	tightness: u64,
	density: u64,
) -> Market {
	const REGIONS: u64 = 4;
	let mut market = market(seed, requests, providers, tightness, density);
	let mut rng = SplitMix(seed ^ 0xD6E8_FEB8_6659_FD93);
	let price: Vec<u64> = (0..providers).map(|_| rng.range(80, 300)).collect();
	let reputation: Vec<u64> = (0..providers).map(|_| rng.range(300_000, 1_300_000)).collect();
	let provider_region: Vec<u64> = (0..providers).map(|_| rng.range(0, REGIONS - 1)).collect();
	let request_region: Vec<u64> = (0..requests).map(|_| rng.range(0, REGIONS - 1)).collect();
	let fee: Vec<u64> = (0..REGIONS * REGIONS)
		.map(|pair| if pair / REGIONS == pair % REGIONS { 0 } else { rng.range(5, 40) })
		.collect();
	for (request, provider, weight) in &mut market.pairs {
		let (i, j) = (*request as usize, *provider as usize);
		let fee = fee[(provider_region[j] * REGIONS + request_region[i]) as usize];
		// zeta in millionths of a GRID: Wh times milli-GRID per kWh.
		let zeta = market.requests[i] * (price[j] - fee);
		let rc = reputation[j];
		*weight = (zeta as u128 * rc as u128 / (zeta + rc) as u128) as u32;
	}
	market
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn degree_weights_follow_eq_4_on_the_same_pairs() {
		let (uniform, degree) = (market(7, 60, 6, 70, 60), degree_market(7, 60, 6, 70, 60));
		assert_eq!(uniform.requests, degree.requests);
		assert_eq!(uniform.capacities, degree.capacities);
		let pairs = |m: &Market| m.pairs.iter().map(|(i, j, _)| (*i, *j)).collect::<Vec<_>>();
		assert_eq!(pairs(&uniform), pairs(&degree));
		// A provider's weights grow with the request's energy (same fee), below its reputation.
		for j in 0..6 {
			let mut on_j: Vec<(u64, u32)> = degree
				.pairs
				.iter()
				.filter(|(_, p, _)| *p == j)
				.map(|(i, _, w)| (degree.requests[*i as usize], *w))
				.collect();
			on_j.sort();
			assert!(on_j.iter().all(|(_, w)| (1..1_300_000).contains(w)));
			assert!(on_j.first().unwrap().1 < on_j.last().unwrap().1);
		}
		assert_eq!(degree, degree_market(7, 60, 6, 70, 60));
	}
}
