//! # Matching pallet
//!
//! Trading periods, the order book, and the assignment of requests to providers: solved off
//! chain, verified and adopted on chain (paper sections 3.2, 3.3 and 5.1, Algorithm 1), in the
//! manner of `pallet-election-provider-multi-phase`.
//!
//! ## Phases
//!
//! A period lasts [`Config::PeriodLength`] blocks. Period `T` starts at block
//! `T * PeriodLength`:
//!
//! ```text
//!  T * L                         close = (T + 1) * L - S          (T + 1) * L
//!    | open: offers and requests  | solution window: S blocks      | adopt, period T + 1 opens
//! ```
//!
//! - **Open**: an approved provider posts, updates or withdraws one offer `(price r_j per kWh,
//!   capacity a_j in Wh)` ([`Pallet::post_offer`], [`Pallet::withdraw_offer`]); an approved user
//!   posts requests `(energy R_i, optional limit price)` ([`Pallet::post_request`]) and may
//!   cancel them. A request's escrow, `R_i` at its limit price (or at [`Config::MaxPrice`]), is
//!   held at once by settlement.
//! - **Close** (`on_initialize` of the close block): the offers, requests, each provider's
//!   `RC_j(T)` from reputation and the grid fee table are frozen into a [`Snapshot`].
//! - **Solution window**: off-chain workers solve the snapshot with `gridshard-solver` within
//!   [`Config::SolverMaxNodes`] branch-and-bound nodes and submit
//!   [`Pallet::submit_solution`] as a feeless general transaction. [`Pallet::authorize_solution`]
//!   checks the whole submission before the pool and again as the block applies it (period,
//!   a claim above the stored best, feasibility and score, in time linear in the solution), so
//!   a forged one never reaches a block; a block accepts one solution at most.
//! - **Adoption** (`on_initialize` of the next period's first block): the best solution becomes
//!   orders in settlement, delivering over the next [`Config::DeliveryBlocks`] blocks, each
//!   committing `R_i r_j` of the request's escrow; the rest of the escrow, and all of an
//!   unmatched request's, is released, with [`Event::RequestUnmatched`] saying why. Without any
//!   submission a bounded greedy fallback runs on chain, so no period is ever stuck.
//!
//! ## The model (eq. 3 to 5)
//!
//! For request `i` and offer `j`: the pair is allowed when `r_j` is within the request's limit
//! and the revenue `zeta_ij = R_i r_j - eta_ij` (eq. 3) is not negative; `eta_ij` is the fee per
//! kWh of the (provider region, user region) pair in the grid company's table (or
//! [`Config::DefaultGridFee`]) times `R_i`. Each region runs its own shard, so inside one
//! chain the table mostly has one entry; pairs across regions arise at shard borders. The
//! matching degree is `M_ij = zeta RC / (zeta + RC)` (eq. 4), with `zeta` counted in
//! [`Config::ZetaUnit`] (one GRID) so that `zeta` and `RC` (near 1) weigh alike, and `M` scaled
//! by [`WEIGHT_SCALE`] to an integer. The solver maximises the energy served first and `sum M`
//! second (eq. 5 with "every request served when capacity allows").
//!
//! **Newcomers.** A provider without history has `RC = 0`, so `M = 0` for all its pairs. It
//! still wins trades: serving energy comes first, so whenever the incumbents' capacity cannot
//! cover the requests, the solver assigns the rest to the newcomer, whose deliveries then build
//! its reputation. A floor for newcomers would let a bad provider escape its record by
//! re-registering, which reputation forbids.
//!
//! ## Modules
//!
//! This file holds the pallet: configuration, storage, events, errors, hooks and calls. The
//! period's turns (the snapshot and the adoption) are in `period`, a solution's check and the
//! fallback in [`solution`] (submissions are hostile input: see there), the off-chain worker
//! in [`offchain`], and the runtime API's answers in [`views`].

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod invariants;
#[cfg(test)]
mod mock;
pub mod offchain;
mod period;
pub mod solution;
#[cfg(test)]
mod tests;
pub mod types;
pub mod views;
pub mod weights;

