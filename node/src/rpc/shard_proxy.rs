//! `shardProxy_*`: this chain's role among the regions and, on the coordinator, its light client
//! of each region, read through `pallet-shard-proxy`'s runtime API.
//!
//! All methods are safe (public data); each takes an optional block hash and reads the best block
//! without one. Difficulties come back as decimal strings (they exceed what a JSON number holds
//! exactly).

use gridshard_primitives::{
	region::{ChainRole, HeaderId, RegionStatus, StoredHeader},
	BlockNumber, Hash, RegionId,
};
use gridshard_runtime::opaque::Block;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use pallet_shard_proxy_runtime_api::ShardProxyApi as ShardProxyRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// A header's place, as the RPC answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderIdView {
	/// The header's hash.
	pub hash: Hash,
	/// Its number.
	pub number: BlockNumber,
}

impl From<HeaderId> for HeaderIdView {
	fn from(id: HeaderId) -> Self {
		Self { hash: id.hash, number: id.number }
	}
}

/// Where the light client of a region stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionView {
	/// The region.
	pub region: RegionId,
	/// The trusted header it started from.
	pub checkpoint: HeaderIdView,
	/// The head of the heaviest chain known.
	pub best: HeaderIdView,
	/// The best head's total difficulty from the checkpoint, as a decimal string.
	pub best_total_difficulty: String,
	/// The confirmed header: the configured depth under the best head.
	pub confirmed: HeaderIdView,
	/// The lowest height still stored.
	pub lowest: BlockNumber,
	/// How many headers are stored.
	pub headers: u32,
}

impl RegionView {
	fn new(region: RegionId, status: RegionStatus) -> Self {
		Self {
			region,
			checkpoint: status.checkpoint.into(),
			best: status.best.into(),
			best_total_difficulty: status.best_total_difficulty.to_string(),
			confirmed: status.confirmed.into(),
			lowest: status.lowest,
			headers: status.headers,
		}
	}
}

/// A stored header of a region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeaderView {
	/// Its number.
	pub number: BlockNumber,
	/// Its parent's hash.
	pub parent: Hash,
	/// The region's state root after the block.
	pub state_root: Hash,
	/// Its timestamp (ms).
	pub timestamp: u64,
	/// The difficulty it was mined at, as a decimal string.
	pub difficulty: String,
	/// Its total difficulty from the checkpoint, as a decimal string.
	pub total_difficulty: String,
	/// How deep it lies in the best chain (0 for the best head), or `null` off the best chain.
	pub best_chain_depth: Option<u32>,
}

impl HeaderView {
	fn new(header: StoredHeader, best_chain_depth: Option<u32>) -> Self {
		Self {
			number: header.number,
			parent: header.parent,
			state_root: header.state_root,
			timestamp: header.timestamp,
			difficulty: header.difficulty.to_string(),
			total_difficulty: header.total_difficulty.to_string(),
			best_chain_depth,
		}
	}
}

/// The shard proxy RPC.
#[rpc(client, server)]
pub trait ShardProxyApi<BlockHash> {
	/// This chain's role: `"standalone"`, `{"region": id}` or `"coordinator"`.
	#[method(name = "shardProxy_chainRole")]
	fn chain_role(&self, at: Option<BlockHash>) -> RpcResult<ChainRole>;

	/// Where the light client of every followed region stands, by region.
	#[method(name = "shardProxy_regions")]
	fn regions(&self, at: Option<BlockHash>) -> RpcResult<Vec<RegionView>>;

	/// A stored header of `region` by hash, with its depth in the best chain; `null` if it is
	/// not stored.
	#[method(name = "shardProxy_header")]
	fn header(
		&self,
		region: RegionId,
		hash: Hash,
		at: Option<BlockHash>,
	) -> RpcResult<Option<HeaderView>>;
}

/// Serves [`ShardProxyApiServer`].
pub struct ShardProxy<C> {
	client: Arc<C>,
}

impl<C> ShardProxy<C> {
	/// Creates the RPC over a client.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

/// The error code of this module's failed runtime API calls.
const RUNTIME_ERROR: i32 = 9500;

/// The error of a failed runtime API call.
fn runtime_error(error: impl std::fmt::Display) -> ErrorObjectOwned {
	super::runtime_error(RUNTIME_ERROR, error)
}

impl<C> ShardProxyApiServer<<Block as BlockT>::Hash> for ShardProxy<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ShardProxyRuntimeApi<Block>,
{
	fn chain_role(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<ChainRole> {
		let at = super::at_or_best(&*self.client, at);
		self.client.runtime_api().chain_role(at).map_err(runtime_error)
	}

	fn regions(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Vec<RegionView>> {
		let at = super::at_or_best(&*self.client, at);
		let api = self.client.runtime_api();
		let mut views = Vec::new();
		for region in api.regions(at).map_err(runtime_error)? {
			if let Some(status) = api.region(at, region).map_err(runtime_error)? {
				views.push(RegionView::new(region, status));
			}
		}
		Ok(views)
	}

	fn header(
		&self,
		region: RegionId,
		hash: Hash,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<HeaderView>> {
		let at = super::at_or_best(&*self.client, at);
		let api = self.client.runtime_api();
		let Some(header) = api.header(at, region, hash).map_err(runtime_error)? else {
			return Ok(None);
		};
		let depth = api.best_chain_depth(at, region, hash).map_err(runtime_error)?;
		Ok(Some(HeaderView::new(header, depth)))
	}
}
