//! # Settlement pallet
//!
//! Money held before supply, delivery metered at both ends, and settlement by the paper's rules
//! (section 5.2, eq. 6 and 7).
//!
//! ## Overview
//!
//! 1. **Escrow.** When a user places a request, matching holds money from it through
//!    [`Escrow::hold`] (under [`HoldReason::Escrow`]); a cancelled or unmatched request gets it
//!    back through [`Escrow::release`].
//! 2. **Orders.** Matching's adopted solution becomes orders through [`OrderBook::open_order`]:
//!    user, provider, agreed energy `R`, price `r`, grid fee `eta`, period and delivery window.
//!    The order commits `R r t` of the user's escrow (`t` = [`Config::TokenPrice`]) and copies
//!    both participants' meter keys from the registry.
//! 3. **Readings.** Each meter reports the energy it counted for the order, `rho` at the
//!    provider, `gamma` at the user, in [`Pallet::submit_reading`]: a feeless general
//!    transaction authorised by the meter's signature (`#[pallet::authorize]`), replay-proof
//!    because the signed [`Reading`] names the order and a sequence number that must grow. Up
//!    to [`Config::MaxInterimReadings`] interim readings per meter, then one final reading.
//! 4. **Settlement.** After the delivery window the provider applies
//!    ([`Pallet::apply_for_settlement`]); a provider that never applies is settled by the hook
//!    [`Config::SettlementDeadline`] blocks after the window, on the readings there are. The
//!    payments ([`Rules::settle`]):
//!    - the provider earns `R r`, less the penalty `r (R - gamma)` when `rho < R` (eq. 7), and
//!      pays the grid fee out of it: eq. 3 nets `eta` from the provider's revenue, so the
//!      provider bears the fee, capped at what it earned;
//!    - when the meters contradict each other (the provider's shows `rho >= R`, the user's
//!      final reading `gamma < R - tau`), neither word alone decides: the penalty applies on
//!      what the user received, and the order waits for the trading centre as a dispute
//!      without bond ([`Event::Contested`]), paid as settled if nobody rules by its deadline;
//!    - the grid operator ([`GridOperator`], named at genesis or by [`Pallet::set_roles`])
//!      gets the fee;
//!    - the user gets the rest of its escrow back (the penalty: energy paid for, not received);
//!    - the provider earns the reward of eq. 6 from the reward pot ([`Config::RewardPot`]):
//!      `Token` if `gamma >= R`, `Token/2` if `rho >= R` and `gamma >= R - tau`, else nothing
//!      (unpaid, with an event, when the pot cannot afford it); `Token` is scaled by the
//!      order's size up to [`Config::RewardEnergy`], and `tau` is a share of `R`
//!      ([`Config::Tolerance`]), so that many small orders earn no more than one large one;
//!    - reputation learns the delivery ratio with `delivered = min(rho, gamma)`
//!      ([`DeliveryRecorder`]), so neither meter alone can inflate it.
//! 5. **Disputes and confirmations.** The user may dispute a settlement within
//!    [`Config::DisputeWindow`] blocks ([`Pallet::dispute`]), holding [`Config::DisputeBond`]
//!    (under [`HoldReason::DisputeBond`]); the trading centre ([`Config::DisputeOrigin`])
//!    resolves it with the energy it finds ([`Pallet::resolve_dispute`]): the bond goes back
//!    to the user when the new settlement refunds it more, and to the provider otherwise (the
//!    party whose payment the dispute held up, rather than the reward pot, which lost
//!    nothing). Every dispute ends: one unresolved [`Config::DisputeDeadline`] blocks after it
//!    was opened is ended by the hook ([`Event::DisputeExpired`]), the settlement as it stood
//!    is paid, and the bond is returned, since nobody examined the claim (the user loses only
//!    the time its bond was held; the provider waits at most the deadline).
//!    Proof of work has no finality, so nothing is paid before [`Config::ConfirmationDepth`]
//!    blocks and the dispute window have passed, counted from the settlement, a ruling or an
//!    expiry alike: the hook pays settled orders in order,
//!    [`Config::MaxPayoutsPerBlock`] per block, and anyone may trigger a due payout with
//!    [`Pallet::claim_payout`].
//!
//! ## Missing readings
//!
//! A meter without a final reading counts its latest interim reading, or zero if it sent none.
//! A silent provider meter (`rho = 0 < R`) is paid only for what the user's meter received; a
//! user meter without a final reading is the user's own device failing: it cannot contest the
//! provider's, and if the provider's meter shows full delivery the provider is paid in full,
//! without reward.
//!
//! ## Invariants ([`Pallet::do_try_state`])
//!
//! - The escrow held from each user equals its uncommitted escrow plus the escrow of its
//!   orders; every settled order's payments add up to its escrow.
//! - The dispute bonds held from each user equal the bonds of its disputed orders, and every
//!   disputed order waits in the dispute queue.
//! - Each participant's index of open orders ([`AccountOrders`]) holds exactly its orders.
//!
//! ## Hashers
//!
//! Order ids are sequential and chosen by the chain: `Twox64Concat`, and `Identity` over their
//! big-endian bytes in [`AccountOrders`], so that a participant's orders iterate in id order
//! and [`Pallet::orders_of`] pages through them from a cursor. Accounts are chosen by users:
//! `Blake2_128Concat`.

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

use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::*;
use gridshard_primitives::{
	record::{ClosedOrder, PeriodLedger},
	traits::{
		DeliveryRecorder, Escrow, OpenObligations, OrderBook, OrderId, OrderTerms,
		ParticipantRegistry,
	},
	Balance, MeterSignature,
};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Verify, Zero},
	FixedU128, Permill,
};

/// The pool priority of a meter reading: a quarter of the range, above every transaction
/// without a tip (their priority is 0) and below the matching solutions (half the range).
pub const READING_PRIORITY: TransactionPriority = TransactionPriority::MAX / 4;

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::settlement";

