//! # Period records pallet
//!
//! A region's record of each trading period, written into the region's own state where the
//! coordinating chain can prove it (paper, section 4.3), and the proxy the region's governance
//! names to announce it.
//!
//! ## Overview
//!
//! Matching tells this pallet what it did with a period's book when it adopts the period's
//! solution (orders, energy agreed, demand and capacity left untaken, the providers that sold),
//! and settlement tells it every order it pays out ([`PeriodLedger`]). The sums build up in
//! [`Pending`]; once every order of the period is paid out, the period is queued and the next
//! block's hook writes its [`PeriodRecord`] under [`Records`], with the hash chain over its orders
//! and the hash of its providers' reputations at that moment. A period whose book matched
//! nothing is written at once (the next block).
//!
//! A record is written once and never changed, so any of the region's headers from the block
//! that wrote it on proves the same value; records are kept for [`Config::RecordsToKeep`]
//! periods, then pruned (a few per write, so the work stays bounded).
//!
//! The region's governance names the account that speaks for the region on the coordinator
//! ([`Pallet::name_proxy`]); each nomination gets a new term, and the coordinator accepts the
//! newest term it is shown a proof of.
//!
//! ## When a record is written
//!
//! Orders are paid out once settled and confirmed, and settlement's deadlines bound when: about
//! four periods after the period in GridShard's runtime for an undisputed order, about nine for
//! a disputed one (a dispute ends at its deadline). A record that would be written after its
//! period fell out of the kept range is dropped with [`Event::RecordDropped`].

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

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{pallet_prelude::*, DefaultNoBound};
use frame_system::pallet_prelude::*;
use gridshard_primitives::{
	record::{ClosedOrder, PeriodLedger, PeriodRecord, ProxyNomination},
	region::{ChainRole, ChainRoleProvider},
	traits::ReputationProvider,
	Energy, PeriodIndex, RegionId,
};
use sp_runtime::traits::{BlakeTwo256, Hash as _};

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::period-records";

/// The most records pruned per record written: more than one, so that pruning catches up after
/// periods that wrote none.
pub const PRUNE_PER_WRITE: u32 = 4;

/// A period's record as it builds up, until every order of the period is paid out.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo, DefaultNoBound)]
#[scale_info(skip_type_params(MaxProviders))]
pub struct PendingRecord<AccountId, MaxProviders: Get<u32>> {
	/// Whether matching reported the period (the number of orders is known).
	pub matched: bool,
	/// Orders paid out so far.
	pub closed: u32,
	/// The record's sums so far.
	pub record: PeriodRecord,
	/// The period's providers (at most `MaxProviders`).
	pub providers: BoundedVec<AccountId, MaxProviders>,
}

impl<AccountId, MaxProviders: Get<u32>> PendingRecord<AccountId, MaxProviders> {
	/// Whether every order of the period is paid out.
	pub fn is_complete(&self) -> bool {
		self.matched && self.closed >= self.record.orders
	}
}

