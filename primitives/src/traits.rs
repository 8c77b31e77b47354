//! Glue traits: how GridShard's pallets ask each other questions without depending on each
//! other's crates. Each is implemented by one pallet and mocked in the others' tests.

use crate::{Energy, MeterKey, PeriodIndex, Price, RegionId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, DispatchResult, FixedU128};

/// What the other pallets may ask about a market participant (implemented by
/// `pallet-registration`).
pub trait ParticipantRegistry<AccountId> {
	/// The region of `who` if it is an approved provider.
	fn approved_provider(who: &AccountId) -> Option<RegionId>;
	/// The region of `who` if it is an approved user.
	fn approved_user(who: &AccountId) -> Option<RegionId>;
	/// The public key that signs the readings of `who`'s meter, if `who` is approved.
	fn meter_key(who: &AccountId) -> Option<MeterKey>;
}

/// Whether an account still has obligations in some pallet (open offers, requests, orders or
/// disputes), which keep it from deregistering. Implemented by the market pallets; tuples ask
/// each member.
pub trait OpenObligations<AccountId> {
	/// `true` while `who` has something open.
	fn has_open_obligations(who: &AccountId) -> bool;
}

impl<AccountId> OpenObligations<AccountId> for () {
	fn has_open_obligations(_who: &AccountId) -> bool {
		false
	}
}

impl<AccountId, A: OpenObligations<AccountId>, B: OpenObligations<AccountId>>
	OpenObligations<AccountId> for (A, B)
{
	fn has_open_obligations(who: &AccountId) -> bool {
		A::has_open_obligations(who) || B::has_open_obligations(who)
	}
}

/// Where settlement reports how much of an order was delivered (implemented by
/// `pallet-reputation`, which turns it into the delivery ratio `v = delivered / agreed`).
pub trait DeliveryRecorder<AccountId> {
	/// `provider` delivered `delivered` Wh of the `agreed` Wh it sold at `price` per kWh.
	fn record_delivery(provider: &AccountId, price: Price, agreed: Energy, delivered: Energy);
}

impl<AccountId> DeliveryRecorder<AccountId> for () {
	fn record_delivery(_provider: &AccountId, _price: Price, _agreed: Energy, _delivered: Energy) {}
}

/// A provider's comprehensive reputation `RC_j(T)` as of the last closed period (implemented
/// by `pallet-reputation`, read by matching for its snapshot). Zero for a provider without
/// history.
pub trait ReputationProvider<AccountId> {
	/// `RC_j` of `provider`.
	fn comprehensive_reputation(provider: &AccountId) -> FixedU128;
}

/// The trading period the chain is in (implemented by the runtime today, by matching later).
pub trait PeriodClock {
	/// The current period.
	fn current_period() -> PeriodIndex;
}

/// Money a user sets aside for its requests (implemented by `pallet-settlement`, which holds it
/// under its escrow hold reason; called by matching when a request is placed, cancelled or left
/// unmatched).
pub trait Escrow<AccountId, Balance> {
	/// Holds `amount` more from `who` for its requests.
	fn hold(who: &AccountId, amount: Balance) -> DispatchResult;
	/// Releases `amount` of `who`'s escrow not yet committed to an order.
	fn release(who: &AccountId, amount: Balance) -> DispatchResult;
	/// How much of `who`'s escrow is not yet committed to an order.
	fn uncommitted(who: &AccountId) -> Balance;
}

/// The terms of an order, as matching hands them to settlement (and settlement keeps them in
/// its order): `provider` supplies `agreed` Wh to `user` at `price` per kWh during blocks
/// `window_start..window_end`, and the grid operator's fee for the pair is `grid_fee`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct OrderTerms<AccountId, Balance, BlockNumber> {
	/// The buyer's account.
	pub user: AccountId,
	/// The seller's account.
	pub provider: AccountId,
	/// The agreed energy `R`, in Wh.
	pub agreed: Energy,
	/// The price `r` per kWh.
	pub price: Price,
	/// The grid fee `eta` for the order, in the smallest unit.
	pub grid_fee: Balance,
	/// The trading period of the order.
	pub period: PeriodIndex,
	/// The first block of the delivery window.
	pub window_start: BlockNumber,
	/// The block at which the delivery window ends (exclusive).
	pub window_end: BlockNumber,
}

/// Where matching's adopted solution becomes orders (implemented by `pallet-settlement`).
pub trait OrderBook<AccountId, Balance, BlockNumber> {
	/// What `energy` Wh cost at `price` per kWh, in the escrow's currency (`R r t`); `None` on
	/// overflow. Matching sizes escrow and revenue with it, so that both pallets agree.
	fn cost(energy: Energy, price: Price) -> Option<Balance>;

	/// Opens an order on `terms`, committing its escrow from the user's uncommitted escrow;
	/// returns its id.
	fn open_order(
		terms: OrderTerms<AccountId, Balance, BlockNumber>,
	) -> Result<OrderId, DispatchError>;
}

/// Identifier of a settlement order.
pub type OrderId = u64;
