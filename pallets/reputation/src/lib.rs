//! # Reputation pallet
//!
//! Each provider's reputation, earned by delivering what it sold (paper, section 5.1.2).
//!
//! ## Overview
//!
//! Settlement reports every settled order through [`DeliveryRecorder`]: the provider, its price,
//! the agreed energy `R` and the energy delivered. This pallet turns it into the delivery ratio
//! `v = delivered / agreed` and adds it to the provider's record of the current period,
//! `Psi_jT = (price, trades, ratios)`. When a period ends:
//!
//! - the **current reputation** is the mean of the period's ratios, each order weighted by the
//!   energy it agreed, `C_j(T) = sum R v / sum R` (eq. 1, energy-weighted: see below);
//! - the **comprehensive reputation** is `RC_j(T) = alpha C_j(T) + (1 - alpha) RC_j(T-1)`
//!   (eq. 2), with `RC_j(0) = 0` and `alpha` = [`Config::Alpha`] (0.4 in GridShard).
//!
//! Matching reads `RC_j` through [`ReputationProvider`] for each period's snapshot. No call of
//! this pallet is open to users: only settlement feeds it.
//!
//! ## Decisions the paper leaves open
//!
//! - **A period without trades leaves `RC_j` unchanged.** No delivery is no evidence: a solar
//!   provider that does not sell at night, or is outbid, should not lose standing for it, and
//!   should not gain any either.
//! - **The period's mean weighs each order by its energy.** Eq. 1 averages over trades; counted
//!   once each, a dozen dust orders over-delivered at the cap outweighed four large orders that
//!   delivered nothing (a mean of 1.125, above a perfect provider's 1.0). Weighted by `R`, the
//!   mean is the share of the period's agreed energy delivered, still the paper's "average
//!   performance", and small orders weigh what they are worth.
//! - **`v` above one counts, up to [`Config::MaxDeliveryRatio`]** (1.5 in GridShard). The
//!   paper's honest provider delivers more than asked and rises above one; the cap keeps a
//!   single inflated reading from buying a lasting reputation. Settlement passes the smaller of
//!   the two meters' readings as `delivered`, so one side alone cannot inflate it, and with the
//!   energy weighting over-delivering on small orders cannot hide failing on large ones: the
//!   surplus counts at most half the energy of the orders it was delivered on.
//! - **Re-registering does not help.** Standings are keyed by account and outlive
//!   deregistration; a new identity starts at `RC = 0`, the lowest reputation there is (every
//!   `RC` is a convex combination of non-negative ratios), so it can never start above a bad
//!   record.
//! - **A delivery counts in the period in which it is settled**, not the period of its order:
//!   the reputation a snapshot uses never changes after the snapshot is taken.
//!
//! ## Roll-over
//!
//! A provider's open record is folded into `RC_j` as soon as anything touches it in a later
//! period (a new delivery, or a read, which folds it in memory). The `on_initialize` hook
//! sweeps all standings after each period change, at most [`Config::MaxSweepPerBlock`] per
//! block, resuming from a cursor, so that history is written even for providers that do not
//! trade again. Nothing depends on how far the sweep got: reads fold what it has not reached.
//! [`Config::HistoryDepth`] closed periods are kept per provider; older ones are dropped.
//!
//! ## Arithmetic
//!
//! `FixedU128` (18 decimals) throughout, saturating: every value is between zero and
//! `MaxDeliveryRatio`, far from the bounds.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::*;
use gridshard_primitives::{
	traits::{DeliveryRecorder, PeriodClock, ReputationProvider},
	Energy, PeriodIndex, Price,
};
use sp_runtime::{
	traits::{One, Zero},
	FixedPointNumber, FixedU128, Perbill,
};

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::reputation";

/// A provider's standing in this runtime.
pub type StandingOf<T> = Standing<<T as Config>::MaxRatiosPerPeriod>;

/// A closed period's summary in this runtime.
pub type PeriodSummaryOf<T> = PeriodSummary<<T as Config>::MaxRatiosPerPeriod>;

