//! `matching_phase`, `matching_book`, `matching_bestSolution`, `matching_lastAdopted`,
//! `matching_preview` and `matching_snapshot`: the market, read through `pallet-matching`'s
//! runtime API. `matching_snapshot` answers the solver's input in the JSON that
//! `gridshard-solve --market` reads, and `matching_solutionTransaction` turns an assignment of it
//! (`gridshard-solve`'s answer, or any other solver's) into the transaction that submits it, for
//! `author_submitExtrinsic`: anyone may solve the snapshot off-chain and offer a better solution.
//!
//! All take an optional block hash (the best block without one) and answer amounts as decimal
//! strings in the smallest unit. All read public data, but `matching_preview` runs the solver on
//! the current book inside the runtime, which costs the node real CPU per call: it is unsafe
//! (`check_if_safe`), served on localhost and on public interfaces only with
//! `--rpc-methods unsafe`, so that nobody can keep a public node busy with it.

use gridshard_primitives::AccountId;
use gridshard_runtime::opaque::Block;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned, Extensions};
use pallet_matching::{NamedSolution, Phase, Source};
use pallet_matching_runtime_api::MatchingApi as MatchingRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// The current period and phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseView {
	/// The period.
	pub period: u32,
	/// `"open"` or `"solution"`.
	pub phase: String,
}

/// An offer in the book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferView {
	/// The provider (SS58).
	pub provider: String,
	/// Price per kWh.
	pub price: String,
	/// Capacity, Wh.
	pub capacity: u64,
}

/// A request in the book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
	/// Its id in the period.
	pub id: u32,
	/// The user (SS58).
	pub user: String,
	/// Energy, Wh.
	pub energy: u64,
	/// The limit price per kWh, if any.
	pub limit: Option<String>,
	/// The escrow held.
	pub escrow: String,
}

/// A period's book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookView {
	/// The offers.
	pub offers: Vec<OfferView>,
	/// The requests.
	pub requests: Vec<RequestView>,
}

/// A solution: its score and `(user, provider)` pairs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolutionView {
	/// The period, when known.
	pub period: Option<u32>,
	/// Energy served, Wh.
	pub energy: String,
	/// Total matching degree (scaled by 10^6).
	pub weight: String,
	/// `(user, provider)` pairs (SS58).
	pub pairs: Vec<(String, String)>,
}

/// What the solver would do with the current book: its solution, and how far that is from
/// proven (the objective stays the most energy, then the largest weight; where the search does
/// not prove a market short of capacity, the answer stands with its gap).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewView {
	/// The solution.
	#[serde(flatten)]
	pub solution: SolutionView,
	/// The proven upper bound on the energy any solution serves, Wh.
	pub bound_energy: String,
	/// With that energy, the proven upper bound on the total matching degree.
	pub bound_weight: String,
	/// Whether the solution is proven optimal (it meets the bound).
	pub optimal: bool,
}

/// What the last adoption did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdoptionView {
	/// The period.
	pub period: u32,
	/// Energy served, Wh.
	pub energy: String,
	/// Total matching degree.
	pub weight: String,
	/// `"submitted"` or `"fallback"`.
	pub source: String,
	/// Orders opened.
	pub matched: u32,
	/// Requests released.
	pub unmatched: u32,
}

/// The current snapshot as the solver's input. `requests`, `capacities` and `pairs` are the
/// `gridshard-solve --market` format; `requestIds` and `providers` name the rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotView {
	/// The period.
	pub period: u32,
	/// The request id of each request row.
	pub request_ids: Vec<u32>,
	/// The provider (SS58) of each offer row.
	pub providers: Vec<String>,
	/// Energy of each request row, Wh.
	pub requests: Vec<u64>,
	/// Capacity of each offer row, Wh.
	pub capacities: Vec<u64>,
	/// Allowed pairs: `[request row, offer row, weight]`, the weight being the matching degree
	/// scaled by 10^6.
	pub pairs: Vec<(u32, u32, u32)>,
}

