//! Glue traits: how GridShard's pallets ask each other questions without depending on each
//! other's crates. Each is implemented by one pallet and mocked in the others' tests.

use crate::{MeterKey, RegionId};

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
