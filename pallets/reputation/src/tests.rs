//! Tests of eq. 1 and 2 against hand-computed values, the decisions of the module docs, the
//! bounds, the roll-over sweep, and random deliveries against a reference in floating point.

use crate::{mock::*, *};
use gridshard_primitives::traits::{DeliveryRecorder, ReputationProvider};

fn fixed(n: u128, d: u128) -> FixedU128 {
	FixedU128::from_rational(n, d)
}

/// Records a delivery of `delivered` of `agreed` Wh by `provider` at price 7.
fn deliver(provider: u64, agreed: Energy, delivered: Energy) {
	Reputation::record_delivery(&provider, 7, agreed, delivered);
}

fn rc(provider: u64) -> FixedU128 {
	Reputation::comprehensive_reputation(&provider)
}

#[test]
fn eq_1_and_2_match_hand_computed_values() {
	new_test_ext().execute_with(|| {
		// Period 0: v = 1.0 and 0.5, so C(0) = 0.75 and RC(0) = 0.4 * 0.75 + 0.6 * 0 = 0.3.
		deliver(1, 10_000, 10_000);
		deliver(1, 10_000, 5_000);
		assert_eq!(rc(1), FixedU128::zero(), "the open period does not count yet");
		next_block_in(1);
		assert_eq!(rc(1), fixed(3, 10));

		// Period 1: v = 1.2, so C(1) = 1.2 and RC(1) = 0.4 * 1.2 + 0.6 * 0.3 = 0.66.
		deliver(1, 10_000, 12_000);
		next_block_in(2);
		assert_eq!(rc(1), fixed(66, 100));

		let history = Reputation::history(&1);
		assert_eq!(history.len(), 2);
		assert_eq!(history[0].record.period, 0);
		assert_eq!(history[0].record.trades, 2);
		assert_eq!(history[0].record.ratios.to_vec(), vec![fixed(1, 1), fixed(1, 2)]);
		assert_eq!(history[0].current, fixed(3, 4));
		assert_eq!(history[0].comprehensive, fixed(3, 10));
		assert_eq!(history[1].current, fixed(6, 5));
		assert_eq!(history[1].comprehensive, fixed(66, 100));
		assert_eq!(Reputation::standing(&1).unwrap().lifetime_trades, 3);
	});
}

#[test]
fn a_period_without_trades_leaves_the_reputation_unchanged() {
	new_test_ext().execute_with(|| {
		deliver(1, 1_000, 800);
		next_block_in(1);
		let after_trading = rc(1);
		assert_eq!(after_trading, fixed(32, 100));
		for period in 2..6 {
			next_block_in(period);
			assert_eq!(rc(1), after_trading);
		}
		// One trade in period 6 folds from the same RC, not from a decayed one.
		deliver(1, 1_000, 1_000);
		next_block_in(7);
		assert_eq!(rc(1), fixed(4, 10) + fixed(6, 10) * after_trading);
		assert_eq!(Reputation::history(&1).len(), 2);
	});
}

#[test]
fn ratios_above_one_count_up_to_the_cap() {
	new_test_ext().execute_with(|| {
		assert_eq!(Reputation::delivery_ratio(10, 12), Some(fixed(6, 5)));
		assert_eq!(Reputation::delivery_ratio(10, 30), Some(fixed(3, 2)));
		assert_eq!(Reputation::delivery_ratio(1, u64::MAX), Some(fixed(3, 2)));
		assert_eq!(Reputation::delivery_ratio(10, 0), Some(FixedU128::zero()));
		deliver(1, 10, 30);
		next_block_in(1);
		assert_eq!(rc(1), fixed(4, 10) * fixed(3, 2));
	});
}