/// An assignment of the snapshot as the transaction that submits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolutionTransactionView {
	/// The snapshot's period.
	pub period: u32,
	/// Energy served, Wh: the score the transaction claims, as the chain will recompute it.
	pub energy: String,
	/// Total matching degree (scaled by 10^6).
	pub weight: String,
	/// `submit_solution(period, pairs, score)` as a general transaction (it authorises itself),
	/// SCALE-encoded in hex, for `author_submitExtrinsic`.
	pub extrinsic: String,
}

fn solution(period: Option<u32>, solution: NamedSolution<AccountId>) -> SolutionView {
	SolutionView {
		period,
		energy: solution.score.energy.to_string(),
		weight: solution.score.weight.to_string(),
		pairs: solution
			.pairs
			.into_iter()
			.map(|pair| (pair.user.to_ss58check(), pair.provider.to_ss58check()))
			.collect(),
	}
}

/// The matching RPC.
#[rpc(client, server)]
pub trait MatchingApi<BlockHash> {
	/// The current period and phase.
	#[method(name = "matching_phase")]
	fn phase(&self, at: Option<BlockHash>) -> RpcResult<PhaseView>;

	/// The book of `period` (default: the current one) until its adoption.
	#[method(name = "matching_book")]
	fn book(&self, period: Option<u32>, at: Option<BlockHash>) -> RpcResult<BookView>;

	/// The best solution accepted in the current solution window, or `null`.
	#[method(name = "matching_bestSolution")]
	fn best_solution(&self, at: Option<BlockHash>) -> RpcResult<Option<SolutionView>>;

	/// What the last adoption did, or `null`.
	#[method(name = "matching_lastAdopted")]
	fn last_adopted(&self, at: Option<BlockHash>) -> RpcResult<Option<AdoptionView>>;

	/// What the solver would do with the current book (or snapshot), with the search's proven
	/// bound, or `null` on an empty book.
	#[method(name = "matching_preview", with_extensions)]
	fn preview(&self, at: Option<BlockHash>) -> RpcResult<Option<PreviewView>>;

	/// The current period's snapshot (while the period is open, the one its book would give
	/// now) as the solver's input: save it and run `gridshard-solve --market FILE`.
	#[method(name = "matching_snapshot")]
	fn snapshot(&self, at: Option<BlockHash>) -> RpcResult<SnapshotView>;

	/// `assignment`, for each request row of `matching_snapshot` its offer row or `null` (the
	/// `assignment` of `gridshard-solve`'s answer), as the transaction that submits it with its
	/// score. Refused where it is not a feasible assignment of the snapshot; the chain admits
	/// the transaction only in the solution window and only if it beats the best solution so
	/// far, and re-checks everything at dispatch.
	#[method(name = "matching_solutionTransaction")]
	fn solution_transaction(
		&self,
		assignment: Vec<Option<u32>>,
		at: Option<BlockHash>,
	) -> RpcResult<SolutionTransactionView>;
}

/// Serves [`MatchingApiServer`].
pub struct Matching<C> {
	client: Arc<C>,
}

impl<C> Matching<C> {
	/// Creates the RPC over a client.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

/// The error code of this module's failed runtime API calls.
const RUNTIME_ERROR: i32 = 9400;

/// The error of a failed runtime API call.
fn runtime_error(error: impl std::fmt::Display) -> ErrorObjectOwned {
	super::runtime_error(RUNTIME_ERROR, error)
}

/// The version of `MatchingApi` whose answers this RPC reads.
const API_VERSION: u32 = 3;

/// The runtime API at `at`, refused with a clear error where the runtime there is older than
/// the answers this RPC reads.
fn api_at<C>(client: &C, at: <Block as BlockT>::Hash) -> RpcResult<sp_api::ApiRef<'_, C::Api>>
where
	C: ProvideRuntimeApi<Block>,
	C::Api: MatchingRuntimeApi<Block, AccountId>,
{
	let api = client.runtime_api();
	let version = api
		.api_version::<dyn MatchingRuntimeApi<Block, AccountId>>(at)
		.map_err(runtime_error)?
		.unwrap_or(0);
	if version < API_VERSION {
		return Err(runtime_error(format!(
			"the runtime at this block has MatchingApi version {version}; this node reads \
			version {API_VERSION}: upgrade the runtime or query a later block"
		)));
	}
	Ok(api)
}

/// The error code of an assignment that is not one of the snapshot.
const BAD_ASSIGNMENT: i32 = 9401;

/// The error of an assignment that is not one of the snapshot.
fn bad_assignment(reason: String) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(BAD_ASSIGNMENT, reason, None::<()>)
}

