//! Tests of the regions' records on the coordinator: bonds on proven nominations,
//! announcements, proofs against confirmed headers, corrections and slashes, deadlines, the
//! reorganisation case, bounded history; every refusal by name and without effect.

use crate::{
	mock::*,
	tests::{register, submit, RegionChain, NOW, REGION},
	Bonds, Error, Event, Proxies, RecordEntry, RecordPeriods, RecordStatus, Records, SlashReason,
	Slashes,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Hooks},
};
use gridshard_primitives::{
	proof::prove_in_trie,
	record::{PeriodRecord, ProxyNomination, RegionalStorageKeys},
	region::{ChainRole, HeaderId},
	Hash, PeriodIndex,
};
use sp_runtime::AccountId32;

fn proxy() -> AccountId32 {
	AccountId32::new([1; 32])
}

fn other_proxy() -> AccountId32 {
	AccountId32::new([2; 32])
}

fn prover() -> AccountId32 {
	AccountId32::new([3; 32])
}

fn record(period: PeriodIndex, paid: u128) -> PeriodRecord {
	PeriodRecord {
		region: REGION,
		period,
		orders: 2,
		energy_matched: 300,
		paid,
		..Default::default()
	}
}

/// A region's state: its nomination, its records, and filler so that proofs have depth.
struct RegionState {
	entries: Vec<(Vec<u8>, Vec<u8>)>,
}

impl RegionState {
	fn new(nominee: &AccountId32, term: u32, records: &[PeriodRecord]) -> Self {
		let mut entries: Vec<(Vec<u8>, Vec<u8>)> =
			(0u8..64).map(|i| (vec![i; 20], vec![i; 40])).collect();
		entries.push((
			TestKeys::proxy_key(),
			ProxyNomination { account: nominee.clone(), term }.encode(),
		));
		for record in records {
			entries.push((TestKeys::record_key(record.period), record.encode()));
		}
		Self { entries }
	}

	fn root(&self) -> Hash {
		prove_in_trie(&self.entries, b"none").0
	}

	fn prove(&self, key: &[u8]) -> Vec<Vec<u8>> {
		prove_in_trie(&self.entries, key).1
	}

	fn record_proof(&self, period: PeriodIndex) -> Vec<Vec<u8>> {
		self.prove(&TestKeys::record_key(period))
	}
}

/// A coordinator following a region whose confirmed genesis holds `state`.
fn follow(state: &RegionState) -> (RegionChain, Hash) {
	let chain = RegionChain::with_genesis_root(state.root());
	register(&chain);
	let anchor = chain.genesis.hash();
	(chain, anchor)
}

fn bond(who: &AccountId32, anchor: Hash, state: &RegionState) {
	assert_ok!(ShardProxy::bond(
		RuntimeOrigin::signed(who.clone()),
		REGION,
		anchor,
		state.prove(&TestKeys::proxy_key())
	));
}

fn announce(who: &AccountId32, record: &PeriodRecord) -> frame_support::dispatch::DispatchResult {
	ShardProxy::announce(RuntimeOrigin::signed(who.clone()), REGION, record.period, record.clone())
}

fn prove(
	period: PeriodIndex,
	anchor: Hash,
	proof: Vec<Vec<u8>>,
) -> frame_support::dispatch::DispatchResult {
	ShardProxy::prove(RuntimeOrigin::signed(prover()), REGION, period, anchor, proof)
		.map(|_| ())
		.map_err(|e| e.error)
}

fn held(who: &AccountId32) -> u128 {
	Balances::balance_on_hold(&crate::HoldReason::ProxyBond.into(), who)
}

fn free(who: &AccountId32) -> u128 {
	Balances::free_balance(who)
}

fn status(period: PeriodIndex) -> RecordStatus<u64> {
	Records::<Test>::get(REGION, period).expect("a record").status
}

/// Runs blocks up to `n`, the hook in each.
fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ShardProxy::on_initialize(next);
	}
}

