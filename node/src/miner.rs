//! The CPU miner: threads that search nonces for the mining worker's current block.
//!
//! Each thread takes the worker's current build (pre-hash and difficulty), starts at a random
//! nonce and scans [`NONCES_PER_BATCH`] nonces at a time. Between batches it checks the
//! worker's version: a new best block or a rebuilt proposal makes the work stale, and the
//! thread drops it at once. A found seal is submitted to the worker, which checks it again and
//! imports the block.
//!
//! At a duty cycle below 100 %, a thread sleeps after each batch for as long as the batch took,
//! times `(100 - duty) / duty`: its hashrate, and the CPU it takes, scale by the duty cycle.
//!
//! A simulated (Poisson) miner, for experiments where many miners share a few cores, first
//! waits a time drawn from an exponential distribution for each piece of work, then searches
//! the seal at full speed: its blocks arrive as a Poisson process of the chosen rate whatever
//! the CPU, and it hashes only for the seal itself (difficulty hashes on average).

use codec::Encode;
use futures::executor::block_on;
use gridshard_primitives::pow::{meets_difficulty, work_v1, Seal};
use parking_lot::Mutex;
use sc_consensus_pow::{MiningHandle, PowAlgorithm};
use sp_core::{H256, U256};
use sp_runtime::traits::Block as BlockT;
use std::{
	collections::VecDeque,
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

/// Nonces a thread scans before it checks whether its work went stale.
pub const NONCES_PER_BATCH: u64 = 20_000;

/// How long the hashrate is averaged over.
const HASHRATE_WINDOW: Duration = Duration::from_secs(10);

/// Counters of this node's mining, shared by the miner threads and the `mining_status` RPC.
#[derive(Default)]
pub struct MiningStats {
	/// Mining threads running.
	pub threads: AtomicU64,
	/// Hashes computed since the node started.
	pub hashes: AtomicU64,
	/// Blocks this node mined and imported since it started.
	pub blocks_mined: AtomicU64,
	samples: Mutex<VecDeque<(Instant, u64)>>,
}

impl MiningStats {
	/// Records the current hash count; called about once a second.
	pub fn sample(&self) {
		let now = Instant::now();
		let mut samples = self.samples.lock();
		samples.push_back((now, self.hashes.load(Ordering::Relaxed)));
		while samples.len() > 2
			&& samples.front().is_some_and(|(at, _)| now.duration_since(*at) > HASHRATE_WINDOW)
		{
			samples.pop_front();
		}
	}

	/// Hashes per second over the last samples (up to ten seconds).
	pub fn hashrate(&self) -> u64 {
		let samples = self.samples.lock();
		match (samples.front(), samples.back()) {
			(Some((t0, h0)), Some((t1, h1))) if t1 > t0 => {
				let seconds = t1.duration_since(*t0).as_secs_f64();
				((h1 - h0) as f64 / seconds) as u64
			}
			_ => 0,
		}
	}
}

/// Searches `count` nonces from `start` for one whose work meets `difficulty`.
pub fn search(pre_hash: &H256, difficulty: U256, start: u64, count: u64) -> Option<u64> {
	(0..count)
		.map(|i| start.wrapping_add(i))
		.find(|nonce| meets_difficulty(&work_v1(pre_hash, *nonce), difficulty))
}

/// How long a thread rests after hashing for `busy` at `duty_cycle` percent.
pub fn idle_after(busy: Duration, duty_cycle: u8) -> Duration {
	let duty = u32::from(duty_cycle.clamp(1, 100));
	busy * (100 - duty) / duty
}

/// How a mining thread spends its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
	/// Hash this percentage of the time (1 to 100), resting the rest.
	DutyCycle(u8),
	/// Wait an exponentially distributed time of this mean for each piece of work, then search
	/// the seal at full speed: a simulated miner whose blocks arrive at rate `1 / mean`.
	Poisson {
		/// The mean wait.
		mean: Duration,
	},
}

/// How often a waiting Poisson miner checks whether its work went stale.
const STALE_CHECK: Duration = Duration::from_millis(50);

/// A random `u64` that differs between threads and calls.
fn random_u64(thread: usize) -> u64 {
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_nanos() as u64)
		.unwrap_or_default();
	let mut input = now.to_le_bytes().to_vec();
	input.extend_from_slice(&(thread as u64).to_le_bytes());
	let hash = sp_crypto_hashing::blake2_64(&input);
	u64::from_le_bytes(hash)
}