impl<C> MatchingApiServer<<Block as BlockT>::Hash> for Matching<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MatchingRuntimeApi<Block, AccountId>,
{
	fn phase(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<PhaseView> {
		let at = super::at_or_best(&*self.client, at);
		let now = api_at(&*self.client, at)?.phase(at).map_err(runtime_error)?;
		let phase = match now.phase {
			Phase::Open => "open",
			Phase::Solution => "solution",
		};
		Ok(PhaseView { period: now.period, phase: phase.into() })
	}

	fn book(
		&self,
		period: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<BookView> {
		let at = super::at_or_best(&*self.client, at);
		let api = api_at(&*self.client, at)?;
		let period = match period {
			Some(period) => period,
			None => api.phase(at).map_err(runtime_error)?.period,
		};
		let book = api.book(at, period).map_err(runtime_error)?;
		Ok(BookView {
			offers: book
				.offers
				.into_iter()
				.map(|entry| OfferView {
					provider: entry.provider.to_ss58check(),
					price: entry.offer.price.to_string(),
					capacity: entry.offer.capacity,
				})
				.collect(),
			requests: book
				.requests
				.into_iter()
				.map(|entry| RequestView {
					id: entry.id,
					user: entry.request.user.to_ss58check(),
					energy: entry.request.energy,
					limit: entry.request.limit.map(|l| l.to_string()),
					escrow: entry.request.escrow.to_string(),
				})
				.collect(),
		})
	}

	fn best_solution(
		&self,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<SolutionView>> {
		let at = super::at_or_best(&*self.client, at);
		let best = api_at(&*self.client, at)?.best_solution(at).map_err(runtime_error)?;
		Ok(best.map(|best| solution(Some(best.period), best)))
	}

	fn last_adopted(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Option<AdoptionView>> {
		let at = super::at_or_best(&*self.client, at);
		let adopted = api_at(&*self.client, at)?.last_adopted(at).map_err(runtime_error)?;
		Ok(adopted.map(|a| AdoptionView {
			period: a.period,
			energy: a.score.energy.to_string(),
			weight: a.score.weight.to_string(),
			source: match a.source {
				Source::Submitted => "submitted".into(),
				Source::Fallback => "fallback".into(),
			},
			matched: a.matched,
			unmatched: a.unmatched,
		}))
	}

	fn preview(
		&self,
		ext: &Extensions,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<PreviewView>> {
		sc_rpc_api::check_if_safe(ext)?;
		let at = super::at_or_best(&*self.client, at);
		let Some(preview) = api_at(&*self.client, at)?.preview(at).map_err(runtime_error)? else {
			return Ok(None);
		};
		let optimal = preview.solution.score == preview.bound;
		Ok(Some(PreviewView {
			bound_energy: preview.bound.energy.to_string(),
			bound_weight: preview.bound.weight.to_string(),
			optimal,
			solution: solution(None, preview.solution),
		}))
	}

	fn snapshot(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<SnapshotView> {
		let at = super::at_or_best(&*self.client, at);
		let input = api_at(&*self.client, at)?.solver_input(at).map_err(runtime_error)?;
		Ok(SnapshotView {
			period: input.period,
			request_ids: input.request_ids,
			providers: input.providers.iter().map(|p| p.to_ss58check()).collect(),
			requests: input.market.requests,
			capacities: input.market.capacities,
			pairs: input.market.pairs,
		})
	}

	fn solution_transaction(
		&self,
		assignment: Vec<Option<u32>>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<SolutionTransactionView> {
		let at = super::at_or_best(&*self.client, at);
		let built = api_at(&*self.client, at)?
			.solution_transaction(at, assignment)
			.map_err(runtime_error)?
			.map_err(|infeasible| {
				bad_assignment(format!("not a feasible assignment of the snapshot: {infeasible:?}"))
			})?;
		Ok(SolutionTransactionView {
			period: built.period,
			energy: built.score.energy.to_string(),
			weight: built.score.weight.to_string(),
			extrinsic: sp_core::bytes::to_hex(&built.extrinsic, false),
		})
	}
}