/// A pending record in the runtime's types.
pub type PendingRecordOf<T> =
	PendingRecord<<T as frame_system::Config>::AccountId, <T as Config>::MaxProviders>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the records.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who names the region's proxy: the region's council of main service nodes, or Root.
		type ProxyOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// This chain's role: the region written into its records.
		type ChainRole: ChainRoleProvider;

		/// The providers' comprehensive reputations.
		type Reputation: ReputationProvider<Self::AccountId>;

		/// How many periods of records are kept.
		#[pallet::constant]
		type RecordsToKeep: Get<u32>;

		/// The most providers of one period (matching's bound on offers).
		#[pallet::constant]
		type MaxProviders: Get<u32>;

		/// The most records written per block.
		#[pallet::constant]
		type MaxWritesPerBlock: Get<u32>;

		/// Weights of the calls and the hook, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;
	}

	/// The record of each kept period, written once.
	///
	/// Twox64Concat: the key must be computable by the coordinator and the relay, and periods
	/// are not chosen by users.
	#[pallet::storage]
	pub type Records<T> = StorageMap<_, Twox64Concat, PeriodIndex, PeriodRecord>;

	/// The account the region's governance named to speak for the region, and its term.
	#[pallet::storage]
	pub type Proxy<T: Config> = StorageValue<_, ProxyNomination<T::AccountId>>;

	/// The records building up, by period.
	#[pallet::storage]
	pub type Pending<T: Config> = StorageMap<_, Twox64Concat, PeriodIndex, PendingRecordOf<T>>;

	/// The periods whose orders are all paid out, waiting for the hook to write their records.
	#[pallet::storage]
	pub type ReadyQueue<T> = StorageMap<_, Twox64Concat, u64, PeriodIndex>;

	/// The ready queue's head and next free slot.
	#[pallet::storage]
	pub type ReadyBounds<T> = StorageValue<_, (u64, u64), ValueQuery>;

	/// The oldest period whose record may still be written or kept, and the newest period
	/// written. Records complete in any order (a period's orders may take longer to pay than the
	/// next period's); only pruning moves the oldest up.
	#[pallet::storage]
	pub type KeptRange<T> = StorageValue<_, (PeriodIndex, PeriodIndex), ValueQuery>;

	/// Genesis configuration: the proxy the region starts with.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The region's first proxy (term 1), if any.
		pub proxy: Option<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(account) = &self.proxy {
				Proxy::<T>::put(ProxyNomination { account: account.clone(), term: 1 });
			}
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A period's record was written.
		RecordWritten {
			/// The record.
			record: PeriodRecord,
		},
		/// A period's record was complete after its period fell out of the kept range: it is
		/// not written.
		RecordDropped {
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
		},
		/// A period's record was pruned.
		RecordPruned {
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
		},
		/// The region's governance named its proxy.
		ProxyNamed {
			/// The proxy's account.
			account: T::AccountId,
			/// The nomination's term.
			term: u32,
		},
	}

	/// Why a call was refused. Nothing changes when one is.
	#[pallet::error]
	pub enum Error<T> {
		/// The coordinating chain runs no market and has no proxy of its own.
		NotARegion,
		/// The named account is the proxy already.
		AlreadyTheProxy,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::write_ready()
		}

		fn integrity_test() {
			assert!(T::RecordsToKeep::get() > 0, "at least one record is kept");
			assert!(T::MaxWritesPerBlock::get() > 0, "the hook writes at least one record");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Names `account` the region's proxy, with the next term.
		///
		/// - Origin: [`Config::ProxyOrigin`].
		///
		/// Errors: [`Error::NotARegion`] on the coordinator, [`Error::AlreadyTheProxy`].
		///
		/// Emits [`Event::ProxyNamed`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::name_proxy())]
		pub fn name_proxy(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::ProxyOrigin::ensure_origin(origin)?;
			ensure!(T::ChainRole::chain_role() != ChainRole::Coordinator, Error::<T>::NotARegion);
			let term = match Proxy::<T>::get() {
				Some(current) => {
					ensure!(current.account != account, Error::<T>::AlreadyTheProxy);
					current.term.saturating_add(1)
				}
				None => 1,
			};
			Proxy::<T>::put(ProxyNomination { account: account.clone(), term });
			Self::deposit_event(Event::ProxyNamed { account, term });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The region written into this chain's records: its own on a region, 0 on a standalone
	/// development chain.
	pub fn region() -> RegionId {
		match T::ChainRole::chain_role() {
			ChainRole::Region(region) => region,
			_ => 0,
		}
	}

	/// Queues `period` for the hook to write.
	fn enqueue(period: PeriodIndex) {
		ReadyBounds::<T>::mutate(|(_, next)| {
			ReadyQueue::<T>::insert(*next, period);
			*next = next.saturating_add(1);
		});
	}

	/// Updates `period`'s pending record; queues it when it becomes complete.
	fn update(period: PeriodIndex, change: impl FnOnce(&mut PendingRecordOf<T>)) {
		let mut pending = Pending::<T>::get(period).unwrap_or_default();
		let was_complete = pending.is_complete();
		change(&mut pending);
		if pending.is_complete() && !was_complete {
			Self::enqueue(period);
		}
		Pending::<T>::insert(period, pending);
	}

	/// The hook: writes the records at the head of the ready queue, at most
	/// [`Config::MaxWritesPerBlock`].
	fn write_ready() -> Weight {
		let (mut head, next) = ReadyBounds::<T>::get();
		let mut weight = T::DbWeight::get().reads(1);
		let mut written = 0u32;
		while head < next && written < T::MaxWritesPerBlock::get() {
			let period = ReadyQueue::<T>::take(head);
			head += 1;
			written += 1;
			let Some(pending) = period.and_then(Pending::<T>::take) else { continue };
			weight.saturating_accrue(T::WeightInfo::write_record(pending.providers.len() as u32));
			Self::write(pending);
		}
		if written > 0 {
			ReadyBounds::<T>::put((head, next));
		}
		weight
	}

	/// Writes a complete record: its region, period and reputation commitment, then prunes.
	fn write(pending: PendingRecordOf<T>) {
		let PendingRecord { mut record, mut providers, .. } = pending;
		let period = record.period;
		let (oldest, newest) = KeptRange::<T>::get();
		if period < oldest {
			Self::deposit_event(Event::RecordDropped { period });
			return;
		}
		providers.sort();
		let reputations: Vec<_> = providers
			.iter()
			.map(|provider| (provider, T::Reputation::comprehensive_reputation(provider)))
			.collect();
		record.region = Self::region();
		record.reputations_root = BlakeTwo256::hash(&reputations.encode());
		Records::<T>::insert(period, &record);
		Self::deposit_event(Event::RecordWritten { record });

		let newest = newest.max(period);
		let mut oldest = oldest;
		let keep = T::RecordsToKeep::get();
		let mut pruned = 0;
		while oldest.saturating_add(keep) <= newest && pruned < PRUNE_PER_WRITE {
			if Records::<T>::take(oldest).is_some() {
				Self::deposit_event(Event::RecordPruned { period: oldest });
			}
			oldest += 1;
			pruned += 1;
		}
		KeptRange::<T>::put((oldest, newest));
	}

	/// The record of `period`, if written and kept.
	pub fn record(period: PeriodIndex) -> Option<PeriodRecord> {
		Records::<T>::get(period)
	}

	/// The pallet's invariants: the kept records lie in the kept range and name this region
	/// and their period; every queued period is pending and complete, and no complete period is left
	/// unqueued.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let (oldest, newest) = KeptRange::<T>::get();
		for (period, record) in Records::<T>::iter() {
			ensure!(period >= oldest && period <= newest, "a record outside the kept range");
			ensure!(record.period == period, "a record under another period's key");
			ensure!(record.region == Self::region(), "a record of another region");
		}
		let (head, next) = ReadyBounds::<T>::get();
		ensure!(head <= next, "the ready queue's head passed its end");
		let mut queued = Vec::new();
		for slot in head..next {
			if let Some(period) = ReadyQueue::<T>::get(slot) {
				queued.push(period);
			}
		}
		ensure!(
			ReadyQueue::<T>::iter().count() == queued.len(),
			"a ready slot outside the queue's bounds"
		);
		for (period, pending) in Pending::<T>::iter() {
			ensure!(
				pending.closed <= pending.record.orders || !pending.matched,
				"more orders closed than matched"
			);
			ensure!(
				pending.is_complete() == queued.contains(&period),
				"a complete record not queued, or an incomplete one queued"
			);
		}
		Ok(())
	}
}

