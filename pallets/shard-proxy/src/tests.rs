//! Tests of the light client: valid chains, forks, deep reorganisations, every kind of bad header,
//! batches, pruning, fees and governance.

use crate::{
	mining::{mine_header, seal},
	mock::*,
	Canonical, Checkpoint, DifficultyWindow, Error, Event, Headers, HeadersByNumber, Regions,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec};
use gridshard_primitives::{
	difficulty::{next_difficulty, ADJUSTMENT, WINDOW_LENGTH},
	pow::{meets_difficulty, work_v1, Seal, POW_ENGINE_ID},
	region::{ChainRole, HeaderId},
	Difficulty, Hash, Header, Moment,
};
use sp_runtime::{traits::Header as _, AccountId32, DigestItem, DispatchError};
use std::collections::HashMap;

pub(crate) const REGION: u16 = 1;
/// The clock of the tests' coordinator: every header's timestamp lies below it.
pub(crate) const NOW: u64 = 10_000_000;

pub(crate) fn relayer() -> AccountId32 {
	AccountId32::new([7; 32])
}

fn miner() -> AccountId32 {
	AccountId32::new([9; 32])
}

/// A block of a region as its nodes see it: the header, the difficulty window after it, and the
/// difficulty of its children.
type KnownBlock = (Header, Vec<(Moment, Difficulty)>, Difficulty);

/// A region's chain as its nodes see it: every header with the difficulty window after it and the
/// difficulty of its children, computed by the shared adjustment.
pub(crate) struct RegionChain {
	pub(crate) genesis: Header,
	blocks: HashMap<Hash, KnownBlock>,
	nonce: u64,
}

impl RegionChain {
	fn new() -> Self {
		Self::with_genesis_root(Hash::repeat_byte(1))
	}

	/// A chain whose genesis state root is `root`.
	pub(crate) fn with_genesis_root(root: Hash) -> Self {
		let genesis = Header::new(0, Hash::zero(), root, Hash::zero(), Default::default());
		let mut blocks = HashMap::new();
		blocks.insert(genesis.hash(), (genesis.clone(), Vec::new(), ADJUSTMENT.min_difficulty));
		Self { genesis, blocks, nonce: 0 }
	}

	pub(crate) fn checkpoint(&self) -> Checkpoint {
		Checkpoint {
			header: self.genesis.clone(),
			window: Default::default(),
			next_difficulty: ADJUSTMENT.min_difficulty,
		}
	}

	/// A valid child of `parent` mined `gap` ms after it.
	fn child(&mut self, parent: &Header, gap: u64) -> Header {
		self.child_with_root(parent, gap, Hash::repeat_byte(parent.number as u8 + 2))
	}

	/// A valid child of `parent` mined `gap` ms after it, with the state root `root`.
	pub(crate) fn child_with_root(&mut self, parent: &Header, gap: u64, root: Hash) -> Header {
		let difficulty = self.blocks[&parent.hash()].2;
		let timestamp = self.timestamp(parent) + gap;
		self.nonce += 1_000_000;
		let header = mine_header(
			parent.hash(),
			parent.number + 1,
			root,
			timestamp,
			difficulty,
			&miner(),
			self.nonce,
		);
		self.record(&header);
		header
	}

	/// Records a header built by hand, with its own digest's entry.
	fn record(&mut self, header: &Header) {
		let (_, window, _) = self.blocks[&header.parent_hash].clone();
		let digest = gridshard_primitives::difficulty::DifficultyDigest::find(header.digest())
			.expect("a digest");
		let mut window = window;
		window.push(digest.entry());
		if window.len() > WINDOW_LENGTH as usize {
			window.remove(0);
		}
		let next = next_difficulty(&window, digest.difficulty, &ADJUSTMENT);
		self.blocks.insert(header.hash(), (header.clone(), window, next));
	}

	fn timestamp(&self, header: &Header) -> u64 {
		self.blocks[&header.hash()].1.last().map(|(t, _)| *t).unwrap_or(1_000_000)
	}

	/// `n` valid descendants of `from`, 6 s apart.
	pub(crate) fn extend(&mut self, from: &Header, n: usize) -> Vec<Header> {
		let mut headers = Vec::new();
		let mut parent = from.clone();
		for _ in 0..n {
			let header = self.child(&parent, 6_000);
			headers.push(header.clone());
			parent = header;
		}
		headers
	}

	fn difficulty_of_child(&self, parent: &Header) -> Difficulty {
		self.blocks[&parent.hash()].2
	}
}