/// Moving the clock in benchmarks, where the runtime's clock follows something else (blocks).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Makes [`PeriodClock::current_period`] answer `period` from now on.
	fn set_period(period: PeriodIndex);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the reputation.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The trading period the chain is in.
		type Clock: PeriodClock;

		/// `alpha` of eq. 2: the weight of the latest period against the past.
		#[pallet::constant]
		type Alpha: Get<Perbill>;

		/// The largest delivery ratio that counts; larger ones count as this.
		#[pallet::constant]
		type MaxDeliveryRatio: Get<FixedU128>;

		/// Individual ratios kept per provider and period.
		#[pallet::constant]
		type MaxRatiosPerPeriod: Get<u32>;

		/// Closed periods kept in each provider's history.
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// Standings the roll-over hook visits per block.
		#[pallet::constant]
		type MaxSweepPerBlock: Get<u32>;

		/// Providers per page of the ranking runtime API.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Weights of the hook and of recording a delivery, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;

		/// Moves the clock in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Every provider that ever had a delivery recorded.
	#[pallet::storage]
	pub type Standings<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, StandingOf<T>>;

	/// The last `HistoryDepth` closed periods of each provider, oldest first.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<PeriodSummaryOf<T>, T::HistoryDepth>,
		ValueQuery,
	>;

	/// The latest period whose roll-over sweep finished.
	#[pallet::storage]
	pub type SweptThrough<T: Config> = StorageValue<_, PeriodIndex, ValueQuery>;

	/// Where the unfinished sweep resumes: the period it sweeps for, and the provider after
	/// which it continues. A sweep overtaken by the next period change starts over.
	#[pallet::storage]
	pub type SweepCursor<T: Config> = StorageValue<_, (PeriodIndex, T::AccountId)>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Settlement reported a delivery.
		DeliveryRecorded {
			/// The provider's account.
			provider: T::AccountId,
			/// The period it counts in.
			period: PeriodIndex,
			/// Its delivery ratio `v`, after the cap.
			ratio: FixedU128,
		},
		/// A provider's period closed.
		PeriodClosed {
			/// The provider's account.
			provider: T::AccountId,
			/// The closed period.
			period: PeriodIndex,
			/// `C_j(T)`.
			current: FixedU128,
			/// `RC_j(T)`.
			comprehensive: FixedU128,
		},
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::sweep()
		}

		fn integrity_test() {
			assert!(T::MaxDeliveryRatio::get() >= FixedU128::one(), "full delivery must count");
			assert!(T::MaxSweepPerBlock::get() > 0, "the sweep must progress");
			assert!(T::HistoryDepth::get() > 0, "history keeps at least one period");
			assert!(T::MaxPageSize::get() > 0, "a page holds at least one provider");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// `alpha` as a fixed-point number.
	fn alpha() -> FixedU128 {
		FixedU128::from_perbill(T::Alpha::get())
	}

	/// `delivered / agreed`, capped at [`Config::MaxDeliveryRatio`]; `None` when nothing was
	/// agreed.
	pub fn delivery_ratio(agreed: Energy, delivered: Energy) -> Option<FixedU128> {
		if agreed.is_zero() {
			return None;
		}
		let cap = T::MaxDeliveryRatio::get();
		Some(FixedU128::checked_from_rational(delivered, agreed).unwrap_or(cap).min(cap))
	}

	/// Appends a closed period to `provider`'s history, dropping the oldest when full, and
	/// emits [`Event::PeriodClosed`].
	fn archive(provider: &T::AccountId, summary: PeriodSummaryOf<T>) {
		Self::deposit_event(Event::PeriodClosed {
			provider: provider.clone(),
			period: summary.record.period,
			current: summary.current,
			comprehensive: summary.comprehensive,
		});
		History::<T>::mutate(provider, |history| push_dropping_oldest(history, summary));
	}

	/// The roll-over hook: after a period change, folds the ended periods of up to
	/// [`Config::MaxSweepPerBlock`] standings, resuming where the last block stopped.
	fn sweep() -> Weight {
		let now = T::Clock::current_period();
		if SweptThrough::<T>::get() >= now {
			return T::WeightInfo::sweep(0);
		}
		let limit = T::MaxSweepPerBlock::get();
		let standings = match SweepCursor::<T>::get() {
			Some((period, after)) if period == now => {
				Standings::<T>::iter_from(Standings::<T>::hashed_key_for(after))
			}
			_ => Standings::<T>::iter(),
		};
		let alpha = Self::alpha();
		let mut visited = 0u32;
		let mut last = None;
		for (provider, mut standing) in standings.take(limit as usize) {
			visited += 1;
			if let Some(summary) = standing.close_before(now, alpha) {
				Standings::<T>::insert(&provider, standing);
				Self::archive(&provider, summary);
			}
			last = Some(provider);
		}
		match last {
			Some(provider) if visited == limit => SweepCursor::<T>::put((now, provider)),
			_ => {
				SweepCursor::<T>::kill();
				SweptThrough::<T>::put(now);
			}
		}
		T::WeightInfo::sweep(visited)
	}

	/// `provider`'s standing as of now: an ended period folded in.
	pub fn standing(provider: &T::AccountId) -> Option<StandingOf<T>> {
		let mut standing = Standings::<T>::get(provider)?;
		standing.close_before(T::Clock::current_period(), Self::alpha());
		Some(standing)
	}

	/// `provider`'s closed periods, oldest first, an ended period not yet swept included.
	pub fn history(provider: &T::AccountId) -> Vec<PeriodSummaryOf<T>> {
		let mut history = History::<T>::get(provider);
		if let Some(mut standing) = Standings::<T>::get(provider) {
			if let Some(summary) = standing.close_before(T::Clock::current_period(), Self::alpha())
			{
				push_dropping_oldest(&mut history, summary);
			}
		}
		history.into_inner()
	}

	/// Providers ranked by `RC_j`, highest first (ties by account), `limit` (at most
	/// [`Config::MaxPageSize`]) from position `start`. Reads every standing: for the runtime
	/// API, never for a block.
	pub fn ranking(start: u32, limit: u32) -> Vec<(T::AccountId, FixedU128)> {
		let now = T::Clock::current_period();
		let alpha = Self::alpha();
		let mut ranked: Vec<_> = Standings::<T>::iter()
			.map(|(provider, standing)| {
				let comprehensive = standing.comprehensive_at(now, alpha);
				(provider, comprehensive)
			})
			.collect();
		ranked.sort_by(|(a, ra), (b, rb)| rb.cmp(ra).then_with(|| a.cmp(b)));
		let limit = limit.min(T::MaxPageSize::get());
		ranked.into_iter().skip(start as usize).take(limit as usize).collect()
	}

	/// The pallet's invariants:
	///
	/// - every ratio, mean and reputation is between zero and `MaxDeliveryRatio`;
	/// - an open record has at least one trade, no more kept ratios than trades, and is not
	///   from the future; once the sweep of the current period finished, none is from the past;
	/// - each history is in increasing period order, and belongs to a provider with a standing.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let cap = T::MaxDeliveryRatio::get();
		let now = T::Clock::current_period();
		let swept = SweptThrough::<T>::get() >= now;
		for (_, standing) in Standings::<T>::iter() {
			ensure!(standing.comprehensive <= cap, "reputation above the cap");
			if let Some(open) = standing.open {
				ensure!(open.trades > 0, "an open record without trades");
				ensure!(open.agreed > 0, "an open record without energy");
				ensure!(open.ratios.len() as u32 <= open.trades, "more ratios than trades");
				ensure!(open.period <= now, "a record from the future");
				ensure!(!swept || open.period == now, "an ended period left unswept");
				ensure!(open.ratios.iter().all(|v| *v <= cap), "a ratio above the cap");
				ensure!(open.current_reputation() <= cap, "a mean above the cap");
			}
		}
		for (provider, history) in History::<T>::iter() {
			ensure!(Standings::<T>::contains_key(&provider), "history without a standing");
			ensure!(
				history.windows(2).all(|pair| pair[0].record.period < pair[1].record.period),
				"history out of order"
			);
			ensure!(
				history.iter().all(|s| s.current <= cap && s.comprehensive <= cap),
				"a reputation above the cap in history"
			);
		}
		Ok(())
	}
}

