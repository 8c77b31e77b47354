//! A region's record of a trading period, and the proxy that announces it (paper, section 4.3).
//!
//! A region's runtime writes one [`PeriodRecord`] per period into its own state once the
//! period's orders are paid out (`pallet-period-records`), and its governance names the
//! [`ProxyNomination`] that speaks for it. The coordinator reads both from storage proofs
//! against the region's confirmed headers (`pallet-shard-proxy`), so the key of each
//! ([`RegionalStorageKeys`]) is the one thing the two sides must agree on. The coordinator's
//! bookkeeping of records, proxies, bonds and slashes ([`RecordEntry`], [`ActiveProxy`],
//! [`ProxyBond`], [`SlashEntry`]) is here too, for its runtime API.

use crate::{region::HeaderId, Balance, Energy, Hash, PeriodIndex, Price, RegionId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// What a region's market did in one trading period: the inputs a cross-region market needs,
/// and commitments to the period's orders and to its providers' reputations after it.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct PeriodRecord {
	/// The region that wrote it.
	pub region: RegionId,
	/// The trading period.
	pub period: PeriodIndex,
	/// How many orders matching opened for the period (all paid out when the record is written).
	pub orders: u32,
	/// The energy the orders agreed, in Wh.
	pub energy_matched: Energy,
	/// The energy delivered (the smaller of the two meters' readings), in Wh.
	pub energy_delivered: Energy,
	/// What the providers were paid out of the users' escrow.
	pub paid: Balance,
	/// What the grid operator was paid.
	pub grid_fees: Balance,
	/// What the reward pot paid the providers (eq. 6).
	pub rewards: Balance,
	/// What the providers' pay was reduced by for energy not delivered (eq. 7), refunded to the
	/// users.
	pub penalties: Balance,
	/// The energy requested that no order took, in Wh.
	pub unmatched_demand: Energy,
	/// The capacity offered that no order took, in Wh.
	pub spare_capacity: Energy,
	/// The hash chain over the period's orders in payout order: `h_0 = 0`,
	/// `h_i = blake2_256(h_(i-1) ++ encode(order_i))` with each order as a [`ClosedOrder`].
	pub orders_root: Hash,
	/// `blake2_256` of the encoded list of `(provider, comprehensive reputation)` of the
	/// period's providers, sorted by account, as the chain holds them when the record is written.
	pub reputations_root: Hash,
}

/// An order as the region's record commits to it, once paid out.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ClosedOrder<AccountId> {
	/// The settlement order's id.
	pub id: u64,
	/// The buyer's account.
	pub user: AccountId,
	/// The seller's account.
	pub provider: AccountId,
	/// The agreed energy `R`, in Wh.
	pub agreed: Energy,
	/// The price per kWh.
	pub price: Price,
	/// The energy delivered, the smaller of the two meters' readings, in Wh.
	pub delivered: Energy,
	/// Paid to the provider out of the escrow.
	pub paid: Balance,
	/// Paid to the grid operator.
	pub grid_fee: Balance,
	/// The penalty, refunded to the user.
	pub penalty: Balance,
	/// The reward the pot paid (zero if the pot could not).
	pub reward: Balance,
}

impl<AccountId: Encode> ClosedOrder<AccountId> {
	/// The hash chain's next link after `previous`.
	pub fn chain(&self, previous: Hash) -> Hash {
		Hash::from(sp_crypto_hashing::blake2_256(&(previous, self).encode()))
	}
}

/// The account a region's governance named to speak for the region on the coordinator.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ProxyNomination<AccountId> {
	/// The proxy's account (the same on every GridShard chain).
	pub account: AccountId,
	/// How many nominations the region made, this one included: a later one replaces an
	/// earlier one on the coordinator.
	pub term: u32,
}

/// The storage keys, in a region's state, of its records and of its proxy nomination
/// (implemented by the runtime from `pallet-period-records`' storage items).
pub trait RegionalStorageKeys {
	/// The key of the record of `period`.
	fn record_key(period: PeriodIndex) -> Vec<u8>;
	/// The key of the proxy nomination.
	fn proxy_key() -> Vec<u8>;
}