impl<T: Config> PeriodLedger<T::AccountId> for Pallet<T> {
	fn period_matched(
		period: PeriodIndex,
		orders: u32,
		energy: Energy,
		unmatched_demand: Energy,
		spare_capacity: Energy,
		providers: Vec<T::AccountId>,
	) {
		Self::update(period, |pending| {
			pending.matched = true;
			pending.record.period = period;
			pending.record.orders = orders;
			pending.record.energy_matched = energy;
			pending.record.unmatched_demand = unmatched_demand;
			pending.record.spare_capacity = spare_capacity;
			pending.providers = BoundedVec::truncate_from(providers);
		});
	}

	fn order_closed(period: PeriodIndex, order: ClosedOrder<T::AccountId>) {
		Self::update(period, |pending| {
			let record = &mut pending.record;
			record.period = period;
			record.energy_delivered = record.energy_delivered.saturating_add(order.delivered);
			record.paid = record.paid.saturating_add(order.paid);
			record.grid_fees = record.grid_fees.saturating_add(order.grid_fee);
			record.rewards = record.rewards.saturating_add(order.reward);
			record.penalties = record.penalties.saturating_add(order.penalty);
			record.orders_root = order.chain(record.orders_root);
			pending.closed = pending.closed.saturating_add(1);
		});
	}
}
