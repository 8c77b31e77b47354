//! The light client's inputs: a region's trusted checkpoint. The records' bookkeeping types
//! live in [`gridshard_primitives::record`], where the runtime API reads them too.

use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{traits::ConstU32, BoundedVec};
use gridshard_primitives::{difficulty::WINDOW_LENGTH, Difficulty, Header, Moment};

pub use gridshard_primitives::record::{
	ActiveProxy, ProxyBond, RecordEntry, RecordStatus, SlashEntry, SlashReason,
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