/// What the market pallets tell the period's record (implemented by `pallet-period-records`,
/// called by matching when it adopts a period's solution and by settlement when it pays an
/// order out).
pub trait PeriodLedger<AccountId> {
	/// Matching turned `period`'s book into `orders` orders agreeing `energy` Wh, left
	/// `unmatched_demand` Wh of requests and `spare_capacity` Wh of offers untaken; `providers`
	/// sold in them.
	fn period_matched(
		period: PeriodIndex,
		orders: u32,
		energy: Energy,
		unmatched_demand: Energy,
		spare_capacity: Energy,
		providers: Vec<AccountId>,
	);
	/// Settlement paid out an order of `period`.
	fn order_closed(period: PeriodIndex, order: ClosedOrder<AccountId>);
}

impl<AccountId> PeriodLedger<AccountId> for () {
	fn period_matched(
		_period: PeriodIndex,
		_orders: u32,
		_energy: Energy,
		_unmatched_demand: Energy,
		_spare_capacity: Energy,
		_providers: Vec<AccountId>,
	) {
	}
	fn order_closed(_period: PeriodIndex, _order: ClosedOrder<AccountId>) {}
}

/// Where a region's record of a period stands on the coordinator.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum RecordStatus<BlockNumber> {
	/// Announced by the region's proxy (or reverted after a reorganisation), waiting for a
	/// proof until `deadline`.
	Announced {
		/// The block from which it is unverified if still unproven.
		deadline: BlockNumber,
	},
	/// Proven as announced (or proven without an announcement).
	Verified,
	/// Proven different from the announcement: the proven record replaced it and the proxy
	/// was slashed.
	Corrected,
	/// Not proven before its deadline.
	Unverified,
}

/// A region's record of a period as the coordinator keeps it.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct RecordEntry<AccountId, BlockNumber> {
	/// The record: as announced until proven, as proven after.
	pub record: PeriodRecord,
	/// Where it stands.
	pub status: RecordStatus<BlockNumber>,
	/// The proxy that announced it and answers for it: `None` for a record proven without an
	/// announcement, and for one reverted after a reorganisation (the record then holds the
	/// value once proven, no longer the proxy's claim).
	pub announced_by: Option<AccountId>,
	/// Whoever proved it, if anyone did.
	pub proven_by: Option<AccountId>,
	/// The confirmed header of the region it was proven against.
	pub anchor: Option<HeaderId>,
}

/// The proxy a region named, as the coordinator learnt it from a proof.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ActiveProxy<AccountId> {
	/// The proxy's account.
	pub account: AccountId,
	/// The region's nomination term it was proven with.
	pub term: u32,
	/// Whether it was caught announcing a false record: it may not announce until the region
	/// names a proxy again.
	pub suspended: bool,
}

/// A proxy's bond, held on the coordinator.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct ProxyBond {
	/// The region it speaks for.
	pub region: RegionId,
	/// What is held (less after slashes).
	pub amount: Balance,
	/// Records it announced that are still waiting for a proof: the bond stays until they end.
	pub outstanding: u32,
}

/// Why a proxy was slashed.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SlashReason {
	/// It announced a record that a proof showed false.
	FalseRecord,
	/// Nobody proved a record it announced before the deadline.
	Unverified,
}

/// A slash, as the history keeps it.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SlashEntry<AccountId, BlockNumber> {
	/// The region's id (its chain).
	pub region: RegionId,
	/// The period of the record.
	pub period: PeriodIndex,
	/// The proxy slashed.
	pub proxy: AccountId,
	/// Why.
	pub reason: SlashReason,
	/// How much was taken from its bond.
	pub amount: Balance,
	/// How much of it went to the prover.
	pub to_prover: Balance,
	/// When.
	pub at: BlockNumber,
}
