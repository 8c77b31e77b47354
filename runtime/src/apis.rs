//! The runtime APIs: what the node and users ask the runtime.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata, U256};
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use gridshard_primitives::{
	region::{ChainRole, RegionStatus, StoredHeader},
	traits::OrderId,
	RegionId,
};

use super::{
	AccountId, Balance, Block, BlockNumber, Difficulty, Executive, Hash, InherentDataExt, Matching,
	Nonce, Registration, Reputation, Runtime, RuntimeCall, RuntimeGenesisConfig, Settlement,
	ShardProxy, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			_owner: Vec<u8>,
			_seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			// Proof of work has no session keys: miners name their account on the command line.
			Default::default()
		}

		fn decode_session_keys(_encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			None
		}
	}

	impl sp_consensus_pow::DifficultyApi<Block, U256> for Runtime {
		fn difficulty() -> U256 {
			Difficulty::difficulty()
		}
	}

	impl pallet_shard_proxy_runtime_api::ShardProxyApi<Block> for Runtime {
		fn chain_role() -> ChainRole {
			ShardProxy::chain_role()
		}

		fn regions() -> Vec<RegionId> {
			let mut regions: Vec<RegionId> = pallet_shard_proxy::Regions::<Runtime>::iter_keys().collect();
			regions.sort();
			regions
		}

		fn region(region: RegionId) -> Option<RegionStatus> {
			pallet_shard_proxy::Regions::<Runtime>::get(region)
		}

		fn header(region: RegionId, hash: Hash) -> Option<StoredHeader> {
			pallet_shard_proxy::Headers::<Runtime>::get(region, hash)
		}

		fn best_chain_depth(region: RegionId, hash: Hash) -> Option<u32> {
			ShardProxy::best_chain_depth(region, hash)
		}

		fn records(
			region: RegionId,
			from: gridshard_primitives::PeriodIndex,
			limit: u32,
		) -> Vec<(
			gridshard_primitives::PeriodIndex,
			pallet_shard_proxy::RecordEntry<AccountId, BlockNumber>,
		)> {
			ShardProxy::records(region, from, limit)
		}

		fn proxy(region: RegionId) -> Option<pallet_shard_proxy::ActiveProxy<AccountId>> {
			pallet_shard_proxy::Proxies::<Runtime>::get(region)
		}

		fn bond(account: AccountId) -> Option<pallet_shard_proxy::ProxyBond> {
			pallet_shard_proxy::Bonds::<Runtime>::get(account)
		}

		fn slashes() -> Vec<pallet_shard_proxy::SlashEntry<AccountId, BlockNumber>> {
			pallet_shard_proxy::Slashes::<Runtime>::get().into_inner()
		}
	}

	impl pallet_registration_runtime_api::RegistrationApi<
		Block,
		AccountId,
		pallet_registration::ParticipantOf<Runtime>,
	> for Runtime {
		fn participant(who: AccountId) -> Option<pallet_registration::ParticipantOf<Runtime>> {
			Registration::participant(&who)
		}

		fn pending_applications(
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, pallet_registration::ParticipantOf<Runtime>)> {
			Registration::pending_applications(start_after, limit)
		}
	}

	impl pallet_reputation_runtime_api::ReputationApi<
		Block,
		AccountId,
		pallet_reputation::StandingOf<Runtime>,
		pallet_reputation::PeriodSummaryOf<Runtime>,
	> for Runtime {
		fn standing(provider: AccountId) -> Option<pallet_reputation::StandingOf<Runtime>> {
			Reputation::standing(&provider)
		}

		fn history(provider: AccountId) -> Vec<pallet_reputation::PeriodSummaryOf<Runtime>> {
			Reputation::history(&provider)
		}

		fn ranking(start: u32, limit: u32) -> Vec<(AccountId, sp_runtime::FixedU128)> {
			Reputation::ranking(start, limit)
		}
	}

	impl pallet_settlement_runtime_api::SettlementApi<
		Block,
		AccountId,
		Balance,
		pallet_settlement::OrderOf<Runtime>,
	> for Runtime {
		fn order(id: OrderId) -> Option<pallet_settlement::OrderOf<Runtime>> {
			pallet_settlement::Orders::<Runtime>::get(id)
		}

		fn orders_of(
			who: AccountId,
			start: OrderId,
			limit: u32,
		) -> Vec<(OrderId, pallet_settlement::OrderOf<Runtime>)> {
			Settlement::orders_of(&who, start, limit)
		}

		fn uncommitted_escrow(who: AccountId) -> Balance {
			pallet_settlement::Uncommitted::<Runtime>::get(who)
		}
	}

	#[api_version(3)]
	impl pallet_matching_runtime_api::MatchingApi<Block, AccountId> for Runtime {
		fn phase() -> pallet_matching::PeriodPhase {
			Matching::period_phase()
		}

		fn book(period: u32) -> pallet_matching::Book<AccountId> {
			Matching::book(period)
		}

		fn best_solution() -> Option<pallet_matching::NamedSolution<AccountId>> {
			Matching::best_solution()
		}

		fn last_adopted() -> Option<pallet_matching::Adoption> {
			pallet_matching::LastAdopted::<Runtime>::get()
		}

		fn preview() -> Option<pallet_matching::Preview<AccountId>> {
			Matching::preview()
		}

		fn solver_input() -> pallet_matching::SolverInput<AccountId> {
			Matching::solver_input()
		}

		fn solution_transaction(
			assignment: Vec<Option<u32>>,
		) -> Result<pallet_matching::SolutionTransaction, pallet_matching::Infeasible> {
			Matching::solution_transaction(&assignment)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use sp_core::storage::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// An error here is a failed migration check: stop with a backtrace.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