#[test]
fn the_mean_weighs_each_order_by_its_energy() {
	new_test_ext().execute_with(|| {
		// Twelve dust orders of 2 Wh over-delivered at the cap, four of 10 kWh that delivered
		// nothing: counted once each, their mean was (12 * 1.5) / 16 = 1.125, above a perfect
		// provider's 1.0. Weighted by energy: 36 / 40 024.
		for _ in 0..12 {
			deliver(1, 2, 3);
		}
		for _ in 0..4 {
			deliver(1, 10_000, 0);
		}
		deliver(2, 10_000, 10_000);
		let open = Reputation::standing(&1).unwrap().open.unwrap();
		assert_eq!((open.trades, open.agreed), (16, 40_024));
		assert_eq!(open.weighted_ratios, FixedU128::saturating_from_integer(36));
		let mean = open.current_reputation().into_inner();
		assert!(mean.abs_diff(fixed(36, 40_024).into_inner()) <= 1, "36 / 40 024, rounded");
		next_block_in(1);
		assert_eq!(rc(1), fixed(4, 10) * open.current_reputation());
		assert!(rc(1) < rc(2), "the cheater ranks below the perfect provider");
		assert_eq!(rc(2), fixed(4, 10));
	});
}

#[test]
fn a_delivery_with_nothing_agreed_is_ignored() {
	new_test_ext().execute_with(|| {
		assert_eq!(Reputation::delivery_ratio(0, 5), None);
		deliver(1, 0, 5);
		assert!(Standings::<Test>::get(1).is_none());
		assert!(System::events().is_empty());
	});
}

#[test]
fn a_new_identity_starts_at_the_lowest_reputation() {
	new_test_ext().execute_with(|| {
		// Provider 1 delivers nothing, ever: the worst record there is.
		for period in 0..5 {
			deliver(1, 1_000, 0);
			next_block_in(period + 1);
		}
		assert_eq!(rc(1), FixedU128::zero());
		// A fresh account is no better off than the worst record.
		assert_eq!(rc(2), FixedU128::zero());
		// And any delivery at all puts an old account above a fresh one.
		deliver(1, 1_000, 100);
		next_block_in(6);
		assert!(rc(1) > rc(2));
	});
}

#[test]
fn records_and_history_stay_bounded() {
	new_test_ext().execute_with(|| {
		// Six trades in one period: four ratios kept, all six counted in the mean.
		for delivered in [1_000, 1_000, 1_000, 1_000, 0, 0] {
			deliver(1, 1_000, delivered);
		}
		let open = Standings::<Test>::get(1).unwrap().open.unwrap();
		assert_eq!(open.trades, 6);
		assert_eq!(open.ratios.len() as u32, MAX_RATIOS);
		// 4/6, rounded down in the last of 18 decimals.
		assert_eq!(open.current_reputation(), FixedU128::from_inner(666_666_666_666_666_666));

		// Five closed periods: the last three kept, in order.
		for period in 1..=5 {
			next_block_in(period);
			deliver(1, 1_000, 1_000);
		}
		next_block_in(6);
		let periods: Vec<_> = History::<Test>::get(1).iter().map(|s| s.record.period).collect();
		assert_eq!(periods, vec![3, 4, 5]);
	});
}

#[test]
fn the_sweep_closes_every_standing_a_few_per_block() {
	new_test_ext().execute_with(|| {
		for provider in 1..=5 {
			deliver(provider, 1_000, 1_000);
		}
		let expected = fixed(4, 10);
		Period::set(1);
		// Before the sweep reaches them, reads already fold the ended period.
		for provider in 1..=5 {
			assert_eq!(rc(provider), expected);
			assert_eq!(Reputation::history(&provider).len(), 1);
		}
		let stored = || Standings::<Test>::iter().filter(|(_, s)| s.open.is_none()).count();
		next_block_in(1);
		assert_eq!(stored(), SWEEP as usize);
		assert_eq!(SweptThrough::<Test>::get(), 0);
		next_block_in(1);
		assert_eq!(stored(), 2 * SWEEP as usize);
		next_block_in(1);
		assert_eq!(stored(), 5);
		assert_eq!(SweptThrough::<Test>::get(), 1);
		assert!(SweepCursor::<Test>::get().is_none());
		for provider in 1..=5 {
			assert_eq!(Standings::<Test>::get(provider).unwrap().comprehensive, expected);
			assert_eq!(History::<Test>::get(provider).len(), 1);
		}
		// Nothing more to do until the next period.
		next_block_in(1);
		assert_eq!(SweptThrough::<Test>::get(), 1);
	});
}

