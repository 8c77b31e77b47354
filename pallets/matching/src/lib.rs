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
//! ## Off-chain results are hostile input
//!
//! Every PoW miner authors blocks, so a submission is trusted for nothing. It is free, so it
//! must hold before it costs anyone a block's room: before the pool, and again when a block
//! applies it, its period and claim are checked against the best so far, every pair is checked
//! (known request and provider, each request once, allowed pair, capacity) and the score
//! recomputed; any mismatch is a named error ([`Pallet::check_solution`]) and changes nothing.
//! A block accepts one solution at most, so the free room a window's solutions take is bounded
//! by its blocks, and each accepted one beats the last.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::{vec, vec::Vec};
use frame_support::pallet_prelude::*;
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::*,
};
use gridshard_primitives::{
	record::PeriodLedger,
	traits::{
		Escrow, OpenObligations, OrderBook, OrderTerms, ParticipantRegistry, PeriodClock,
		ReputationProvider,
	},
	Balance, Energy, PeriodIndex, Price, RegionId,
};
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{BlockAndTime, StorageLock},
		Duration, Timestamp,
	},
	traits::{SaturatedConversion, Zero},
};

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::matching";

/// The off-chain storage key of the worker's cached solution.
pub const OCW_CACHE: &[u8] = b"gridshard/matching/solution";

/// The off-chain storage key of the worker's lock.
pub const OCW_LOCK: &[u8] = b"gridshard/matching/lock";

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

/// A solution: `(request index in the snapshot, offer index in the snapshot)` pairs.
pub type SolutionOf<T> = BoundedVec<(u32, u32), <T as Config>::MaxRequests>;

/// A request in this runtime.
pub type RequestOf<T> = Request<<T as frame_system::Config>::AccountId, Balance>;

/// A period's book: offers by provider, requests by id.
pub type BookOf<T> =
	(Vec<(<T as frame_system::Config>::AccountId, Offer)>, Vec<(RequestId, RequestOf<T>)>);

/// A solution's pairs as `(user, provider)` accounts.
pub type NamedPairs<AccountId> = Vec<(AccountId, AccountId)>;

/// What the off-chain worker keeps in local storage about the snapshot it solved.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct CachedSolution {
	/// The snapshot's period.
	pub period: PeriodIndex,
	/// The solution.
	pub solution: Vec<(u32, u32)>,
	/// Its score.
	pub score: Score,
	/// The block at which this node last submitted it, if it did.
	pub submitted_at: Option<u32>,
	/// The node budget of the search that found it: [`QUICK_NODES`] for the worker's first
	/// answer, [`Config::SolverMaxNodes`] once the full search has run.
	pub budget: u64,
	/// Whether the full search reached its deadline before its node budget, so that this is
	/// the best answer it found in time.
	pub stopped_at_deadline: bool,
}

/// A search of a snapshot: the answer, and how far it is from proven.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SearchAnswer {
	/// The best solution found.
	pub solution: Vec<(u32, u32)>,
	/// Its score, as the chain computes it.
	pub score: Score,
	/// A proven upper bound on every solution's score: the answer's gap is the distance to it
	/// (equal when the answer is optimal).
	pub bound: Score,
	/// Branch-and-bound nodes visited.
	pub nodes: u64,
	/// Whether the deadline stopped the search before its node budget.
	pub stopped_at_deadline: bool,
}

/// Blocks the worker waits for its submission to be included before sending it again.
pub const RESUBMIT_AFTER: u32 = 2;

/// The node budget of the worker's first answer to a snapshot: the solver's root alone (its
/// heuristics, bound and fixing; at most 0.36 s in wasm on the solver's benchmark markets up to
/// 1000x50, against up to 17 s for the full search), submitted at once so that a slow node still
/// offers something better than the fallback before its full search
/// ([`Config::SolverMaxNodes`] or [`Pallet::search_deadline`], at the worker's next run) ends.
/// The first answer is the same on every node; the second depends on the time a node had.
pub const QUICK_NODES: u64 = 1;

/// The snapshot as the solver's input, with what its rows are: the period, the request id of
/// each request row and the provider of each offer row, and the market (request energies, offer
/// capacities, allowed pairs with their weights) exactly as the off-chain worker solves it.
pub type SolverInput<AccountId> =
	(PeriodIndex, Vec<RequestId>, Vec<AccountId>, gridshard_solver::Market);

/// A preview: the solver's pairs, their score and the snapshot they index.
pub type PreviewOf<T> = (Vec<(u32, u32)>, Score, SnapshotOf<T>);