#[test]
fn an_honest_record_is_announced_then_verified() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let honest = record(5, 700);
		let state = RegionState::new(&proxy(), 1, std::slice::from_ref(&honest));
		let (chain, anchor) = follow(&state);
		bond(&proxy(), anchor, &state);
		assert_eq!(held(&proxy()), BOND);

		assert_ok!(announce(&proxy(), &honest));
		assert_eq!(status(5), RecordStatus::Announced { deadline: 1 + DEADLINE });
		assert_eq!(Bonds::<Test>::get(proxy()).map(|b| b.outstanding), Some(1));

		assert_ok!(prove(5, anchor, state.record_proof(5)));
		let entry = Records::<Test>::get(REGION, 5).expect("kept");
		assert_eq!(
			entry,
			RecordEntry {
				record: honest,
				status: RecordStatus::Verified,
				announced_by: Some(proxy()),
				proven_by: Some(prover()),
				anchor: Some(HeaderId { hash: anchor, number: 0 }),
			}
		);
		System::assert_last_event(
			Event::RecordVerified {
				region: REGION,
				period: 5,
				prover: prover(),
				anchor: HeaderId { hash: anchor, number: 0 },
			}
			.into(),
		);
		assert_eq!(Bonds::<Test>::get(proxy()).map(|b| (b.amount, b.outstanding)), Some((BOND, 0)));
		assert_noop!(prove(5, anchor, state.record_proof(5)), Error::<Test>::AlreadyProven);
		let _ = chain;
	});
}

#[test]
fn a_false_record_is_corrected_and_its_proxy_slashed_and_suspended() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let truth = record(5, 700);
		let state = RegionState::new(&proxy(), 1, std::slice::from_ref(&truth));
		let (_, anchor) = follow(&state);
		bond(&proxy(), anchor, &state);
		let lie = record(5, 7_000);
		assert_ok!(announce(&proxy(), &lie));
		let (prover_before, pot_before) = (free(&prover()), free(&Pot::get()));

		assert_ok!(prove(5, anchor, state.record_proof(5)));
		let entry = Records::<Test>::get(REGION, 5).expect("kept");
		assert_eq!((entry.record, entry.status), (truth, RecordStatus::Corrected));
		// The whole bond: a fifth to the prover, the rest to the pot.
		assert_eq!(held(&proxy()), 0);
		assert_eq!(free(&prover()) - prover_before, BOND / 5);
		assert_eq!(free(&Pot::get()) - pot_before, BOND - BOND / 5);
		let slash = Slashes::<Test>::get().into_inner().pop().expect("recorded");
		assert_eq!(
			(slash.reason, slash.amount, slash.to_prover, slash.period),
			(SlashReason::FalseRecord, BOND, BOND / 5, 5)
		);
		assert!(Proxies::<Test>::get(REGION).expect("named").suspended);

		// Suspended: no more announcements, but it may leave.
		assert_noop!(announce(&proxy(), &record(6, 1)), Error::<Test>::ProxySuspended);
		assert_ok!(ShardProxy::unbond(RuntimeOrigin::signed(proxy())));
		assert!(Bonds::<Test>::get(proxy()).is_none());
	});
}

#[test]
fn a_proof_against_an_unconfirmed_or_unknown_header_is_refused() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let honest = record(5, 700);
		let state = RegionState::new(&proxy(), 1, std::slice::from_ref(&honest));
		let (mut chain, _) = follow(&state);
		let genesis = chain.genesis.clone();
		// A child holding the same state, not yet K deep.
		let child = chain.child_with_root(&genesis, 6_000, state.root());
		assert_ok!(submit(std::slice::from_ref(&child)));
		assert_noop!(
			prove(5, child.hash(), state.record_proof(5)),
			Error::<Test>::AnchorNotConfirmed
		);
		assert_noop!(
			prove(5, Hash::repeat_byte(9), state.record_proof(5)),
			Error::<Test>::AnchorNotConfirmed
		);
		// K more headers confirm it.
		let more = chain.extend(&child, K as usize);
		assert_ok!(submit(&more));
		assert_ok!(prove(5, child.hash(), state.record_proof(5)));
		assert_eq!(status(5), RecordStatus::Verified);
	});
}