/// What a meter signs before its [`Reading`].
pub const READING_CONTEXT: &[u8] = b"gridshard/meter-reading";

/// An order in this runtime.
pub type OrderOf<T> = Order<<T as frame_system::Config>::AccountId, Balance, BlockNumberFor<T>>;

/// Setting up participants in benchmarks, where the runtime's registry decides who is approved.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` an approved provider (or user) whose meter key is `meter_key`, funded well
	/// beyond any escrow the benchmarks hold.
	fn approve(who: &AccountId, provider: bool, meter_key: gridshard_primitives::MeterKey);
}

/// The terms of an order, as matching hands them over, in this pallet's types.
pub type OrderTermsOf<T> =
	OrderTerms<<T as frame_system::Config>::AccountId, Balance, BlockNumberFor<T>>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of settlement.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency of escrow, payments and rewards.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// Approved participants and their meter keys.
		type Registry: ParticipantRegistry<Self::AccountId>;

		/// Where delivery ratios go.
		type Reputation: DeliveryRecorder<Self::AccountId>;

		/// Where each paid-out order is reported for the region's record.
		type Ledger: PeriodLedger<Self::AccountId>;

		/// Who resolves disputes: in GridShard, [`EnsureTradingCentre`] (or Root).
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who names the grid operator and the trading centre.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The account rewards are paid from.
		#[pallet::constant]
		type RewardPot: Get<Self::AccountId>;

		/// `Token` of eq. 6: the reward of an order of at least [`Config::RewardEnergy`].
		#[pallet::constant]
		type RewardToken: Get<Balance>;

		/// The agreed energy, in Wh, that earns the whole [`Config::RewardToken`]; smaller
		/// orders earn it pro rata.
		#[pallet::constant]
		type RewardEnergy: Get<gridshard_primitives::Energy>;

		/// `tau` of eq. 6: the line loss tolerated, as a share of the agreed energy.
		#[pallet::constant]
		type Tolerance: Get<Permill>;

		/// `t`: the token price, one when prices are quoted in the native token.
		#[pallet::constant]
		type TokenPrice: Get<FixedU128>;

		/// Interim readings accepted per meter and order.
		#[pallet::constant]
		type MaxInterimReadings: Get<u32>;

		/// Blocks after the delivery window after which the hook settles an order nobody
		/// applied for.
		#[pallet::constant]
		type SettlementDeadline: Get<BlockNumberFor<Self>>;

		/// Blocks after settlement during which the user may dispute.
		#[pallet::constant]
		type DisputeWindow: Get<BlockNumberFor<Self>>;

		/// Blocks a settlement must be buried under before it is paid out.
		#[pallet::constant]
		type ConfirmationDepth: Get<BlockNumberFor<Self>>;

		/// Orders the hook settles automatically per block, at most.
		#[pallet::constant]
		type MaxAutoSettlePerBlock: Get<u32>;

		/// Orders the hook pays out per block, at most.
		#[pallet::constant]
		type MaxPayoutsPerBlock: Get<u32>;

		/// What a user holds to dispute a settlement: returned when the resolution moves the
		/// outcome in its favour (or nobody resolves it in time), forfeited to the provider when
		/// the resolution confirms the settlement.
		#[pallet::constant]
		type DisputeBond: Get<Balance>;

		/// Blocks the dispute origin has to resolve a dispute; after them the settlement stands
		/// and is paid.
		#[pallet::constant]
		type DisputeDeadline: Get<BlockNumberFor<Self>>;

		/// The most orders one [`Pallet::orders_of`] page holds.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Unresolved disputes the hook ends per block, at most.
		#[pallet::constant]
		type MaxDisputeExpiriesPerBlock: Get<u32>;

		/// Weights of the calls and the hook, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;

		/// Sets up participants in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A user's escrow for its requests and orders.
		#[codec(index = 0)]
		Escrow,
		/// A user's bond for a dispute.
		#[codec(index = 1)]
		DisputeBond,
	}

	/// The grid operator's account, which receives the grid fees.
	#[pallet::storage]
	pub type GridOperator<T: Config> = StorageValue<_, T::AccountId>;

	/// The trading centre's account, which resolves disputes through [`EnsureTradingCentre`].
	#[pallet::storage]
	pub type TradingCentre<T: Config> = StorageValue<_, T::AccountId>;

	/// The grid operator and the trading centre at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The grid operator's account.
		pub grid_operator: Option<T::AccountId>,
		/// The trading centre's account.
		pub trading_centre: Option<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			GridOperator::<T>::set(self.grid_operator.clone());
			TradingCentre::<T>::set(self.trading_centre.clone());
		}
	}

	/// The id the next order gets.
	#[pallet::storage]
	pub type NextOrderId<T: Config> = StorageValue<_, OrderId, ValueQuery>;

	/// Orders from opening to payout.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, OrderId, OrderOf<T>>;

	/// Each user's escrow not yet committed to an order.
	#[pallet::storage]
	pub type Uncommitted<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// Each participant's orders (as user or provider) from opening to payout, keyed by the
	/// order id's big-endian bytes so that they iterate in id order.
	#[pallet::storage]
	pub type AccountOrders<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Identity, [u8; 8], ()>;

	/// The end of the latest order's delivery window: windows never go back, so the hook can
	/// walk orders in id order to find those past their deadline.
	#[pallet::storage]
	pub type LatestWindowEnd<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The first order the deadline walk has not passed yet.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, OrderId, ValueQuery>;

	/// Settled orders waiting for payout, in settlement order, by queue position.
	#[pallet::storage]
	pub type PayoutQueue<T: Config> = StorageMap<_, Twox64Concat, u64, OrderId>;

	/// The queue positions of the first waiting payout and of the next one to be added.
	#[pallet::storage]
	pub type PayoutBounds<T: Config> = StorageValue<_, (u64, u64), ValueQuery>;

	/// The disputes in the order they were opened (hence of their deadlines), by slot.
	#[pallet::storage]
	pub type DisputeQueue<T: Config> = StorageMap<_, Twox64Concat, u64, OrderId>;

	/// The dispute queue's head and next free slot.
	#[pallet::storage]
	pub type DisputeBounds<T: Config> = StorageValue<_, (u64, u64), ValueQuery>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Escrow was held from a user for its requests.
		EscrowHeld {
			/// The user's account.
			user: T::AccountId,
			/// The amount, in the smallest unit (10^-12 GRID).
			amount: Balance,
		},
		/// Uncommitted escrow went back to a user.
		EscrowReleased {
			/// The user's account.
			user: T::AccountId,
			/// The amount, in the smallest unit (10^-12 GRID).
			amount: Balance,
		},
		/// An order opened.
		OrderOpened {
			/// Its id.
			order: OrderId,
			/// The buyer's account.
			user: T::AccountId,
			/// The seller's account.
			provider: T::AccountId,
			/// `R`, in Wh.
			agreed: gridshard_primitives::Energy,
			/// The escrow committed.
			escrow: Balance,
		},
		/// A meter reading was accepted.
		ReadingAccepted {
			/// The order's id in settlement.
			order: OrderId,
			/// The meter's side.
			side: Side,
			/// The energy counted so far.
			energy: gridshard_primitives::Energy,
			/// Whether it was the final reading.
			is_final: bool,
		},
		/// An order was settled: its payments are fixed and wait for payout.
		Settled {
			/// The order's id in settlement.
			order: OrderId,
			/// The payments.
			outcome: Outcome<Balance>,
			/// Whether the hook settled it after the deadline (rather than the provider).
			automatic: bool,
			/// The first block of payout.
			payable_at: BlockNumberFor<T>,
		},
		/// The meters of an order contradict each other (the provider's shows full delivery, the
		/// user's final reading less than `R - tau`): it is settled on what the user received and
		/// waits, as a dispute without bond, for the trading centre until `deadline`.
		Contested {
			/// The order's id in settlement.
			order: OrderId,
			/// The payments on the user's meter, paid if nobody rules before the deadline.
			outcome: Outcome<Balance>,
			/// Whether the hook settled it after the deadline (rather than the provider).
			automatic: bool,
			/// The block from which the hook pays it as settled.
			deadline: BlockNumberFor<T>,
		},
		/// A user disputed a settlement and holds a bond for it.
		Disputed {
			/// The order's id in settlement.
			order: OrderId,
			/// The bond held.
			bond: Balance,
			/// The block from which the hook ends it unresolved.
			deadline: BlockNumberFor<T>,
		},
		/// The trading centre resolved a dispute.
		DisputeResolved {
			/// The order's id in settlement.
			order: OrderId,
			/// The payments now.
			outcome: Outcome<Balance>,
			/// Whether the resolution favoured the user (a larger refund): its bond is returned;
			/// otherwise the bond went to the provider.
			bond_returned: bool,
		},
		/// Nobody resolved a dispute before its deadline: the settlement stands and is paid, and
		/// the user's bond is returned.
		DisputeExpired {
			/// The order's id in settlement.
			order: OrderId,
		},
		/// The grid operator and the trading centre were named.
		RolesSet {
			/// The grid operator.
			grid_operator: T::AccountId,
			/// The trading centre.
			trading_centre: T::AccountId,
		},
		/// An order was paid out and closed.
		PaidOut {
			/// The order's id in settlement.
			order: OrderId,
			/// The payments made.
			outcome: Outcome<Balance>,
		},
		/// The reward pot could not pay a reward; the rest of the payout went through.
		RewardUnpaid {
			/// The order's id in settlement.
			order: OrderId,
			/// The reward owed.
			reward: Balance,
		},
		/// A payout failed and was rolled back; [`Pallet::claim_payout`] retries it.
		PayoutFailed {
			/// The order's id in settlement.
			order: OrderId,
			/// Why.
			error: DispatchError,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No such order: it never existed, or it was paid out and closed.
		UnknownOrder,
		/// The order is settled or disputed: readings are closed.
		ReadingsClosed,
		/// The reading's sequence number is not above the meter's last one: a replay, or an
		/// older reading.
		StaleSequence,
		/// The meter already sent its final reading for this order.
		FinalReadingAlreadySubmitted,
		/// The meter sent all the interim readings it may; the next must be final.
		TooManyInterimReadings,
		/// The signature is not the order's registered meter key for that side signing the
		/// reading.
		BadMeterSignature,
		/// Only the order's provider may apply for its settlement.
		NotProvider,
		/// Only the order's user may dispute it.
		NotUser,
		/// The delivery window has not ended yet.
		DeliveryWindowOpen,
		/// The order is already settled.
		AlreadySettled,
		/// The order is not settled (still delivering, or disputed).
		NotSettled,
		/// The dispute window of this settlement has closed.
		DisputeWindowClosed,
		/// The order is not disputed.
		NotDisputed,
		/// The user cannot hold the dispute bond.
		CannotPayDisputeBond,
		/// The payout waits for its confirmation depth.
		NotYetPayable,
		/// The user's uncommitted escrow cannot cover the order.
		InsufficientEscrow,
		/// The user's free balance cannot cover the escrow.
		InsufficientFunds,
		/// User or provider is not an approved participant in that role.
		NotApproved,
		/// The delivery window is empty, or ends before an earlier order's.
		BadDeliveryWindow,
		/// The order's amounts overflow.
		Overflow,
		/// No grid operator is named to receive the grid fee; see [`Pallet::set_roles`].
		NoGridOperator,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::settle_overdue(now)
				.saturating_add(Self::expire_disputes(now))
				.saturating_add(Self::pay_due(now))
		}

		fn integrity_test() {
			assert!(T::MaxAutoSettlePerBlock::get() > 0, "overdue orders must be settled");
			assert!(T::MaxPayoutsPerBlock::get() > 0, "settled orders must be paid");
			assert!(T::MaxDisputeExpiriesPerBlock::get() > 0, "disputes must end");
			assert!(T::MaxPageSize::get() > 0, "a page holds at least one order");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Records a meter reading for an order.
		///
		/// - Origin: authorised (a general transaction without signer or fee): the
		///   [`Pallet::authorize_reading`] check lets it into the pool and a block only when
		///   the order's meter key for that side signed `reading`.
		/// - `reading.sequence` must exceed the meter's last for the order; after
		///   [`Config::MaxInterimReadings`] interim readings the next must be final.
		///
		/// Errors: [`Error::UnknownOrder`], [`Error::ReadingsClosed`],
		/// [`Error::StaleSequence`], [`Error::FinalReadingAlreadySubmitted`],
		/// [`Error::TooManyInterimReadings`], [`Error::BadMeterSignature`].
		///
		/// Emits [`Event::ReadingAccepted`].
		#[pallet::call_index(0)]
		// Operational: the class's reserved room lets readings, which money waits on, into a
		// block that ordinary transactions filled. They pay no fee either way.
		#[pallet::weight((T::WeightInfo::submit_reading(), DispatchClass::Operational))]
		#[pallet::authorize(|_source, reading, signature| {
			Pallet::<T>::authorize_reading(reading, signature)
		})]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_reading())]
		pub fn submit_reading(
			origin: OriginFor<T>,
			reading: Reading,
			signature: MeterSignature,
		) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			let mut order = Self::check_reading(&reading, &signature)?;
			let meter = order.meter_mut(reading.side);
			meter.energy = reading.energy;
			meter.sequence = reading.sequence;
			if reading.is_final {
				meter.is_final = true;
			} else {
				meter.interim = meter.interim.saturating_add(1);
			}
			Orders::<T>::insert(reading.order, order);
			Self::deposit_event(Event::ReadingAccepted {
				order: reading.order,
				side: reading.side,
				energy: reading.energy,
				is_final: reading.is_final,
			});
			Ok(())
		}

		/// Settles an order after its delivery window, on the readings there are.
		///
		/// - Origin: signed by the order's provider.
		///
		/// Errors: [`Error::UnknownOrder`], [`Error::NotProvider`],
		/// [`Error::DeliveryWindowOpen`], [`Error::AlreadySettled`].
		///
		/// Emits [`Event::Settled`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::apply_for_settlement())]
		pub fn apply_for_settlement(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Orders::<T>::get(order).ok_or(Error::<T>::UnknownOrder)?;
			ensure!(record.terms.provider == who, Error::<T>::NotProvider);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= record.terms.window_end, Error::<T>::DeliveryWindowOpen);
			ensure!(record.status == OrderStatus::Delivering, Error::<T>::AlreadySettled);
			Self::settle(order, record, now, false)
		}

		/// Disputes a settlement before it is paid.
		///
		/// - Origin: signed by the order's user, within [`Config::DisputeWindow`] blocks of the
		///   settlement.
		///
		/// Holds [`Config::DisputeBond`] from the user until the dispute ends.
		///
		/// Errors: [`Error::UnknownOrder`], [`Error::NotUser`], [`Error::NotSettled`],
		/// [`Error::DisputeWindowClosed`], [`Error::CannotPayDisputeBond`].
		///
		/// Emits [`Event::Disputed`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Orders::<T>::get(order).ok_or(Error::<T>::UnknownOrder)?;
			ensure!(record.terms.user == who, Error::<T>::NotUser);
			let OrderStatus::Settled { outcome, settled_at, .. } = record.status else {
				return Err(Error::<T>::NotSettled.into());
			};
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				now <= settled_at.saturating_add(T::DisputeWindow::get()),
				Error::<T>::DisputeWindowClosed
			);
			let bond = T::DisputeBond::get();
			T::Currency::hold(&HoldReason::DisputeBond.into(), &who, bond)
				.map_err(|_| Error::<T>::CannotPayDisputeBond)?;
			let deadline = now.saturating_add(T::DisputeDeadline::get());
			record.status = OrderStatus::Disputed { outcome, bond, deadline };
			Orders::<T>::insert(order, record);
			Self::enqueue_dispute(order);
			Self::deposit_event(Event::Disputed { order, bond, deadline });
			Ok(())
		}

		/// Resolves a dispute with the energy the trading centre established at each end; the
		/// order is settled again on those figures and paid after the confirmation depth. The
		/// user's bond goes back to it when the new settlement refunds it more than the disputed
		/// one did, and to the provider otherwise (the provider's payment was held up for a
		/// settlement that stood).
		///
		/// - Origin: [`Config::DisputeOrigin`].
		///
		/// Errors: [`Error::UnknownOrder`], [`Error::NotDisputed`].
		///
		/// Emits [`Event::DisputeResolved`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::resolve_dispute())]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			order: OrderId,
			rho: gridshard_primitives::Energy,
			gamma: gridshard_primitives::Energy,
		) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			let mut record = Orders::<T>::get(order).ok_or(Error::<T>::UnknownOrder)?;
			let OrderStatus::Disputed { outcome: settled, bond, .. } = record.status else {
				return Err(Error::<T>::NotDisputed.into());
			};
			// The centre's figures are the final word on both ends.
			let outcome = Self::outcome(&record, Delivery { rho, gamma, user_final: true })?;
			let bond_returned = outcome.refund > settled.refund;
			let reason = HoldReason::DisputeBond.into();
			if bond.is_zero() {
				// A contested order: nobody holds a bond.
			} else if bond_returned {
				T::Currency::release(&reason, &record.terms.user, bond, Precision::Exact)?;
			} else {
				T::Currency::transfer_on_hold(
					&reason,
					&record.terms.user,
					&record.terms.provider,
					bond,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
			}
			let now = frame_system::Pallet::<T>::block_number();
			let payable_at = Self::payable_from(now);
			record.status = OrderStatus::Settled { outcome, settled_at: now, payable_at };
			Orders::<T>::insert(order, record);
			Self::enqueue_payout(order);
			Self::deposit_event(Event::DisputeResolved { order, outcome, bond_returned });
			Ok(())
		}

		/// Pays out a settled order whose confirmation depth has passed, if the hook has not
		/// yet (or its payout failed).
		///
		/// - Origin: signed by anyone.
		///
		/// Errors: [`Error::UnknownOrder`], [`Error::NotSettled`], [`Error::NotYetPayable`],
		/// or the error of the failed transfer.
		///
		/// Emits [`Event::PaidOut`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::claim_payout())]
		pub fn claim_payout(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			ensure_signed(origin)?;
			let record = Orders::<T>::get(order).ok_or(Error::<T>::UnknownOrder)?;
			let OrderStatus::Settled { payable_at, .. } = record.status else {
				return Err(Error::<T>::NotSettled.into());
			};
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= payable_at, Error::<T>::NotYetPayable);
			Self::pay_out(order, record)
		}

		/// Names the grid operator (which receives grid fees) and the trading centre (which
		/// resolves disputes).
		///
		/// - Origin: [`Config::AdminOrigin`].
		///
		/// Emits [`Event::RolesSet`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_roles())]
		pub fn set_roles(
			origin: OriginFor<T>,
			grid_operator: T::AccountId,
			trading_centre: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			GridOperator::<T>::put(&grid_operator);
			TradingCentre::<T>::put(&trading_centre);
			Self::deposit_event(Event::RolesSet { grid_operator, trading_centre });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The payment rules of this runtime.
	pub fn rules() -> Rules {
		Rules {
			reward: T::RewardToken::get(),
			reward_energy: T::RewardEnergy::get(),
			tolerance: T::Tolerance::get(),
			token_price: T::TokenPrice::get(),
		}
	}

	/// This chain's genesis hash, which meters sign with their readings.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The open orders of `who` (as user or provider) with ids from `start`, in id order, at
	/// most `limit` (and [`Config::MaxPageSize`]). Reads `who`'s index from `start` on, so a page
	/// costs its own length whatever the chain's history: the next page starts after the last
	/// id returned.
	pub fn orders_of(
		who: &T::AccountId,
		start: OrderId,
		limit: u32,
	) -> alloc::vec::Vec<(OrderId, OrderOf<T>)> {
		// The iterator starts after the key it is given: the key of `start - 1`, present or not.
		let ids = match start.checked_sub(1) {
			Some(before) => AccountOrders::<T>::iter_key_prefix_from(
				who,
				AccountOrders::<T>::hashed_key_for(who, before.to_be_bytes()),
			),
			None => AccountOrders::<T>::iter_key_prefix(who),
		};
		ids.map(OrderId::from_be_bytes)
			.filter_map(|id| Orders::<T>::get(id).map(|order| (id, order)))
			.take(limit.min(T::MaxPageSize::get()) as usize)
			.collect()
	}

	/// The order a reading is for, if the reading may be recorded: the order delivers, the
	/// sequence grows, the meter has not finished, and its key signed the reading.
	fn check_reading(
		reading: &Reading,
		signature: &MeterSignature,
	) -> Result<OrderOf<T>, Error<T>> {
		let order = Orders::<T>::get(reading.order).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.status == OrderStatus::Delivering, Error::<T>::ReadingsClosed);
		let meter = order.meter(reading.side);
		ensure!(!meter.is_final, Error::<T>::FinalReadingAlreadySubmitted);
		ensure!(reading.sequence > meter.sequence, Error::<T>::StaleSequence);
		ensure!(
			reading.is_final || meter.interim < T::MaxInterimReadings::get(),
			Error::<T>::TooManyInterimReadings
		);
		ensure!(
			signature.verify(
				&reading_payload(&Self::genesis_hash(), reading)[..],
				order.meter_key(reading.side)
			),
			Error::<T>::BadMeterSignature
		);
		Ok(order)
	}

	/// Lets a reading into the pool and a block when `Pallet::check_reading` accepts it. It
	/// provides `(order, side, sequence)`, so a replay or a second reading with the same
	/// sequence number cannot both enter, lives until the order's settlement deadline, and has
	/// [`READING_PRIORITY`]: above every transaction without a tip, which is safe because an
	/// order's meters can send at most `MaxInterimReadings + 1` readings each. A refused reading
	/// is answered [`Pallet::reading_invalidity`].
	pub fn authorize_reading(
		reading: &Reading,
		signature: &MeterSignature,
	) -> TransactionValidityWithRefund {
		let order = Self::check_reading(reading, signature).map_err(Self::reading_invalidity)?;
		let now = frame_system::Pallet::<T>::block_number();
		let deadline = order.terms.window_end.saturating_add(T::SettlementDeadline::get());
		let longevity: u64 = deadline.saturating_sub(now).saturated_into::<u64>().max(1);
		let validity = ValidTransaction::with_tag_prefix("GridShardReading")
			.priority(READING_PRIORITY)
			.and_provides((reading.order, reading.side, reading.sequence))
			.longevity(longevity)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	/// How the pool answers a reading `Pallet::check_reading` refuses: `BadProof` for a
	/// signature that is not the order's meter's on this chain, `Stale` for a sequence number
	/// not above the last or a meter already final, and otherwise `Custom` with the error's index
	/// in [`Error`] (an unknown order, readings closed, interim readings used up), so that a
	/// meter can name the reason and stop sending.
	pub fn reading_invalidity(error: Error<T>) -> TransactionValidityError {
		let invalid = match error {
			Error::<T>::BadMeterSignature => InvalidTransaction::BadProof,
			Error::<T>::StaleSequence | Error::<T>::FinalReadingAlreadySubmitted => {
				InvalidTransaction::Stale
			}
			other => InvalidTransaction::Custom(other.encode().first().copied().unwrap_or(u8::MAX)),
		};
		TransactionValidityError::Invalid(invalid)
	}

	/// The payments of `order` given what its meters measured.
	fn outcome(order: &OrderOf<T>, delivery: Delivery) -> Result<Outcome<Balance>, Error<T>> {
		let terms = &order.terms;
		Self::rules()
			.settle(terms.agreed, terms.price, terms.grid_fee, order.escrow, delivery)
			.ok_or(Error::<T>::Overflow)
	}

	/// The first block of payout for an order settled at `now` (by its provider, the hook, a
	/// ruling or an expired dispute): after the confirmation depth and after the dispute window
	/// that opens at `now`, so that no payout runs ahead of a dispute still allowed.
	fn payable_from(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
		now.saturating_add(T::ConfirmationDepth::get().max(T::DisputeWindow::get()))
	}

	/// Settles `order` on its readings (the latest of each meter, zero if none) and queues
	/// its payout; or, when the meters are contested ([`Rules::contested`]), settles it on
	/// what the user received and queues it for the trading centre as a dispute without bond.
	fn settle(
		id: OrderId,
		mut order: OrderOf<T>,
		now: BlockNumberFor<T>,
		automatic: bool,
	) -> DispatchResult {
		let delivery = Delivery {
			rho: order.provider_reading.energy,
			gamma: order.user_reading.energy,
			user_final: order.user_reading.is_final,
		};
		let outcome = Self::outcome(&order, delivery)?;
		let Delivery { rho, gamma, user_final } = delivery;
		if Self::rules().contested(order.terms.agreed, rho, gamma, user_final) {
			let deadline = now.saturating_add(T::DisputeDeadline::get());
			order.status = OrderStatus::Disputed { outcome, bond: 0, deadline };
			Orders::<T>::insert(id, order);
			Self::enqueue_dispute(id);
			Self::deposit_event(Event::Contested { order: id, outcome, automatic, deadline });
			return Ok(());
		}
		let payable_at = Self::payable_from(now);
		order.status = OrderStatus::Settled { outcome, settled_at: now, payable_at };
		Orders::<T>::insert(id, order);
		Self::enqueue_payout(id);
		Self::deposit_event(Event::Settled { order: id, outcome, automatic, payable_at });
		Ok(())
	}

	/// Adds `order` at the end of the dispute queue.
	fn enqueue_dispute(order: OrderId) {
		DisputeBounds::<T>::mutate(|(_, next)| {
			DisputeQueue::<T>::insert(*next, order);
			*next = next.saturating_add(1);
		});
	}

	/// Adds `order` at the end of the payout queue.
	fn enqueue_payout(order: OrderId) {
		PayoutBounds::<T>::mutate(|(_, next)| {
			PayoutQueue::<T>::insert(*next, order);
			*next = next.saturating_add(1);
		});
	}

	/// Makes the payments of a settled order and closes it, all or nothing: the provider's pay
	/// and the grid fee move out of the user's escrow, the rest is released to the user, the
	/// reward comes from the pot if it can pay, and reputation learns the delivery.
	fn pay_out(id: OrderId, order: OrderOf<T>) -> DispatchResult {
		let OrderStatus::Settled { outcome, .. } = order.status else {
			return Err(Error::<T>::NotSettled.into());
		};
		let reason = HoldReason::Escrow.into();
		with_storage_layer(|| -> DispatchResult {
			let transfer = |to: &T::AccountId, amount: Balance| -> DispatchResult {
				if !amount.is_zero() {
					T::Currency::transfer_on_hold(
						&reason,
						&order.terms.user,
						to,
						amount,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Polite,
					)?;
				}
				Ok(())
			};
			transfer(&order.terms.provider, outcome.provider)?;
			let operator = GridOperator::<T>::get().ok_or(Error::<T>::NoGridOperator)?;
			transfer(&operator, outcome.grid_fee)?;
			if !outcome.refund.is_zero() {
				T::Currency::release(&reason, &order.terms.user, outcome.refund, Precision::Exact)?;
			}
			Ok(())
		})?;
		let mut paid = outcome;
		if !outcome.reward.is_zero() {
			let pot = T::RewardPot::get();
			let rewarded = T::Currency::transfer(
				&pot,
				&order.terms.provider,
				outcome.reward,
				Preservation::Preserve,
			);
			if rewarded.is_err() {
				paid.reward = 0;
				Self::deposit_event(Event::RewardUnpaid { order: id, reward: outcome.reward });
			}
		}
		T::Reputation::record_delivery(
			&order.terms.provider,
			order.terms.price,
			order.terms.agreed,
			outcome.rho.min(outcome.gamma),
		);
		let terms = &order.terms;
		T::Ledger::order_closed(
			terms.period,
			ClosedOrder {
				id,
				user: terms.user.clone(),
				provider: terms.provider.clone(),
				agreed: terms.agreed,
				price: terms.price,
				delivered: outcome.rho.min(outcome.gamma),
				paid: paid.provider,
				grid_fee: paid.grid_fee,
				penalty: paid.penalty,
				reward: paid.reward,
			},
		);
		Self::close(id, &order);
		Self::deposit_event(Event::PaidOut { order: id, outcome: paid });
		Ok(())
	}

	/// Removes a paid order and its participants' index entries.
	fn close(id: OrderId, order: &OrderOf<T>) {
		Orders::<T>::remove(id);
		for who in [&order.terms.user, &order.terms.provider] {
			AccountOrders::<T>::remove(who, id.to_be_bytes());
		}
	}

	/// The hook's first half: walks orders in id order from the cursor and settles those
	/// still delivering [`Config::SettlementDeadline`] blocks after their window, at most
	/// [`Config::MaxAutoSettlePerBlock`].
	fn settle_overdue(now: BlockNumberFor<T>) -> Weight {
		let mut cursor = DeadlineCursor::<T>::get();
		let end = NextOrderId::<T>::get();
		// Every id looked at counts, paid-out (absent) ones too, so that the walk stays bounded
		// however many orders were paid before it reached them.
		let mut visited = 0u32;
		while cursor < end && visited < T::MaxAutoSettlePerBlock::get() {
			if let Some(order) = Orders::<T>::get(cursor) {
				let deadline = order.terms.window_end.saturating_add(T::SettlementDeadline::get());
				if now < deadline {
					break;
				}
				if order.status == OrderStatus::Delivering {
					if let Err(error) = Self::settle(cursor, order, now, true) {
						log::error!(target: LOG_TARGET, "order {cursor} not settled: {error:?}");
					}
				}
			}
			visited += 1;
			cursor += 1;
		}
		DeadlineCursor::<T>::put(cursor);
		T::WeightInfo::settle_overdue(visited)
	}

	/// The hook's middle part: ends the disputes at the head of the queue whose deadline came
	/// unresolved, at most [`Config::MaxDisputeExpiriesPerBlock`]: the settlement stands and is
	/// queued for payout, the user's bond is returned (nobody examined its claim).
	fn expire_disputes(now: BlockNumberFor<T>) -> Weight {
		let (mut head, next) = DisputeBounds::<T>::get();
		let mut visited = 0u32;
		while head < next && visited < T::MaxDisputeExpiriesPerBlock::get() {
			let id = DisputeQueue::<T>::get(head);
			let order = id.and_then(Orders::<T>::get);
			if let Some(OrderStatus::Disputed { deadline, .. }) = order.as_ref().map(|o| o.status) {
				if now < deadline {
					break;
				}
			}
			DisputeQueue::<T>::remove(head);
			head += 1;
			visited += 1;
			let (Some(id), Some(mut order)) = (id, order) else { continue };
			// Resolved in time (or paid): nothing to end.
			let OrderStatus::Disputed { outcome, bond, .. } = order.status else { continue };
			let reason = HoldReason::DisputeBond.into();
			let released = if bond.is_zero() {
				Ok(bond)
			} else {
				T::Currency::release(&reason, &order.terms.user, bond, Precision::BestEffort)
			};
			if let Err(error) = released {
				log::error!(target: LOG_TARGET, "bond of dispute {id} not released: {error:?}");
			}
			let payable_at = Self::payable_from(now);
			order.status = OrderStatus::Settled { outcome, settled_at: now, payable_at };
			Orders::<T>::insert(id, order);
			Self::enqueue_payout(id);
			Self::deposit_event(Event::DisputeExpired { order: id });
		}
		if visited > 0 {
			DisputeBounds::<T>::put((head, next));
		}
		T::WeightInfo::expire_disputes(visited)
	}

	/// The hook's second half: pays the settled orders at the head of the queue whose
	/// confirmation depth has passed, at most [`Config::MaxPayoutsPerBlock`].
	fn pay_due(now: BlockNumberFor<T>) -> Weight {
		let (mut head, next) = PayoutBounds::<T>::get();
		let mut visited = 0u32;
		while head < next && visited < T::MaxPayoutsPerBlock::get() {
			let Some(id) = PayoutQueue::<T>::get(head) else {
				head += 1;
				continue;
			};
			let order = Orders::<T>::get(id);
			if let Some(OrderStatus::Settled { payable_at, .. }) = order.as_ref().map(|o| o.status)
			{
				if now < payable_at {
					break;
				}
			}
			visited += 1;
			PayoutQueue::<T>::remove(head);
			head += 1;
			// Gone (claimed) or disputed (resolution queues it again): nothing to pay here.
			if let Some(order) = order.filter(|o| matches!(o.status, OrderStatus::Settled { .. })) {
				if let Err(error) = Self::pay_out(id, order) {
					log::error!(target: LOG_TARGET, "payout of order {id} failed: {error:?}");
					Self::deposit_event(Event::PayoutFailed { order: id, error });
				}
			}
		}
		PayoutBounds::<T>::put((head, next));
		T::WeightInfo::pay_due(visited)
	}

	/// The pallet's invariants; see the module docs.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let reason = HoldReason::Escrow.into();
		let mut owed: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut participations = alloc::collections::BTreeSet::new();
		let mut bonds: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for (user, amount) in Uncommitted::<T>::iter() {
			*owed.entry(user).or_default() += amount;
		}
		for (id, order) in Orders::<T>::iter() {
			*owed.entry(order.terms.user.clone()).or_default() += order.escrow;
			participations.insert((order.terms.user.clone(), id));
			participations.insert((order.terms.provider.clone(), id));
			if let OrderStatus::Disputed { bond, .. } = order.status {
				*bonds.entry(order.terms.user.clone()).or_default() += bond;
			}
			if let OrderStatus::Settled { outcome, .. } | OrderStatus::Disputed { outcome, .. } =
				order.status
			{
				ensure!(
					outcome.provider + outcome.grid_fee + outcome.refund == order.escrow,
					"payments do not add up to the escrow"
				);
			}
		}
		for (user, amount) in owed {
			ensure!(
				T::Currency::balance_on_hold(&reason, &user) == amount,
				"held escrow differs from the uncommitted escrow plus the orders'"
			);
		}
		let bond_reason = HoldReason::DisputeBond.into();
		for (user, amount) in &bonds {
			ensure!(
				T::Currency::balance_on_hold(&bond_reason, user) == *amount,
				"held dispute bonds differ from the disputed orders' bonds"
			);
		}
		let (head, next) = DisputeBounds::<T>::get();
		let queued: alloc::vec::Vec<OrderId> =
			(head..next).filter_map(DisputeQueue::<T>::get).collect();
		ensure!(
			Orders::<T>::iter().all(|(id, order)| {
				!matches!(order.status, OrderStatus::Disputed { .. }) || queued.contains(&id)
			}),
			"a dispute missing from the dispute queue"
		);
		let indexed: alloc::collections::BTreeSet<(T::AccountId, OrderId)> =
			AccountOrders::<T>::iter_keys()
				.map(|(who, id)| (who, OrderId::from_be_bytes(id)))
				.collect();
		ensure!(indexed == participations, "the account index differs from the orders");
		Ok(())
	}
}

