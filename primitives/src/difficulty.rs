//! The difficulty adjustment and the difficulty digest: the one rule that a region's runtime,
//! its node and the coordinating chain's light client all apply.
//!
//! ## The adjustment, as pure functions
//!
//! The chain keeps a window of the last `W` blocks' `(timestamp, difficulty)`. From it:
//!
//! 1. **Solve times** are the gaps between consecutive timestamps, each clamped to
//!    `[0, target * max_solve_factor]`: a negative gap (out-of-order timestamps) counts as zero,
//!    and a single very late block counts as at most `max_solve_factor` target times.
//! 2. **The timespan** is their sum; it is compared with the expected `(W - 1) * target`.
//!    Because the gaps telescope, a timestamp pushed forward by a miner (up to the drift the
//!    node accepts) is paid back by the next gap, so it moves the timespan only while it sits at
//!    the window's edge.
//! 3. **Damping** pulls the timespan towards the expectation:
//!    `damped = (timespan + (damp - 1) * expected) / damp`, so one window moves the difficulty by
//!    a `1/damp` share of what it would take to hit the target at once. This trades reaction
//!    speed for stability: no oscillation when hashrate jumps.
//! 4. **Clamping** bounds the change per block: `damped` is kept within
//!    `[expected / clamp, expected * clamp]`.
//! 5. The next difficulty is the window's mean difficulty scaled by `expected / damped`, kept
//!    within `[min, max]`.
//!
//! All arithmetic is integer (`U256`, `u128`), so every node computes the same value.
//! [`ADJUSTMENT`] and [`WINDOW_LENGTH`] are the parameters of every GridShard chain.
//!
//! ## The digest
//!
//! Every block carries a [`DifficultyDigest`], `Consensus(*b"gsdf", (timestamp, difficulty))`:
//! its own timestamp and the difficulty it was mined at. The runtime deposits it from the state
//! (so an honest node, whose executive compares the digest it computes with the header's,
//! rejects a header whose digest lies), and a light client that holds only headers can re-run
//! [`next_difficulty`] over the digests of a header's ancestors to check its work.

use crate::Moment;
use codec::{Decode, DecodeAll, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::U256;
use sp_runtime::{Digest, DigestItem};

/// The parameters of the adjustment; see the module docs for their meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdjustmentParams {
	/// Target time between blocks, in milliseconds. Non-zero.
	pub target_block_time: u64,
	/// Damping factor; 1 disables damping. Non-zero.
	pub damp_factor: u32,
	/// Bound of the change per block, as a factor. At least 1.
	pub clamp_factor: u32,
	/// Longest solve time one block may contribute, in target block times. At least 1.
	pub max_solve_factor: u32,
	/// The smallest difficulty.
	pub min_difficulty: U256,
	/// The largest difficulty.
	pub max_difficulty: U256,
}

/// The solve time of one block: `now - previous`, clamped to `[0, target * max_solve_factor]`.
///
/// Takes the two timestamps as unsigned milliseconds and never underflows: a `now` earlier than
/// `previous` is a zero span.
pub fn clamp_solve_time(previous: u64, now: u64, params: &AdjustmentParams) -> u128 {
	let span = now.saturating_sub(previous) as u128;
	let longest = params.target_block_time as u128 * params.max_solve_factor.max(1) as u128;
	span.min(longest)
}

/// Damps a measured `timespan` towards `expected`: `(timespan + (damp - 1) * expected) / damp`.
pub fn damp(timespan: u128, expected: u128, damp_factor: u32) -> u128 {
	let damp_factor = damp_factor.max(1) as u128;
	timespan.saturating_add(expected.saturating_mul(damp_factor - 1)) / damp_factor
}

/// Clamps a timespan into `[expected / clamp_factor, expected * clamp_factor]`, and to at least 1.
pub fn clamp(timespan: u128, expected: u128, clamp_factor: u32) -> u128 {
	let clamp_factor = clamp_factor.max(1) as u128;
	timespan.clamp((expected / clamp_factor).max(1), expected.saturating_mul(clamp_factor).max(1))
}