#[test]
fn a_sweep_overtaken_by_the_next_period_starts_over() {
	new_test_ext().execute_with(|| {
		for provider in 1..=5 {
			deliver(provider, 1_000, 1_000);
		}
		next_block_in(1);
		// Every provider trades again in period 1, including those already swept.
		for provider in 1..=5 {
			deliver(provider, 1_000, 500);
		}
		for _ in 0..3 {
			next_block_in(2);
		}
		assert_eq!(SweptThrough::<Test>::get(), 2);
		for provider in 1..=5 {
			// RC(1) = 0.4 * 0.5 + 0.6 * 0.4 = 0.44
			assert_eq!(Standings::<Test>::get(provider).unwrap().comprehensive, fixed(44, 100));
		}
	});
}

#[test]
fn the_ranking_is_paged_highest_first() {
	new_test_ext().execute_with(|| {
		for (provider, delivered) in [(1, 500), (2, 1_000), (3, 250), (4, 750)] {
			deliver(provider, 1_000, delivered);
		}
		next_block_in(1);
		let first = Reputation::ranking(0, 10);
		assert_eq!(first.len(), 3, "pages hold at most MaxPageSize");
		assert_eq!(first.iter().map(|(p, _)| *p).collect::<Vec<_>>(), vec![2, 4, 1]);
		assert_eq!(first[0].1, fixed(4, 10));
		assert_eq!(Reputation::ranking(3, 3), vec![(3, fixed(1, 10))]);
		assert!(Reputation::ranking(4, 3).is_empty());
	});
}

#[test]
fn events_report_deliveries_and_closed_periods() {
	new_test_ext().execute_with(|| {
		deliver(1, 1_000, 1_000);
		System::assert_last_event(
			Event::DeliveryRecorded { provider: 1, period: 0, ratio: FixedU128::one() }.into(),
		);
		next_block_in(1);
		System::assert_last_event(
			Event::PeriodClosed {
				provider: 1,
				period: 0,
				current: FixedU128::one(),
				comprehensive: fixed(4, 10),
			}
			.into(),
		);
	});
}

#[test]
fn the_eq_2_function_is_a_convex_combination() {
	let alpha = fixed(4, 10);
	assert_eq!(comprehensive_reputation(alpha, fixed(1, 1), fixed(1, 1)), fixed(1, 1));
	assert_eq!(comprehensive_reputation(alpha, FixedU128::zero(), fixed(1, 1)), fixed(6, 10));
	assert_eq!(comprehensive_reputation(FixedU128::one(), fixed(1, 2), fixed(1, 1)), fixed(1, 2));
	assert_eq!(comprehensive_reputation(FixedU128::zero(), fixed(1, 2), fixed(1, 1)), fixed(1, 1));
}

/// Random deliveries and clock moves (blocks within a period, periods skipped, sweeps left half
/// done) against a reference written from the module docs in floating point: every provider's
/// `RC_j`, read after every step, is the reference's, and so never moves within a period.
mod random_deliveries {
	use super::*;
	use gridshard_solver::generate::SplitMix as Choices;
	use std::collections::BTreeMap;

	/// A provider's `RC_j` so far, and its open period's `(period, sum R v, sum R)`.
	type Standing = (f64, Option<(PeriodIndex, f64, f64)>);

	/// The reference: eq. 1 and 2 with the decisions of the module docs.
	#[derive(Default)]
	struct Reference {
		standings: BTreeMap<u64, Standing>,
	}

	impl Reference {
		fn fold(standing: &mut Standing, now: PeriodIndex) {
			if let Some((period, weighted, agreed)) = standing.1 {
				if period < now {
					standing.0 = 0.4 * (weighted / agreed) + 0.6 * standing.0;
					standing.1 = None;
				}
			}
		}

		fn deliver(&mut self, provider: u64, agreed: Energy, delivered: Energy, now: PeriodIndex) {
			if agreed == 0 {
				return;
			}
			let ratio = (delivered as f64 / agreed as f64).min(1.5);
			let standing = self.standings.entry(provider).or_default();
			Self::fold(standing, now);
			let open = standing.1.get_or_insert((now, 0.0, 0.0));
			open.1 += ratio * agreed as f64;
			open.2 += agreed as f64;
		}