impl<T: Config> Escrow<T::AccountId, Balance> for Pallet<T> {
	fn hold(who: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Currency::hold(&HoldReason::Escrow.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientFunds)?;
		Uncommitted::<T>::mutate(who, |held| *held = held.saturating_add(amount));
		Self::deposit_event(Event::EscrowHeld { user: who.clone(), amount });
		Ok(())
	}

	fn release(who: &T::AccountId, amount: Balance) -> DispatchResult {
		let held = Uncommitted::<T>::get(who);
		ensure!(held >= amount, Error::<T>::InsufficientEscrow);
		T::Currency::release(&HoldReason::Escrow.into(), who, amount, Precision::Exact)?;
		Uncommitted::<T>::mutate_exists(who, |held| {
			*held = held.map(|h| h.saturating_sub(amount)).filter(|h| !h.is_zero());
		});
		Self::deposit_event(Event::EscrowReleased { user: who.clone(), amount });
		Ok(())
	}

	fn uncommitted(who: &T::AccountId) -> Balance {
		Uncommitted::<T>::get(who)
	}
}

impl<T: Config> OrderBook<T::AccountId, Balance, BlockNumberFor<T>> for Pallet<T> {
	fn cost(
		energy: gridshard_primitives::Energy,
		price: gridshard_primitives::Price,
	) -> Option<Balance> {
		Self::rules().cost(energy, price)
	}

