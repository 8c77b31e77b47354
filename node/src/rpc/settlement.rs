//! `settlement_order`, `settlement_ordersOf` and `settlement_uncommittedEscrow`: settlement's
//! orders and escrow, read through `pallet-settlement`'s runtime API.
//!
//! All are safe (public data) and take an optional block hash (the best block without one).
//! Amounts come back as decimal strings in the smallest unit.

use gridshard_primitives::{AccountId, Balance, BlockNumber};
use gridshard_runtime::{opaque::Block, Runtime};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use pallet_settlement::{MeterState, OrderOf, OrderStatus, Outcome};
use pallet_settlement_runtime_api::SettlementApi as SettlementRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// The page size when the caller gives none (the runtime caps it at 100).
pub const DEFAULT_PAGE: u32 = 100;

/// A meter's readings, as the RPC answers them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterView {
	/// The latest reading, in Wh.
	pub energy: u64,
	/// Its sequence number.
	pub sequence: u32,
	/// Interim readings accepted.
	pub interim: u32,
	/// Whether the final reading arrived.
	pub is_final: bool,
}

impl From<MeterState> for MeterView {
	fn from(m: MeterState) -> Self {
		MeterView {
			energy: m.energy,
			sequence: m.sequence,
			interim: m.interim,
			is_final: m.is_final,
		}
	}
}

/// A settlement's payments, as the RPC answers them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeView {
	/// `rho`, Wh.
	pub rho: u64,
	/// `gamma`, Wh.
	pub gamma: u64,
	/// Paid to the provider.
	pub provider: String,
	/// Paid to the grid operator.
	pub grid_fee: String,
	/// Returned to the user.
	pub refund: String,
	/// The eq. 7 penalty.
	pub penalty: String,
	/// The eq. 6 reward.
	pub reward: String,
}

impl From<Outcome<Balance>> for OutcomeView {
	fn from(o: Outcome<Balance>) -> Self {
		OutcomeView {
			rho: o.rho,
			gamma: o.gamma,
			provider: o.provider.to_string(),
			grid_fee: o.grid_fee.to_string(),
			refund: o.refund.to_string(),
			penalty: o.penalty.to_string(),
			reward: o.reward.to_string(),
		}
	}
}

/// An order, as the RPC answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
	/// Its id.
	pub id: u64,
	/// The user (SS58).
	pub user: String,
	/// The provider (SS58).
	pub provider: String,
	/// `R`, Wh.
	pub agreed: u64,
	/// `r`, per kWh.
	pub price: String,
	/// `eta`.
	pub grid_fee: String,
	/// The trading period.
	pub period: u32,
	/// The delivery window, `[start, end)`.
	pub window: (BlockNumber, BlockNumber),
	/// The escrow committed.
	pub escrow: String,
	/// The provider's meter.
	pub provider_meter: MeterView,
	/// The user's meter.
	pub user_meter: MeterView,
	/// `"delivering"`, `"settled"` or `"disputed"`.
	pub status: String,
	/// The payments, once settled.
	pub outcome: Option<OutcomeView>,
	/// The first block of payout, once settled.
	pub payable_at: Option<BlockNumber>,
	/// While disputed: the user's bond held, decimal string.
	pub dispute_bond: Option<String>,
	/// While disputed: the block from which the hook pays the settlement as it stood.
	pub dispute_deadline: Option<BlockNumber>,
}

impl OrderView {
	/// The view of order `id`.
	pub fn new(id: u64, order: OrderOf<Runtime>) -> Self {
		let (status, outcome, payable_at) = match order.status {
			OrderStatus::Delivering => ("delivering", None, None),
			OrderStatus::Settled { outcome, payable_at, .. } => {
				("settled", Some(outcome.into()), Some(payable_at))
			}
			OrderStatus::Disputed { outcome, .. } => ("disputed", Some(outcome.into()), None),
		};
		let (dispute_bond, dispute_deadline) = match order.status {
			OrderStatus::Disputed { bond, deadline, .. } => {
				(Some(bond.to_string()), Some(deadline))
			}
			_ => (None, None),
		};
		let terms = &order.terms;
		OrderView {
			id,
			user: terms.user.to_ss58check(),
			provider: terms.provider.to_ss58check(),
			agreed: terms.agreed,
			price: terms.price.to_string(),
			grid_fee: terms.grid_fee.to_string(),
			period: terms.period,
			window: (terms.window_start, terms.window_end),
			escrow: order.escrow.to_string(),
			provider_meter: order.provider_reading.into(),
			user_meter: order.user_reading.into(),
			status: status.into(),
			outcome,
			payable_at,
			dispute_bond,
			dispute_deadline,
		}
	}
}

/// The settlement RPC.
#[rpc(client, server)]
pub trait SettlementApi<BlockHash> {
	/// Order `id`, or `null` if unknown or paid out.
	#[method(name = "settlement_order")]
	fn order(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Option<OrderView>>;

	/// `account`'s open orders in id order, from `start` (default 0), at most `limit` (default
	/// and most 100); the next page starts after the last id returned. Reads `account`'s own
	/// index of orders, so a page costs its length whatever the chain's history.
	#[method(name = "settlement_ordersOf")]
	fn orders_of(
		&self,
		account: AccountId,
		start: Option<u64>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<OrderView>>;

	/// `account`'s escrow not yet committed to an order, as a decimal string.
	#[method(name = "settlement_uncommittedEscrow")]
	fn uncommitted_escrow(&self, account: AccountId, at: Option<BlockHash>) -> RpcResult<String>;
}

/// Serves [`SettlementApiServer`].
pub struct Settlement<C> {
	client: Arc<C>,
}

impl<C> Settlement<C> {
	/// Creates the RPC over a client.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

/// The error code of this module's failed runtime API calls.
const RUNTIME_ERROR: i32 = 9300;

/// The error of a failed runtime API call.
fn runtime_error(error: impl std::fmt::Display) -> ErrorObjectOwned {
	super::runtime_error(RUNTIME_ERROR, error)
}

impl<C> SettlementApiServer<<Block as BlockT>::Hash> for Settlement<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SettlementRuntimeApi<Block, AccountId, Balance, OrderOf<Runtime>>,
{
	fn order(&self, id: u64, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Option<OrderView>> {
		let at = super::at_or_best(&*self.client, at);
		let order = self.client.runtime_api().order(at, id).map_err(runtime_error)?;
		Ok(order.map(|order| OrderView::new(id, order)))
	}

	fn orders_of(
		&self,
		account: AccountId,
		start: Option<u64>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<OrderView>> {
		let at = super::at_or_best(&*self.client, at);
		let orders = self
			.client
			.runtime_api()
			.orders_of(at, account, start.unwrap_or(0), limit.unwrap_or(DEFAULT_PAGE))
			.map_err(runtime_error)?;
		Ok(orders.into_iter().map(|(id, order)| OrderView::new(id, order)).collect())
	}

	fn uncommitted_escrow(
		&self,
		account: AccountId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<String> {
		let at = super::at_or_best(&*self.client, at);
		let escrow =
			self.client.runtime_api().uncommitted_escrow(at, account).map_err(runtime_error)?;
		Ok(escrow.to_string())
	}
}