pub(crate) fn register(chain: &RegionChain) {
	assert_ok!(ShardProxy::register_region(
		frame_system::RawOrigin::Root.into(),
		REGION,
		Box::new(chain.checkpoint())
	));
}

pub(crate) fn submit(headers: &[Header]) -> Result<Pays, DispatchError> {
	ShardProxy::submit_headers(RuntimeOrigin::signed(relayer()), REGION, headers.to_vec())
		.map(|info| info.pays_fee)
		.map_err(|e| e.error)
}

fn id(header: &Header) -> HeaderId {
	HeaderId { hash: header.hash(), number: header.number }
}

fn status() -> gridshard_primitives::region::RegionStatus {
	Regions::<Test>::get(REGION).expect("the region is registered")
}

/// Submitting `headers` fails with `error` and changes nothing.
fn assert_refused(headers: &[Header], error: Error<Test>) {
	assert_noop!(
		ShardProxy::submit_headers(RuntimeOrigin::signed(relayer()), REGION, headers.to_vec()),
		error
	);
}

#[test]
fn a_valid_chain_is_followed_and_confirmed_k_deep_for_free() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let headers = chain.extend(&chain.genesis.clone(), 8);
		assert_eq!(submit(&headers), Ok(Pays::No));
		let after = status();
		assert_eq!(after.best, id(&headers[7]));
		assert_eq!(after.confirmed, id(&headers[7 - K as usize]));
		assert_eq!(after.headers, 9);
		assert_eq!(after.best_total_difficulty, Difficulty::from(8_000));
		for header in &headers[..=(7 - K as usize)] {
			assert_eq!(Canonical::<Test>::get(REGION, header.number), Some(header.hash()));
		}
		assert_eq!(Canonical::<Test>::get(REGION, 8 - K + 1), None);
		assert_eq!(ShardProxy::best_chain_depth(REGION, headers[7].hash()), Some(0));
		assert_eq!(ShardProxy::best_chain_depth(REGION, headers[2].hash()), Some(5));
		let stored = Headers::<Test>::get(REGION, headers[3].hash()).unwrap();
		assert_eq!(stored.state_root, headers[3].state_root);
		System::assert_last_event(
			Event::HeadersImported {
				region: REGION,
				relayer: relayer(),
				first: id(&headers[0]),
				last: id(&headers[7]),
				best: id(&headers[7]),
				confirmed: id(&headers[7 - K as usize]),
			}
			.into(),
		);
		// Batch by batch, the same.
		let more = chain.extend(&headers[7], 3);
		assert_eq!(submit(&more[..1]), Ok(Pays::No));
		assert_eq!(submit(&more[1..]), Ok(Pays::No));
		assert_eq!(status().best, id(&more[2]));
		assert_eq!(status().confirmed.number, 11 - K);
	});
}

#[test]
fn the_difficulty_follows_the_regions_adjustment() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		// Fast blocks raise the difficulty block by block; the light client agrees each time.
		let mut parent = chain.genesis.clone();
		for _ in 0..40 {
			let header = chain.child(&parent, 500);
			assert_eq!(submit(std::slice::from_ref(&header)), Ok(Pays::No));
			parent = header;
		}
		assert!(chain.difficulty_of_child(&parent) > ADJUSTMENT.min_difficulty * 2);
		assert_eq!(status().best, id(&parent));
	});
}

#[test]
fn a_heavier_fork_overtakes_and_a_lighter_one_pays() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let main = chain.extend(&chain.genesis.clone(), 5);
		assert_eq!(submit(&main), Ok(Pays::No));
		assert_eq!(status().confirmed, id(&main[1]));
		// A fork from #2 (the confirmed header), 7 s apart so that its headers differ.
		let mut fork = Vec::new();
		let mut parent = main[1].clone();
		for _ in 0..4 {
			let header = chain.child(&parent, 7_000);
			fork.push(header.clone());
			parent = header;
		}
		// Two fork headers stay lighter: stored, not best, paid for.
		assert_eq!(submit(&fork[..2]), Ok(Pays::Yes));
		assert_eq!(status().best, id(&main[4]));
		assert_eq!(ShardProxy::best_chain_depth(REGION, fork[1].hash()), None);
		// Two more make the fork the heaviest (6 blocks at the minimum against 5): free.
		assert_eq!(submit(&fork[2..]), Ok(Pays::No));
		assert_eq!(status().best, id(&fork[3]));
		assert_eq!(status().confirmed, id(&fork[0]));
		assert_eq!(ShardProxy::best_chain_depth(REGION, main[4].hash()), None);
		assert_eq!(ShardProxy::best_chain_depth(REGION, fork[0].hash()), Some(3));
		System::assert_has_event(
			Event::Reorganized { region: REGION, from: id(&main[4]), to: id(&fork[3]) }.into(),
		);
	});
}

