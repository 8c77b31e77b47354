//! The genesis of GridShard's named networks.
//!
//! - `development` (`--dev`, `--chain dev`): one mining node; Alice is the superuser; the
//!   well-known development accounts are funded; the first blocks are easy so that the chain
//!   mines at once, and the difficulty adjustment finds the node's hashrate within a minute.
//! - `local_testnet` (`--chain local`): the paper's four main service nodes, each mining with
//!   its own account: the energy bureau (Alice), the grid company (Bob), the notary (Charlie)
//!   and the trading centre (Dave). The keys are the public development keys: this network is
//!   for testing on one machine, never for value.
//!
//! - `region-1`, `region-2`, `region-3` (`--chain region-N`): the chain of one region (paper,
//!   section 4.3), mined by that region's own nodes; its role admits only the region's
//!   participants, and its genesis (hence its genesis hash) differs from every other chain's.
//! - `coordinator` (`--chain coordinator`): the coordinating chain, mined by the four main
//!   service nodes; it keeps a light client of each region and runs no market.
//!
//! All networks start with the four main service nodes as the qualification council (the grid
//! company also receives grid fees, the trading centre resolves disputes) and a funded reward
//! pot; `dev`, `local` and each region approve [`market_participants`] of their region: two
//! providers and two households, each with a meter whose key is the development key
//! `<account seed>//meter` (so tests and demos can sign its readings). The regions and the
//! coordinator endow every well-known development account (relayers included).

use crate::{
	configs::RewardPot, AccountId, Balance, BalancesConfig, DifficultyConfig, PeriodRecordsConfig,
	QualificationCouncilConfig, RegistrationConfig, RuntimeGenesisConfig, SettlementConfig,
	ShardProxyConfig, SudoConfig, GRID,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use gridshard_primitives::MeterKey;
use gridshard_primitives::{region::ChainRole, RegionId};
use pallet_registration::{GenerationKind, GenesisParticipant, GridConnection, Role, VoltageLevel};
use serde_json::Value;
use sp_core::{hex2array, H256};
use sp_genesis_builder::{self, PresetId};
use sp_keyring::Sr25519Keyring;

/// What every endowed account holds at genesis.
pub const ENDOWMENT: Balance = 1_000_000 * GRID;

/// What the market's reward pot holds at genesis: ten thousand full-delivery rewards.
pub const REWARD_POT_ENDOWMENT: Balance = 10_000 * GRID;

/// The first block's difficulty on the development chain: ~0.1 s of one CPU thread.
pub const DEV_INITIAL_DIFFICULTY: u128 = 100_000;

/// The first block's difficulty on the local network of four miners.
pub const LOCAL_INITIAL_DIFFICULTY: u128 = 1_000_000;

/// The regions of the named networks: `region-1`, `region-2` and `region-3`.
pub const REGIONS: [RegionId; 3] = [1, 2, 3];

/// The preset of the coordinating chain.
pub const COORDINATOR_PRESET: &str = "coordinator";

/// The preset of region `region`'s chain: `region-<id>`.
pub fn region_preset(region: RegionId) -> alloc::string::String {
	alloc::format!("region-{region}")
}

/// The account region `region`'s governance names its proxy at genesis (the named networks'
/// relays sign with it): Eve for region 1, Ferdie for region 2, Charlie for region 3.
pub fn region_proxy(region: RegionId) -> Option<AccountId> {
	let keyring = match region {
		1 => Sr25519Keyring::Eve,
		2 => Sr25519Keyring::Ferdie,
		3 => Sr25519Keyring::Charlie,
		_ => return None,
	};
	Some(keyring.to_account_id())
}

/// The paper's main service nodes on the local network, in this order: energy bureau, grid
/// company, notary, trading centre.
pub fn main_service_nodes() -> [(&'static str, AccountId); 4] {
	[
		("energy bureau", Sr25519Keyring::Alice.to_account_id()),
		("grid company", Sr25519Keyring::Bob.to_account_id()),
		("notary", Sr25519Keyring::Charlie.to_account_id()),
		("trading centre", Sr25519Keyring::Dave.to_account_id()),
	]
}

/// The key pair of `keyring`'s development meter, derived as `<account seed>//meter` (for
/// example `//Eve//meter`, `//Alice//stash//meter`): what tests, demos and tools sign meter
/// readings with.
#[cfg(feature = "std")]
pub fn development_meter(keyring: Sr25519Keyring) -> sp_core::sr25519::Pair {
	use sp_core::Pair;
	let seed = alloc::format!("//{}//meter", <&str>::from(keyring));
	sp_core::sr25519::Pair::from_string(&seed, None).expect("a valid derivation path; qed")
}

/// The public key of `keyring`'s [`development_meter`] (for example
/// `//Eve//meter`, `//Alice//stash//meter`), for the meters of [`market_participants`]; the
/// runtime's tests check each constant against the derivation. `None` for accounts without a
/// meter.
pub fn development_meter_key(keyring: Sr25519Keyring) -> Option<MeterKey> {
	Some(MeterKey::from_raw(match keyring {
		Sr25519Keyring::Eve => {
			hex2array!("e460e34e43a4e2e1495c40477c142838ae876bfe186a1d677cc9ee5a3926311b")
		}
		Sr25519Keyring::Ferdie => {
			hex2array!("2aeebd609608ced5712ae8b4f1aca5da140f55d9b1143180a16b8fbec510a456")
		}
		Sr25519Keyring::AliceStash => {
			hex2array!("ccd8b2eb5754cc000c25286c593a3ae7a2a9f5dfc66497670a7214b15c0ef050")
		}
		Sr25519Keyring::BobStash => {
			hex2array!("9c5618cf5912ce3719f27694684389578d06f94a6919c6a722b301f336e57345")
		}
		_ => return None,
	}))
}

/// The providers and users approved at genesis on `dev` and `local`: Eve's solar roof and
/// Ferdie's wind turbine sell; two households (the Alice and Bob stash accounts) buy. All trade
/// in region 1.
pub fn market_participants() -> Vec<GenesisParticipant<AccountId>> {
	market_participants_of(1)
}

/// The same four participants trading in `region`: on region `N`'s chain (`N > 1`) their meter
/// IDs start with `R<N>-`, so that no meter ID is shared between regions.
pub fn market_participants_of(region: RegionId) -> Vec<GenesisParticipant<AccountId>> {
	let meter = |id: &str| match region {
		1 => id.into(),
		_ => alloc::format!("R{region}-{id}"),
	};
	let connection = |point: &str, voltage| GridConnection { point: point.into(), voltage };
	let participant =
		|keyring: Sr25519Keyring, name: &str, role, meter_id: &str| GenesisParticipant {
			account: keyring.to_account_id(),
			role,
			region,
			name: name.into(),
			meter_id: meter(meter_id),
			meter_key: development_meter_key(keyring).expect("each participant has a meter; qed"),
			settlement_commitment: H256::repeat_byte(keyring as u8),
		};
	vec![
		participant(
			Sr25519Keyring::Eve,
			"Eve Solar",
			Role::Provider {
				kind: GenerationKind::Photovoltaic,
				rated_power_w: 50_000,
				connection: connection("feeder-1/pv-eve", VoltageLevel::Low),
			},
			"MTR-EVE-0001",
		),
		participant(
			Sr25519Keyring::Ferdie,
			"Ferdie Wind",
			Role::Provider {
				kind: GenerationKind::Wind,
				rated_power_w: 2_000_000,
				connection: connection("substation-3/wind-ferdie", VoltageLevel::Medium),
			},
			"MTR-FERDIE-0001",
		),
		participant(
			Sr25519Keyring::AliceStash,
			"Household A",
			Role::User { connection: connection("feeder-1/house-12", VoltageLevel::Low) },
			"MTR-HOUSE-0012",
		),
		participant(
			Sr25519Keyring::BobStash,
			"Household B",
			Role::User { connection: connection("feeder-2/house-40", VoltageLevel::Low) },
			"MTR-HOUSE-0040",
		),
	]
}

fn genesis(
	endowed: Vec<AccountId>,
	root: Option<AccountId>,
	initial_difficulty: u128,
	role: ChainRole,
	participants: Vec<GenesisParticipant<AccountId>>,
) -> Value {
	let proxy = match role {
		ChainRole::Region(region) => region_proxy(region),
		_ => None,
	};
	let [_, (_, grid_company), _, (_, trading_centre)] = main_service_nodes();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed
				.into_iter()
				.map(|account| (account, ENDOWMENT))
				.chain([(RewardPot::get(), REWARD_POT_ENDOWMENT)])
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: root },
		difficulty: DifficultyConfig { initial_difficulty },
		qualification_council: QualificationCouncilConfig {
			members: main_service_nodes().into_iter().map(|(_, account)| account).collect(),
		},
		registration: RegistrationConfig { participants },
		shard_proxy: ShardProxyConfig { role },
		period_records: PeriodRecordsConfig { proxy },
		settlement: SettlementConfig {
			grid_operator: Some(grid_company.clone()),
			trading_centre: Some(trading_centre.clone()),
		},
	})
}