		fn rc(&self, provider: u64, now: PeriodIndex) -> f64 {
			let mut standing = self.standings.get(&provider).copied().unwrap_or_default();
			Self::fold(&mut standing, now);
			standing.0
		}
	}

	#[test]
	fn reputation_follows_eq_1_and_2_whatever_the_order_of_deliveries_and_sweeps() {
		let (mut deliveries, mut periods) = (0, 0);
		for seed in 0..200 {
			new_test_ext().execute_with(|| {
				let mut choices = Choices(seed);
				let mut reference = Reference::default();
				let providers = [1u64, 2, 3, 4, 5, 6, 7];
				for _ in 0..80 {
					let now = Period::get();
					match choices.range(0, 9) {
						0..=5 => {
							let provider = choices.pick(&providers);
							let agreed = choices.pick(&[0, 1, 5_000, 10_000]);
							let delivered = choices.range(0, 20_000);
							Reputation::record_delivery(&provider, 7, agreed, delivered);
							reference.deliver(provider, agreed, delivered, now);
							deliveries += 1;
						}
						6 | 7 => next_block_in(now),
						_ => {
							// The next period, or one a few later: sweeps of two standings per
							// block are often left half done.
							next_block_in(now + choices.range(1, 3) as PeriodIndex);
							periods += 1;
						}
					}
					let now = Period::get();
					for provider in providers {
						let on_chain = Reputation::comprehensive_reputation(&provider);
						let expected = reference.rc(provider, now);
						let on_chain = on_chain.into_inner() as f64 / 1e18;
						assert!(
							(on_chain - expected).abs() < 1e-9,
							"seed {seed}: provider {provider} has {on_chain}, not {expected}"
						);
					}
					Reputation::do_try_state().expect("invariants hold after every step");
				}
			});
		}
		assert!(deliveries > 8_000 && periods > 2_000, "{deliveries} {periods}");
	}
}

#[test]
fn the_v2_migration_keeps_every_reputation() {
	use crate::migrations::v2::{MigrateV1ToV2, OldPeriodRecord, OldPeriodSummary, OldStanding};
	use frame_support::traits::{ConstU32, GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		next_block_in(1);
		StorageVersion::new(1).put::<Reputation>();
		let old_record = |period, ratios: &[FixedU128]| OldPeriodRecord::<ConstU32<MAX_RATIOS>> {
			period,
			price: 7,
			trades: ratios.len() as u32,
			ratio_sum: ratios.iter().fold(FixedU128::zero(), |sum, v| sum + *v),
			ratios: BoundedVec::truncate_from(ratios.to_vec()),
		};
		let standing = OldStanding {
			comprehensive: fixed(3, 10),
			open: Some(old_record(1, &[fixed(1, 1), fixed(1, 2), fixed(1, 4)])),
			lifetime_trades: 5,
		};
		let history = vec![OldPeriodSummary {
			record: old_record(0, &[fixed(1, 1), fixed(1, 2)]),
			current: fixed(3, 4),
			comprehensive: fixed(3, 10),
		}];
		frame_support::storage::unhashed::put(&Standings::<Test>::hashed_key_for(1), &standing);
		frame_support::storage::unhashed::put(&History::<Test>::hashed_key_for(1), &history);

		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Reputation::on_chain_storage_version(), 2);
		let migrated = Reputation::standing(&1).expect("decodes in version 2");
		let open = migrated.open.unwrap();
		assert_eq!((open.trades, open.agreed), (3, 3));
		assert_eq!(open.current_reputation(), fixed(7, 12), "the mean it had");
		assert_eq!(migrated.comprehensive, fixed(3, 10));
		let history = Reputation::history(&1);
		assert_eq!(history[0].record.current_reputation(), fixed(3, 4));
		Reputation::do_try_state().unwrap();
		// Run again, it changes nothing.
		let before = Reputation::standing(&1);
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Reputation::standing(&1), before);
	});
}
