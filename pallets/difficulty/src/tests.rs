//! Tests of the pallet as wired into a runtime; the adjustment itself is tested in
//! `gridshard_primitives::difficulty`.

use crate::{mock::*, CurrentDifficulty, Window};
use frame_support::traits::Hooks;
use sp_core::U256;

/// Sets the timestamp of block `n` the way a block does.
fn mine_block_at(n: u64, now: u64) {
	System::set_block_number(n);
	Timestamp::set_timestamp(now);
}

#[test]
fn genesis_sets_the_initial_difficulty_within_bounds() {
	new_test_ext(50_000).execute_with(|| {
		assert_eq!(Difficulty::difficulty(), U256::from(50_000));
	});
	new_test_ext(1).execute_with(|| {
		assert_eq!(Difficulty::difficulty(), U256::from(1_000));
	});
}

#[test]
fn blocks_on_target_keep_the_difficulty() {
	new_test_ext(60_000).execute_with(|| {
		for n in 1..=25 {
			mine_block_at(n, n * TARGET);
		}
		assert_eq!(Difficulty::difficulty(), U256::from(60_000));
		assert_eq!(Window::<Test>::get().len(), 10);
	});
}

#[test]
fn fast_blocks_raise_and_slow_blocks_lower_the_difficulty() {
	new_test_ext(60_000).execute_with(|| {
		mine_block_at(1, 1_000);
		mine_block_at(2, 2_000);
		assert!(Difficulty::difficulty() > U256::from(60_000));
	});
	new_test_ext(60_000).execute_with(|| {
		mine_block_at(1, 10_000);
		mine_block_at(2, 30_000);
		assert!(Difficulty::difficulty() < U256::from(60_000));
	});
}

#[test]
fn the_window_slides_and_records_the_difficulty_each_block_was_mined_with() {
	new_test_ext(60_000).execute_with(|| {
		for n in 1..=12 {
			let before = CurrentDifficulty::<Test>::get();
			mine_block_at(n, n * 1_000);
			let window = Window::<Test>::get();
			assert_eq!(window.last(), Some(&(n * 1_000, before)));
		}
		let window = Window::<Test>::get();
		assert_eq!(window.len(), 10);
		assert_eq!(window[0].0, 3_000);
	});
}

#[test]
fn the_hook_registers_its_weight() {
	new_test_ext(60_000).execute_with(|| {
		let before = System::block_weight().total();
		mine_block_at(1, 1_000);
		assert!(System::block_weight().total().ref_time() > before.ref_time());
	});
}

#[test]
fn integrity_test_passes() {
	new_test_ext(60_000).execute_with(|| {
		<Difficulty as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn try_state_catches_a_difficulty_out_of_bounds() {
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		CurrentDifficulty::<Test>::put(U256::from(5));
		assert!(Difficulty::do_try_state().is_err());
		CurrentDifficulty::<Test>::put(U256::from(5_000));
		assert!(Difficulty::do_try_state().is_ok());
	});
}

#[test]
fn every_block_deposits_its_window_entry_as_a_digest() {
	use gridshard_primitives::difficulty::DifficultyDigest;
	new_test_ext(60_000).execute_with(|| {
		for n in 1..=3u64 {
			System::initialize(&n, &Default::default(), &Default::default());
			let mined_with = Difficulty::difficulty();
			Timestamp::set_timestamp(n * 1_000);
			let header = System::finalize();
			let digest = DifficultyDigest::find(&header.digest).expect("one difficulty digest");
			assert_eq!(digest, DifficultyDigest { timestamp: n * 1_000, difficulty: mined_with });
			assert_eq!(Window::<Test>::get().last().copied(), Some(digest.entry()));
		}
	});
}
