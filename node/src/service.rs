//! The node's service: client, import queue, network, RPC, off-chain workers and the miner.

use crate::{
	cli::MiningParams,
	miner::{self, MiningStats},
	pow::GridShardPow,
	rpc::mining::MiningInfo,
};
use codec::Encode;
use futures::FutureExt;
use gridshard_primitives::{AccountId, Hash};
use gridshard_runtime::{opaque::Block, RuntimeApi};
use sc_client_api::Backend;
use sc_consensus_pow::PowBlockImport;
use sc_service::{error::Error as ServiceError, ChainType, Configuration, TaskManager};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_keyring::Sr25519Keyring;
use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::Duration,
};
use substrate_prometheus_endpoint::{register, Gauge, PrometheusError, Registry, U64};

/// The client of a full node.
pub type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// Inherents are checked on import from the first block on.
const CHECK_INHERENTS_AFTER: u32 = 0;

/// The mining worker rebuilds its block after this long without an import, so that new
/// transactions and a fresh timestamp make it in.
const REBUILD_TIMEOUT: Duration = Duration::from_secs(5);

/// The most time one block proposal may take to build.
const BUILD_TIME: Duration = Duration::from_secs(2);

/// How often the miner's progress is logged.
const PROGRESS_INTERVAL: Duration = Duration::from_secs(30);

/// The parts of the service that subcommands need too.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	GridShardPow<FullClient>,
>;

/// The inherent data of a block: its timestamp, from the system clock.
async fn inherent_data_providers(
	_parent: Hash,
	_: (),
) -> Result<sp_timestamp::InherentDataProvider, Box<dyn std::error::Error + Send + Sync>> {
	Ok(sp_timestamp::InherentDataProvider::from_system_time())
}

/// The proof-of-work block import over the client: checks seals and inherents, and picks the
/// best chain by total difficulty. The import queue and the mining worker each get one.
fn pow_block_import(
	client: &Arc<FullClient>,
	algorithm: &GridShardPow<FullClient>,
	select_chain: &FullSelectChain,
) -> sc_consensus::BoxBlockImport<Block> {
	Box::new(PowBlockImport::new(
		client.clone(),
		client.clone(),
		algorithm.clone(),
		CHECK_INHERENTS_AFTER,
		select_chain.clone(),
		inherent_data_providers,
	))
}

/// Builds the client, the transaction pool and the proof-of-work import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(config, None, executor, Vec::new())?;
	let client = Arc::new(client);
	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let algorithm = GridShardPow::new(client.clone());
	let import_queue = sc_consensus_pow::import_queue(
		pow_block_import(&client, &algorithm, &select_chain),
		None,
		algorithm.clone(),
		&task_manager.spawn_essential_handle(),
		config.prometheus_registry(),
	)?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: algorithm,
	})
}

/// Who mines, with how many threads at which pace, for which account.
fn mining_setup(
	config: &Configuration,
	params: &MiningParams,
) -> Result<Option<(AccountId, usize, miner::Pace)>, ServiceError> {
	if !config.role.is_authority() || params.mining_threads == 0 {
		return Ok(None);
	}
	let author = match (&params.author, config.chain_spec.chain_type()) {
		(Some(author), _) => author.clone(),
		(None, ChainType::Development) => Sr25519Keyring::Alice.to_account_id(),
		(None, _) => {
			return Err(ServiceError::Other(
				"a mining node needs `--author <SS58>`: the account its block rewards go to \
				 (or run without `--validator`, or with `--mining-threads 0`)"
					.into(),
			))
		}
	};
	Ok(Some((author, params.mining_threads, params.pace())))
}

/// The miner's Prometheus gauges (the node's registry labels them with the chain's id).
struct MiningMetrics {
	hashrate: Gauge<U64>,
	blocks_mined: Gauge<U64>,
}

impl MiningMetrics {
	fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			hashrate: register(
				Gauge::new(
					"gridshard_mining_hashrate",
					"Hashes per second of this node's miner, over the last ten seconds",
				)?,
				registry,
			)?,
			blocks_mined: register(
				Gauge::new(
					"gridshard_mining_blocks_mined",
					"Blocks this node mined since it started",
				)?,
				registry,
			)?,
		})
	}
}

/// Sets a flag when dropped: stops the miner threads when the node's tasks end.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
	fn drop(&mut self) {
		self.0.store(true, Ordering::Relaxed);
	}
}

/// Builds and starts a full node, and its miner on an authority.
pub fn new_full<N: sc_network::NetworkBackend<Block, Hash>>(
	config: Configuration,
	mining: MiningParams,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: algorithm,
	} = new_partial(&config)?;

	let mining = mining_setup(&config, &mining)?;

	let net_config = sc_network::config::FullNetworkConfiguration::<Block, Hash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: None,
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: false,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let stats = Arc::new(MiningStats::default());
	let mining_info = MiningInfo {
		enabled: mining.is_some(),
		author: mining.as_ref().map(|(author, _, _)| author.clone()),
		stats: stats.clone(),
	};
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_builder = {
		let (client, pool) = (client.clone(), transaction_pool.clone());
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				mining: mining_info.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network,
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: None,
		tracing_execute_block: None,
	})?;

	if let Some((author, threads, pace)) = mining {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool,
			prometheus_registry.as_ref(),
			None,
		);
		let (handle, worker) = sc_consensus_pow::start_mining_worker(
			pow_block_import(&client, &algorithm, &select_chain),
			client,
			select_chain,
			algorithm,
			proposer_factory,
			sync_service.clone(),
			sync_service,
			Some(author.encode()),
			inherent_data_providers,
			REBUILD_TIMEOUT,
			BUILD_TIME,
		);
		task_manager.spawn_essential_handle().spawn_blocking(
			"pow-mining-worker",
			Some("pow"),
			worker,
		);

		let stop = Arc::new(AtomicBool::new(false));
		miner::spawn(handle, threads, pace, stats.clone(), stop.clone())
			.map_err(|e| ServiceError::Other(format!("starting the miner threads: {e}")))?;
		log::info!(
			target: "pow",
			"⛏  mining with {threads} thread(s) at {pace:?}, rewards to {}",
			sp_core::crypto::Ss58Codec::to_ss58check(&author)
		);

		let metrics = match prometheus_registry.as_ref().map(MiningMetrics::register) {
			Some(Ok(metrics)) => Some(metrics),
			Some(Err(e)) => {
				log::warn!(target: "pow", "mining metrics not registered: {e}");
				None
			}
			None => None,
		};
		task_manager.spawn_handle().spawn("mining-stats", Some("pow"), async move {
			let _stop_miners = StopOnDrop(stop);
			let mut ticks = 0u64;
			loop {
				tokio::time::sleep(Duration::from_secs(1)).await;
				stats.sample();
				if let Some(metrics) = &metrics {
					metrics.hashrate.set(stats.hashrate());
					metrics.blocks_mined.set(stats.blocks_mined.load(Ordering::Relaxed));
				}
				ticks += 1;
				if ticks.is_multiple_of(PROGRESS_INTERVAL.as_secs()) {
					log::info!(
						target: "pow",
						"⛏  {} H/s, {} blocks mined",
						stats.hashrate(),
						stats.blocks_mined.load(Ordering::Relaxed)
					);
				}
			}
		});
	}

	Ok(task_manager)
}
