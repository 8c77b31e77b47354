//! `shardProxy_*`: this chain's role among the regions and, on the coordinator, its light client
//! of each region and the regions' records, proxies, bonds and slashes, read through
//! `pallet-shard-proxy`'s runtime API.
//!
//! All methods are safe (public data); each takes an optional block hash and reads the best block
//! without one. Difficulties and balances come back as decimal strings (they exceed what a JSON
//! number holds exactly).

use gridshard_primitives::{
	record::{
		ActiveProxy, PeriodRecord, ProxyBond, RecordEntry, RecordStatus, SlashEntry, SlashReason,
	},
	region::{ChainRole, HeaderId, RegionStatus, StoredHeader},
	AccountId, BlockNumber, Hash, PeriodIndex, RegionId,
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

/// A region's record of a period, as the RPC answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodRecordView {
	/// The trading period.
	pub period: PeriodIndex,
	/// Orders matched (all paid out).
	pub orders: u32,
	/// Energy agreed, Wh.
	pub energy_matched: u64,
	/// Energy delivered, Wh.
	pub energy_delivered: u64,
	/// Paid to providers, decimal string.
	pub paid: String,
	/// Paid to the grid operator, decimal string.
	pub grid_fees: String,
	/// Rewards from the pot, decimal string.
	pub rewards: String,
	/// Penalties refunded to users, decimal string.
	pub penalties: String,
	/// Requested energy no order took, Wh.
	pub unmatched_demand: u64,
	/// Offered capacity no order took, Wh.
	pub spare_capacity: u64,
	/// The hash chain over the period's orders.
	pub orders_root: Hash,
	/// The hash of the period's providers' reputations.
	pub reputations_root: Hash,
}

impl From<PeriodRecord> for PeriodRecordView {
	fn from(record: PeriodRecord) -> Self {
		Self {
			period: record.period,
			orders: record.orders,
			energy_matched: record.energy_matched,
			energy_delivered: record.energy_delivered,
			paid: record.paid.to_string(),
			grid_fees: record.grid_fees.to_string(),
			rewards: record.rewards.to_string(),
			penalties: record.penalties.to_string(),
			unmatched_demand: record.unmatched_demand,
			spare_capacity: record.spare_capacity,
			orders_root: record.orders_root,
			reputations_root: record.reputations_root,
		}
	}
}

/// A region's record on the coordinator, with its status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
	/// The region.
	pub region: RegionId,
	/// `"announced"`, `"verified"`, `"corrected"` or `"unverified"`.
	pub status: String,
	/// While announced: the block from which it is unverified if still unproven.
	pub deadline: Option<BlockNumber>,
	/// The record (as announced until proven, as proven after).
	pub record: PeriodRecordView,
	/// The proxy that announced it and answers for it, SS58.
	pub announced_by: Option<String>,
	/// Whoever proved it, SS58.
	pub proven_by: Option<String>,
	/// The confirmed regional header it was proven against.
	pub anchor: Option<HeaderIdView>,
}

impl RecordView {
	fn new(region: RegionId, entry: RecordEntry<AccountId, BlockNumber>) -> Self {
		let (status, deadline) = match entry.status {
			RecordStatus::Announced { deadline } => ("announced", Some(deadline)),
			RecordStatus::Verified => ("verified", None),
			RecordStatus::Corrected => ("corrected", None),
			RecordStatus::Unverified => ("unverified", None),
		};
		Self {
			region,
			status: status.into(),
			deadline,
			record: entry.record.into(),
			announced_by: entry.announced_by.map(|a| a.to_string()),
			proven_by: entry.proven_by.map(|a| a.to_string()),
			anchor: entry.anchor.map(Into::into),
		}
	}
}

