//! The records' life on a region: built from matching's and settlement's reports, written when
//! the period's orders are all paid, pruned after `RecordsToKeep` periods; the proxy's
//! nominations.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use gridshard_primitives::Hash;
use sp_runtime::{DispatchError, FixedU128};

fn order(id: u64, provider: u64, agreed: Energy, delivered: Energy) -> ClosedOrder<u64> {
	ClosedOrder {
		id,
		user: 100 + id,
		provider,
		agreed,
		price: 2_000,
		delivered,
		paid: (delivered as u128) * 2,
		grid_fee: 5,
		penalty: ((agreed - delivered) as u128) * 2,
		reward: 1_000,
	}
}

fn matched(period: PeriodIndex, orders: u32, providers: Vec<u64>) {
	PeriodRecords::period_matched(period, orders, 300, 40, 70, providers);
}

#[test]
fn a_record_is_written_once_every_order_is_paid() {
	new_test_ext().execute_with(|| {
		matched(5, 2, vec![12, 11]);
		PeriodRecords::order_closed(5, order(1, 11, 100, 100));
		next_block();
		assert_eq!(Records::<Test>::get(5), None, "one order is still open");

		PeriodRecords::order_closed(5, order(2, 12, 200, 150));
		assert_eq!(Records::<Test>::get(5), None, "the hook writes it");
		next_block();

		let record = Records::<Test>::get(5).expect("written");
		let chain = order(2, 12, 200, 150).chain(order(1, 11, 100, 100).chain(Hash::zero()));
		let reputations = vec![
			(11u64, FixedU128::from_rational(11, 10)),
			(12u64, FixedU128::from_rational(12, 10)),
		];
		assert_eq!(
			record,
			PeriodRecord {
				region: 2,
				period: 5,
				orders: 2,
				energy_matched: 300,
				energy_delivered: 250,
				paid: 500,
				grid_fees: 10,
				rewards: 2_000,
				penalties: 100,
				unmatched_demand: 40,
				spare_capacity: 70,
				orders_root: chain,
				reputations_root: BlakeTwo256::hash(&reputations.encode()),
			}
		);
		assert!(Pending::<Test>::get(5).is_none());
		System::assert_last_event(Event::RecordWritten { record }.into());
	});
}

#[test]
fn a_period_without_orders_is_written_at_the_next_block() {
	new_test_ext().execute_with(|| {
		matched(1, 0, vec![]);
		next_block();
		let record = Records::<Test>::get(1).expect("written");
		assert_eq!((record.orders, record.orders_root), (0, Hash::zero()));
	});
}

#[test]
fn the_hook_writes_a_bounded_number_per_block_in_order() {
	new_test_ext().execute_with(|| {
		matched(1, 0, vec![]);
		matched(2, 0, vec![]);
		next_block();
		assert!(Records::<Test>::contains_key(1));
		assert!(!Records::<Test>::contains_key(2), "one write per block in the tests");
		next_block();
		assert!(Records::<Test>::contains_key(2));
	});
}

#[test]
fn the_order_of_payouts_is_committed() {
	let root = |first: ClosedOrder<u64>, second: ClosedOrder<u64>| {
		new_test_ext().execute_with(|| {
			matched(1, 2, vec![11]);
			PeriodRecords::order_closed(1, first);
			PeriodRecords::order_closed(1, second);
			next_block();
			Records::<Test>::get(1).expect("written").orders_root
		})
	};
	let (a, b) = (order(1, 11, 100, 100), order(2, 11, 100, 50));
	assert_ne!(root(a.clone(), b.clone()), root(b, a));
}

#[test]
fn old_records_are_pruned_and_late_ones_dropped() {
	new_test_ext().execute_with(|| {
		for period in 0..5 {
			matched(period, 0, vec![]);
			next_block();
		}
		// Three kept: periods 2, 3, 4.
		assert_eq!(Records::<Test>::iter_keys().count(), KEEP as usize);
		assert!(!Records::<Test>::contains_key(1));
		assert_eq!(KeptRange::<Test>::get(), (2, 4));

		matched(1, 0, vec![]);
		next_block();
		assert!(!Records::<Test>::contains_key(1));
		System::assert_last_event(Event::RecordDropped { period: 1 }.into());
	});
}

#[test]
fn records_complete_out_of_order() {
	new_test_ext().execute_with(|| {
		matched(0, 1, vec![11]);
		matched(1, 0, vec![]);
		next_block();
		assert!(Records::<Test>::contains_key(1));
		PeriodRecords::order_closed(0, order(1, 11, 100, 100));
		next_block();
		assert!(Records::<Test>::contains_key(0), "an earlier period written later is kept");
	});
}

#[test]
fn the_standalone_chain_writes_region_zero() {
	new_test_ext().execute_with(|| {
		TestRole::set(ChainRole::Standalone);
		matched(1, 0, vec![]);
		next_block();
		assert_eq!(Records::<Test>::get(1).map(|r| r.region), Some(0));
	});
}

#[test]
fn governance_names_the_proxy_with_a_new_term_each_time() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			PeriodRecords::name_proxy(RuntimeOrigin::signed(1), 7),
			DispatchError::BadOrigin
		);
		assert_ok!(PeriodRecords::name_proxy(RuntimeOrigin::root(), 7));
		assert_eq!(Proxy::<Test>::get(), Some(ProxyNomination { account: 7, term: 1 }));
		System::assert_last_event(Event::ProxyNamed { account: 7, term: 1 }.into());
		assert_noop!(
			PeriodRecords::name_proxy(RuntimeOrigin::root(), 7),
			Error::<Test>::AlreadyTheProxy
		);
		assert_ok!(PeriodRecords::name_proxy(RuntimeOrigin::root(), 8));
		assert_eq!(Proxy::<Test>::get(), Some(ProxyNomination { account: 8, term: 2 }));
	});
}

#[test]
fn the_coordinator_names_no_proxy() {
	new_test_ext().execute_with(|| {
		TestRole::set(ChainRole::Coordinator);
		assert_noop!(
			PeriodRecords::name_proxy(RuntimeOrigin::root(), 7),
			Error::<Test>::NotARegion
		);
	});
}
