//! `reputation_standing`, `reputation_history` and `reputation_ranking`: providers' reputation,
//! read through `pallet-reputation`'s runtime API.
//!
//! All three are safe (public data) and take an optional block hash (the best block without
//! one). Reputations and ratios come back as decimal strings with 18 decimals (`"0.66"` is
//! `"0.660000000000000000"`), so that no JSON reader rounds them.

use gridshard_primitives::{AccountId, PeriodIndex};
use gridshard_runtime::{opaque::Block, Runtime};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use pallet_reputation::{PeriodRecord, PeriodSummaryOf, StandingOf};
use pallet_reputation_runtime_api::ReputationApi as ReputationRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, Get};
use sp_runtime::{traits::Block as BlockT, FixedPointNumber, FixedU128};
use std::sync::Arc;

/// The page size when the caller gives none (the runtime caps it at `MaxPageSize`).
pub const DEFAULT_PAGE: u32 = 100;

/// A fixed-point number as a decimal string with all 18 decimals.
pub fn decimal(value: FixedU128) -> String {
	let inner = value.into_inner();
	let scale = FixedU128::DIV;
	format!("{}.{:018}", inner / scale, inner % scale)
}

/// One period's deliveries, as the RPC answers them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
	/// The period.
	pub period: PeriodIndex,
	/// The provider's price in its last settled order of the period (smallest unit per kWh).
	pub price: String,
	/// Orders settled.
	pub trades: u32,
	/// The energy they agreed, in Wh: the weights of the mean.
	pub agreed: String,
	/// Their delivery ratios (the first `MaxRatiosPerPeriod`).
	pub ratios: Vec<String>,
	/// The mean ratio weighed by energy, `C_j(T)`.
	pub current: String,
}

impl<M: Get<u32>> From<&PeriodRecord<M>> for RecordView {
	fn from(record: &PeriodRecord<M>) -> Self {
		RecordView {
			period: record.period,
			price: record.price.to_string(),
			trades: record.trades,
			agreed: record.agreed.to_string(),
			ratios: record.ratios.iter().copied().map(decimal).collect(),
			current: decimal(record.current_reputation()),
		}
	}
}

/// A provider's standing, as the RPC answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandingView {
	/// `RC_j` as of the last ended period.
	pub comprehensive: String,
	/// The current period's deliveries, if any.
	pub open: Option<RecordView>,
	/// Orders settled over the provider's life.
	pub lifetime_trades: u64,
}

/// A closed period, as the RPC answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
	/// The period's deliveries and `C_j(T)`.
	pub record: RecordView,
	/// `RC_j(T)`.
	pub comprehensive: String,
}

/// One provider of the ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RankView {
	/// Its position, from 0.
	pub rank: u32,
	/// The provider (SS58).
	pub provider: String,
	/// Its `RC_j`.
	pub comprehensive: String,
}

/// The reputation RPC.
#[rpc(client, server)]
pub trait ReputationApi<BlockHash> {
	/// `provider`'s standing, or `null` if it never had a delivery.
	#[method(name = "reputation_standing")]
	fn standing(
		&self,
		provider: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<StandingView>>;

	/// `provider`'s closed periods, oldest first.
	#[method(name = "reputation_history")]
	fn history(&self, provider: AccountId, at: Option<BlockHash>) -> RpcResult<Vec<SummaryView>>;

	/// Providers by `RC_j`, highest first: `limit` (default and most 100) from position `start`
	/// (default 0).
	#[method(name = "reputation_ranking")]
	fn ranking(
		&self,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<RankView>>;
}

/// Serves [`ReputationApiServer`].
pub struct Reputation<C> {
	client: Arc<C>,
}

impl<C> Reputation<C> {
	/// Creates the RPC over a client.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

/// The error code of this module's failed runtime API calls.
const RUNTIME_ERROR: i32 = 9200;

/// The error of a failed runtime API call.
fn runtime_error(error: impl std::fmt::Display) -> ErrorObjectOwned {
	super::runtime_error(RUNTIME_ERROR, error)
}

impl<C> ReputationApiServer<<Block as BlockT>::Hash> for Reputation<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ReputationRuntimeApi<Block, AccountId, StandingOf<Runtime>, PeriodSummaryOf<Runtime>>,
{
	fn standing(
		&self,
		provider: AccountId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<StandingView>> {
		let at = super::at_or_best(&*self.client, at);
		let standing = self.client.runtime_api().standing(at, provider).map_err(runtime_error)?;
		Ok(standing.map(|standing| StandingView {
			comprehensive: decimal(standing.comprehensive),
			open: standing.open.as_ref().map(RecordView::from),
			lifetime_trades: standing.lifetime_trades,
		}))
	}

	fn history(
		&self,
		provider: AccountId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<SummaryView>> {
		let at = super::at_or_best(&*self.client, at);
		let history = self.client.runtime_api().history(at, provider).map_err(runtime_error)?;
		Ok(history
			.iter()
			.map(|summary| SummaryView {
				record: RecordView::from(&summary.record),
				comprehensive: decimal(summary.comprehensive),
			})
			.collect())
	}

	fn ranking(
		&self,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<RankView>> {
		let at = super::at_or_best(&*self.client, at);
		let start = start.unwrap_or(0);
		let page = self
			.client
			.runtime_api()
			.ranking(at, start, limit.unwrap_or(DEFAULT_PAGE))
			.map_err(runtime_error)?;
		Ok(page
			.into_iter()
			.zip(start..)
			.map(|((provider, comprehensive), rank)| RankView {
				rank,
				provider: provider.to_ss58check(),
				comprehensive: decimal(comprehensive),
			})
			.collect())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn decimals_keep_all_digits() {
		assert_eq!(decimal(FixedU128::from_rational(66, 100)), "0.660000000000000000");
		assert_eq!(decimal(FixedU128::from_rational(3, 2)), "1.500000000000000000");
		assert_eq!(decimal(FixedU128::from_inner(1)), "0.000000000000000001");
	}
}
