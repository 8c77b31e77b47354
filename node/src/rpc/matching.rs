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

use codec::Encode;
use frame_system::offchain::CreateAuthorizedTransaction;
use gridshard_primitives::AccountId;
use gridshard_runtime::{opaque::Block, MatchingCall, Runtime, RuntimeCall};
use gridshard_solver::{check, Model, Value};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned, Extensions};
use pallet_matching::{Adoption, Offer, Phase, RequestOf, Score, SolutionOf, Source};
use pallet_matching_runtime_api::MatchingApi as MatchingRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
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

fn solution(period: Option<u32>, score: Score, pairs: Vec<(AccountId, AccountId)>) -> SolutionView {
	SolutionView {
		period,
		energy: score.energy.to_string(),
		weight: score.weight.to_string(),
		pairs: pairs.into_iter().map(|(u, p)| (u.to_ss58check(), p.to_ss58check())).collect(),
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

/// The error code of an assignment that is not one of the snapshot.
const BAD_ASSIGNMENT: i32 = 9401;

/// The error of an assignment that is not one of the snapshot.
fn bad_assignment(reason: String) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(BAD_ASSIGNMENT, reason, None::<()>)
}

impl<C> MatchingApiServer<<Block as BlockT>::Hash> for Matching<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MatchingRuntimeApi<Block, AccountId, Phase, Offer, RequestOf<Runtime>, Score, Adoption>,
{
	fn phase(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<PhaseView> {
		let at = super::at_or_best(&*self.client, at);
		let (period, phase) = self.client.runtime_api().phase(at).map_err(runtime_error)?;
		let phase = match phase {
			Phase::Open => "open",
			Phase::Solution => "solution",
		};
		Ok(PhaseView { period, phase: phase.into() })
	}

	fn book(
		&self,
		period: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<BookView> {
		let at = super::at_or_best(&*self.client, at);
		let api = self.client.runtime_api();
		let period = match period {
			Some(period) => period,
			None => api.phase(at).map_err(runtime_error)?.0,
		};
		let (offers, requests) = api.book(at, period).map_err(runtime_error)?;
		Ok(BookView {
			offers: offers
				.into_iter()
				.map(|(provider, offer)| OfferView {
					provider: provider.to_ss58check(),
					price: offer.price.to_string(),
					capacity: offer.capacity,
				})
				.collect(),
			requests: requests
				.into_iter()
				.map(|(id, request)| RequestView {
					id,
					user: request.user.to_ss58check(),
					energy: request.energy,
					limit: request.limit.map(|l| l.to_string()),
					escrow: request.escrow.to_string(),
				})
				.collect(),
		})
	}

	fn best_solution(
		&self,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<SolutionView>> {
		let at = super::at_or_best(&*self.client, at);
		let best = self.client.runtime_api().best_solution(at).map_err(runtime_error)?;
		Ok(best.map(|(period, score, pairs)| solution(Some(period), score, pairs)))
	}

	fn last_adopted(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Option<AdoptionView>> {
		let at = super::at_or_best(&*self.client, at);
		let adopted = self.client.runtime_api().last_adopted(at).map_err(runtime_error)?;
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
		let Some((score, pairs)) = self.client.runtime_api().preview(at).map_err(runtime_error)?
		else {
			return Ok(None);
		};
		// The same search natively (same input, same node budget: the same answer), for the
		// bound the runtime's answer does not carry.
		let (.., market) = self.client.runtime_api().solver_input(at).map_err(runtime_error)?;
		let model = Model::market(&market).map_err(|e| runtime_error(format!("{e:?}")))?;
		let max_nodes: u64 =
			<<Runtime as pallet_matching::Config>::SolverMaxNodes as sp_core::Get<u64>>::get();
		let solved = gridshard_solver::solve(&model, max_nodes);
		let Value::Market { energy, weight } = model.value(solved.outcome.bound) else {
			return Err(runtime_error("the market's bound is not a market value"));
		};
		Ok(Some(PreviewView {
			solution: solution(None, score, pairs),
			bound_energy: energy.to_string(),
			bound_weight: weight.to_string(),
			optimal: solved.outcome.optimal,
		}))
	}

	fn snapshot(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<SnapshotView> {
		let at = super::at_or_best(&*self.client, at);
		let (period, request_ids, providers, market) =
			self.client.runtime_api().solver_input(at).map_err(runtime_error)?;
		Ok(SnapshotView {
			period,
			request_ids,
			providers: providers.iter().map(|p| p.to_ss58check()).collect(),
			requests: market.requests,
			capacities: market.capacities,
			pairs: market.pairs,
		})
	}

	fn solution_transaction(
		&self,
		assignment: Vec<Option<u32>>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<SolutionTransactionView> {
		let at = super::at_or_best(&*self.client, at);
		let (period, _, _, market) =
			self.client.runtime_api().solver_input(at).map_err(runtime_error)?;
		let model = Model::market(&market)
			.map_err(|e| bad_assignment(format!("the snapshot has nothing to match: {e:?}")))?;
		let profit = check::score(&model.problem, &assignment).map_err(|reason| {
			bad_assignment(format!("not a feasible assignment of the snapshot: {reason:?}"))
		})?;
		let Value::Market { energy, weight } = model.value(profit) else {
			return Err(bad_assignment("the snapshot is not read as a market".into()));
		};
		let pairs = pallet_matching::Pallet::<Runtime>::pairs(&assignment);
		let solution = SolutionOf::<Runtime>::try_from(pairs)
			.map_err(|_| bad_assignment("more pairs than a solution may have".into()))?;
		let claimed = Score { energy, weight };
		let call =
			RuntimeCall::Matching(MatchingCall::submit_solution { period, solution, claimed });
		let extrinsic =
			<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_authorized_transaction(
				call,
			);
		Ok(SolutionTransactionView {
			period,
			energy: energy.to_string(),
			weight: weight.to_string(),
			extrinsic: sp_core::bytes::to_hex(&extrinsic.encode(), false),
		})
	}
}
