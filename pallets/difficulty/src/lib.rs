//! # Difficulty pallet
//!
//! Keeps the proof-of-work difficulty of a GridShard chain and adjusts it after every block
//! towards a target block time.
//!
//! ## Overview
//!
//! The node's miner asks the runtime for the difficulty of the next block through
//! `sp_consensus_pow::DifficultyApi`, which the runtime answers from [`CurrentDifficulty`]. After
//! each block's timestamp is set, this pallet (plugged in as the timestamp pallet's
//! `OnTimestampSet`) records the block's `(timestamp, difficulty)` in a sliding [`Window`] and
//! computes the next difficulty with [`adjustment::next_difficulty`]: per-block solve times
//! clamped, the window's timespan damped towards the expected one, the change per block clamped,
//! the result kept between [`Config::MinDifficulty`] and [`Config::MaxDifficulty`]. The
//! adjustment is a pure function of the window, in integer arithmetic, shared with the node
//! and the coordinating chain's light client; `gridshard_primitives::difficulty` documents it
//! step by step.
//!
//! Every block also carries its window entry in its header, as a
//! [`DifficultyDigest`](gridshard_primitives::difficulty::DifficultyDigest) deposited here: its
//! timestamp and the difficulty it was mined at. The executive compares the digest a block's
//! execution deposits with the header's, so a header whose digest lies does not import, and a
//! light client can recompute each header's difficulty from its ancestors' digests alone.
//!
//! The pallet has no calls and emits no events: a per-block event would add a record to every
//! block for a value the runtime API already answers.
//!
//! ## Genesis
//!
//! `initial_difficulty` sets the first block's difficulty: low on development chains so that
//! they mine at once, and the adjustment finds the network's hashrate within a few dozen blocks.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use gridshard_primitives::difficulty::{self as adjustment, AdjustmentParams};
pub use pallet::*;
pub use weights::WeightInfo;

use frame_support::{pallet_prelude::*, traits::OnTimestampSet};
use gridshard_primitives::difficulty::DifficultyDigest;
use sp_core::U256;
use sp_runtime::traits::UniqueSaturatedInto;

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::difficulty";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the difficulty adjustment.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Target time between blocks, in milliseconds.
		#[pallet::constant]
		type TargetBlockTime: Get<u64>;

		/// Number of latest blocks whose `(timestamp, difficulty)` the adjustment looks at.
		#[pallet::constant]
		type WindowLength: Get<u32>;

		/// Damping factor of the adjustment (1 means none).
		#[pallet::constant]
		type DampFactor: Get<u32>;

		/// The difficulty changes by at most this factor per block.
		#[pallet::constant]
		type ClampFactor: Get<u32>;

		/// One block's solve time counts as at most this many target block times.
		#[pallet::constant]
		type MaxSolveFactor: Get<u32>;

		/// The smallest difficulty.
		#[pallet::constant]
		type MinDifficulty: Get<U256>;

		/// The largest difficulty.
		#[pallet::constant]
		type MaxDifficulty: Get<U256>;

		/// Weight of the adjustment hook, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;
	}

	/// The difficulty of the next block: the expected number of hashes to mine it.
	#[pallet::storage]
	pub type CurrentDifficulty<T> = StorageValue<_, U256, ValueQuery>;

	/// `(timestamp in ms, difficulty)` of the latest blocks, oldest first, at most
	/// [`Config::WindowLength`] of them.
	#[pallet::storage]
	pub type Window<T: Config> =
		StorageValue<_, BoundedVec<(u64, U256), <T as Config>::WindowLength>, ValueQuery>;

	/// Genesis configuration.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The difficulty of block 1, kept within the configured bounds.
		pub initial_difficulty: u128,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let initial = U256::from(self.initial_difficulty)
				.clamp(T::MinDifficulty::get(), T::MaxDifficulty::get());
			CurrentDifficulty::<T>::put(initial);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let params = Pallet::<T>::params();
			assert!(params.target_block_time > 0, "TargetBlockTime must be positive");
			assert!(T::WindowLength::get() >= 2, "WindowLength must hold at least two blocks");
			assert!(params.damp_factor >= 1, "DampFactor must be at least 1");
			assert!(params.clamp_factor >= 1, "ClampFactor must be at least 1");
			assert!(params.max_solve_factor >= 1, "MaxSolveFactor must be at least 1");
			assert!(
				!params.min_difficulty.is_zero() && params.min_difficulty <= params.max_difficulty,
				"0 < MinDifficulty <= MaxDifficulty must hold"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The difficulty of the next block (what `DifficultyApi::difficulty` answers).
	pub fn difficulty() -> U256 {
		CurrentDifficulty::<T>::get()
	}

	/// The adjustment parameters from the configuration.
	pub fn params() -> AdjustmentParams {
		AdjustmentParams {
			target_block_time: T::TargetBlockTime::get(),
			damp_factor: T::DampFactor::get(),
			clamp_factor: T::ClampFactor::get(),
			max_solve_factor: T::MaxSolveFactor::get(),
			min_difficulty: T::MinDifficulty::get(),
			max_difficulty: T::MaxDifficulty::get(),
		}
	}

	/// Records a block mined at `now` (ms) with the current difficulty, deposits both in the
	/// block's digest and sets the next difficulty.
	fn note_block(now: u64) {
		let mined_with = CurrentDifficulty::<T>::get();
		frame_system::Pallet::<T>::deposit_log(
			DifficultyDigest { timestamp: now, difficulty: mined_with }.to_digest_item(),
		);
		let mut window = Window::<T>::get();
		if window.is_full() {
			window.remove(0);
		}
		// Cannot fail: one slot was freed above when the window was full.
		let _ = window.try_push((now, mined_with));
		let next = adjustment::next_difficulty(&window, mined_with, &Self::params());
		log::trace!(target: LOG_TARGET, "block at {now} ms mined with {mined_with}, next {next}");
		Window::<T>::put(window);
		CurrentDifficulty::<T>::put(next);
	}

	/// The pallet's invariants: the difficulty is within its bounds and the window within its
	/// length.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let current = CurrentDifficulty::<T>::get();
		ensure!(current >= T::MinDifficulty::get(), "difficulty below MinDifficulty");
		ensure!(current <= T::MaxDifficulty::get(), "difficulty above MaxDifficulty");
		ensure!(
			Window::<T>::decode_len().unwrap_or(0) <= T::WindowLength::get() as usize,
			"window longer than WindowLength"
		);
		Ok(())
	}
}

impl<T: Config, Moment: UniqueSaturatedInto<u64>> OnTimestampSet<Moment> for Pallet<T> {
	fn on_timestamp_set(now: Moment) {
		// Paid by the block as mandatory weight.
		frame_system::Pallet::<T>::register_extra_weight_unchecked(
			T::WeightInfo::on_timestamp_set(),
			DispatchClass::Mandatory,
		);
		Self::note_block(now.unique_saturated_into());
	}
}