	fn open_order(terms: OrderTermsOf<T>) -> Result<OrderId, DispatchError> {
		ensure!(T::Registry::approved_user(&terms.user).is_some(), Error::<T>::NotApproved);
		ensure!(T::Registry::approved_provider(&terms.provider).is_some(), Error::<T>::NotApproved);
		let user_meter = T::Registry::meter_key(&terms.user).ok_or(Error::<T>::NotApproved)?;
		let provider_meter =
			T::Registry::meter_key(&terms.provider).ok_or(Error::<T>::NotApproved)?;
		ensure!(GridOperator::<T>::exists(), Error::<T>::NoGridOperator);
		ensure!(
			terms.window_start < terms.window_end
				&& terms.window_end >= LatestWindowEnd::<T>::get(),
			Error::<T>::BadDeliveryWindow
		);
		let escrow = Self::rules().cost(terms.agreed, terms.price).ok_or(Error::<T>::Overflow)?;
		let uncommitted = Uncommitted::<T>::get(&terms.user);
		let left = uncommitted.checked_sub(escrow).ok_or(Error::<T>::InsufficientEscrow)?;

		let id = NextOrderId::<T>::get();
		NextOrderId::<T>::put(id.saturating_add(1));
		LatestWindowEnd::<T>::put(terms.window_end);
		Uncommitted::<T>::mutate_exists(&terms.user, |held| {
			*held = Some(left).filter(|left| !left.is_zero());
		});
		for who in [&terms.user, &terms.provider] {
			AccountOrders::<T>::insert(who, id.to_be_bytes(), ());
		}
		Self::deposit_event(Event::OrderOpened {
			order: id,
			user: terms.user.clone(),
			provider: terms.provider.clone(),
			agreed: terms.agreed,
			escrow,
		});
		Orders::<T>::insert(
			id,
			Order {
				terms,
				escrow,
				provider_meter,
				user_meter,
				provider_reading: MeterState::default(),
				user_reading: MeterState::default(),
				status: OrderStatus::Delivering,
			},
		);
		Ok(id)
	}
}