#[test]
fn a_tampered_padded_or_oversized_proof_is_refused() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let state = RegionState::new(&proxy(), 1, &[record(5, 700), record(6, 800)]);
		let (_, anchor) = follow(&state);

		let mut tampered = state.record_proof(5);
		let last = tampered.len() - 1;
		let byte = tampered[last].len() / 2;
		tampered[last][byte] ^= 1;
		assert_noop!(prove(5, anchor, tampered), Error::<Test>::ProofIncomplete);

		let mut padded = state.record_proof(5);
		let extra: Vec<_> =
			state.record_proof(6).into_iter().filter(|node| !padded.contains(node)).collect();
		padded.extend(extra);
		assert_noop!(prove(5, anchor, padded), Error::<Test>::ProofNodesUnused);

		let mut doubled = state.record_proof(5);
		doubled.push(doubled[0].clone());
		assert_noop!(prove(5, anchor, doubled), Error::<Test>::ProofNodesDuplicated);

		let oversized = vec![vec![0u8; 20_000]];
		assert_noop!(prove(5, anchor, oversized), Error::<Test>::ProofTooLarge);
	});
}

#[test]
fn a_proof_of_another_key_or_region_is_refused() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let state = RegionState::new(&proxy(), 1, &[record(5, 700), record(6, 800)]);
		let (_, anchor) = follow(&state);
		// Period 6's proof does not reach period 5's key.
		assert_noop!(prove(5, anchor, state.record_proof(6)), Error::<Test>::ProofIncomplete);
		// The nomination's proof is no record.
		assert_noop!(
			prove(5, anchor, state.prove(&TestKeys::proxy_key())),
			Error::<Test>::ProofIncomplete
		);

		// Another region's state: its root is not this region's.
		let elsewhere = RegionState::new(&proxy(), 1, &[record(5, 999)]);
		let mut elsewhere_entries = elsewhere.entries.clone();
		elsewhere_entries.push((vec![0xaa], vec![1]));
		let other = RegionState { entries: elsewhere_entries };
		assert_noop!(prove(5, anchor, other.record_proof(5)), Error::<Test>::ProofIncomplete);
	});
}

#[test]
fn a_record_of_another_region_under_the_key_is_refused() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let mut foreign = record(5, 700);
		foreign.region = REGION + 1;
		let state = RegionState::new(&proxy(), 1, &[foreign]);
		let (_, anchor) = follow(&state);
		assert_noop!(prove(5, anchor, state.record_proof(5)), Error::<Test>::RecordMismatch);
	});
}

#[test]
fn only_the_regions_bonded_proxy_announces() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let honest = record(5, 700);
		let state = RegionState::new(&proxy(), 1, std::slice::from_ref(&honest));
		let (_, anchor) = follow(&state);

		// Named but not bonded yet.
		assert_noop!(announce(&proxy(), &honest), Error::<Test>::NotTheProxy);
		// Not named: the proof names another account.
		assert_noop!(
			ShardProxy::bond(
				RuntimeOrigin::signed(other_proxy()),
				REGION,
				anchor,
				state.prove(&TestKeys::proxy_key())
			),
			Error::<Test>::NotTheNamedProxy
		);
		bond(&proxy(), anchor, &state);
		assert_noop!(announce(&other_proxy(), &honest), Error::<Test>::NotTheProxy);
		assert_noop!(announce(&prover(), &honest), Error::<Test>::NotTheProxy);
		// The record must be the named region's and period's.
		assert_noop!(
			ShardProxy::announce(RuntimeOrigin::signed(proxy()), REGION, 6, honest.clone()),
			Error::<Test>::RecordMismatch
		);
		assert_ok!(announce(&proxy(), &honest));
		assert_noop!(announce(&proxy(), &honest), Error::<Test>::AlreadyRecorded);
	});
}

