//! The regions through the runtime: the presets' roles, real regional blocks carrying their
//! difficulty digest (a lying digest refused by the region's own runtime), and those blocks'
//! headers followed and confirmed by the coordinator's light client.

use crate::{
	genesis_config_presets::{self, region_preset, COORDINATOR_PRESET, REGIONS},
	testing::mined_header,
	AccountId, Block, Executive, Header, Registration, Runtime, RuntimeCall, RuntimeOrigin,
	ShardProxy, System, TimestampCall, UncheckedExtrinsic, TARGET_BLOCK_TIME_MS,
};
use gridshard_primitives::{
	difficulty::{DifficultyDigest, ADJUSTMENT},
	region::ChainRole,
	Hash, RegionId,
};
use pallet_shard_proxy::{mining::seal, Checkpoint};
use sp_core::U256;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Header as _, StateVersion};

/// The first block's timestamp on the test region (ms).
const START: u64 = 1_700_000_000_000;

fn preset_ext(preset: &str) -> sp_io::TestExternalities {
	genesis_config_presets::preset_storage(preset).into()
}

/// A region's chain run natively: its genesis header and its sealed blocks.
struct RegionRun {
	genesis: Header,
	blocks: Vec<Block>,
}

/// Runs `count` blocks of `region`'s chain, 6 s apart, at the smallest difficulty (set at
/// genesis), each sealed as a miner seals it. Answers the genesis header and the blocks.
fn run_region(region: RegionId, count: u32) -> RegionRun {
	let miner: AccountId = Sr25519Keyring::Charlie.to_account_id();
	let mut ext = preset_ext(&region_preset(region));
	ext.execute_with(|| {
		pallet_difficulty::CurrentDifficulty::<Runtime>::put(ADJUSTMENT.min_difficulty);
		let state_root = Hash::from_slice(&sp_io::storage::root(StateVersion::V1));
		let genesis = Header::new(0, Hash::zero(), state_root, Hash::zero(), Default::default());
		let mut parent = genesis.hash();
		let mut blocks = Vec::new();
		for number in 1..=count {
			Executive::initialize_block(&mined_header(number, parent, &miner));
			let now = START + u64::from(number) * TARGET_BLOCK_TIME_MS;
			let inherent =
				UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(TimestampCall::set { now }));
			Executive::apply_extrinsic(inherent.clone()).unwrap().unwrap();
			let mut header = Executive::finalize_block();
			let digest = DifficultyDigest::find(header.digest()).expect("the runtime deposits it");
			assert_eq!(digest.timestamp, now);
			seal(&mut header, digest.difficulty, 0);
			parent = header.hash();
			blocks.push(Block { header, extrinsics: vec![inherent] });
		}
		RegionRun { genesis, blocks }
	})
}

#[test]
fn each_named_network_has_its_role_and_its_own_genesis() {
	let mut roots = Vec::new();
	for region in REGIONS {
		preset_ext(&region_preset(region)).execute_with(|| {
			assert_eq!(ShardProxy::chain_role(), ChainRole::Region(region));
			for participant in genesis_config_presets::market_participants_of(region) {
				let record = Registration::participant(&participant.account).unwrap();
				assert_eq!(record.region, region);
			}
			roots.push(sp_io::storage::root(StateVersion::V1));
		});
	}
	preset_ext(COORDINATOR_PRESET).execute_with(|| {
		assert_eq!(ShardProxy::chain_role(), ChainRole::Coordinator);
		roots.push(sp_io::storage::root(StateVersion::V1));
	});
	for preset in ["development", "local_testnet"] {
		preset_ext(preset).execute_with(|| {
			assert_eq!(ShardProxy::chain_role(), ChainRole::Standalone);
		});
	}
	roots.sort();
	roots.dedup();
	assert_eq!(roots.len(), REGIONS.len() + 1, "every region and the coordinator differ");
}

