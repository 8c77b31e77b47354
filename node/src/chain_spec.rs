//! The named networks (`dev`, `local`, the regions `region-1` to `region-3` and their
//! `coordinator`), and chain specs from JSON files.

use gridshard_primitives::RegionId;
use gridshard_runtime::{
	genesis_config_presets::{region_preset, COORDINATOR_PRESET, REGIONS},
	WASM_BINARY,
};
use sc_service::ChainType;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};

/// A GridShard chain spec.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime's wasm blob was not built (SKIP_WASM_BUILD?)".into())
}

/// Token symbol and decimals, for wallets.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), "GRID".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

/// `dev`: one mining node, easy first blocks, Alice as superuser.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("GridShard Development")
		.with_id("gridshard_dev")
		.with_protocol_id("gridshard-dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `local`: the four main service nodes (energy bureau, grid company, notary, trading centre).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("GridShard Local")
		.with_id("gridshard_local")
		.with_protocol_id("gridshard-local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `region-<N>`: the proof-of-work chain of region `N` (1, 2 or 3), mined by the region's own
/// nodes. Its own genesis, chain id and protocol id keep its nodes apart from every other chain's.
pub fn region_chain_spec(region: RegionId) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(&format!("GridShard Region {region}"))
		.with_id(&format!("gridshard_region_{region}"))
		.with_protocol_id(&format!("gridshard-region-{region}"))
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(&region_preset(region))
		.with_properties(properties())
		.build())
}

/// `coordinator`: the coordinating chain of the regions, mined by the four main service nodes.
pub fn coordinator_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("GridShard Coordinator")
		.with_id("gridshard_coordinator")
		.with_protocol_id("gridshard-coordinator")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(COORDINATOR_PRESET)
		.with_properties(properties())
		.build())
}

/// Loads a chain spec by name (`dev`, `local`, `region-1`, `region-2`, `region-3`,
/// `coordinator`) or from a JSON file path.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	if let Some(region) = REGIONS.into_iter().find(|region| id == region_preset(*region)) {
		return Ok(Box::new(region_chain_spec(region)?));
	}
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" => Box::new(local_chain_spec()?),
		COORDINATOR_PRESET => Box::new(coordinator_chain_spec()?),
		path => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(path))?),
	})
}