#[test]
fn a_newer_nomination_replaces_the_proxy_and_an_older_one_is_refused() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let first = RegionState::new(&proxy(), 1, &[]);
		let (mut chain, anchor) = follow(&first);
		bond(&proxy(), anchor, &first);

		// The region names another proxy at block 1; K blocks later it is confirmed.
		let second = RegionState::new(&other_proxy(), 2, &[]);
		let genesis = chain.genesis.clone();
		let named = chain.child_with_root(&genesis, 6_000, second.root());
		let more = chain.extend(&named, K as usize);
		assert_ok!(submit(&[vec![named.clone()], more].concat()));
		bond(&other_proxy(), named.hash(), &second);
		assert_eq!(
			Proxies::<Test>::get(REGION).map(|p| (p.account, p.term)),
			Some((other_proxy(), 2))
		);
		// A stale nomination cannot come back.
		assert_noop!(
			ShardProxy::bond(
				RuntimeOrigin::signed(proxy()),
				REGION,
				anchor,
				first.prove(&TestKeys::proxy_key())
			),
			Error::<Test>::StaleNomination
		);
		// The former proxy leaves with its bond; the current one may not.
		assert_noop!(
			ShardProxy::unbond(RuntimeOrigin::signed(other_proxy())),
			Error::<Test>::StillTheProxy
		);
		let before = free(&proxy());
		assert_ok!(ShardProxy::unbond(RuntimeOrigin::signed(proxy())));
		assert_eq!(free(&proxy()) - before, BOND);
		assert_noop!(ShardProxy::unbond(RuntimeOrigin::signed(proxy())), Error::<Test>::NotBonded);
	});
}

#[test]
fn a_proxy_without_the_bond_is_refused() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let poor = AccountId32::new([0x44; 32]);
		let state = RegionState::new(&poor, 1, &[]);
		let (_, anchor) = follow(&state);
		assert_noop!(
			ShardProxy::bond(
				RuntimeOrigin::signed(poor.clone()),
				REGION,
				anchor,
				state.prove(&TestKeys::proxy_key())
			),
			Error::<Test>::CannotBond
		);
	});
}

#[test]
fn an_unproven_announcement_is_unverified_at_its_deadline_and_costs_a_tenth() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let honest = record(5, 700);
		let state = RegionState::new(&proxy(), 1, std::slice::from_ref(&honest));
		let (_, anchor) = follow(&state);
		bond(&proxy(), anchor, &state);
		assert_ok!(announce(&proxy(), &honest));
		assert_noop!(
			ShardProxy::unbond(RuntimeOrigin::signed(proxy())),
			Error::<Test>::StillTheProxy
		);

		run_to(DEADLINE);
		assert!(matches!(status(5), RecordStatus::Announced { .. }));
		let pot_before = free(&Pot::get());
		run_to(DEADLINE + 1);
		assert_eq!(status(5), RecordStatus::Unverified);
		System::assert_has_event(Event::RecordUnverified { region: REGION, period: 5 }.into());
		assert_eq!(held(&proxy()), BOND - BOND / 10);
		assert_eq!(free(&Pot::get()) - pot_before, BOND / 10);
		assert_eq!(Bonds::<Test>::get(proxy()).map(|b| b.outstanding), Some(0));
		// Below the bond: no more announcements until topped up.
		assert_noop!(announce(&proxy(), &record(6, 1)), Error::<Test>::BondTooLow);
		bond(&proxy(), anchor, &state);
		assert_eq!(held(&proxy()), BOND);

		// A late proof still verifies it.
		assert_ok!(prove(5, anchor, state.record_proof(5)));
		assert_eq!(status(5), RecordStatus::Verified);
	});
}

