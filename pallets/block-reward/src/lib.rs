//! # Block reward pallet
//!
//! Pays every proof-of-work block's reward to its miner.
//!
//! ## Overview
//!
//! A GridShard miner names its account in the block's pre-runtime digest
//! (`PreRuntime(POW_ENGINE_ID, account.encode())`). The seal covers that digest, so the account
//! cannot be swapped without redoing the work. At the start of each block this pallet reads the
//! account ([`PowAuthor`]) and mints [`Config::Reward`] into it: total issuance grows by exactly
//! the rewards paid, one per block with a named miner. A block without a miner digest (the
//! genesis block, or a chain whose node does not name one) pays nothing.
//!
//! ## Events
//!
//! [`Event::BlockRewarded`] names the miner and the amount of every reward.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

use codec::Decode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		FindAuthor,
	},
};
use gridshard_primitives::{pow::POW_ENGINE_ID, Balance};

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::block-reward";

/// Finds a block's miner in its proof-of-work pre-runtime digest.
pub struct PowAuthor<AccountId>(core::marker::PhantomData<AccountId>);

impl<AccountId: Decode> FindAuthor<AccountId> for PowAuthor<AccountId> {
	fn find_author<'a, I>(digests: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (sp_runtime::ConsensusEngineId, &'a [u8])>,
	{
		digests
			.into_iter()
			.find(|(id, _)| *id == POW_ENGINE_ID)
			.and_then(|(_, mut data)| AccountId::decode(&mut data).ok())
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the block reward.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency the reward is minted in.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// Finds the block's miner in the pre-runtime digests ([`PowAuthor`] in GridShard).
		type FindAuthor: FindAuthor<Self::AccountId>;

		/// The reward of one block; at least the existential deposit, so that it can always
		/// create the miner's account.
		#[pallet::constant]
		type Reward: Get<Balance>;

		/// Weight of the reward hook, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;
	}

	/// Total amount minted as block rewards since genesis.
	#[pallet::storage]
	pub type TotalRewarded<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A block's reward was minted into its miner's account.
		BlockRewarded {
			/// The miner named in the block's pre-runtime digest.
			miner: T::AccountId,
			/// The amount minted.
			amount: Balance,
		},
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let weight = T::WeightInfo::on_initialize();
			let digest = frame_system::Pallet::<T>::digest();
			let pre_runtime = digest.logs.iter().filter_map(|item| item.as_pre_runtime());
			match T::FindAuthor::find_author(pre_runtime) {
				Some(miner) => Self::reward(miner),
				None => log::debug!(target: LOG_TARGET, "no miner named: no reward"),
			}
			weight
		}

		fn integrity_test() {
			assert!(
				T::Reward::get() >= T::Currency::minimum_balance(),
				"the block reward must be at least the existential deposit"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Mints the reward into `miner`. A failure (issuance at its maximum) is logged and pays
	/// nothing: a block must never fail for its reward.
	fn reward(miner: T::AccountId) {
		let amount = T::Reward::get();
		match T::Currency::mint_into(&miner, amount) {
			Ok(minted) => {
				TotalRewarded::<T>::mutate(|total| *total = total.saturating_add(minted));
				Self::deposit_event(Event::BlockRewarded { miner, amount: minted });
			}
			Err(error) => log::warn!(target: LOG_TARGET, "reward not paid: {error:?}"),
		}
	}

	/// The pallet's invariant: everything minted as rewards is part of the total issuance.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(
			TotalRewarded::<T>::get() <= T::Currency::total_issuance(),
			"more rewarded than issued"
		);
		Ok(())
	}
}
