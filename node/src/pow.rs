//! GridShard's proof-of-work algorithm for `sc-consensus-pow`.
//!
//! The puzzle itself lives in `gridshard_primitives::pow` (so that a runtime can check shard
//! seals too); this module connects it to the node: the difficulty comes from the runtime's
//! `DifficultyApi` at the parent block (cached, since import asks twice per block), a seal is
//! valid when it meets that difficulty and the block names its miner, and ties between equal
//! total difficulties are broken by a hash of the seal salted with a random value each node
//! draws when it starts (`sc-consensus-pow` gives only the two seals): no nonce wins ties on
//! every node, and the next block settles what nodes chose differently.

use codec::DecodeAll;
use gridshard_primitives::{
	pow::{salted_tie_break_key, verify_seal},
	AccountId, Hash,
};
use parking_lot::Mutex;
use sc_consensus_pow::{Error, PowAlgorithm};
use sp_api::ProvideRuntimeApi;
use sp_consensus_pow::{DifficultyApi, Seal as RawSeal};
use sp_core::U256;
use sp_runtime::{generic::BlockId, traits::Block as BlockT};
use std::{collections::VecDeque, sync::Arc};

/// How many parents' difficulties the cache keeps.
const DIFFICULTY_CACHE_SIZE: usize = 64;

/// The Blake2b-256 proof of work, with the difficulty read from the runtime.
pub struct GridShardPow<C> {
	client: Arc<C>,
	cache: Arc<Mutex<VecDeque<(Hash, U256)>>>,
	/// This node's salt of the tie-breaking key, drawn when it starts.
	tie_salt: [u8; 32],
}

impl<C> GridShardPow<C> {
	/// Creates the algorithm over a client, with a fresh random tie-breaking salt.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, cache: Default::default(), tie_salt: random_salt() }
	}
}

impl<C> Clone for GridShardPow<C> {
	fn clone(&self) -> Self {
		Self { client: self.client.clone(), cache: self.cache.clone(), tie_salt: self.tie_salt }
	}
}

/// 32 random bytes from the operating system's randomness, through the standard library's
/// randomly keyed hasher (four keys, each seeded afresh).
fn random_salt() -> [u8; 32] {
	use std::hash::BuildHasher;
	let mut salt = [0u8; 32];
	for chunk in salt.chunks_mut(8) {
		let key = std::collections::hash_map::RandomState::new().hash_one(0u8);
		chunk.copy_from_slice(&key.to_le_bytes());
	}
	salt
}

impl<B, C> PowAlgorithm<B> for GridShardPow<C>
where
	B: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<B>,
	C::Api: DifficultyApi<B, U256>,
{
	type Difficulty = U256;

	fn difficulty(&self, parent: Hash) -> Result<U256, Error<B>> {
		if let Some((_, difficulty)) = self.cache.lock().iter().find(|(hash, _)| *hash == parent) {
			return Ok(*difficulty);
		}
		let difficulty =
			self.client.runtime_api().difficulty(parent).map_err(|e| {
				Error::Environment(format!("reading the difficulty at {parent}: {e}"))
			})?;
		let mut cache = self.cache.lock();
		if cache.len() == DIFFICULTY_CACHE_SIZE {
			cache.pop_front();
		}
		cache.push_back((parent, difficulty));
		Ok(difficulty)
	}

	fn break_tie(&self, own_seal: &RawSeal, new_seal: &RawSeal) -> bool {
		salted_tie_break_key(&self.tie_salt, new_seal)
			< salted_tie_break_key(&self.tie_salt, own_seal)
	}

	fn verify(
		&self,
		_parent: &BlockId<B>,
		pre_hash: &Hash,
		pre_digest: Option<&[u8]>,
		seal: &RawSeal,
		difficulty: U256,
	) -> Result<bool, Error<B>> {
		// Every block names its miner, so that the runtime can pay the reward.
		let names_miner =
			pre_digest.is_some_and(|mut data| AccountId::decode_all(&mut data).is_ok());
		Ok(names_miner && verify_seal(pre_hash, seal, difficulty))
	}
}

#[cfg(test)]
mod tests {
	use super::random_salt;

	#[test]
	fn each_node_draws_its_own_salt() {
		let (a, b) = (random_salt(), random_salt());
		assert_ne!(a, b);
		assert_ne!(a, [0; 32]);
	}
}