/// The development chain's genesis.
pub fn development_config_genesis() -> Value {
	genesis(
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		DEV_INITIAL_DIFFICULTY,
		ChainRole::Standalone,
		market_participants(),
	)
}

/// The local network's genesis: the four main service nodes and the market participants.
pub fn local_config_genesis() -> Value {
	let mut endowed: Vec<AccountId> =
		main_service_nodes().into_iter().map(|(_, account)| account).collect();
	endowed.extend(market_participants().into_iter().map(|participant| participant.account));
	genesis(endowed, None, LOCAL_INITIAL_DIFFICULTY, ChainRole::Standalone, market_participants())
}

/// Region `region`'s genesis: its role, its own participants, the development accounts.
pub fn region_config_genesis(region: RegionId) -> Value {
	genesis(
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		None,
		LOCAL_INITIAL_DIFFICULTY,
		ChainRole::Region(region),
		market_participants_of(region),
	)
}

/// The coordinating chain's genesis: its role, no market participants, the development accounts.
pub fn coordinator_config_genesis() -> Value {
	genesis(
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		None,
		LOCAL_INITIAL_DIFFICULTY,
		ChainRole::Coordinator,
		Vec::new(),
	)
}

/// The genesis storage of a named preset, for native tests and tools that run the runtime
/// without a node.
#[cfg(feature = "std")]
pub fn preset_storage(id: &str) -> sp_runtime::Storage {
	use sp_runtime::BuildStorage;
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			}
			(base, patch) => *base = patch,
		}
	}
	let patch = get_preset(&id.into()).unwrap_or_else(|| panic!("no preset {id}"));
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serialises");
	merge(&mut config, serde_json::from_slice(&patch).expect("the preset is JSON"));
	let config: RuntimeGenesisConfig = serde_json::from_value(config).expect("a valid genesis");
	config.build_storage().expect("the genesis builds")
}

/// The JSON patch of a named preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		COORDINATOR_PRESET => coordinator_config_genesis(),
		other => {
			let region = REGIONS.into_iter().find(|region| other == region_preset(*region))?;
			region_config_genesis(region)
		}
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work; qed")
			.into_bytes(),
	)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	let mut names = vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(COORDINATOR_PRESET),
	];
	names.extend(REGIONS.map(|region| PresetId::from(region_preset(region).as_str())));
	names
}
