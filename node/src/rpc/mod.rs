//! The node's RPC: Substrate's standard methods plus GridShard's own.
//!
//! `sc-service` already serves `system_*`, `chain_*`, `state_*` and `author_*`; this module adds
//! `system_accountNextIndex` (`substrate-frame-rpc-system`), `payment_*`
//! (`pallet-transaction-payment-rpc`), `mining_status` ([`mining`]), `registration_*`
//! ([`registration`]), `reputation_*` ([`reputation`]), `settlement_*` ([`settlement`]),
//! `matching_*` ([`matching`]) and `shardProxy_*` ([`shard_proxy`]).

pub mod matching;
pub mod mining;
pub mod registration;
pub mod reputation;
pub mod settlement;
pub mod shard_proxy;

use gridshard_primitives::{AccountId, Balance, Nonce};
use gridshard_runtime::opaque::Block;
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use sp_core::U256;
use std::sync::Arc;

/// The block an RPC call reads: `at`, or the best block without one.
pub fn at_or_best<C: HeaderBackend<Block>>(
	client: &C,
	at: Option<<Block as sp_runtime::traits::Block>::Hash>,
) -> <Block as sp_runtime::traits::Block>::Hash {
	at.unwrap_or_else(|| client.info().best_hash)
}

/// The RPC error of a failed runtime API call, with the calling module's `code`.
pub fn runtime_error(
	code: i32,
	error: impl std::fmt::Display,
) -> jsonrpsee::types::ErrorObjectOwned {
	jsonrpsee::types::ErrorObjectOwned::owned(
		code,
		format!("runtime API call failed: {error}"),
		None::<()>,
	)
}

/// What the RPC methods need.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// This node's mining, for `mining_status`.
	pub mining: mining::MiningInfo,
}

/// All of GridShard's RPC methods beyond the ones `sc-service` serves.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ sp_consensus_pow::DifficultyApi<Block, U256>
		+ pallet_registration_runtime_api::RegistrationApi<
			Block,
			AccountId,
			pallet_registration::ParticipantOf<gridshard_runtime::Runtime>,
		> + pallet_reputation_runtime_api::ReputationApi<
			Block,
			AccountId,
			pallet_reputation::StandingOf<gridshard_runtime::Runtime>,
			pallet_reputation::PeriodSummaryOf<gridshard_runtime::Runtime>,
		> + pallet_settlement_runtime_api::SettlementApi<
			Block,
			AccountId,
			Balance,
			pallet_settlement::OrderOf<gridshard_runtime::Runtime>,
		> + pallet_matching_runtime_api::MatchingApi<Block, AccountId>
		+ pallet_shard_proxy_runtime_api::ShardProxyApi<Block>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use matching::{Matching, MatchingApiServer};
	use mining::{Mining, MiningApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use registration::{Registration, RegistrationApiServer};
	use reputation::{Reputation, ReputationApiServer};
	use settlement::{Settlement, SettlementApiServer};
	use shard_proxy::{ShardProxy, ShardProxyApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, mining } = deps;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Registration::new(client.clone()).into_rpc())?;
	module.merge(Reputation::new(client.clone()).into_rpc())?;
	module.merge(Settlement::new(client.clone()).into_rpc())?;
	module.merge(Matching::new(client.clone()).into_rpc())?;
	module.merge(ShardProxy::new(client.clone()).into_rpc())?;
	module.merge(Mining::new(client, mining).into_rpc())?;
	Ok(module)
}