/// A region's proxy on the coordinator, with its bond.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyView {
	/// The region.
	pub region: RegionId,
	/// The proxy, SS58.
	pub account: String,
	/// The region's nomination term.
	pub term: u32,
	/// Whether it was caught announcing a false record.
	pub suspended: bool,
	/// Its bond held, decimal string (`"0"` if none).
	pub bond: String,
	/// Its announcements waiting for a proof.
	pub outstanding: u32,
}

impl ProxyView {
	fn new(region: RegionId, proxy: ActiveProxy<AccountId>, bond: Option<ProxyBond>) -> Self {
		Self {
			region,
			account: proxy.account.to_string(),
			term: proxy.term,
			suspended: proxy.suspended,
			bond: bond.map(|b| b.amount).unwrap_or_default().to_string(),
			outstanding: bond.map(|b| b.outstanding).unwrap_or_default(),
		}
	}
}

/// A slash of a proxy's bond.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlashView {
	/// The region.
	pub region: RegionId,
	/// The period of the record.
	pub period: PeriodIndex,
	/// The proxy, SS58.
	pub proxy: String,
	/// `"falseRecord"` or `"unverified"`.
	pub reason: String,
	/// Taken from the bond, decimal string.
	pub amount: String,
	/// Of which to the prover, decimal string.
	pub to_prover: String,
	/// The coordinator block.
	pub at: BlockNumber,
}

impl From<SlashEntry<AccountId, BlockNumber>> for SlashView {
	fn from(slash: SlashEntry<AccountId, BlockNumber>) -> Self {
		Self {
			region: slash.region,
			period: slash.period,
			proxy: slash.proxy.to_string(),
			reason: match slash.reason {
				SlashReason::FalseRecord => "falseRecord",
				SlashReason::Unverified => "unverified",
			}
			.into(),
			amount: slash.amount.to_string(),
			to_prover: slash.to_prover.to_string(),
			at: slash.at,
		}
	}
}

/// The page size when the caller gives none (the runtime caps a page at its `MaxPageSize`).
const RECORDS_PAGE: u32 = 64;

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

	/// `region`'s kept records on the coordinator from period `from` (0 without) on, at most
	/// `limit` (64 without, and at most), ascending by period.
	#[method(name = "shardProxy_records")]
	fn records(
		&self,
		region: RegionId,
		from: Option<PeriodIndex>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<RecordView>>;

	/// The proxy of every followed region that has one, with its bond.
	#[method(name = "shardProxy_proxies")]
	fn proxies(&self, at: Option<BlockHash>) -> RpcResult<Vec<ProxyView>>;

	/// The latest slashes of proxies' bonds, oldest first.
	#[method(name = "shardProxy_slashes")]
	fn slashes(&self, at: Option<BlockHash>) -> RpcResult<Vec<SlashView>>;
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

	fn records(
		&self,
		region: RegionId,
		from: Option<PeriodIndex>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<RecordView>> {
		let at = super::at_or_best(&*self.client, at);
		let limit = limit.unwrap_or(RECORDS_PAGE);
		let entries = self
			.client
			.runtime_api()
			.records(at, region, from.unwrap_or_default(), limit)
			.map_err(runtime_error)?;
		Ok(entries.into_iter().map(|(_, entry)| RecordView::new(region, entry)).collect())
	}

	fn proxies(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Vec<ProxyView>> {
		let at = super::at_or_best(&*self.client, at);
		let api = self.client.runtime_api();
		let mut views = Vec::new();
		for region in api.regions(at).map_err(runtime_error)? {
			if let Some(proxy) = api.proxy(at, region).map_err(runtime_error)? {
				let bond = api.bond(at, proxy.account.clone()).map_err(runtime_error)?;
				views.push(ProxyView::new(region, proxy, bond));
			}
		}
		Ok(views)
	}

	fn slashes(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Vec<SlashView>> {
		let at = super::at_or_best(&*self.client, at);
		let slashes = self.client.runtime_api().slashes(at).map_err(runtime_error)?;
		Ok(slashes.into_iter().map(Into::into).collect())
	}
}
