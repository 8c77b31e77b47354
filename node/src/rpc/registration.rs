//! `registration_participant` and `registration_pendingApplications`: the participant registry,
//! read through `pallet-registration`'s runtime API.
//!
//! Both methods are safe (public data); both take an optional block hash and read the best
//! block without one. Text fields come back as strings, the deposit as a decimal string (it
//! exceeds what a JSON number holds exactly).

use gridshard_primitives::{AccountId, Balance, BlockNumber};
use gridshard_runtime::{opaque::Block, Runtime};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use pallet_registration::{ParticipantOf, Role, Status};
use pallet_registration_runtime_api::RegistrationApi as RegistrationRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, H256};
use sp_runtime::traits::Block as BlockT;
use std::{convert::Infallible, sync::Arc};

/// The page size when the caller gives none (the runtime caps it at `MaxPageSize`).
pub const DEFAULT_PAGE: u32 = 100;

/// A participant's record, as the RPC answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantView {
	/// The participant's account (SS58).
	pub account: String,
	/// Where its review stands: `"pending"`, `"approved"` or `{"suspended": reason}`.
	pub status: Status,
	/// Provider or user, with its details.
	pub role: Role<String>,
	/// The region it trades in.
	pub region: u16,
	/// Its name.
	pub name: String,
	/// Its meter's ID.
	pub meter_id: String,
	/// Its meter's public key (SS58).
	pub meter_key: String,
	/// The commitment to its settlement account details.
	pub settlement_commitment: H256,
	/// The deposit held, in the smallest unit, as a decimal string.
	pub deposit: String,
	/// The block in which it applied (0 for genesis participants).
	pub applied_at: BlockNumber,
}

impl ParticipantView {
	/// The view of `account`'s record.
	pub fn new(account: &AccountId, record: ParticipantOf<Runtime>) -> Self {
		let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
		let role = record.role.try_map_point(|point| Ok::<_, Infallible>(text(&point)));
		ParticipantView {
			account: account.to_ss58check(),
			status: record.status,
			role: match role {
				Ok(role) => role,
				Err(never) => match never {},
			},
			region: record.region,
			name: text(&record.name),
			meter_id: text(&record.meter_id),
			meter_key: record.meter_key.to_ss58check(),
			settlement_commitment: record.settlement_commitment,
			deposit: Balance::to_string(&record.deposit),
			applied_at: record.applied_at,
		}
	}
}

/// The registration RPC.
#[rpc(client, server)]
pub trait RegistrationApi<BlockHash> {
	/// The record of `account` (SS58), or `null` if it has none.
	#[method(name = "registration_participant")]
	fn participant(
		&self,
		account: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<ParticipantView>>;

	/// Up to `limit` (default 100, at most 100) pending applications, in storage order, after
	/// the account `start_after` (from the start when absent). Pass the last account of a page
	/// for the next; an empty page is the end.
	#[method(name = "registration_pendingApplications")]
	fn pending_applications(
		&self,
		start_after: Option<AccountId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ParticipantView>>;
}

/// Serves [`RegistrationApiServer`].
pub struct Registration<C> {
	client: Arc<C>,
}

impl<C> Registration<C> {
	/// Creates the RPC over a client.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

/// The error code of this module's failed runtime API calls.
const RUNTIME_ERROR: i32 = 9100;

/// The error of a failed runtime API call.
fn runtime_error(error: impl std::fmt::Display) -> ErrorObjectOwned {
	super::runtime_error(RUNTIME_ERROR, error)
}

impl<C> RegistrationApiServer<<Block as BlockT>::Hash> for Registration<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RegistrationRuntimeApi<Block, AccountId, ParticipantOf<Runtime>>,
{
	fn participant(
		&self,
		account: AccountId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Option<ParticipantView>> {
		let at = super::at_or_best(&*self.client, at);
		let record =
			self.client.runtime_api().participant(at, account.clone()).map_err(runtime_error)?;
		Ok(record.map(|record| ParticipantView::new(&account, record)))
	}

	fn pending_applications(
		&self,
		start_after: Option<AccountId>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<ParticipantView>> {
		let at = super::at_or_best(&*self.client, at);
		let page = self
			.client
			.runtime_api()
			.pending_applications(at, start_after, limit.unwrap_or(DEFAULT_PAGE))
			.map_err(runtime_error)?;
		Ok(page
			.into_iter()
			.map(|(account, record)| ParticipantView::new(&account, record))
			.collect())
	}
}
