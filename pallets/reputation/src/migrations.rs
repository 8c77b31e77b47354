//! Storage migrations of the reputation pallet.

/// Version 2: a period's mean weighs each order by its energy.
///
/// Version 1 kept `(trades, sum of ratios)` per period record; version 2 keeps `(sum R, sum R
/// v)`. An old record cannot know its orders' energies, so each of its orders weighs one Wh:
/// its mean, and every reputation computed from it, stay what they were.
pub mod v2 {
	use crate::{
		pallet::{Config, History, Pallet, Standings},
		PeriodRecord, PeriodSummary, Standing,
	};
	use codec::{Decode, Encode};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
		BoundedVec,
	};
	use gridshard_primitives::{PeriodIndex, Price};
	use sp_runtime::FixedU128;

	/// A period record of version 1.
	#[derive(Encode, Decode)]
	pub struct OldPeriodRecord<MaxRatios: Get<u32>> {
		/// The trading period: block number divided by the period length.
		pub period: PeriodIndex,
		/// The provider's last price of the period.
		pub price: Price,
		/// Orders settled in the period.
		pub trades: u32,
		/// The sum of their delivery ratios.
		pub ratio_sum: FixedU128,
		/// The individual ratios kept.
		pub ratios: BoundedVec<FixedU128, MaxRatios>,
	}

	impl<MaxRatios: Get<u32>> OldPeriodRecord<MaxRatios> {
		/// The same record in version 2, each order weighing one Wh.
		fn migrate(self) -> PeriodRecord<MaxRatios> {
			PeriodRecord {
				period: self.period,
				price: self.price,
				trades: self.trades,
				agreed: self.trades.into(),
				weighted_ratios: self.ratio_sum,
				ratios: self.ratios,
			}
		}
	}

	/// A standing of version 1.
	#[derive(Encode, Decode)]
	pub struct OldStanding<MaxRatios: Get<u32>> {
		/// `RC_j` after the last closed period with trades.
		pub comprehensive: FixedU128,
		/// The open period's deliveries.
		pub open: Option<OldPeriodRecord<MaxRatios>>,
		/// Orders settled over the provider's life.
		pub lifetime_trades: u64,
	}

	/// A closed period's summary of version 1.
	#[derive(Encode, Decode)]
	pub struct OldPeriodSummary<MaxRatios: Get<u32>> {
		/// The period's deliveries.
		pub record: OldPeriodRecord<MaxRatios>,
		/// `C_j(T)`.
		pub current: FixedU128,
		/// `RC_j(T)`.
		pub comprehensive: FixedU128,
	}

	/// Rewrites every standing and history of version 1 in version 2; not versioned by itself:
	/// use [`MigrateV1ToV2`].
	///
	/// One pass over the providers (registered, approved participants: a few thousand at most),
	/// in one block.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut translated = 0u64;
			Standings::<T>::translate::<OldStanding<T::MaxRatiosPerPeriod>, _>(|_, old| {
				translated += 1;
				Some(Standing {
					comprehensive: old.comprehensive,
					open: old.open.map(OldPeriodRecord::migrate),
					lifetime_trades: old.lifetime_trades,
				})
			});
			History::<T>::translate::<
				BoundedVec<OldPeriodSummary<T::MaxRatiosPerPeriod>, T::HistoryDepth>,
				_,
			>(|_, old| {
				translated += 1;
				let summaries = old.into_iter().map(|summary| PeriodSummary {
					record: summary.record.migrate(),
					current: summary.current,
					comprehensive: summary.comprehensive,
				});
				Some(BoundedVec::truncate_from(summaries.collect()))
			});
			T::DbWeight::get().reads_writes(translated, translated)
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