pub use offchain::{
	CachedSolution, SearchAnswer, WorkerError, OCW_CACHE, OCW_LOCK, QUICK_NODES, RESUBMIT_AFTER,
};
pub use pallet::*;
pub use types::*;
pub use views::*;
pub use weights::WeightInfo;

use frame_support::pallet_prelude::*;
use frame_system::{offchain::CreateAuthorizedTransaction, pallet_prelude::*};
use gridshard_primitives::{
	record::PeriodLedger,
	traits::{
		Escrow, OpenObligations, OrderBook, ParticipantRegistry, PeriodClock, ReputationProvider,
	},
	Balance, Energy, PeriodIndex, Price, RegionId,
};
use sp_runtime::traits::SaturatedConversion;

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::matching";

/// Setting up participants in benchmarks, where the runtime's registry decides who is approved.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` an approved provider (or user) with funds well beyond any escrow the
	/// benchmarks hold.
	fn approve(who: &AccountId, provider: bool);
}

/// A snapshot in this runtime.
pub type SnapshotOf<T> = Snapshot<
	<T as frame_system::Config>::AccountId,
	Balance,
	<T as Config>::MaxOffers,
	<T as Config>::MaxRequests,
	<T as Config>::MaxFeeEntries,
>;

/// A solution: `(request row, offer row)` pairs of the snapshot.
pub type SolutionOf<T> = BoundedVec<(u32, u32), <T as Config>::MaxRequests>;

