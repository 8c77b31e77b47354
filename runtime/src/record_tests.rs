//! A region's record of a period through real runtimes: region 1's chain runs a market period
//! block by block (offers, requests, adoption by the chain's fallback, automatic settlement of
//! silent meters, payout), writes the record into its state; the coordinator follows the
//! region's sealed headers, bonds the region's genesis proxy on a proof of its nomination, takes
//! its announcement, and verifies it with a storage proof against the real state root.

use crate::{
	genesis_config_presets::{self, region_preset, COORDINATOR_PRESET},
	testing::{check_invariants, mined_header},
	AccountId, Executive, Header, MatchingCall, PeriodRecords, Runtime, RuntimeCall, RuntimeOrigin,
	ShardProxy, System, TimestampCall, UncheckedExtrinsic, MILLI_GRID, PERIOD_BLOCKS,
	TARGET_BLOCK_TIME_MS,
};
use frame_support::traits::{Get, UnfilteredDispatchable};
use gridshard_primitives::{
	difficulty::{DifficultyDigest, ADJUSTMENT},
	record::{PeriodRecord, RegionalStorageKeys},
	Hash,
};
use pallet_shard_proxy::{mining::seal, Checkpoint, RecordStatus};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Header as _, StateVersion};

/// The first block's timestamp on the test region (ms).
const START: u64 = 1_700_000_000_000;
const REGION: u16 = 1;

fn dispatch(call: RuntimeCall, who: Sr25519Keyring) {
	call.dispatch_bypass_filter(RuntimeOrigin::signed(who.to_account_id()))
		.expect("the call succeeds");
}

/// Region 1's chain: its externalities, genesis header and sealed headers so far.
struct Region {
	ext: sp_io::TestExternalities,
	genesis: Header,
	headers: Vec<Header>,
}

impl Region {
	fn new() -> Self {
		let mut ext: sp_io::TestExternalities =
			genesis_config_presets::preset_storage(&region_preset(REGION)).into();
		let genesis = ext.execute_with(|| {
			pallet_difficulty::CurrentDifficulty::<Runtime>::put(ADJUSTMENT.min_difficulty);
			let root = Hash::from_slice(&sp_io::storage::root(StateVersion::V1));
			Header::new(0, Hash::zero(), root, Hash::zero(), Default::default())
		});
		ext.commit_all().expect("commits");
		Self { ext, genesis, headers: Vec::new() }
	}

	/// Runs the next block: the timestamp, then `body`; seals it as a miner would.
	fn block(&mut self, body: impl FnOnce()) {
		let miner: AccountId = Sr25519Keyring::Charlie.to_account_id();
		let number = self.headers.len() as u32 + 1;
		let parent = self.headers.last().unwrap_or(&self.genesis).hash();
		let header = self.ext.execute_with(|| {
			Executive::initialize_block(&mined_header(number, parent, &miner));
			let now = START + u64::from(number) * TARGET_BLOCK_TIME_MS;
			let inherent =
				UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(TimestampCall::set { now }));
			Executive::apply_extrinsic(inherent).unwrap().unwrap();
			body();
			let mut header = Executive::finalize_block();
			check_invariants();
			let digest = DifficultyDigest::find(header.digest()).expect("the runtime deposits it");
			seal(&mut header, digest.difficulty, 0);
			header
		});
		self.ext.commit_all().expect("commits");
		self.headers.push(header);
	}

	/// The storage proof of `key` at the latest block, checked against its state root.
	fn prove(&mut self, key: &[u8]) -> Vec<Vec<u8>> {
		let (_, proof) = self.ext.execute_and_prove(|| sp_io::storage::get(key));
		let root = self.headers.last().expect("a block").state_root;
		let nodes: Vec<Vec<u8>> = proof.into_iter_nodes().collect();
		assert!(
			gridshard_primitives::proof::read_proven(root, nodes.clone(), key)
				.expect("a valid proof")
				.is_some(),
			"the key is in the state of the latest block"
		);
		nodes
	}

	fn record(&mut self, period: u32) -> Option<PeriodRecord> {
		self.ext.execute_with(|| PeriodRecords::record(period))
	}
}

