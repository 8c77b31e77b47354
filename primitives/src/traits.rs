//! Glue traits: how GridShard's pallets ask each other questions without depending on each
//! other's crates. Each is implemented by one pallet and mocked in the others' tests.

use crate::{Energy, MeterKey, PeriodIndex, Price, RegionId};
use sp_runtime::FixedU128;

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