#[test]
fn equal_work_is_decided_by_the_seals_tie_breaking_key() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let main = chain.extend(&chain.genesis.clone(), 2);
		assert_ok!(submit(&main));
		let sibling = chain.child(&main[0], 7_000);
		let key = |header: &Header| {
			let (pre_hash, seal) = crate::split_seal(header).expect("sealed");
			gridshard_primitives::pow::tie_break_key(&pre_hash, &seal).expect("a known seal")
		};
		let sibling_wins = key(&sibling) < key(&main[1]);
		assert_ok!(submit(std::slice::from_ref(&sibling)));
		let expected = if sibling_wins { id(&sibling) } else { id(&main[1]) };
		assert_eq!(status().best, expected);
	});
}

#[test]
fn a_reorganisation_deeper_than_k_is_refused() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let main = chain.extend(&chain.genesis.clone(), 8);
		assert_ok!(submit(&main));
		assert_eq!(status().confirmed, id(&main[4]));
		// A fork from #3, below the confirmed #5, however heavy it would grow.
		let fork = chain.child(&main[2], 7_000);
		assert_refused(&[fork], Error::BelowConfirmed);
		// A fork from the genesis checkpoint too.
		let fork = chain.child(&chain.genesis.clone(), 7_000);
		assert_refused(&[fork], Error::BelowConfirmed);
	});
}

#[test]
fn every_bad_header_is_refused_by_name_and_changes_nothing() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let main = chain.extend(&chain.genesis.clone(), 2);
		assert_ok!(submit(&main));
		let parent = main[1].clone();
		let difficulty = chain.difficulty_of_child(&parent);
		let timestamp = chain.timestamp(&parent) + 6_000;
		let build = |number, parent_hash, timestamp, difficulty| {
			mine_header(
				parent_hash,
				number,
				Hash::repeat_byte(3),
				timestamp,
				difficulty,
				&miner(),
				0,
			)
		};

		// Wrong difficulty: sealed at twice what the adjustment gives.
		let header = build(3, parent.hash(), timestamp, difficulty * 2);
		assert_refused(&[header], Error::WrongDifficulty);
		// Bad seal: a nonce that does not meet the difficulty.
		let mut header = build(3, parent.hash(), timestamp, difficulty);
		header.digest_mut().pop();
		let pre_hash = header.hash();
		let nonce =
			(0u64..).find(|n| !meets_difficulty(&work_v1(&pre_hash, *n), difficulty)).unwrap();
		header.digest_mut().push(DigestItem::Seal(POW_ENGINE_ID, Seal::V1 { nonce }.encode()));
		assert_refused(&[header], Error::BadSeal);
		// Unknown parent.
		let header = build(3, Hash::repeat_byte(0xab), timestamp, difficulty);
		assert_refused(&[header], Error::UnknownParent);
		// Wrong number.
		let header = build(4, parent.hash(), timestamp, difficulty);
		assert_refused(&[header], Error::WrongNumber);
		// A timestamp too far ahead of the coordinator's clock, and one not after the parent's.
		let header = build(3, parent.hash(), NOW + DRIFT + 1, difficulty);
		assert_refused(&[header], Error::TimestampTooFarAhead);
		let header = build(3, parent.hash(), chain.timestamp(&parent), difficulty);
		assert_refused(&[header], Error::TimestampNotAfterParent);
		// No seal, no miner, no difficulty digest.
		let mut header = build(3, parent.hash(), timestamp, difficulty);
		header.digest_mut().pop();
		assert_refused(&[header], Error::MissingSeal);
		let mut header = build(3, parent.hash(), timestamp, difficulty);
		header.digest_mut().logs.remove(0);
		assert_refused(&[header], Error::MissingMiner);
		let mut header = build(3, parent.hash(), timestamp, difficulty);
		header.digest_mut().pop();
		header.digest_mut().logs.remove(1);
		seal(&mut header, difficulty, 0);
		assert_refused(&[header], Error::MissingDifficultyDigest);
		// Too large.
		let mut header = build(3, parent.hash(), timestamp, difficulty);
		header.digest_mut().pop();
		header.digest_mut().push(DigestItem::Other(vec![0; 2_000]));
		seal(&mut header, difficulty, 0);
		assert_refused(&[header], Error::HeaderTooLarge);
		// A good header after a bad one in the same batch: the whole batch is refused.
		let good = chain.child(&parent, 6_000);
		let bad = build(5, good.hash(), timestamp + 6_000, difficulty);
		assert_refused(&[good.clone(), bad], Error::WrongNumber);
		// The good one alone imports.
		assert_eq!(submit(&[good]), Ok(Pays::No));
	});
}