#[test]
fn a_record_proven_without_announcement_is_kept_verified() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let state = RegionState::new(&proxy(), 1, &[record(5, 700)]);
		let (_, anchor) = follow(&state);
		assert_ok!(prove(5, anchor, state.record_proof(5)));
		let entry = Records::<Test>::get(REGION, 5).expect("kept");
		assert_eq!((entry.status, entry.announced_by), (RecordStatus::Verified, None));
		// The proxy cannot announce it any more.
		bond(&proxy(), anchor, &state);
		assert_noop!(announce(&proxy(), &record(5, 700)), Error::<Test>::AlreadyRecorded);
	});
}

#[test]
fn a_region_reset_sends_proven_records_back_to_announced_without_liability() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let honest = record(5, 700);
		let state = RegionState::new(&proxy(), 1, std::slice::from_ref(&honest));
		let (chain, anchor) = follow(&state);
		bond(&proxy(), anchor, &state);
		assert_ok!(announce(&proxy(), &honest));
		assert_ok!(prove(5, anchor, state.record_proof(5)));

		assert_ok!(ShardProxy::remove_region(frame_system::RawOrigin::Root.into(), REGION));
		let entry = Records::<Test>::get(REGION, 5).expect("kept");
		assert_eq!(entry.status, RecordStatus::Announced { deadline: 1 + DEADLINE });
		assert_eq!((entry.announced_by, entry.anchor), (None, None));
		System::assert_has_event(Event::RecordReverted { region: REGION, period: 5 }.into());

		// Re-registered, proven again.
		register(&chain);
		assert_ok!(prove(5, anchor, state.record_proof(5)));
		assert_eq!(status(5), RecordStatus::Verified);

		// Reverted and never proven again: unverified, nobody slashed.
		assert_ok!(ShardProxy::remove_region(frame_system::RawOrigin::Root.into(), REGION));
		run_to(DEADLINE + 2);
		assert_eq!(status(5), RecordStatus::Unverified);
		assert_eq!(held(&proxy()), BOND);
		assert!(Slashes::<Test>::get().is_empty());
	});
}

#[test]
fn records_are_kept_for_a_bounded_number_of_periods() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let records: Vec<_> = (1..=5).map(|p| record(p, 100 * p as u128)).collect();
		let state = RegionState::new(&proxy(), 1, &records);
		let (_, anchor) = follow(&state);
		bond(&proxy(), anchor, &state);
		for period in 2..=4 {
			assert_ok!(prove(period, anchor, state.record_proof(period)));
		}
		// Full: period 1 is older than all of them.
		assert_noop!(prove(1, anchor, state.record_proof(1)), Error::<Test>::PeriodTooOld);
		// Period 5 pushes period 2 out.
		assert_ok!(prove(5, anchor, state.record_proof(5)));
		assert_eq!(RecordPeriods::<Test>::get(REGION).into_inner(), vec![3, 4, 5]);
		assert!(Records::<Test>::get(REGION, 2).is_none());
		System::assert_has_event(Event::RecordPruned { region: REGION, period: 2 }.into());
	});
}

#[test]
fn an_announced_record_is_not_pruned_before_its_proof() {
	new_test_ext(ChainRole::Coordinator, NOW).execute_with(|| {
		let records: Vec<_> = (1..=4).map(|p| record(p, 100 * p as u128)).collect();
		let state = RegionState::new(&proxy(), 1, &records);
		let (_, anchor) = follow(&state);
		bond(&proxy(), anchor, &state);
		assert_ok!(announce(&proxy(), &records[0]));
		for period in 2..=3 {
			assert_ok!(prove(period, anchor, state.record_proof(period)));
		}
		assert_noop!(prove(4, anchor, state.record_proof(4)), Error::<Test>::TooManyPendingRecords);
	});
}