#[test]
fn a_record_written_by_a_region_is_proven_against_its_real_state_root() {
	let mut region = Region::new();
	// Block 1: Eve offers 10 kWh at 0.2 GRID; two households ask for 8 and 6 kWh.
	region.block(|| {
		let offer = MatchingCall::post_offer { price: 200 * MILLI_GRID, capacity: 10_000 };
		dispatch(RuntimeCall::Matching(offer), Sr25519Keyring::Eve);
		for (user, energy) in
			[(Sr25519Keyring::AliceStash, 8_000), (Sr25519Keyring::BobStash, 6_000)]
		{
			let request = MatchingCall::post_request { energy, limit: Some(300 * MILLI_GRID) };
			dispatch(RuntimeCall::Matching(request), user);
		}
	});
	// No worker here: the chain's fallback matches; no meter reports, so the orders settle
	// automatically at their deadline and pay out; then the record is written.
	while region.record(0).is_none() {
		assert!(region.headers.len() < 8 * PERIOD_BLOCKS as usize, "the record is written");
		region.block(|| {});
	}
	let record = region.record(0).expect("written");
	assert_eq!((record.region, record.period, record.orders), (REGION, 0, 1));
	assert_eq!((record.energy_matched, record.energy_delivered), (8_000, 0));
	assert_eq!(record.unmatched_demand, 6_000, "Eve could not take both requests");
	assert_eq!(record.spare_capacity, 2_000);
	assert!(record.penalties > 0 && record.paid == 0, "nothing delivered, all refunded");

	let anchor = region.headers.last().expect("blocks").clone();
	let record_proof = region.prove(&crate::configs::RegionalKeys::record_key(0));
	let proxy_proof = region.prove(&crate::configs::RegionalKeys::proxy_key());
	// k more blocks confirm the anchor on the coordinator.
	let k: u32 = <Runtime as pallet_shard_proxy::Config>::Confirmations::get();
	for _ in 0..k {
		region.block(|| {});
	}

	let mut coordinator: sp_io::TestExternalities =
		genesis_config_presets::preset_storage(COORDINATOR_PRESET).into();
	coordinator.execute_with(|| {
		System::set_block_number(1);
		let now = START + (region.headers.len() as u64 + 1) * TARGET_BLOCK_TIME_MS;
		pallet_timestamp::Now::<Runtime>::put(now);
		let checkpoint = Checkpoint {
			header: region.genesis.clone(),
			window: Default::default(),
			next_difficulty: ADJUSTMENT.min_difficulty,
		};
		ShardProxy::register_region(RuntimeOrigin::root(), REGION, Box::new(checkpoint)).unwrap();
		let relayer = RuntimeOrigin::signed(Sr25519Keyring::Ferdie.to_account_id());
		for batch in region.headers.chunks(32) {
			ShardProxy::submit_headers(relayer.clone(), REGION, batch.to_vec()).unwrap();
		}
		let status = pallet_shard_proxy::Regions::<Runtime>::get(REGION).unwrap();
		assert_eq!(status.confirmed.hash, anchor.hash());

		// Eve, region 1's proxy at genesis, bonds on the proof of its nomination and announces.
		let eve = Sr25519Keyring::Eve.to_account_id();
		let origin = RuntimeOrigin::signed(eve.clone());
		ShardProxy::bond(origin.clone(), REGION, anchor.hash(), proxy_proof).unwrap();
		ShardProxy::announce(origin, REGION, 0, record.clone()).unwrap();
		let prover = RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id());
		ShardProxy::prove(prover, REGION, 0, anchor.hash(), record_proof).unwrap();

		let entry = pallet_shard_proxy::Records::<Runtime>::get(REGION, 0).expect("kept");
		assert_eq!((entry.status, entry.record), (RecordStatus::Verified, record));
		assert_eq!(entry.announced_by, Some(eve));
		check_invariants();
	});
}