#[test]
fn duplicates_pay_and_batches_are_bounded() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let headers = chain.extend(&chain.genesis.clone(), MAX_BATCH as usize + 1);
		assert_refused(&headers, Error::BatchTooLong);
		assert_refused(&[], Error::EmptyBatch);
		assert_eq!(submit(&headers[..3]), Ok(Pays::No));
		// A second relay sending the same batch: refused, and a failed call pays its fee.
		assert_refused(&headers[..3], Error::DuplicateHeader);
		let refused = ShardProxy::submit_headers(
			RuntimeOrigin::signed(relayer()),
			REGION,
			headers[..3].to_vec(),
		)
		.unwrap_err();
		assert_eq!(refused.post_info.pays_fee, Pays::Yes);
		assert_refused(&headers[2..5], Error::DuplicateHeader);
		// The same header twice in one batch.
		assert_refused(&[headers[3].clone(), headers[3].clone()], Error::DuplicateHeader);
		assert_eq!(submit(&headers[3..5]), Ok(Pays::No));
		// Unknown region.
		assert_noop!(
			ShardProxy::submit_headers(RuntimeOrigin::signed(relayer()), 9, headers[5..6].to_vec()),
			Error::<Test>::UnknownRegion
		);
	});
}

#[test]
fn forks_per_height_are_capped() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let main = chain.extend(&chain.genesis.clone(), 1);
		assert_ok!(submit(&main));
		// MAX_FORKS headers at height 2 in all (siblings with other timestamps).
		for gap in 0..MAX_FORKS as u64 {
			let sibling = chain.child(&main[0], 6_000 + gap);
			assert_ok!(submit(&[sibling]));
		}
		let one_too_many = chain.child(&main[0], 9_999);
		assert_refused(&[one_too_many], Error::TooManyForks);
		assert_eq!(HeadersByNumber::<Test>::get(REGION, 2).len(), MAX_FORKS as usize);
	});
}

#[test]
fn no_header_runs_a_window_or_more_above_the_confirmed_header() {
	// Under the shared adjustment a fork that long from the confirmed header would also be the
	// heavier chain, and move the confirmed header up; the guard bounds the ancestry walk
	// whatever the stored headers, so a parent is planted directly in storage here.
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let main = chain.extend(&chain.genesis.clone(), K as usize + 1);
		assert_ok!(submit(&main));
		let confirmed = status().confirmed;
		let far = confirmed.number + WINDOW_LENGTH;
		let planted = Hash::repeat_byte(0x77);
		Headers::<Test>::insert(
			REGION,
			planted,
			gridshard_primitives::region::StoredHeader {
				number: far,
				parent: Hash::zero(),
				state_root: Hash::zero(),
				timestamp: NOW - 60_000,
				difficulty: ADJUSTMENT.min_difficulty,
				total_difficulty: Difficulty::zero(),
			},
		);
		HeadersByNumber::<Test>::insert(REGION, far, BoundedVec::truncate_from(vec![planted]));
		Regions::<Test>::mutate(REGION, |status| status.as_mut().unwrap().headers += 1);
		let child = mine_header(
			planted,
			far + 1,
			Hash::zero(),
			NOW - 54_000,
			ADJUSTMENT.min_difficulty,
			&miner(),
			0,
		);
		assert_refused(&[child], Error::TooFarAboveConfirmed);
		// Leave the storage as the invariants expect it.
		HeadersByNumber::<Test>::remove(REGION, far);
		Headers::<Test>::remove(REGION, planted);
		Regions::<Test>::mutate(REGION, |status| status.as_mut().unwrap().headers -= 1);
	});
}