/// The exponentially distributed wait of mean `mean` for the uniform draw `random`
/// (inverse transform: `-ln(u) * mean`, with `u` in (0, 1]).
pub fn exponential_wait(mean: Duration, random: u64) -> Duration {
	let uniform = ((random >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
	mean.mul_f64(-uniform.ln())
}

/// Starts `threads` miner threads on `handle`, at `pace`; they stop when `stop` is set.
pub fn spawn<B, A, L>(
	handle: MiningHandle<B, A, L>,
	threads: usize,
	pace: Pace,
	stats: Arc<MiningStats>,
	stop: Arc<AtomicBool>,
) -> std::io::Result<()>
where
	B: BlockT<Hash = H256>,
	A: PowAlgorithm<B, Difficulty = U256> + Send + Sync + 'static,
	L: sc_consensus::JustificationSyncLink<B> + 'static,
{
	for thread in 0..threads {
		let (handle, thread_stats, stop) = (handle.clone(), stats.clone(), stop.clone());
		std::thread::Builder::new()
			.name(format!("pow-miner-{thread}"))
			.spawn(move || mine(handle, thread, pace, &thread_stats, &stop))?;
		stats.threads.fetch_add(1, Ordering::Relaxed);
	}
	Ok(())
}

/// Whether a Poisson miner waited out its draw; `false` when its work went `stale` (or the
/// node stops) first.
fn waited_out(wait: Duration, stop: &AtomicBool, stale: impl Fn() -> bool) -> bool {
	let until = Instant::now() + wait;
	loop {
		let now = Instant::now();
		if now >= until {
			return true;
		}
		if stale() || stop.load(Ordering::Relaxed) {
			return false;
		}
		std::thread::sleep(STALE_CHECK.min(until - now));
	}
}

fn mine<B, A, L>(
	handle: MiningHandle<B, A, L>,
	thread: usize,
	pace: Pace,
	stats: &MiningStats,
	stop: &AtomicBool,
) where
	B: BlockT<Hash = H256>,
	A: PowAlgorithm<B, Difficulty = U256>,
	L: sc_consensus::JustificationSyncLink<B>,
{
	while !stop.load(Ordering::Relaxed) {
		let version = handle.version();
		let Some(metadata) = handle.metadata() else {
			std::thread::sleep(Duration::from_millis(100));
			continue;
		};
		let duty_cycle = match pace {
			Pace::DutyCycle(duty_cycle) => duty_cycle,
			Pace::Poisson { mean } => {
				// Memoryless: a fresh draw for fresh work has the same distribution.
				let wait = exponential_wait(mean, random_u64(thread));
				if !waited_out(wait, stop, || handle.version() != version) {
					continue;
				}
				100
			}
		};
		let mut nonce = random_u64(thread);
		let found = loop {
			let started = Instant::now();
			let found = search(&metadata.pre_hash, metadata.difficulty, nonce, NONCES_PER_BATCH);
			stats.hashes.fetch_add(NONCES_PER_BATCH, Ordering::Relaxed);
			if found.is_none() {
				std::thread::sleep(idle_after(started.elapsed(), duty_cycle));
			}
			nonce = nonce.wrapping_add(NONCES_PER_BATCH);
			if found.is_some() || handle.version() != version || stop.load(Ordering::Relaxed) {
				break found;
			}
		};
		let Some(nonce) = found else { continue };
		// Submitting work that went stale meanwhile would only be refused.
		if handle.version() != version {
			continue;
		}
		// `submit` holds a lock across an await, so it runs on this thread, not on tokio.
		if block_on(handle.submit(Seal::V1 { nonce }.encode())) {
			stats.blocks_mined.fetch_add(1, Ordering::Relaxed);
			log::info!(target: "pow", "⛏  mined a block on {} (nonce {nonce})", metadata.best_hash);
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_duty_cycle_sets_the_rest() {
		let busy = Duration::from_millis(10);
		assert_eq!(idle_after(busy, 100), Duration::ZERO);
		assert_eq!(idle_after(busy, 50), busy);
		assert_eq!(idle_after(busy, 10), busy * 9);
		assert_eq!(idle_after(busy, 0), busy * 99);
	}

	#[test]
	fn poisson_waits_are_exponential() {
		let mean = Duration::from_secs(6);
		// The inverse transform at the extremes and the median.
		assert_eq!(exponential_wait(mean, u64::MAX), Duration::ZERO);
		let median = exponential_wait(mean, 1 << 63).as_secs_f64();
		assert!((median - 6.0 * std::f64::consts::LN_2).abs() < 1e-6, "{median}");
		assert!(exponential_wait(mean, 0) > mean * 30);
		// The mean of many draws from hashed seeds.
		let draws = 20_000u64;
		let total: f64 = (0..draws)
			.map(|i| {
				let random = u64::from_le_bytes(sp_crypto_hashing::blake2_64(&i.to_le_bytes()));
				exponential_wait(mean, random).as_secs_f64()
			})
			.sum();
		let average = total / draws as f64;
		assert!((average - 6.0).abs() < 0.2, "{average}");
	}

	#[test]
	fn search_finds_a_nonce_that_verifies() {
		let pre_hash = H256::repeat_byte(1);
		let difficulty = U256::from(5_000);
		let nonce = search(&pre_hash, difficulty, 0, 1_000_000).expect("found in expectation");
		assert!(gridshard_primitives::pow::verify_seal(
			&pre_hash,
			&Seal::V1 { nonce }.encode(),
			difficulty
		));
	}

	#[test]
	fn search_gives_up_after_the_batch() {
		// Difficulty 2^200: no nonce among ten meets it, in all likelihood (2^-190).
		let difficulty = U256::one() << 200;
		assert_eq!(search(&H256::repeat_byte(1), difficulty, 0, 10), None);
	}

	#[test]
	fn hashrate_is_hashes_over_time() {
		let stats = MiningStats::default();
		stats.sample();
		std::thread::sleep(Duration::from_millis(200));
		stats.hashes.store(1_000, Ordering::Relaxed);
		stats.sample();
		let rate = stats.hashrate();
		assert!(rate > 0 && rate <= 5_000, "{rate}");
	}
}
