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

/// A start nonce that differs between threads and runs.
fn random_start(thread: usize) -> u64 {
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_nanos() as u64)
		.unwrap_or_default();
	let mut input = now.to_le_bytes().to_vec();
	input.extend_from_slice(&(thread as u64).to_le_bytes());
	let hash = sp_crypto_hashing::blake2_64(&input);
	u64::from_le_bytes(hash)
}

/// Starts `threads` miner threads on `handle`, hashing `duty_cycle` percent of the time; they
/// stop when `stop` is set.
pub fn spawn<B, A, L>(
	handle: MiningHandle<B, A, L>,
	threads: usize,
	duty_cycle: u8,
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
			.spawn(move || mine(handle, thread, duty_cycle, &thread_stats, &stop))?;
		stats.threads.fetch_add(1, Ordering::Relaxed);
	}
	Ok(())
}

fn mine<B, A, L>(
	handle: MiningHandle<B, A, L>,
	thread: usize,
	duty_cycle: u8,
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
		let mut nonce = random_start(thread);
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