/// The difficulty of the next block, from a window of `(timestamp, difficulty)` of the latest
/// blocks, oldest first.
///
/// With fewer than two entries there is no solve time yet, and `current` is returned (kept
/// within the bounds).
pub fn next_difficulty(window: &[(u64, U256)], current: U256, params: &AdjustmentParams) -> U256 {
	let bounded = |d: U256| d.clamp(params.min_difficulty, params.max_difficulty);
	if window.len() < 2 {
		return bounded(current);
	}
	let gaps = window.len() as u128 - 1;
	let timespan: u128 = window
		.windows(2)
		.map(|pair| clamp_solve_time(pair[0].0, pair[1].0, params))
		.fold(0u128, |sum, solve| sum.saturating_add(solve));
	let expected = gaps.saturating_mul(params.target_block_time.max(1) as u128);
	let adjusted =
		clamp(damp(timespan, expected, params.damp_factor), expected, params.clamp_factor);

	// The mean difficulty of the blocks whose solve times were measured (all but the oldest).
	let total = window[1..].iter().fold(U256::zero(), |sum, (_, d)| sum.saturating_add(*d));
	let mean = total / U256::from(gaps);
	bounded(mean.saturating_mul(U256::from(expected)) / U256::from(adjusted))
}

/// How many latest blocks' `(timestamp, difficulty)` the adjustment looks at: thirty blocks,
/// three minutes at target.
pub const WINDOW_LENGTH: u32 = 30;

/// Target time between blocks of every GridShard chain, in milliseconds.
pub const TARGET_BLOCK_TIME_MS: u64 = 6_000;

/// The adjustment of every GridShard chain.
///
/// - one block's solve time counts at most six target times (36 s), more than the 60 s a node
///   accepts a timestamp ahead of its clock would allow to pull in one step;
/// - the easiest puzzle is about a thousand hashes per block, the hardest 2^128, beyond any
///   hashrate.
pub const ADJUSTMENT: AdjustmentParams = AdjustmentParams {
	target_block_time: TARGET_BLOCK_TIME_MS,
	damp_factor: 3,
	clamp_factor: 2,
	max_solve_factor: 6,
	min_difficulty: U256([1_000, 0, 0, 0]),
	max_difficulty: U256([0, 0, 1, 0]),
};

/// The consensus engine id of the difficulty digest.
pub const DIFFICULTY_ENGINE_ID: [u8; 4] = *b"gsdf";

/// What every block says of itself so that its work can be checked from headers alone: its
/// timestamp and the difficulty it was mined at (the window entry the adjustment records for it).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct DifficultyDigest {
	/// The block's timestamp, in milliseconds since the Unix epoch.
	pub timestamp: Moment,
	/// The difficulty the block was mined at.
	pub difficulty: U256,
}

impl DifficultyDigest {
	/// The digest item: `Consensus(*b"gsdf", (timestamp, difficulty).encode())`.
	pub fn to_digest_item(&self) -> DigestItem {
		DigestItem::Consensus(DIFFICULTY_ENGINE_ID, self.encode())
	}

	/// The block's difficulty digest, if it has exactly one that decodes.
	pub fn find(digest: &Digest) -> Option<Self> {
		let mut found = digest.logs().iter().filter_map(|item| match item {
			DigestItem::Consensus(id, data) if *id == DIFFICULTY_ENGINE_ID => Some(data),
			_ => None,
		});
		let data = found.next()?;
		if found.next().is_some() {
			return None;
		}
		Self::decode_all(&mut &data[..]).ok()
	}

