//! The light client's inputs (a region's trusted checkpoint) and the records' bookkeeping: their
//! status, the proxies and their bonds, the slashes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use gridshard_primitives::{
	difficulty::WINDOW_LENGTH, record::PeriodRecord, region::HeaderId, Balance, Difficulty,
	Header, Moment, PeriodIndex, RegionId,
};
use scale_info::TypeInfo;

/// The difficulty adjustment's window: `(timestamp, difficulty)` of up to [`WINDOW_LENGTH`]
/// consecutive blocks, oldest first.
pub type DifficultyWindow = BoundedVec<(Moment, Difficulty), ConstU32<WINDOW_LENGTH>>;

/// A trusted header of a region from which the light client starts, with what the difficulty
/// adjustment needs to go on from it (read from the region's state at that header: the
/// difficulty pallet's `Window` and `CurrentDifficulty`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Checkpoint {
	/// The header. A genesis header (number 0) carries no digest; any later one carries its
	/// difficulty digest.
	pub header: Header,
	/// The window of the difficulty adjustment after this header, oldest first: empty at
	/// genesis, otherwise ending with this header's own entry.
	pub window: DifficultyWindow,
	/// The difficulty of the header's children: the region's `CurrentDifficulty` after it.
	pub next_difficulty: Difficulty,
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
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
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
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
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
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SlashEntry<AccountId, BlockNumber> {
	/// The region.
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
