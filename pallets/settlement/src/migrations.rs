//! Storage migrations of the settlement pallet.

/// Version 2: each participant's orders are indexed, not counted.
///
/// Version 1 kept `OpenOrders`, a count of each participant's orders until payout; version 2
/// keeps [`AccountOrders`](crate::AccountOrders), the orders themselves, so that
/// [`orders_of`](crate::Pallet::orders_of) reads one participant's orders instead of walking
/// every order id ever created.
pub mod v2 {
	use crate::pallet::{AccountOrders, Config, Orders, Pallet};
	use frame_support::{
		migrations::VersionedMigration,
		storage_alias,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
		Blake2_128Concat,
	};

	pub use v1::OpenOrders;

	/// Storage of version 1 that version 2 removes.
	#[allow(missing_docs)]
	mod v1 {
		use super::*;

		/// The count of version 1.
		#[storage_alias]
		pub type OpenOrders<T: Config> = StorageMap<
			Pallet<T>,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			u32,
			frame_support::pallet_prelude::ValueQuery,
		>;
	}

	/// Indexes every open order under its user and its provider and removes the counts; not
	/// versioned by itself: use [`MigrateV1ToV2`].
	///
	/// One pass over the open orders (those not yet paid: a few periods' worth) and the
	/// counts, in one block.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut orders = 0u64;
			for (id, order) in Orders::<T>::iter() {
				orders += 1;
				for who in [&order.terms.user, &order.terms.provider] {
					AccountOrders::<T>::insert(who, id.to_be_bytes(), ());
				}
			}
			let counts = OpenOrders::<T>::drain().count() as u64;
			T::DbWeight::get().reads_writes(orders + counts, 2 * orders + counts)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// [`InnerMigrateV1ToV2`], run once: from storage version 1 to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
