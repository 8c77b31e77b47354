//! The genesis of GridShard's named networks.
//!
//! - `development` (`--dev`, `--chain dev`): one mining node; Alice is the superuser; the
//!   well-known development accounts are funded; the first blocks are easy so that the chain
//!   mines at once, and the difficulty adjustment finds the node's hashrate within a minute.
//! - `local_testnet` (`--chain local`): the paper's four main service nodes, each mining with
//!   its own account: the energy bureau (Alice), the grid company (Bob), the notary (Charlie)
//!   and the trading centre (Dave). The keys are the public development keys: this network is
//!   for testing on one machine, never for value.

use crate::{
	AccountId, Balance, BalancesConfig, DifficultyConfig, RuntimeGenesisConfig, SudoConfig, GRID,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::Sr25519Keyring;

/// What every endowed account holds at genesis.
pub const ENDOWMENT: Balance = 1_000_000 * GRID;

/// The first block's difficulty on the development chain: ~0.1 s of one CPU thread.
pub const DEV_INITIAL_DIFFICULTY: u128 = 100_000;

/// The first block's difficulty on the local network of four miners.
pub const LOCAL_INITIAL_DIFFICULTY: u128 = 1_000_000;

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

fn genesis(endowed: Vec<AccountId>, root: AccountId, initial_difficulty: u128) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|account| (account, ENDOWMENT)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		difficulty: DifficultyConfig { initial_difficulty },
	})
}

/// The development chain's genesis.
pub fn development_config_genesis() -> Value {
	genesis(
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		DEV_INITIAL_DIFFICULTY,
	)
}

/// The local network's genesis: the four main service nodes and two spare accounts.
pub fn local_config_genesis() -> Value {
	let mut endowed: Vec<AccountId> =
		main_service_nodes().into_iter().map(|(_, account)| account).collect();
	endowed.push(Sr25519Keyring::Eve.to_account_id());
	endowed.push(Sr25519Keyring::Ferdie.to_account_id());
	genesis(endowed, Sr25519Keyring::Alice.to_account_id(), LOCAL_INITIAL_DIFFICULTY)
}

/// The JSON patch of a named preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work; qed")
			.into_bytes(),
	)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
