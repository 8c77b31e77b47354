//! Generated market instances, for benchmarks and tests: the same seed gives the same
//! instance on every machine.
//!
//! Requests ask for 0.5 to 20 kWh (in Wh); providers' capacities are spread around an equal
//! share of `tightness` percent of the total demand (tight: below 100, not everything can be
//! served; loose: above); each (request, provider) pair is allowed with probability `density`
//! percent (a user's limit price or a negative revenue rules the others out), with a weight
//! (the matching degree, in fixed point) uniform in 1..=10 000.

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