/// Appends `item`, first dropping the oldest (first) item if `items` is full.
fn push_dropping_oldest<Item, Bound: Get<u32>>(items: &mut BoundedVec<Item, Bound>, item: Item) {
	if items.len() >= Bound::get() as usize && !items.is_empty() {
		items.remove(0);
	}
	// Cannot fail after the removal (unless the bound is zero, which `integrity_test` forbids).
	let _ = items.try_push(item);
}

impl<T: Config> DeliveryRecorder<T::AccountId> for Pallet<T> {
	fn record_delivery(provider: &T::AccountId, price: Price, agreed: Energy, delivered: Energy) {
		let Some(ratio) = Self::delivery_ratio(agreed, delivered) else {
			log::warn!(target: LOG_TARGET, "delivery of {provider:?} with nothing agreed ignored");
			return;
		};
		let now = T::Clock::current_period();
		let mut standing = Standings::<T>::get(provider).unwrap_or_default();
		if let Some(summary) = standing.close_before(now, Self::alpha()) {
			Self::archive(provider, summary);
		}
		standing.open.get_or_insert_with(|| PeriodRecord::new(now)).add(price, agreed, ratio);
		standing.lifetime_trades = standing.lifetime_trades.saturating_add(1);
		Standings::<T>::insert(provider, standing);
		Self::deposit_event(Event::DeliveryRecorded {
			provider: provider.clone(),
			period: now,
			ratio,
		});
	}
}

impl<T: Config> ReputationProvider<T::AccountId> for Pallet<T> {
	fn comprehensive_reputation(provider: &T::AccountId) -> FixedU128 {
		Self::standing(provider).map_or_else(FixedU128::zero, |standing| standing.comprehensive)
	}
}
