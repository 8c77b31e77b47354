//! `mining_status`: what this node's miner is doing.
//!
//! The answer names the reward account and the node's hashrate, which tell an observer what
//! hardware stands behind an account; the method is therefore unsafe (`check_if_safe`): served
//! on localhost, and on public interfaces only with `--rpc-methods unsafe`.

use crate::miner::MiningStats;
use gridshard_primitives::AccountId;
use gridshard_runtime::opaque::Block;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned, Extensions};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_consensus_pow::DifficultyApi;
use sp_core::{crypto::Ss58Codec, U256};
use std::sync::{atomic::Ordering, Arc};

/// This node's mining, as the RPC sees it.
#[derive(Clone)]
pub struct MiningInfo {
	/// Whether this node mines (an authority with at least one thread).
	pub enabled: bool,
	/// The reward account, if mining.
	pub author: Option<AccountId>,
	/// The miner's counters.
	pub stats: Arc<MiningStats>,
}

/// The answer of `mining_status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MiningStatus {
	/// Whether this node mines.
	pub mining: bool,
	/// Mining threads running.
	pub threads: u64,
	/// The reward account (SS58), if mining.
	pub author: Option<String>,
	/// Hashes per second, averaged over the last ten seconds.
	pub hashrate: u64,
	/// Hashes computed since the node started.
	pub hashes: u64,
	/// Blocks this node mined since it started.
	pub blocks_mined: u64,
	/// The best block's number.
	pub best_number: u32,
	/// The difficulty of the next block on the best chain (expected hashes per block).
	pub difficulty: U256,
}

/// The mining RPC.
#[rpc(client, server)]
pub trait MiningApi {
	/// What this node's miner is doing. Unsafe: see the module docs.
	#[method(name = "mining_status", with_extensions)]
	fn status(&self) -> RpcResult<MiningStatus>;
}

/// Serves [`MiningApiServer`].
pub struct Mining<C> {
	client: Arc<C>,
	info: MiningInfo,
}

impl<C> Mining<C> {
	/// Creates the RPC over a client and this node's mining.
	pub fn new(client: Arc<C>, info: MiningInfo) -> Self {
		Self { client, info }
	}
}

impl<C> MiningApiServer for Mining<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DifficultyApi<Block, U256>,
{
	fn status(&self, ext: &Extensions) -> RpcResult<MiningStatus> {
		sc_rpc_api::check_if_safe(ext)?;
		let info = self.client.info();
		let difficulty = self.client.runtime_api().difficulty(info.best_hash).map_err(|e| {
			ErrorObjectOwned::owned(9000, format!("reading the difficulty: {e}"), None::<()>)
		})?;
		let stats = &self.info.stats;
		Ok(MiningStatus {
			mining: self.info.enabled,
			threads: stats.threads.load(Ordering::Relaxed),
			author: self.info.author.as_ref().map(|a| a.to_ss58check()),
			hashrate: stats.hashrate(),
			hashes: stats.hashes.load(Ordering::Relaxed),
			blocks_mined: stats.blocks_mined.load(Ordering::Relaxed),
			best_number: info.best_number,
			difficulty,
		})
	}
}