#[test]
fn a_region_refuses_a_block_whose_difficulty_digest_lies() {
	let run = run_region(2, 2);
	// The honest blocks import on a fresh node of the region.
	let mut ext = preset_ext(&region_preset(2));
	ext.execute_with(|| {
		pallet_difficulty::CurrentDifficulty::<Runtime>::put(ADJUSTMENT.min_difficulty);
		let mut block = run.blocks[0].clone();
		block.header.digest_mut().pop();
		Executive::execute_block(block.into());
		// A second block claiming a difficulty twice the real one does not.
		let mut lying = run.blocks[1].clone();
		lying.header.digest_mut().pop();
		for item in lying.header.digest_mut().logs.iter_mut() {
			if let Some(digest) =
				DifficultyDigest::find(&sp_runtime::Digest { logs: vec![item.clone()] })
			{
				*item = DifficultyDigest { difficulty: digest.difficulty * 2, ..digest }
					.to_digest_item();
			}
		}
		let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
			Executive::execute_block(lying.into());
		}));
		let panic = refused.expect_err("a header whose digest lies must not import");
		let message = panic
			.downcast_ref::<String>()
			.cloned()
			.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
			.unwrap_or_default();
		assert!(
			message.contains("Digest item must match"),
			"refused for another reason: {message}"
		);
	});
}

#[test]
fn the_coordinator_follows_and_confirms_a_regions_real_blocks() {
	use frame_support::traits::Get;
	let k: u32 = <Runtime as pallet_shard_proxy::Config>::Confirmations::get();
	let count = k + 8;
	let run = run_region(2, count);
	preset_ext(COORDINATOR_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(START + u64::from(count) * TARGET_BLOCK_TIME_MS);
		assert!(ShardProxy::register_region(
			RuntimeOrigin::root(),
			2,
			Box::new(Checkpoint {
				header: run.genesis.clone(),
				window: Default::default(),
				next_difficulty: ADJUSTMENT.min_difficulty,
			}),
		)
		.is_ok());
		let relayer = RuntimeOrigin::signed(Sr25519Keyring::Ferdie.to_account_id());
		let headers: Vec<Header> = run.blocks.iter().map(|block| block.header.clone()).collect();
		for batch in headers.chunks(8) {
			let info = ShardProxy::submit_headers(relayer.clone(), 2, batch.to_vec()).unwrap();
			assert_eq!(info.pays_fee, frame_support::dispatch::Pays::No);
		}
		let status = pallet_shard_proxy::Regions::<Runtime>::get(2).unwrap();
		assert_eq!(status.best.hash, headers.last().unwrap().hash());
		assert_eq!(status.confirmed.number, count - k);
		// The confirmed headers are the region's own blocks, with their real state roots.
		for header in &headers[..(count - k) as usize] {
			assert_eq!(
				pallet_shard_proxy::Canonical::<Runtime>::get(2, header.number),
				Some(header.hash())
			);
			let stored = pallet_shard_proxy::Headers::<Runtime>::get(2, header.hash()).unwrap();
			assert_eq!(stored.state_root, header.state_root);
			assert_eq!(stored.difficulty, U256::from(1_000));
		}
		ShardProxy::do_try_state().unwrap();
	});
}

#[test]
fn a_participant_of_another_region_cannot_register_on_a_regions_chain() {
	preset_ext(&region_preset(1)).execute_with(|| {
		System::set_block_number(1);
		let who = Sr25519Keyring::One.to_account_id();
		let mut application = pallet_registration::Application {
			role: pallet_registration::Role::User {
				connection: pallet_registration::GridConnection {
					point: b"feeder-7".to_vec(),
					voltage: pallet_registration::VoltageLevel::Low,
				},
			},
			region: 2,
			name: b"Household C".to_vec(),
			meter_id: b"MTR-C".to_vec(),
			meter_key: gridshard_primitives::MeterKey::from_raw([1; 32]),
			meter_key_proof: sp_core::sr25519::Signature::from_raw([0; 64]),
			settlement_commitment: Hash::zero(),
		};
		let refused =
			Registration::apply(RuntimeOrigin::signed(who.clone()), Box::new(application.clone()));
		assert_eq!(refused, Err(pallet_registration::Error::<Runtime>::RegionNotServed.into()));
		// Region 1's own application gets past the region check (to the meter key's proof).
		application.region = 1;
		let refused = Registration::apply(RuntimeOrigin::signed(who), Box::new(application));
		assert_eq!(refused, Err(pallet_registration::Error::<Runtime>::BadMeterKeyProof.into()));
	});
}
