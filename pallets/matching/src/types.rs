//! The order book, the snapshot the solvers work on, and the weights of eq. 3 and 4, computed
//! the same way by the off-chain worker and by the chain.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use gridshard_primitives::{Energy, PeriodIndex, Price, RegionId};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Bounded, Saturating, Zero},
	FixedPointNumber, FixedU128,
};

/// A request's index in its period.
pub type RequestId = u32;

/// A provider's offer for a period.
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
pub struct Offer {
	/// Its price `r_j` per kWh.
	pub price: Price,
	/// Its capacity `a_j` for the period, in Wh.
	pub capacity: Energy,
}

/// A user's request for a period.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Request<AccountId, Balance> {
	/// The user's account.
	pub user: AccountId,
	/// The energy asked, `R_i`, in Wh.
	pub energy: Energy,
	/// The highest price per kWh it accepts, if any.
	pub limit: Option<Price>,
	/// The escrow held for it: `R_i` at the limit price (or at the market's maximum price).
	pub escrow: Balance,
}

/// An offer as frozen in a snapshot.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct SnapshotOffer<AccountId> {
	/// The provider's account.
	pub provider: AccountId,
	/// Its region.
	pub region: RegionId,
	/// `r_j`.
	pub price: Price,
	/// `a_j`, Wh.
	pub capacity: Energy,
	/// `RC_j(T)` at the close block.
	pub reputation: FixedU128,
}

/// A request as frozen in a snapshot.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct SnapshotRequest<AccountId> {
	/// Its id in the period.
	pub id: RequestId,
	/// The user's account.
	pub user: AccountId,
	/// Its region.
	pub region: RegionId,
	/// `R_i`, Wh.
	pub energy: Energy,
	/// The limit price, if any.
	pub limit: Option<Price>,
}

/// Everything a solver needs, frozen at a period's close block.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxOffers, MaxRequests, MaxFees))]
pub struct Snapshot<AccountId, Balance, MaxOffers, MaxRequests, MaxFees>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxOffers: Get<u32>,
	MaxRequests: Get<u32>,
	MaxFees: Get<u32>,
{
	/// The trading period: block number divided by the period length.
	pub period: PeriodIndex,
	/// The offers, in storage order.
	pub offers: BoundedVec<SnapshotOffer<AccountId>, MaxOffers>,
	/// The requests, by id.
	pub requests: BoundedVec<SnapshotRequest<AccountId>, MaxRequests>,
	/// The grid fee table, `(provider region, user region, fee per kWh)`, sorted.
	pub fees: BoundedVec<(RegionId, RegionId, Balance), MaxFees>,
	/// The fee per kWh of region pairs missing from the table.
	pub default_fee: Balance,
}

/// A solution's quality: energy served first, then the total matching degree. Ordered
/// lexicographically, as the market's objective.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Score {
	/// Energy served, Wh.
	pub energy: u128,
	/// The sum of the served pairs' weights (`M_ij` scaled by [`WEIGHT_SCALE`]).
	pub weight: u128,
}

/// How an adopted solution came about.
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
pub enum Source {
	/// The best solution an off-chain worker submitted.
	Submitted,
	/// Nobody submitted one: the chain's bounded greedy fallback.
	Fallback,
}

/// Why a request ended a period without an order.
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
pub enum UnmatchedReason {
	/// The adopted solution leaves it out (capacity ran out, or no allowed provider).
	NotAssigned,
	/// Settlement refused the order (a participant was suspended after the close).
	OrderRefused,
}

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

/// What an adoption did.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Adoption {
	/// The trading period: block number divided by the period length.
	pub period: PeriodIndex,
	/// The solution's score.
	pub score: Score,
	/// Submitted or fallback.
	pub source: Source,
	/// Orders opened.
	pub matched: u32,
	/// Requests released without an order.
	pub unmatched: u32,
}

/// Why a solution does not hold on its snapshot: the pallet's errors of the same names with
/// the prefix `Solution`.
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
pub enum Infeasible {
	/// A pair names a request row the snapshot does not have.
	UnknownRequest,
	/// A pair names an offer row the snapshot does not have.
	UnknownOffer,
	/// A request row appears twice.
	RequestTwice,
	/// A pair is not allowed: the price is above the request's limit, or the revenue does not
	/// cover the grid fee.
	DisallowedPair,
	/// A provider would deliver more than its capacity.
	OverCapacity,
}

/// `M_ij` in fixed point is scaled by this to make the solver's integer weight.
pub const WEIGHT_SCALE: u128 = 1_000_000;

/// The fee per kWh from `from` (provider) to `to` (user) in a sorted fee table.
pub fn fee_per_kwh<Balance: Copy>(
	fees: &[(RegionId, RegionId, Balance)],
	default_fee: Balance,
	from: RegionId,
	to: RegionId,
) -> Balance {
	fees.binary_search_by(|(f, t, _)| (*f, *t).cmp(&(from, to)))
		.map(|index| fees[index].2)
		.unwrap_or(default_fee)
}

/// The matching degree of eq. 4, `M = zeta RC / (zeta + RC)`, with `zeta` (eq. 3, revenue less
/// grid fee) measured in units of `zeta_unit` (one GRID in the runtime): `zeta` and `RC` then
/// have the same magnitude for a typical order, so that neither swamps the other in the
/// harmonic combination. Zero when both are zero.
pub fn matching_degree(zeta: u128, zeta_unit: u128, reputation: FixedU128) -> FixedU128 {
	let zeta =
		FixedU128::checked_from_rational(zeta, zeta_unit.max(1)).unwrap_or(FixedU128::max_value());
	let sum = zeta.saturating_add(reputation);
	if sum.is_zero() {
		return FixedU128::zero();
	}
	zeta.saturating_mul(reputation) / sum
}

/// The integer weight the solver and the score use for a matching degree.
pub fn weight_of(degree: FixedU128) -> u32 {
	degree.saturating_mul_int(WEIGHT_SCALE).min(u32::MAX as u128) as u32
}