/// The origin of the trading centre named in [`TradingCentre`]: a signed origin of that
/// account.
pub struct EnsureTradingCentre<T>(core::marker::PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureTradingCentre<T> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		ensure_named::<T>(origin, TradingCentre::<T>::get())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		named_origin::<T>(TradingCentre::<T>::get())
	}
}

/// The origin of the grid operator named in [`GridOperator`]: a signed origin of that account
/// (matching lets it set the grid fee table).
pub struct EnsureGridOperator<T>(core::marker::PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureGridOperator<T> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		ensure_named::<T>(origin, GridOperator::<T>::get())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		named_origin::<T>(GridOperator::<T>::get())
	}
}

/// `origin`'s account if it is the signed origin of `named`; the origin back otherwise.
fn ensure_named<T: Config>(
	origin: T::RuntimeOrigin,
	named: Option<T::AccountId>,
) -> Result<T::AccountId, T::RuntimeOrigin> {
	origin.into().and_then(|raw| match raw {
		frame_system::RawOrigin::Signed(who) if Some(&who) == named.as_ref() => Ok(who),
		other => Err(other.into()),
	})
}

/// The signed origin of `named`, for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
fn named_origin<T: Config>(named: Option<T::AccountId>) -> Result<T::RuntimeOrigin, ()> {
	Ok(frame_system::RawOrigin::Signed(named.ok_or(())?).into())
}

impl<T: Config> OpenObligations<T::AccountId> for Pallet<T> {
	fn has_open_obligations(who: &T::AccountId) -> bool {
		AccountOrders::<T>::iter_key_prefix(who).next().is_some()
			|| Uncommitted::<T>::contains_key(who)
	}
}