/// Where a period is.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Phase {
	/// Offers and requests are accepted.
	Open,
	/// The snapshot is taken; solutions are accepted.
	Solution,
}

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
		type PeriodLength: Get<u32>;

		/// Blocks of the solution window, at the end of each period.
		#[pallet::constant]
		type SolutionBlocks: Get<u32>;

		/// Blocks of an order's delivery window, from adoption.
		#[pallet::constant]
		type DeliveryBlocks: Get<u32>;

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

	/// What an adoption did.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct Adoption {
		/// The period.
		pub period: PeriodIndex,
		/// The solution's score.
		pub score: Score,
		/// Submitted or fallback.
		pub source: Source,
		/// Orders opened.
		pub matched: u32,
		/// Requests released.
		pub unmatched: u32,
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A period opened for offers and requests.
		PeriodOpened {
			/// The period.
			period: PeriodIndex,
		},
		/// A period closed: its snapshot is taken and the solution window is open.
		SnapshotTaken {
			/// The period.
			period: PeriodIndex,
			/// Offers in the snapshot.
			offers: u32,
			/// Requests in the snapshot.
			requests: u32,
		},
		/// A provider posted or updated its offer.
		OfferPosted {
			/// The provider.
			provider: T::AccountId,
			/// The period.
			period: PeriodIndex,
			/// `r_j` per kWh.
			price: Price,
			/// `a_j`, Wh.
			capacity: Energy,
		},
		/// A provider withdrew its offer.
		OfferWithdrawn {
			/// The provider.
			provider: T::AccountId,
			/// The period.
			period: PeriodIndex,
		},
		/// A user posted a request; its escrow is held.
		RequestPosted {
			/// The user.
			user: T::AccountId,
			/// The period.
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
			/// The user.
			user: T::AccountId,
			/// The period.
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
			/// The period.
			period: PeriodIndex,
			/// Its score.
			score: Score,
		},
		/// A solution became orders.
		SolutionAdopted {
			/// The period.
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
			/// The user.
			user: T::AccountId,
			/// The period.
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
		PreDispatchWrongPeriod,
		/// The claimed score does not beat the best solution already accepted.
		PreDispatchNotBetter,
		/// A pair names a request the snapshot does not have.
		UnknownSnapshotRequest,
		/// A pair names an offer the snapshot does not have.
		UnknownSnapshotOffer,
		/// A request appears twice in the solution.
		RequestTwice,
		/// A pair is not allowed: the price is above the request's limit, or the revenue does
		/// not cover the grid fee.
		DisallowedPair,
		/// A provider would deliver more than its capacity.
		OverCapacity,
		/// The claimed score is not the solution's score.
		WrongScore,
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
			let length = T::PeriodLength::get();
			let (period, offset) = (n / length, n % length);
			let mut weight = T::DbWeight::get().reads(1);
			if offset == 0 {
				if let Some(snapshot) = CurrentSnapshot::<T>::take() {
					weight.saturating_accrue(Self::adopt(snapshot, n));
				}
				Self::deposit_event(Event::PeriodOpened { period });
			}
			if offset == length - T::SolutionBlocks::get() {
				weight.saturating_accrue(Self::take_snapshot(period));
			}
			weight
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			if let Err(reason) = Self::run_worker(n) {
				log::debug!(target: LOG_TARGET, "off-chain worker at {n:?}: {reason}");
			}
		}

		fn integrity_test() {
			assert!(T::SolutionBlocks::get() > 0, "a solution window is needed");
			assert!(T::SolutionBlocks::get() < T::PeriodLength::get(), "an open phase is needed");
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
		/// Errors: [`Error::PreDispatchWrongPeriod`], [`Error::PreDispatchNotBetter`],
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

impl<T: Config> Pallet<T> {
	/// The period the chain is in.
	pub fn current_period() -> PeriodIndex {
		let n: u32 = frame_system::Pallet::<T>::block_number().saturated_into();
		n / T::PeriodLength::get()
	}

	/// The current period's phase.
	pub fn phase() -> Phase {
		let n: u32 = frame_system::Pallet::<T>::block_number().saturated_into();
		let length = T::PeriodLength::get();
		if n % length >= length - T::SolutionBlocks::get() {
			Phase::Solution
		} else {
			Phase::Open
		}
	}

	/// The current period if its book is open.
	fn open_period() -> Result<PeriodIndex, Error<T>> {
		ensure!(Self::phase() == Phase::Open, Error::<T>::BookClosed);
		Ok(Self::current_period())
	}

	/// Checks a submission's period and claimed score against the current snapshot and the
	/// best solution, and that this block has accepted none yet (cheap: no snapshot read).
	fn check_claim(period: PeriodIndex, claimed: &Score) -> Result<(), Error<T>> {
		ensure!(SnapshotPeriod::<T>::get() == Some(period), Error::<T>::PreDispatchWrongPeriod);
		if let Some((best, _)) = BestSolution::<T>::get() {
			ensure!(*claimed > best, Error::<T>::PreDispatchNotBetter);
		}
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(BestSolutionAt::<T>::get() != Some(now), Error::<T>::SolutionThisBlock);
		Ok(())
	}

	/// The whole check of a submission, without changing anything: [`Pallet::check_claim`],
	/// then every pair against the snapshot and the claim against the solution's score (time
	/// linear in the solution). Returns the snapshot's number of offers.
	pub fn check_solution(
		period: PeriodIndex,
		solution: &[(u32, u32)],
		claimed: &Score,
	) -> Result<u32, Error<T>> {
		Self::check_claim(period, claimed)?;
		let snapshot = CurrentSnapshot::<T>::get().ok_or(Error::<T>::PreDispatchWrongPeriod)?;
		let score = Self::score(&snapshot, solution)?;
		ensure!(score == *claimed, Error::<T>::WrongScore);
		Ok(snapshot.offers.len() as u32)
	}

	/// How the pool answers a submission [`Pallet::check_solution`] refuses: `Stale` for
	/// another period or a claim that is not better, `ExhaustsResources` when this block has
	/// its solution (the block's author keeps it for the next block), and otherwise
	/// `Custom` with the error's index in [`Error`], so that a client can name it.
	pub fn invalidity(error: Error<T>) -> TransactionValidityError {
		let invalid = match error {
			Error::<T>::PreDispatchWrongPeriod | Error::<T>::PreDispatchNotBetter => {
				InvalidTransaction::Stale
			}
			Error::<T>::SolutionThisBlock => InvalidTransaction::ExhaustsResources,
			other => InvalidTransaction::Custom(other.encode().first().copied().unwrap_or(u8::MAX)),
		};
		TransactionValidityError::Invalid(invalid)
	}

	/// Admits a solution into the pool (and into a block) only when
	/// [`Pallet::check_solution`] holds, so that a forged claim costs its sender the pool's
	/// check and never a block's room. It provides `(period, score)`, so equal claims do not
	/// both enter, and lives until the window ends; the part of the worst-case check weight a
	/// smaller snapshot or solution did not use is refunded.
	pub fn authorize_solution(
		period: PeriodIndex,
		solution: &[(u32, u32)],
		claimed: &Score,
	) -> TransactionValidityWithRefund {
		let offers = Self::check_solution(period, solution, claimed).map_err(|error| {
			log::debug!(target: LOG_TARGET, "solution refused before the pool: {error:?}");
			Self::invalidity(error)
		})?;
		let validity = ValidTransaction::with_tag_prefix("GridShardSolution")
			.priority(TransactionPriority::MAX / 2)
			.and_provides((period, claimed.energy, claimed.weight))
			.longevity(T::SolutionBlocks::get().into())
			.propagate(true)
			.build()?;
		let worst =
			T::WeightInfo::authorize_submit_solution(T::MaxRequests::get(), T::MaxOffers::get());
		let used = T::WeightInfo::authorize_submit_solution(solution.len() as u32, offers);
		Ok((validity, worst.saturating_sub(used)))
	}

	/// The revenue `zeta_ij` (eq. 3) of request `i` with offer `j`, if the pair is allowed.
	fn revenue(snapshot: &SnapshotOf<T>, i: usize, j: usize) -> Option<Balance> {
		let (request, offer) = (snapshot.requests.get(i)?, snapshot.offers.get(j)?);
		if request.limit.is_some_and(|limit| offer.price > limit) {
			return None;
		}
		let income = T::Orders::cost(request.energy, offer.price)?;
		income.checked_sub(Self::grid_fee(snapshot, request, offer)?)
	}

	/// `eta_ij`: the table's fee per kWh for the pair's regions, times `R_i`.
	fn grid_fee(
		snapshot: &SnapshotOf<T>,
		request: &SnapshotRequest<T::AccountId>,
		offer: &SnapshotOffer<T::AccountId>,
	) -> Option<Balance> {
		let per_kwh =
			fee_per_kwh(&snapshot.fees, snapshot.default_fee, offer.region, request.region);
		per_kwh.checked_mul(u128::from(request.energy)).map(|fee| fee / 1_000)
	}

	/// The solver's integer weight of pair `(i, j)`, if allowed: `M_ij` (eq. 4) scaled.
	pub fn pair_weight(snapshot: &SnapshotOf<T>, i: usize, j: usize) -> Option<u32> {
		let zeta = Self::revenue(snapshot, i, j)?;
		let reputation = snapshot.offers[j].reputation;
		Some(weight_of(matching_degree(zeta, T::ZetaUnit::get(), reputation)))
	}

	/// The score of `solution` on `snapshot` after checking it, in time linear in its length:
	/// each pair's request and offer exist, no request twice, the pair is allowed, and no
	/// provider exceeds its capacity.
	pub fn score(snapshot: &SnapshotOf<T>, solution: &[(u32, u32)]) -> Result<Score, Error<T>> {
		let mut served = vec![false; snapshot.requests.len()];
		let mut load = vec![0u64; snapshot.offers.len()];
		let mut score = Score::default();
		for (request, offer) in solution {
			let (i, j) = (*request as usize, *offer as usize);
			let energy = snapshot.requests.get(i).ok_or(Error::<T>::UnknownSnapshotRequest)?.energy;
			let capacity = snapshot.offers.get(j).ok_or(Error::<T>::UnknownSnapshotOffer)?.capacity;
			ensure!(!core::mem::replace(&mut served[i], true), Error::<T>::RequestTwice);
			let weight = Self::pair_weight(snapshot, i, j).ok_or(Error::<T>::DisallowedPair)?;
			load[j] = load[j].saturating_add(energy);
			ensure!(load[j] <= capacity, Error::<T>::OverCapacity);
			score.energy += u128::from(energy);
			score.weight += u128::from(weight);
		}
		Ok(score)
	}

	/// The snapshot as the solver's market: request energies, capacities and allowed pairs.
	pub fn market(snapshot: &SnapshotOf<T>) -> gridshard_solver::Market {
		let mut pairs = Vec::new();
		for i in 0..snapshot.requests.len() {
			for j in 0..snapshot.offers.len() {
				if let Some(weight) = Self::pair_weight(snapshot, i, j) {
					pairs.push((i as u32, j as u32, weight));
				}
			}
		}
		gridshard_solver::Market {
			requests: snapshot.requests.iter().map(|r| r.energy).collect(),
			capacities: snapshot.offers.iter().map(|o| o.capacity).collect(),
			pairs,
		}
	}

	/// Solves `snapshot` with the solver within [`Config::SolverMaxNodes`] nodes; returns the
	/// solution and its score as the chain computes it.
	pub fn solve(snapshot: &SnapshotOf<T>) -> Option<(Vec<(u32, u32)>, Score)> {
		Self::solve_within(snapshot, T::SolverMaxNodes::get())
	}

	/// [`Self::solve`] within `max_nodes` nodes.
	pub fn solve_within(
		snapshot: &SnapshotOf<T>,
		max_nodes: u64,
	) -> Option<(Vec<(u32, u32)>, Score)> {
		Self::search(snapshot, max_nodes, None).map(|answer| (answer.solution, answer.score))
	}

	/// Searches `snapshot` within `max_nodes` nodes and, off chain, until `deadline` (the
	/// solver asks the clock after its root and every few hundred nodes); answers the best
	/// solution found with its proven bound.
	pub fn search(
		snapshot: &SnapshotOf<T>,
		max_nodes: u64,
		deadline: Option<Timestamp>,
	) -> Option<SearchAnswer> {
		let model = gridshard_solver::Model::market(&Self::market(snapshot)).ok()?;
		let mut stopped_at_deadline = false;
		let solved = gridshard_solver::solve_until(&model, max_nodes, &mut |_| {
			stopped_at_deadline =
				deadline.is_some_and(|deadline| sp_io::offchain::timestamp() >= deadline);
			stopped_at_deadline
		});
		let solution = Self::pairs(&solved.outcome.assignment);
		let score = Self::score(snapshot, &solution).ok()?;
		let bound = match model.value(solved.outcome.bound) {
			gridshard_solver::Value::Market { energy, weight } => Score { energy, weight },
			_ => return None,
		};
		let nodes = solved.outcome.nodes;
		Some(SearchAnswer { solution, score, bound, nodes, stopped_at_deadline })
	}

	/// When the worker's search at block `now` must end: one block before the window's last
	/// block is expected at [`Config::TargetBlockTime`], so that the answer is in the pool when
	/// that block is mined. At the window's last block or past it, now.
	pub fn search_deadline(now: u32) -> Timestamp {
		let length = T::PeriodLength::get();
		let last = (now / length + 1) * length - 1;
		let blocks = last.saturating_sub(now).saturating_sub(1);
		let time = u64::from(blocks).saturating_mul(T::TargetBlockTime::get());
		sp_io::offchain::timestamp().add(Duration::from_millis(time))
	}

	/// A solver's `assignment` of the snapshot's market (each request row's offer row, or
	/// none) as a solution's `(request row, offer row)` pairs.
	pub fn pairs(assignment: &[Option<u32>]) -> Vec<(u32, u32)> {
		(0u32..)
			.zip(assignment)
			.filter_map(|(request, offer)| offer.map(|offer| (request, offer)))
			.collect()
	}

	/// The chain's fallback: requests by decreasing energy (then id), each to the allowed
	/// offer with room and the largest weight (then the lowest index). `O(n m)`.
	pub fn greedy(snapshot: &SnapshotOf<T>) -> Vec<(u32, u32)> {
		let mut order: Vec<usize> = (0..snapshot.requests.len()).collect();
		order.sort_by_key(|i| (core::cmp::Reverse(snapshot.requests[*i].energy), *i));
		let mut room: Vec<Energy> = snapshot.offers.iter().map(|o| o.capacity).collect();
		let mut solution = Vec::new();
		for i in order {
			let energy = snapshot.requests[i].energy;
			let best = (0..room.len())
				.filter(|j| room[*j] >= energy)
				.filter_map(|j| {
					Self::pair_weight(snapshot, i, j).map(|w| (w, core::cmp::Reverse(j)))
				})
				.max();
			if let Some((_, core::cmp::Reverse(j))) = best {
				room[j] -= energy;
				solution.push((i as u32, j as u32));
			}
		}
		solution.sort();
		solution
	}

	/// Lowers `user`'s count of open requests.
	fn close_request(user: &T::AccountId) {
		OpenRequests::<T>::mutate_exists(user, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
	}

	/// Releases the rest of a closed request's escrow (what no order committed) and closes it;
	/// reports it unmatched if nothing was committed.
	fn release_request(
		period: PeriodIndex,
		id: RequestId,
		request: RequestOf<T>,
		committed: Balance,
		reason: UnmatchedReason,
	) {
		let rest = request.escrow.saturating_sub(committed);
		if !rest.is_zero() {
			if let Err(error) = T::Escrow::release(&request.user, rest) {
				log::error!(target: LOG_TARGET, "escrow of request {id} not released: {error:?}");
			}
		}
		Self::close_request(&request.user);
		if committed.is_zero() {
			Self::deposit_event(Event::RequestUnmatched { user: request.user, period, id, reason });
		}
	}

	/// Freezes period `period`'s book into the snapshot and opens the solution window: offers
	/// by provider account, requests by id. Offers and requests of participants no longer
	/// approved stay out (adoption releases such requests).
	fn take_snapshot(period: PeriodIndex) -> Weight {
		let mut offers: Vec<_> = Offers::<T>::iter_prefix(period)
			.take(T::MaxOffers::get() as usize)
			.filter_map(|(provider, offer)| {
				let region = T::Registry::approved_provider(&provider)?;
				let reputation = T::Reputation::comprehensive_reputation(&provider);
				Some(SnapshotOffer {
					provider,
					region,
					price: offer.price,
					capacity: offer.capacity,
					reputation,
				})
			})
			.collect();
		let mut requests: Vec<_> = Requests::<T>::iter_prefix(period)
			.take(T::MaxRequests::get() as usize)
			.filter_map(|(id, request)| {
				Some(SnapshotRequest {
					id,
					region: T::Registry::approved_user(&request.user)?,
					user: request.user,
					energy: request.energy,
					limit: request.limit,
				})
			})
			.collect();
		requests.sort_by_key(|r| r.id);
		offers.sort_by(|a, b| a.provider.cmp(&b.provider));
		let (offer_count, request_count) = (offers.len() as u32, requests.len() as u32);
		let snapshot = Snapshot {
			period,
			offers: BoundedVec::truncate_from(offers),
			requests: BoundedVec::truncate_from(requests),
			fees: BoundedVec::truncate_from(GridFees::<T>::get().into_inner()),
			default_fee: T::DefaultGridFee::get(),
		};
		CurrentSnapshot::<T>::put(snapshot);
		SnapshotPeriod::<T>::put(period);
		BestSolution::<T>::kill();
		BestSolutionAt::<T>::kill();
		Self::deposit_event(Event::SnapshotTaken {
			period,
			offers: offer_count,
			requests: request_count,
		});
		T::WeightInfo::take_snapshot(request_count, offer_count)
	}

	/// Turns the best solution (or the fallback's) into orders, releases all other escrow of
	/// the period's requests, and clears the period's book.
	fn adopt(snapshot: SnapshotOf<T>, now: u32) -> Weight {
		let period = snapshot.period;
		BestSolutionAt::<T>::kill();
		let (score, solution, source) = match BestSolution::<T>::take() {
			Some((score, solution)) => (score, solution.into_inner(), Source::Submitted),
			None => {
				let solution = Self::greedy(&snapshot);
				let score = Self::score(&snapshot, &solution).unwrap_or_default();
				(score, solution, Source::Fallback)
			}
		};
		let mut assigned: Vec<Option<usize>> = vec![None; snapshot.requests.len()];
		for (i, j) in &solution {
			assigned[*i as usize] = Some(*j as usize);
		}
		let window_start: BlockNumberFor<T> = now.into();
		let window_end: BlockNumberFor<T> = now.saturating_add(T::DeliveryBlocks::get()).into();
		let (mut matched, mut unmatched) = (0u32, 0u32);
		let (mut energy_matched, mut unmatched_demand): (Energy, Energy) = (0, 0);
		let mut providers: Vec<T::AccountId> = Vec::new();
		for (i, snap) in snapshot.requests.iter().enumerate() {
			let Some(request) = Requests::<T>::take(period, snap.id) else { continue };
			let mut reason = UnmatchedReason::NotAssigned;
			let mut committed = 0;
			if let Some(j) = assigned[i] {
				let offer = &snapshot.offers[j];
				let terms = OrderTerms {
					user: request.user.clone(),
					provider: offer.provider.clone(),
					agreed: request.energy,
					price: offer.price,
					grid_fee: Self::grid_fee(&snapshot, snap, offer).unwrap_or_default(),
					period,
					window_start,
					window_end,
				};
				match T::Orders::open_order(terms) {
					Ok(_) => {
						matched += 1;
						energy_matched = energy_matched.saturating_add(request.energy);
						if !providers.contains(&offer.provider) {
							providers.push(offer.provider.clone());
						}
						committed =
							T::Orders::cost(request.energy, offer.price).unwrap_or_default();
					}
					Err(error) => {
						log::warn!(target: LOG_TARGET, "order for request {} refused: {error:?}", snap.id);
						reason = UnmatchedReason::OrderRefused;
					}
				}
			}
			if committed.is_zero() {
				unmatched += 1;
				unmatched_demand = unmatched_demand.saturating_add(request.energy);
			}
			Self::release_request(period, snap.id, request, committed, reason);
		}
		// Requests left out of the snapshot (their users are no longer approved).
		for (id, request) in
			Requests::<T>::drain_prefix(period).take(T::MaxRequests::get() as usize)
		{
			unmatched += 1;
			unmatched_demand = unmatched_demand.saturating_add(request.energy);
			Self::release_request(period, id, request, 0, UnmatchedReason::OrderRefused);
		}
		let _ = Offers::<T>::clear_prefix(period, T::MaxOffers::get(), None);
		OfferCount::<T>::remove(period);
		NextRequestId::<T>::remove(period);
		SnapshotPeriod::<T>::kill();
		let capacity =
			snapshot.offers.iter().fold(0 as Energy, |sum, o| sum.saturating_add(o.capacity));
		T::Ledger::period_matched(
			period,
			matched,
			energy_matched,
			unmatched_demand,
			capacity.saturating_sub(energy_matched),
			providers,
		);
		LastAdopted::<T>::put(Adoption { period, score, source, matched, unmatched });
		Self::deposit_event(Event::SolutionAdopted { period, score, source, matched, unmatched });
		let (n, m) = (snapshot.requests.len() as u32, snapshot.offers.len() as u32);
		match source {
			Source::Submitted => T::WeightInfo::adopt(n, m),
			Source::Fallback => T::WeightInfo::adopt_fallback(n, m),
		}
	}

	/// The off-chain worker: in a solution window, unless this node already submitted a
	/// solution at least as good as the chain's best, solve and submit. Each snapshot is solved
	/// twice at most, the answers cached in local storage: first within [`QUICK_NODES`] (the
	/// solver's root, fast even on the largest snapshot), then, at the next run, within
	/// [`Config::SolverMaxNodes`] or until [`Pallet::search_deadline`], whichever comes first,
	/// submitted if better. A lock keeps overlapping workers from
	/// solving at the same time; a cache this runtime cannot read is solved anew.
	fn run_worker(n: BlockNumberFor<T>) -> Result<(), &'static str> {
		let period = SnapshotPeriod::<T>::get().ok_or("no snapshot")?;
		let best = BestSolution::<T>::get().map(|(score, _)| score);
		let now: u32 = n.saturated_into();
		let mut lock =
			StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
				OCW_LOCK,
				T::SolutionBlocks::get(),
				Duration::from_millis(60_000),
			);
		let _guard = lock.try_lock().map_err(|_| "another worker is solving")?;
		let cache = StorageValueRef::persistent(OCW_CACHE);
		// A cache written by an earlier runtime may not decode: then it is solved anew.
		let cached: Option<CachedSolution> = cache.get().ok().flatten();
		let full = T::SolverMaxNodes::get();
		let solve = |budget: u64, deadline: Option<Timestamp>| {
			let snapshot = CurrentSnapshot::<T>::get()?;
			let answer = Self::search(&snapshot, budget, deadline)?;
			let (score, bound) = (answer.score, answer.bound);
			log::info!(
				target: LOG_TARGET,
				"block {n:?}: solved period {period} in {} of {budget} nodes{}: {} pairs, {} Wh, \
				weight {}; proven bound {} Wh, weight {}{}",
				answer.nodes,
				if answer.stopped_at_deadline { ", stopped at its deadline" } else { "" },
				answer.solution.len(), score.energy, score.weight, bound.energy, bound.weight,
				if score == bound { " (optimal)" } else { "" },
			);
			Some(answer)
		};
		const UNSOLVED: &str = "no snapshot, or the solver failed";
		let (solution, score, submitted_at, budget, stopped_at_deadline) = match cached {
			Some(cached) if cached.period == period && cached.budget >= full => (
				cached.solution,
				cached.score,
				cached.submitted_at,
				cached.budget,
				cached.stopped_at_deadline,
			),
			Some(cached) if cached.period == period => {
				// The first answer is out: now the full search, until its deadline, taken
				// where it scores more.
				let answer = solve(full, Some(Self::search_deadline(now))).ok_or(UNSOLVED)?;
				let stopped = answer.stopped_at_deadline;
				if answer.score > cached.score {
					(answer.solution, answer.score, None, full, stopped)
				} else {
					(cached.solution, cached.score, cached.submitted_at, full, stopped)
				}
			}
			_ => {
				let budget = QUICK_NODES.min(full);
				let answer = solve(budget, None).ok_or(UNSOLVED)?;
				(answer.solution, answer.score, None, budget, false)
			}
		};
		let remember = |submitted_at, budget| {
			let solution = solution.clone();
			let entry = CachedSolution {
				period,
				solution,
				score,
				submitted_at,
				budget,
				stopped_at_deadline,
			};
			cache.set(&entry);
		};
		if score == Score::default() {
			// Nothing can be matched at all (the root serves whatever can be): no second search.
			remember(None, full);
			return Err("nothing to match: the fallback adopts the empty solution");
		}
		if best.is_some_and(|best| best >= score) {
			remember(submitted_at, budget);
			return Err("the chain's best is at least as good");
		}
		// A submission waits in the pool for a block or two; send it again only if it did not
		// make it by then.
		if submitted_at.is_some_and(|at| now < at.saturating_add(RESUBMIT_AFTER)) {
			remember(submitted_at, budget);
			return Err("submitted recently");
		}
		remember(Some(now), budget);
		let bounded =
			SolutionOf::<T>::try_from(solution.clone()).map_err(|_| "solution too long")?;
		let call = Call::submit_solution { period, solution: bounded, claimed: score };
		let xt = T::create_authorized_transaction(call.into());
		SubmitTransaction::<T, Call<T>>::submit_transaction(xt).map_err(|_| "the pool refused")
	}

	/// The book of `period` while it is open or solving: its offers and requests.
	pub fn book(period: PeriodIndex) -> BookOf<T> {
		let mut requests: Vec<_> = Requests::<T>::iter_prefix(period).collect();
		requests.sort_by_key(|(id, _)| *id);
		(Offers::<T>::iter_prefix(period).collect(), requests)
	}

	/// `solution`'s pairs as `(user, provider)` accounts of `snapshot`.
	pub fn named_pairs(
		snapshot: &SnapshotOf<T>,
		solution: &[(u32, u32)],
	) -> Vec<(T::AccountId, T::AccountId)> {
		solution
			.iter()
			.filter_map(|(i, j)| {
				let user = snapshot.requests.get(*i as usize)?.user.clone();
				Some((user, snapshot.offers.get(*j as usize)?.provider.clone()))
			})
			.collect()
	}

	/// The best verified solution so far, with its period and named pairs: for the runtime API.
	pub fn best_solution() -> Option<(PeriodIndex, Score, NamedPairs<T::AccountId>)> {
		let snapshot = CurrentSnapshot::<T>::get()?;
		let (score, solution) = BestSolution::<T>::get()?;
		Some((snapshot.period, score, Self::named_pairs(&snapshot, &solution)))
	}

	/// What the solver would do with the current book if it closed now: for the runtime API.
	pub fn preview() -> Option<PreviewOf<T>> {
		let snapshot = Self::snapshot_now();
		let (solution, score) = Self::solve(&snapshot)?;
		Some((solution, score, snapshot))
	}

	/// The current period's snapshot once closed, or the one its book would give now.
	fn snapshot_now() -> SnapshotOf<T> {
		let period = Self::current_period();
		match CurrentSnapshot::<T>::get() {
			Some(snapshot) if snapshot.period == period => snapshot,
			_ => Self::snapshot_of(period),
		}
	}

	/// The current period's snapshot (the book's, without storing it, while the period is
	/// open) as the solver's input: for the runtime API, so that tools solve what the
	/// off-chain workers solve.
	pub fn solver_input() -> SolverInput<T::AccountId> {
		let snapshot = Self::snapshot_now();
		(
			snapshot.period,
			snapshot.requests.iter().map(|r| r.id).collect(),
			snapshot.offers.iter().map(|o| o.provider.clone()).collect(),
			Self::market(&snapshot),
		)
	}

	/// The snapshot `period`'s book would give now, without storing it.
	fn snapshot_of(period: PeriodIndex) -> SnapshotOf<T> {
		frame_support::storage::with_transaction(|| {
			Self::take_snapshot(period);
			let snapshot = CurrentSnapshot::<T>::get();
			sp_runtime::TransactionOutcome::Rollback(Ok::<_, DispatchError>(snapshot))
		})
		.ok()
		.flatten()
		.expect("take_snapshot stores a snapshot; qed")
	}

	/// The pallet's invariants:
	///
	/// - each period's offer count matches its offers, within `MaxOffers`;
	/// - every request's escrow is held: per user, the open requests' escrow is at most the
	///   uncommitted escrow settlement holds;
	/// - the snapshot matches its period, and the best solution is valid on it with its score
	///   and has the block that accepted it.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let mut counts: BTreeMap<PeriodIndex, u32> = BTreeMap::new();
		for (period, _, _) in Offers::<T>::iter() {
			*counts.entry(period).or_default() += 1;
		}
		for (period, count) in &counts {
			ensure!(OfferCount::<T>::get(period) == *count, "offer count out of step");
			ensure!(*count <= T::MaxOffers::get(), "too many offers");
		}
		let mut escrow: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut open: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, _, request) in Requests::<T>::iter() {
			*open.entry(request.user.clone()).or_default() += 1;
			*escrow.entry(request.user).or_default() += request.escrow;
		}
		ensure!(
			OpenRequests::<T>::iter().count() == open.len()
				&& open.iter().all(|(user, count)| OpenRequests::<T>::get(user) == *count),
			"open-request counts out of step"
		);
		for (user, held) in escrow {
			ensure!(T::Escrow::uncommitted(&user) >= held, "a request's escrow is not held");
		}
		ensure!(
			BestSolution::<T>::exists() == BestSolutionAt::<T>::exists(),
			"the best solution and its block out of step"
		);
		match (CurrentSnapshot::<T>::get(), SnapshotPeriod::<T>::get()) {
			(Some(snapshot), Some(period)) => {
				ensure!(snapshot.period == period, "snapshot period out of step");
				if let Some((score, solution)) = BestSolution::<T>::get() {
					ensure!(
						Self::score(&snapshot, &solution).ok() == Some(score),
						"the best solution is not valid with its score"
					);
				}
			}
			(None, None) => {
				ensure!(BestSolution::<T>::get().is_none(), "a solution without snapshot")
			}
			_ => return Err("snapshot and its period out of step".into()),
		}
		Ok(())
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