/// A request in this runtime.
pub type RequestOf<T> = Request<<T as frame_system::Config>::AccountId, Balance>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of matching.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ CreateAuthorizedTransaction<Call<Self>>
	{
		/// Approved participants and their regions.
		type Registry: ParticipantRegistry<Self::AccountId>;

		/// Providers' comprehensive reputation.
		type Reputation: ReputationProvider<Self::AccountId>;

		/// Where request escrow is held.
		type Escrow: Escrow<Self::AccountId, Balance>;

		/// Where adopted solutions become orders.
		type Orders: OrderBook<Self::AccountId, Balance, BlockNumberFor<Self>>;

		/// Where each adopted period is reported for the region's record.
		type Ledger: PeriodLedger<Self::AccountId>;

		/// Who sets the grid fee table (the grid company).
		type GridCompanyOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks per period.
		#[pallet::constant]
		type PeriodLength: Get<BlockNumberFor<Self>>;

		/// Blocks of the solution window, at the end of each period.
		#[pallet::constant]
		type SolutionBlocks: Get<BlockNumberFor<Self>>;

		/// Blocks of an order's delivery window, from adoption.
		#[pallet::constant]
		type DeliveryBlocks: Get<BlockNumberFor<Self>>;

		/// The highest price per kWh an offer may ask; escrow of requests without a limit.
		#[pallet::constant]
		type MaxPrice: Get<Price>;

		/// The largest request, in Wh.
		#[pallet::constant]
		type MaxRequestEnergy: Get<Energy>;

		/// Grid fee per kWh of region pairs missing from the table.
		#[pallet::constant]
		type DefaultGridFee: Get<Balance>;

		/// `zeta` is counted in this unit in eq. 4.
		#[pallet::constant]
		type ZetaUnit: Get<Balance>;

		/// Offers per period.
		#[pallet::constant]
		type MaxOffers: Get<u32>;

		/// Requests per period.
		#[pallet::constant]
		type MaxRequests: Get<u32>;

		/// Open requests per user, so that no user can fill the book (at most [`Config::MaxRequests`]).
		#[pallet::constant]
		type MaxRequestsPerUser: Get<u32>;

		/// Entries of the grid fee table.
		#[pallet::constant]
		type MaxFeeEntries: Get<u32>;

		/// The off-chain worker's branch-and-bound budget, in nodes: the same snapshot gives
		/// the same solution on every node.
		#[pallet::constant]
		type SolverMaxNodes: Get<u64>;

		/// The time a block takes on average, in milliseconds (the PoW difficulty's target):
		/// with the window's remaining blocks, the off-chain worker's full search ends in time
		/// for its answer to reach a block ([`Pallet::search_deadline`]).
		#[pallet::constant]
		type TargetBlockTime: Get<u64>;

		/// Weights, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;

		/// Sets up participants in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Each period's offers, by provider.
	#[pallet::storage]
	pub type Offers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PeriodIndex, Blake2_128Concat, T::AccountId, Offer>;

	/// How many offers each period has.
	#[pallet::storage]
	pub type OfferCount<T: Config> = StorageMap<_, Twox64Concat, PeriodIndex, u32, ValueQuery>;

	/// Each period's requests, by id.
	#[pallet::storage]
	pub type Requests<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PeriodIndex, Twox64Concat, RequestId, RequestOf<T>>;

	/// The id the next request of each period gets (and so how many it had).
	#[pallet::storage]
	pub type NextRequestId<T: Config> =
		StorageMap<_, Twox64Concat, PeriodIndex, RequestId, ValueQuery>;

	/// How many requests each user has in the book (open or awaiting adoption).
	#[pallet::storage]
	pub type OpenRequests<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The grid fee table: `(provider region, user region, fee per kWh)`, sorted.
	#[pallet::storage]
	pub type GridFees<T: Config> =
		StorageValue<_, BoundedVec<(RegionId, RegionId, Balance), T::MaxFeeEntries>, ValueQuery>;

	/// The snapshot of the period in its solution window.
	#[pallet::storage]
	pub type CurrentSnapshot<T: Config> = StorageValue<_, SnapshotOf<T>>;

	/// The period of the current snapshot, kept apart so that checking a submission before the
	/// pool does not read the whole snapshot.
	#[pallet::storage]
	pub type SnapshotPeriod<T: Config> = StorageValue<_, PeriodIndex>;

	/// The best verified solution for the current snapshot, with its score.
	#[pallet::storage]
	pub type BestSolution<T: Config> = StorageValue<_, (Score, SolutionOf<T>)>;

	/// The block that accepted [`BestSolution`]: a block accepts one solution at most, so that
	/// the feeless submissions of a solution window take a bounded room.
	#[pallet::storage]
	pub type BestSolutionAt<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	/// The last adopted solution: its period, score, origin and the orders it opened.
	#[pallet::storage]
	pub type LastAdopted<T: Config> = StorageValue<_, Adoption>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A period opened for offers and requests.
		PeriodOpened {
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
		},
		/// A period closed: its snapshot is taken and the solution window is open.
		SnapshotTaken {
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
			/// Offers in the snapshot.
			offers: u32,
			/// Requests in the snapshot.
			requests: u32,
		},
		/// A provider posted or updated its offer.
		OfferPosted {
			/// The provider's account.
			provider: T::AccountId,
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
			/// `r_j` per kWh.
			price: Price,
			/// `a_j`, Wh.
			capacity: Energy,
		},
		/// A provider withdrew its offer.
		OfferWithdrawn {
			/// The provider's account.
			provider: T::AccountId,
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
		},
		/// A user posted a request; its escrow is held.
		RequestPosted {
			/// The user's account.
			user: T::AccountId,
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
			/// Its id.
			id: RequestId,
			/// `R_i`, Wh.
			energy: Energy,
			/// The escrow held.
			escrow: Balance,
		},
		/// A user cancelled a request; its escrow is released.
		RequestCancelled {
			/// The user's account.
			user: T::AccountId,
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
			/// Its id.
			id: RequestId,
		},
		/// The grid company set (or removed) a fee.
		GridFeeSet {
			/// The provider's region.
			from: RegionId,
			/// The user's region.
			to: RegionId,
			/// The fee per kWh, or `None` for the default.
			per_kwh: Option<Balance>,
		},
		/// A better solution was accepted.
		SolutionAccepted {
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
			/// Its score.
			score: Score,
		},
		/// A solution became orders.
		SolutionAdopted {
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
			/// Its score.
			score: Score,
			/// Submitted or fallback.
			source: Source,
			/// Orders opened.
			matched: u32,
			/// Requests left without an order.
			unmatched: u32,
		},
		/// A request got no order; its escrow is released.
		RequestUnmatched {
			/// The user's account.
			user: T::AccountId,
			/// The trading period: block number divided by the period length.
			period: PeriodIndex,
			/// The request.
			id: RequestId,
			/// Why.
			reason: UnmatchedReason,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// Only approved providers post offers.
		NotApprovedProvider,
		/// Only approved users post requests.
		NotApprovedUser,
		/// The period is in its solution window: the book is closed until the next period.
		BookClosed,
		/// An offer needs some capacity.
		ZeroCapacity,
		/// The price is above `MaxPrice`.
		PriceTooHigh,
		/// The period has `MaxOffers` offers.
		TooManyOffers,
		/// The provider has no offer this period.
		NoOffer,
		/// A request needs some energy, at most `MaxRequestEnergy`.
		BadEnergy,
		/// The period has `MaxRequests` requests.
		TooManyRequests,
		/// No such request in this period.
		UnknownRequest,
		/// Only the request's user may cancel it.
		NotYourRequest,
		/// The grid fee table is full.
		TooManyFees,
		/// The escrow's amount overflows.
		Overflow,
		/// The solution is for another period than the one in its solution window.
		SolutionWrongPeriod,
		/// The claimed score does not beat the best solution already accepted.
		SolutionNotBetter,
		/// A pair names a request the snapshot does not have.
		SolutionUnknownRequest,
		/// A pair names an offer the snapshot does not have.
		SolutionUnknownOffer,
		/// A request appears twice in the solution.
		SolutionRequestTwice,
		/// A pair is not allowed: the price is above the request's limit, or the revenue does
		/// not cover the grid fee.
		SolutionDisallowedPair,
		/// A provider would deliver more than its capacity.
		SolutionOverCapacity,
		/// The claimed score is not the solution's score.
		SolutionWrongScore,
		/// The user has [`Config::MaxRequestsPerUser`] open requests already: no user may fill
		/// the book alone.
		TooManyRequestsOfUser,
		/// This block has accepted a solution already: one a block at most, so that free
		/// submissions cannot fill the solution window's blocks.
		SolutionThisBlock,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let n: u32 = n.saturated_into();
			let length = Self::period_length();
			let (period, offset) = (n / length, n % length);
			let mut weight = T::DbWeight::get().reads(1);
			if offset == 0 {
				if let Some(snapshot) = CurrentSnapshot::<T>::take() {
					weight.saturating_accrue(Self::adopt(snapshot, n));
				}
				Self::deposit_event(Event::PeriodOpened { period });
			}
			if offset == length - Self::solution_blocks() {
				weight.saturating_accrue(Self::take_snapshot(period));
			}
			weight
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			if let Err(error) = Self::run_worker(n) {
				log::debug!(target: LOG_TARGET, "off-chain worker at {n:?}: {error:?}");
			}
		}

		fn integrity_test() {
			assert!(Self::solution_blocks() > 0, "a solution window is needed");
			assert!(Self::solution_blocks() < Self::period_length(), "an open phase is needed");
			assert!(T::MaxOffers::get() > 0 && T::MaxRequests::get() > 0);
			assert!(
				T::MaxRequestsPerUser::get() > 0
					&& T::MaxRequestsPerUser::get() < T::MaxRequests::get(),
				"one user must not be able to fill the book"
			);
			assert!(T::MaxOffers::get() <= u16::MAX as u32, "offer indices fit the solution");
			let (n, m) = (T::MaxRequests::get(), T::MaxOffers::get());
			let hook = T::WeightInfo::take_snapshot(n, m)
				.max(T::WeightInfo::adopt(n, m))
				.max(T::WeightInfo::adopt_fallback(n, m));
			let max_block = <T as frame_system::Config>::BlockWeights::get().max_block;
			assert!(
				hook.all_lt(max_block / 2),
				"the close or the adoption of a full book must take less than half a block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Posts or updates the caller's offer for the open period.
		///
		/// - Origin: signed by an approved provider, during the open phase.
		///
		/// Errors: [`Error::NotApprovedProvider`], [`Error::BookClosed`],
		/// [`Error::ZeroCapacity`], [`Error::PriceTooHigh`], [`Error::TooManyOffers`].
		///
		/// Emits [`Event::OfferPosted`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::post_offer())]
		pub fn post_offer(origin: OriginFor<T>, price: Price, capacity: Energy) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			ensure!(
				T::Registry::approved_provider(&provider).is_some(),
				Error::<T>::NotApprovedProvider
			);
			let period = Self::open_period()?;
			ensure!(capacity > 0, Error::<T>::ZeroCapacity);
			ensure!(price <= T::MaxPrice::get(), Error::<T>::PriceTooHigh);
			if !Offers::<T>::contains_key(period, &provider) {
				let count = OfferCount::<T>::get(period);
				ensure!(count < T::MaxOffers::get(), Error::<T>::TooManyOffers);
				OfferCount::<T>::insert(period, count + 1);
			}
			Offers::<T>::insert(period, &provider, Offer { price, capacity });
			Self::deposit_event(Event::OfferPosted { provider, period, price, capacity });
			Ok(())
		}

		/// Withdraws the caller's offer for the open period.
		///
		/// Errors: [`Error::BookClosed`], [`Error::NoOffer`].
		///
		/// Emits [`Event::OfferWithdrawn`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_offer())]
		pub fn withdraw_offer(origin: OriginFor<T>) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let period = Self::open_period()?;
			ensure!(Offers::<T>::contains_key(period, &provider), Error::<T>::NoOffer);
			Offers::<T>::remove(period, &provider);
			OfferCount::<T>::mutate(period, |count| *count = count.saturating_sub(1));
			Self::deposit_event(Event::OfferWithdrawn { provider, period });
			Ok(())
		}

		/// Posts a request for the open period and holds its escrow: `energy` at `limit` (or at
		/// [`Config::MaxPrice`] without a limit).
		///
		/// - Origin: signed by an approved user, during the open phase.
		///
		/// Errors: [`Error::NotApprovedUser`], [`Error::BookClosed`], [`Error::BadEnergy`],
		/// [`Error::PriceTooHigh`], [`Error::TooManyRequests`], [`Error::TooManyRequestsOfUser`],
		/// settlement's escrow errors.
		///
		/// Emits [`Event::RequestPosted`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::post_request())]
		pub fn post_request(
			origin: OriginFor<T>,
			energy: Energy,
			limit: Option<Price>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			ensure!(T::Registry::approved_user(&user).is_some(), Error::<T>::NotApprovedUser);
			let period = Self::open_period()?;
			ensure!(energy > 0 && energy <= T::MaxRequestEnergy::get(), Error::<T>::BadEnergy);
			let price = limit.unwrap_or_else(T::MaxPrice::get);
			ensure!(price <= T::MaxPrice::get(), Error::<T>::PriceTooHigh);
			let id = NextRequestId::<T>::get(period);
			ensure!(id < T::MaxRequests::get(), Error::<T>::TooManyRequests);
			ensure!(
				OpenRequests::<T>::get(&user) < T::MaxRequestsPerUser::get(),
				Error::<T>::TooManyRequestsOfUser
			);
			let escrow = T::Orders::cost(energy, price).ok_or(Error::<T>::Overflow)?;
			T::Escrow::hold(&user, escrow)?;
			NextRequestId::<T>::insert(period, id + 1);
			OpenRequests::<T>::mutate(&user, |count| *count = count.saturating_add(1));
			Requests::<T>::insert(
				period,
				id,
				Request { user: user.clone(), energy, limit, escrow },
			);
			Self::deposit_event(Event::RequestPosted { user, period, id, energy, escrow });
			Ok(())
		}

		/// Cancels one of the caller's requests of the open period and releases its escrow.
		///
		/// Errors: [`Error::BookClosed`], [`Error::UnknownRequest`], [`Error::NotYourRequest`].
		///
		/// Emits [`Event::RequestCancelled`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_request())]
		pub fn cancel_request(origin: OriginFor<T>, id: RequestId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let period = Self::open_period()?;
			let request = Requests::<T>::get(period, id).ok_or(Error::<T>::UnknownRequest)?;
			ensure!(request.user == user, Error::<T>::NotYourRequest);
			T::Escrow::release(&user, request.escrow)?;
			Requests::<T>::remove(period, id);
			Self::close_request(&user);
			Self::deposit_event(Event::RequestCancelled { user, period, id });
			Ok(())
		}

		/// Sets the grid fee per kWh from providers of region `from` to users of region `to`,
		/// or removes it (`None`: the default applies). Takes effect at the next snapshot.
		///
		/// - Origin: [`Config::GridCompanyOrigin`].
		///
		/// Errors: [`Error::TooManyFees`].
		///
		/// Emits [`Event::GridFeeSet`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_grid_fee())]
		pub fn set_grid_fee(
			origin: OriginFor<T>,
			from: RegionId,
			to: RegionId,
			per_kwh: Option<Balance>,
		) -> DispatchResult {
			T::GridCompanyOrigin::ensure_origin(origin)?;
			GridFees::<T>::try_mutate(|fees| {
				let found = fees.binary_search_by(|(f, t, _)| (*f, *t).cmp(&(from, to)));
				match (found, per_kwh) {
					(Ok(index), Some(fee)) => fees[index].2 = fee,
					(Ok(index), None) => {
						fees.remove(index);
					}
					(Err(index), Some(fee)) => fees
						.try_insert(index, (from, to, fee))
						.map_err(|_| Error::<T>::TooManyFees)?,
					(Err(_), None) => {}
				}
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::GridFeeSet { from, to, per_kwh });
			Ok(())
		}

		/// Submits a solution for the snapshot in its solution window.
		///
		/// - Origin: authorised (a feeless general transaction): [`Pallet::authorize_solution`]
		///   admits it only after [`Pallet::check_solution`] holds: the current snapshot's
		///   period, a claimed score above the best so far, no solution yet in this block, every
		///   pair feasible and the claim the solution's score. The check runs before the pool
		///   and again when the block applies the transaction, which is what the `Authorized`
		///   origin certifies: a submission that does not hold never reaches a block.
		/// - `solution`: `(request index, offer index)` pairs into the snapshot.
		///
		/// Errors: [`Error::SolutionWrongPeriod`], [`Error::SolutionNotBetter`],
		/// [`Error::SolutionThisBlock`] (the check's cheap part, repeated); the pool answers the
		/// others as `InvalidTransaction::Custom` with the error's index
		/// ([`Pallet::invalidity`]).
		///
		/// Emits [`Event::SolutionAccepted`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::submit_solution(solution.len() as u32))]
		#[pallet::authorize(|_source, period, solution, claimed| {
			Pallet::<T>::authorize_solution(*period, solution, claimed)
		})]
		// The whole snapshot is read and a solution may serve every request: the worst case,
		// the unspent part refunded by `authorize_solution`.
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_solution(
			T::MaxRequests::get(),
			T::MaxOffers::get()
		))]
		pub fn submit_solution(
			origin: OriginFor<T>,
			period: PeriodIndex,
			solution: SolutionOf<T>,
			claimed: Score,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			Self::check_claim(period, &claimed)?;
			BestSolution::<T>::put((claimed, solution));
			BestSolutionAt::<T>::put(frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::SolutionAccepted { period, score: claimed });
			Ok(())
		}
	}
}

impl<T: Config> PeriodClock for Pallet<T> {
	fn current_period() -> PeriodIndex {
		Self::current_period()
	}
}

impl<T: Config> OpenObligations<T::AccountId> for Pallet<T> {
	/// An offer in the open period or in the snapshot's, or a request not yet adopted.
	fn has_open_obligations(who: &T::AccountId) -> bool {
		OpenRequests::<T>::contains_key(who)
			|| Offers::<T>::contains_key(Self::current_period(), who)
			|| SnapshotPeriod::<T>::get()
				.is_some_and(|period| Offers::<T>::contains_key(period, who))
	}
}
