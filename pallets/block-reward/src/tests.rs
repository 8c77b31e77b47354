//! Tests of the block reward.

use crate::{mock::*, Event, PowAuthor, TotalRewarded};
use codec::Encode;
use frame_support::traits::{fungible::Inspect, FindAuthor, Hooks};
use gridshard_primitives::pow::POW_ENGINE_ID;
use sp_runtime::{Digest, DigestItem};

/// Starts block `n` the way the executive does, with `miner` in the pre-runtime digest if any.
fn run_block(n: u64, miner: Option<u64>) {
	let mut digest = Digest::default();
	if let Some(miner) = miner {
		digest.push(DigestItem::PreRuntime(POW_ENGINE_ID, miner.encode()));
	}
	System::reset_events();
	System::initialize(&n, &Default::default(), &digest);
	BlockReward::on_initialize(n);
}

#[test]
fn the_miner_named_in_the_digest_is_rewarded() {
	new_test_ext().execute_with(|| {
		run_block(1, Some(7));
		assert_eq!(Balances::balance(&7), REWARD);
		System::assert_has_event(Event::BlockRewarded { miner: 7, amount: REWARD }.into());
	});
}

#[test]
fn total_issuance_grows_by_exactly_the_rewards() {
	new_test_ext().execute_with(|| {
		let before = Balances::total_issuance();
		for n in 1..=20 {
			run_block(n, Some(n % 3 + 1));
		}
		// Five blocks name nobody.
		for n in 21..=25 {
			run_block(n, None);
		}
		assert_eq!(Balances::total_issuance(), before + 20 * REWARD);
		assert_eq!(TotalRewarded::<Test>::get(), 20 * REWARD);
		assert_eq!(Balances::balance(&1), 1_000 + 6 * REWARD);
	});
}

#[test]
fn a_block_without_a_miner_pays_nothing() {
	new_test_ext().execute_with(|| {
		let before = Balances::total_issuance();
		run_block(1, None);
		assert_eq!(Balances::total_issuance(), before);
		assert!(System::events().is_empty());
	});
}

#[test]
fn other_engines_and_garbage_are_not_miners() {
	let digests = [(*b"aura", &[1u8, 0, 0, 0, 0, 0, 0, 0][..])];
	assert_eq!(PowAuthor::<u64>::find_author(digests), None);
	let garbage = [(POW_ENGINE_ID, &[1u8, 2][..])];
	assert_eq!(PowAuthor::<u64>::find_author(garbage), None);
	let miner = 9u64.encode();
	let good = [(*b"aura", &[0u8][..]), (POW_ENGINE_ID, &miner[..])];
	assert_eq!(PowAuthor::<u64>::find_author(good), Some(9));
}

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<BlockReward as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn try_state_catches_rewards_beyond_issuance() {
	new_test_ext().execute_with(|| {
		TotalRewarded::<Test>::put(u128::MAX);
		assert!(BlockReward::do_try_state().is_err());
		TotalRewarded::<Test>::put(0);
	});
}