	/// The window entry the adjustment keeps for this block.
	pub fn entry(&self) -> (Moment, U256) {
		(self.timestamp, self.difficulty)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const TARGET: u64 = 6_000;

	fn params() -> AdjustmentParams {
		AdjustmentParams {
			target_block_time: TARGET,
			damp_factor: 3,
			clamp_factor: 2,
			max_solve_factor: 6,
			min_difficulty: U256::from(1_000),
			max_difficulty: U256::from(u128::MAX) + 1,
		}
	}

	/// Simulates `blocks` blocks mined by a constant `hashrate` (hashes per second), each solved
	/// in exactly its expected time `difficulty / hashrate`; returns the final difficulty.
	fn simulate(start: U256, hashrate: u64, blocks: usize, window_len: usize) -> U256 {
		let params = params();
		let mut window: Vec<(u64, U256)> = vec![(0, start)];
		let mut difficulty = start;
		let mut now = 0u64;
		for _ in 0..blocks {
			let solve_ms = (difficulty * U256::from(1000) / U256::from(hashrate)).as_u64();
			now += solve_ms;
			window.push((now, difficulty));
			if window.len() > window_len {
				window.remove(0);
			}
			difficulty = next_difficulty(&window, difficulty, &params);
		}
		difficulty
	}

	fn within_percent(value: U256, expected: U256, percent: u64) -> bool {
		let diff = if value > expected { value - expected } else { expected - value };
		diff * U256::from(100) <= expected * U256::from(percent)
	}

	#[test]
	fn steady_state_keeps_the_difficulty() {
		// Hashrate 1 MH/s and difficulty 6M: blocks arrive on target.
		let start = U256::from(6_000_000u64);
		assert_eq!(simulate(start, 1_000_000, 200, 30), start);
	}

	#[test]
	fn hashrate_doubling_doubles_the_difficulty() {
		let start = U256::from(6_000_000u64);
		let end = simulate(start, 2_000_000, 400, 30);
		assert!(within_percent(end, U256::from(12_000_000u64), 2), "{end}");
	}

	#[test]
	fn hashrate_halving_halves_the_difficulty() {
		let start = U256::from(6_000_000u64);
		let end = simulate(start, 500_000, 400, 30);
		assert!(within_percent(end, U256::from(3_000_000u64), 2), "{end}");
	}

	#[test]
	fn a_thousandfold_hashrate_is_reached_without_overshoot() {
		// The dev chain starts at the minimum and meets a real miner.
		let params = params();
		let start = params.min_difficulty;
		let target = U256::from(6_000_000_000u64);
		let mut window: Vec<(u64, U256)> = vec![(0, start)];
		let (mut difficulty, mut now) = (start, 0u64);
		for _ in 0..2_000 {
			now += (difficulty * U256::from(1000) / U256::from(1_000_000_000u64)).as_u64();
			window.push((now, difficulty));
			if window.len() > 30 {
				window.remove(0);
			}
			difficulty = next_difficulty(&window, difficulty, &params);
			assert!(difficulty <= target * U256::from(2), "overshoot to {difficulty}");
		}
		assert!(within_percent(difficulty, target, 2), "{difficulty}");
	}

	#[test]
	fn change_per_block_is_clamped() {
		let params = params();
		let d = U256::from(1_000_000u64);
		// All blocks at once: at most `clamp_factor` times harder.
		let instant: Vec<_> = (0..30).map(|_| (1_000u64, d)).collect();
		assert_eq!(next_difficulty(&instant, d, &params), d * U256::from(3) / U256::from(2));
		// Hours between blocks: each solve time counts at most 6 targets, the change at most 1/2.
		let slow: Vec<_> = (0..30u64).map(|i| (i * 3_600_000, d)).collect();
		assert_eq!(next_difficulty(&slow, d, &params), d / U256::from(2));
	}

	#[test]
	fn zero_and_negative_spans_count_as_zero() {
		let params = params();
		assert_eq!(clamp_solve_time(5_000, 5_000, &params), 0);
		assert_eq!(clamp_solve_time(9_000, 5_000, &params), 0);
		assert_eq!(clamp_solve_time(0, u64::MAX, &params), 36_000);
		// A window with timestamps going backwards is the same as one with equal timestamps.
		let d = U256::from(1_000_000u64);
		let backwards: Vec<_> = (0..30u64).map(|i| (100_000 - i * 1_000, d)).collect();
		let equal: Vec<_> = (0..30u64).map(|_| (100_000, d)).collect();
		assert_eq!(next_difficulty(&backwards, d, &params), next_difficulty(&equal, d, &params));
	}

	#[test]
	fn timestamps_at_the_drift_limit_move_the_difficulty_little() {
		// An honest window on target, then the same window where one miner pushed its timestamp
		// 30 s (the node's drift limit) into the future and the next block came on time after.
		let params = params();
		let d = U256::from(6_000_000u64);
		let honest: Vec<_> = (0..30u64).map(|i| (i * TARGET, d)).collect();
		let mut pushed = honest.clone();
		pushed[15].0 += 30_000;
		pushed[16].0 = pushed[16].0.max(pushed[15].0 + 1);
		let moved = next_difficulty(&pushed, d, &params);
		assert!(within_percent(moved, d, 5), "{moved}");
		// At the window's newest edge the push is largest, and still bounded by the damping.
		let mut edge = honest.clone();
		edge[29].0 += 30_000;
		let moved = next_difficulty(&edge, d, &params);
		assert!(within_percent(moved, d, 10), "{moved}");
		assert!(moved < d);
	}

	#[test]
	fn bounds_hold() {
		let mut params = params();
		params.max_difficulty = U256::from(2_000_000u64);
		let d = U256::from(1_900_000u64);
		let instant: Vec<_> = (0..30).map(|_| (1_000u64, d)).collect();
		assert_eq!(next_difficulty(&instant, d, &params), params.max_difficulty);
		let slow: Vec<_> = (0..30u64).map(|i| (i * 3_600_000, U256::from(1_500))).collect();
		assert_eq!(next_difficulty(&slow, U256::from(1_500), &params), params.min_difficulty);
		// Short windows keep the current value, within bounds.
		assert_eq!(next_difficulty(&[], U256::from(5), &params), params.min_difficulty);
		assert_eq!(next_difficulty(&[(1, d)], d, &params), d);
	}

	#[test]
	fn saturates_instead_of_overflowing() {
		let mut params = params();
		params.max_difficulty = U256::MAX;
		// The sum of difficulties saturates, and so does the scaled mean: the result is
		// `MAX / damped`, with `damped = (0 + 2 * expected) / 3` for 29 instant blocks.
		let huge: Vec<_> = (0..30).map(|_| (0u64, U256::MAX)).collect();
		let damped = 2 * 29 * TARGET as u128 / 3;
		assert_eq!(next_difficulty(&huge, U256::MAX, &params), U256::MAX / U256::from(damped));
	}

	#[test]
	fn the_digest_round_trips_and_must_be_unique() {
		let digest = DifficultyDigest { timestamp: 42, difficulty: U256::from(1_234) };
		let mut header_digest = Digest::default();
		assert_eq!(DifficultyDigest::find(&header_digest), None);
		header_digest.push(DigestItem::PreRuntime(*b"pow_", vec![1, 2]));
		header_digest.push(digest.to_digest_item());
		assert_eq!(DifficultyDigest::find(&header_digest), Some(digest));
		// Two difficulty digests are ambiguous: none is read.
		header_digest.push(digest.to_digest_item());
		assert_eq!(DifficultyDigest::find(&header_digest), None);
		// A digest that does not decode is not read either.
		let mut bad = Digest::default();
		bad.push(DigestItem::Consensus(DIFFICULTY_ENGINE_ID, vec![1, 2, 3]));
		assert_eq!(DifficultyDigest::find(&bad), None);
	}

	#[test]
	fn the_chain_parameters_are_the_tested_ones() {
		assert_eq!(ADJUSTMENT, params());
	}
}
