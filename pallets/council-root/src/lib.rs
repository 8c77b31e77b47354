//! # Council root pallet
//!
//! Lets a council act as Root, so that a network runs without a master key.
//!
//! ## Overview
//!
//! Some calls only Root may make: the runtime's code (`System::set_code`), the council's own
//! membership, forced balance changes. A development chain gives Root to a sudo key; a network
//! people trade on must not hang on one key. This pallet gives Root to whoever passes
//! [`Config::RootOrigin`]: in GridShard's runtime, a motion of the qualification council carried
//! by all four main service nodes (the council's other decisions need three of four).
//!
//! [`Pallet::dispatch_as_root`] dispatches its call with the Root origin and reports the call's
//! own result in [`Event::Dispatched`], as `pallet-sudo` does: the motion succeeds whether or not
//! the call does, and the event says which. Its weight is the call's plus this pallet's own, and
//! the call's actual weight is refunded.
//!
//! The pallet has no storage, so no invariants of its own.

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

#[frame_support::pallet]
pub mod pallet {
	use super::WeightInfo;
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::UnfilteredDispatchable,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Dispatchable;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// A call the council may dispatch as Root.
		type RuntimeCall: Parameter
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ GetDispatchInfo;
		/// Who may act as Root: the council at the threshold the runtime chooses.
		type RootOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Weights of this pallet's own work.
		type WeightInfo: WeightInfo;
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A call was dispatched as Root; `result` is the call's own.
		Dispatched {
			/// The call's result.
			result: DispatchResult,
		},
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatches `call` with the Root origin.
		///
		/// - Origin: [`Config::RootOrigin`] (in GridShard, the qualification council at
		///   unanimity); anyone else gets `BadOrigin` and nothing happens.
		/// - `call`: any call, unfiltered, as Root.
		///
		/// Emits [`Event::Dispatched`] with the call's result, whatever it is.
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::WeightInfo::dispatch_as_root().saturating_add(info.call_weight), info.class)
		})]
		pub fn dispatch_as_root(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			T::RootOrigin::ensure_origin(origin)?;
			let info = call.get_dispatch_info();
			let outcome = call.dispatch_bypass_filter(frame_system::RawOrigin::Root.into());
			let used = match &outcome {
				Ok(post) => post.actual_weight,
				Err(error) => error.post_info.actual_weight,
			}
			.unwrap_or(info.call_weight);
			Self::deposit_event(Event::Dispatched {
				result: outcome.map(|_| ()).map_err(|error| error.error),
			});
			Ok(Some(T::WeightInfo::dispatch_as_root().saturating_add(used)).into())
		}
	}
}
