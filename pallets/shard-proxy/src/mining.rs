//! Building and sealing a region's headers as its miners do, for tests and benchmarks of the
//! light client.

use codec::Encode;
use gridshard_primitives::{
	difficulty::DifficultyDigest,
	pow::{meets_difficulty, work_v1, Seal, POW_ENGINE_ID},
	AccountId, BlockNumber, Difficulty, Hash, Header, Moment,
};
use sp_runtime::{traits::Header as _, Digest, DigestItem};

/// A header that names `miner`, carries the difficulty digest `(timestamp, difficulty)`, and is
/// sealed at `difficulty` (the nonce searched from `nonce_from`): a block as a region's miner
/// would seal it, without a body.
pub fn mine_header(
	parent: Hash,
	number: BlockNumber,
	state_root: Hash,
	timestamp: Moment,
	difficulty: Difficulty,
	miner: &AccountId,
	nonce_from: u64,
) -> Header {
	let digest = Digest {
		logs: alloc::vec![
			DigestItem::PreRuntime(POW_ENGINE_ID, miner.encode()),
			DifficultyDigest { timestamp, difficulty }.to_digest_item(),
		],
	};
	let mut header = Header::new(number, Hash::zero(), state_root, parent, digest);
	seal(&mut header, difficulty, nonce_from);
	header
}

/// Appends a seal meeting `difficulty` to `header` (which must not be sealed yet), searching
/// nonces from `nonce_from`.
pub fn seal(header: &mut Header, difficulty: Difficulty, nonce_from: u64) {
	let pre_hash = header.hash();
	let nonce = (nonce_from..)
		.find(|nonce| meets_difficulty(&work_v1(&pre_hash, *nonce), difficulty))
		.expect("some nonce meets any difficulty below 2^64 within the range; qed");
	header.digest_mut().push(DigestItem::Seal(POW_ENGINE_ID, Seal::V1 { nonce }.encode()));
}
