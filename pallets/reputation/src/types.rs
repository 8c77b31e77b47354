//! A provider's reputation records: the open period's deliveries (`Psi_jT`), the summary of each
//! closed period, and the standing that carries `RC_j` from period to period.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use gridshard_primitives::{Energy, PeriodIndex, Price};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{One, Zero},
	FixedPointNumber, FixedU128, Saturating,
};

/// The deliveries of one provider in one period: `Psi_jT = (price, trades, ratios)`.
///
/// `agreed` and `weighted_ratios` count every delivery, so the energy-weighted mean (eq. 1) is
/// exact; `ratios` keeps the first `MaxRatios` individual ratios for the record (a provider's
/// trades per period are bounded by matching, so in practice it keeps them all).
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxRatios))]
pub struct PeriodRecord<MaxRatios: Get<u32>> {
	/// The trading period: block number divided by the period length.
	pub period: PeriodIndex,
	/// The provider's price in its last settled order of the period, per kWh.
	pub price: Price,
	/// Orders settled in the period.
	pub trades: u32,
	/// The energy they agreed, `sum R`, in Wh.
	pub agreed: u128,
	/// Their delivery ratios weighted by the energy agreed, `sum R v`, in Wh.
	pub weighted_ratios: FixedU128,
	/// The individual delivery ratios, in settlement order (the first `MaxRatios`).
	pub ratios: BoundedVec<FixedU128, MaxRatios>,
}

impl<MaxRatios: Get<u32>> PeriodRecord<MaxRatios> {
	/// An empty record of `period`.
	pub fn new(period: PeriodIndex) -> Self {
		Self {
			period,
			price: Zero::zero(),
			trades: 0,
			agreed: 0,
			weighted_ratios: FixedU128::zero(),
			ratios: BoundedVec::new(),
		}
	}

	/// Adds one delivery of an order of `agreed` Wh with ratio `ratio` at `price`.
	pub fn add(&mut self, price: Price, agreed: Energy, ratio: FixedU128) {
		self.price = price;
		self.trades = self.trades.saturating_add(1);
		self.agreed = self.agreed.saturating_add(agreed.into());
		let weighted = ratio.saturating_mul(FixedU128::saturating_from_integer(agreed));
		self.weighted_ratios = self.weighted_ratios.saturating_add(weighted);
		// Beyond the bound the ratio still counts in the sum and the mean.
		let _ = self.ratios.try_push(ratio);
	}

	/// The current reputation `C_j(T)`: the period's mean delivery ratio (eq. 1), each order
	/// weighted by the energy it agreed, `sum R v / sum R`; zero for an empty record.
	pub fn current_reputation(&self) -> FixedU128 {
		if self.agreed == 0 {
			return FixedU128::zero();
		}
		self.weighted_ratios / FixedU128::saturating_from_integer(self.agreed)
	}
}

/// The comprehensive reputation after a period with current reputation `current`:
/// `RC(T) = alpha C(T) + (1 - alpha) RC(T-1)` (eq. 2). `alpha` is at most one.
pub fn comprehensive_reputation(
	alpha: FixedU128,
	current: FixedU128,
	previous: FixedU128,
) -> FixedU128 {
	let keep = FixedU128::one().saturating_sub(alpha);
	alpha.saturating_mul(current).saturating_add(keep.saturating_mul(previous))
}

/// What a closed period left in a provider's history.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxRatios))]
pub struct PeriodSummary<MaxRatios: Get<u32>> {
	/// The period's deliveries.
	pub record: PeriodRecord<MaxRatios>,
	/// `C_j(T)` (eq. 1).
	pub current: FixedU128,
	/// `RC_j(T)` (eq. 2).
	pub comprehensive: FixedU128,
}

/// A provider's standing: its comprehensive reputation as of the last closed period in which
/// it traded, and the deliveries of the period still open.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxRatios))]
pub struct Standing<MaxRatios: Get<u32>> {
	/// `RC_j` after the last closed period with trades; zero before any.
	pub comprehensive: FixedU128,
	/// The deliveries of the latest period in which the provider traded, until that period is
	/// folded into `comprehensive`.
	pub open: Option<PeriodRecord<MaxRatios>>,
	/// Orders settled over the provider's whole life.
	pub lifetime_trades: u64,
}

impl<MaxRatios: Get<u32>> Default for Standing<MaxRatios> {
	fn default() -> Self {
		Self { comprehensive: FixedU128::zero(), open: None, lifetime_trades: 0 }
	}
}

impl<MaxRatios: Get<u32>> Standing<MaxRatios> {
	/// Folds the open record into the comprehensive reputation if its period ended before
	/// `now`, and returns the closed period's summary. Periods without trades in between leave
	/// the reputation as it is.
	pub fn close_before(
		&mut self,
		now: PeriodIndex,
		alpha: FixedU128,
	) -> Option<PeriodSummary<MaxRatios>> {
		if self.open.as_ref().is_none_or(|open| open.period >= now) {
			return None;
		}
		let record = self.open.take()?;
		let current = record.current_reputation();
		self.comprehensive = comprehensive_reputation(alpha, current, self.comprehensive);
		Some(PeriodSummary { record, current, comprehensive: self.comprehensive })
	}

	/// `RC_j` as the market sees it in period `now`: the stored value with the open record
	/// folded in if its period has ended, without changing storage.
	pub fn comprehensive_at(&self, now: PeriodIndex, alpha: FixedU128) -> FixedU128 {
		let mut standing = self.clone();
		standing.close_before(now, alpha);
		standing.comprehensive
	}
}
