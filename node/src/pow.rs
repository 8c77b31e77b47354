//! GridShard's proof-of-work algorithm for `sc-consensus-pow`.
//!
//! The puzzle itself lives in `gridshard_primitives::pow` (so that a runtime can check shard
//! seals too); this module connects it to the node: the difficulty comes from the runtime's
//! `DifficultyApi` at the parent block (cached, since import asks twice per block), a seal is
//! valid when it meets that difficulty and the block names its miner, and ties between equal
//! total difficulties are broken by a hash of the seal, the same way on every node.

use codec::DecodeAll;
use gridshard_primitives::{
	pow::{tie_break_key, verify_seal},
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
}

impl<C> GridShardPow<C> {
	/// Creates the algorithm over a client.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, cache: Default::default() }
	}
}

impl<C> Clone for GridShardPow<C> {
	fn clone(&self) -> Self {
		Self { client: self.client.clone(), cache: self.cache.clone() }
	}
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
		tie_break_key(new_seal) < tie_break_key(own_seal)
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
