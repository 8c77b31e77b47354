//! Regions: what role a GridShard chain plays among the regional chains and their coordinator.
//!
//! Every GridShard chain runs the one runtime; its genesis preset sets the [`ChainRole`]. A region
//! (paper, section 4.3) is a proof-of-work chain of its own whose market serves only that region's
//! participants; the coordinating chain keeps a light client of every region and their records,
//! and runs no market. The development networks (`dev`, `local`) stand alone and admit every
//! region's participants, as before regions existed.

use crate::{BlockNumber, Difficulty, Hash, Moment, RegionId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The role of a GridShard chain.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum ChainRole {
	/// A chain on its own (the development networks): its market admits every region.
	#[default]
	#[codec(index = 0)]
	Standalone,
	/// The chain of one region: its market admits that region's participants only.
	#[codec(index = 1)]
	Region(RegionId),
	/// The coordinating chain: it follows the regions and runs no market.
	#[codec(index = 2)]
	Coordinator,
}

impl ChainRole {
	/// Whether participants of `region` may register and trade on this chain.
	pub fn admits(&self, region: RegionId) -> bool {
		match self {
			ChainRole::Standalone => true,
			ChainRole::Region(own) => *own == region,
			ChainRole::Coordinator => false,
		}
	}

	/// Whether this chain may keep light clients of regions (every chain but a region's own).
	pub fn follows_regions(&self) -> bool {
		!matches!(self, ChainRole::Region(_))
	}
}

/// Implemented by whatever stores the chain's role (in GridShard's runtime,
/// `pallet-shard-proxy`'s genesis-set value), for the pallets that depend on it.
pub trait ChainRoleProvider {
	/// This chain's role.
	fn chain_role() -> ChainRole;
}

impl ChainRoleProvider for () {
	fn chain_role() -> ChainRole {
		ChainRole::Standalone
	}
}

/// A header's place in a region's chain: its hash and number.
#[derive(
	Clone,
	Copy,
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
pub struct HeaderId {
	/// The header's hash.
	pub hash: Hash,
	/// The header's number.
	pub number: BlockNumber,
}

/// What the coordinator's light client keeps of a region's header.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct StoredHeader {
	/// The header's number.
	pub number: BlockNumber,
	/// Its parent's hash.
	pub parent: Hash,
	/// The root of the region's state after the block: what storage proofs are checked against.
	pub state_root: Hash,
	/// Its timestamp (ms), from its difficulty digest (0 for a genesis checkpoint).
	pub timestamp: Moment,
	/// The difficulty it was mined at, from its difficulty digest.
	pub difficulty: Difficulty,
	/// The sum of the difficulties from the region's checkpoint (excluded) to this header.
	pub total_difficulty: Difficulty,
}

/// Where the coordinator's light client of a region stands.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct RegionStatus {
	/// The trusted header the light client started from.
	pub checkpoint: HeaderId,
	/// The head of the heaviest chain known.
	pub best: HeaderId,
	/// The best head's total difficulty from the checkpoint.
	pub best_total_difficulty: Difficulty,
	/// The tie-breaking key of the best head's seal: a header of equal total difficulty becomes
	/// best only with a smaller key, as on the region's nodes.
	pub best_tie_key: Hash,
	/// The highest header of the best chain that is confirmed: the configured number of blocks
	/// under the best head (never moves back).
	pub confirmed: HeaderId,
	/// The lowest height still stored; lower headers were pruned.
	pub lowest: BlockNumber,
	/// How many headers of the region are stored.
	pub headers: u32,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_region_admits_only_its_own_participants() {
		assert!(ChainRole::Region(2).admits(2));
		assert!(!ChainRole::Region(2).admits(1));
		assert!(ChainRole::Standalone.admits(1) && ChainRole::Standalone.admits(3));
		assert!(!ChainRole::Coordinator.admits(1));
		assert!(ChainRole::Coordinator.follows_regions());
		assert!(!ChainRole::Region(1).follows_regions());
	}
}