#[test]
fn pruning_keeps_storage_bounded() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		register(&chain);
		let headers = chain.extend(&chain.genesis.clone(), 100);
		for batch in headers.chunks(MAX_BATCH as usize) {
			assert_eq!(submit(batch), Ok(Pays::No));
			ShardProxy::do_try_state().unwrap();
		}
		let status = status();
		assert_eq!(status.confirmed.number, 100 - K);
		assert_eq!(status.lowest, 100 - K - KEEP);
		assert_eq!(status.headers, KEEP + K + 1);
		assert_eq!(Headers::<Test>::iter_prefix(REGION).count() as u32, status.headers);
		assert!(Headers::<Test>::get(REGION, chain.genesis.hash()).is_none());
		assert!(Canonical::<Test>::get(REGION, status.lowest - 1).is_none());
		assert!(status.headers <= ShardProxy::max_headers_per_region());
	});
}

#[test]
fn regions_are_added_and_removed_by_governance_only() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut chain = RegionChain::new();
		let checkpoint = Box::new(chain.checkpoint());
		assert_noop!(
			ShardProxy::register_region(
				RuntimeOrigin::signed(relayer()),
				REGION,
				checkpoint.clone()
			),
			DispatchError::BadOrigin
		);
		// A genesis checkpoint with a window is inconsistent.
		let mut bad = chain.checkpoint();
		bad.window = BoundedVec::truncate_from(vec![(1, Difficulty::from(1_000))]);
		assert_noop!(
			ShardProxy::register_region(
				frame_system::RawOrigin::Root.into(),
				REGION,
				Box::new(bad)
			),
			Error::<Test>::InconsistentCheckpoint
		);
		register(&chain);
		System::assert_last_event(
			Event::RegionRegistered { region: REGION, checkpoint: id(&chain.genesis) }.into(),
		);
		assert_noop!(
			ShardProxy::register_region(frame_system::RawOrigin::Root.into(), REGION, checkpoint),
			Error::<Test>::RegionAlreadyRegistered
		);
		let headers = chain.extend(&chain.genesis.clone(), 6);
		assert_ok!(submit(&headers));

		// A later checkpoint: its window must end with its own digest and give its next
		// difficulty.
		let (_, window, next) = chain.blocks[&headers[5].hash()].clone();
		let window: DifficultyWindow = BoundedVec::truncate_from(window);
		let later = Checkpoint {
			header: headers[5].clone(),
			window: window.clone(),
			next_difficulty: next,
		};
		let wrong_next = Checkpoint { next_difficulty: next + 1, ..later.clone() };
		assert_noop!(
			ShardProxy::register_region(
				frame_system::RawOrigin::Root.into(),
				2,
				Box::new(wrong_next)
			),
			Error::<Test>::InconsistentCheckpoint
		);
		assert_ok!(ShardProxy::register_region(
			frame_system::RawOrigin::Root.into(),
			2,
			Box::new(later)
		));
		assert_noop!(
			ShardProxy::register_region(
				frame_system::RawOrigin::Root.into(),
				3,
				Box::new(chain.checkpoint())
			),
			Error::<Test>::TooManyRegions
		);
		// The region followed from the later checkpoint accepts its successors.
		let next_headers = chain.extend(&headers[5], 2);
		assert_eq!(
			ShardProxy::submit_headers(RuntimeOrigin::signed(relayer()), 2, next_headers.clone())
				.map(|info| info.pays_fee),
			Ok(Pays::No)
		);

		// Removal: everything of the region goes, the other region stays.
		assert_noop!(
			ShardProxy::remove_region(RuntimeOrigin::signed(relayer()), REGION),
			DispatchError::BadOrigin
		);
		assert_ok!(ShardProxy::remove_region(frame_system::RawOrigin::Root.into(), REGION));
		System::assert_last_event(Event::RegionRemoved { region: REGION, headers: 7 }.into());
		assert_eq!(Headers::<Test>::iter_prefix(REGION).count(), 0);
		assert_eq!(Canonical::<Test>::iter_prefix(REGION).count(), 0);
		assert!(Regions::<Test>::get(2).is_some());
		assert_noop!(
			ShardProxy::remove_region(frame_system::RawOrigin::Root.into(), REGION),
			Error::<Test>::UnknownRegion
		);
		// And it can start again.
		register(&chain);
	});
}

#[test]
fn a_regions_chain_follows_no_region() {
	new_test_ext(ChainRole::Region(2), NOW).execute_with(|| {
		let chain = RegionChain::new();
		assert_noop!(
			ShardProxy::register_region(
				frame_system::RawOrigin::Root.into(),
				REGION,
				Box::new(chain.checkpoint())
			),
			Error::<Test>::NotACoordinator
		);
		assert_eq!(ShardProxy::chain_role(), ChainRole::Region(2));
	});
}
