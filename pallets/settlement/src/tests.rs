//! Tests: each branch of eq. 6 and 7 with hand-computed payments, the whole life of an order
//! with funds that add up, each bad input with its named error and no change, and random walks
//! over every operation with the invariants checked after each step.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect as _, Authorize, EnsureOrigin},
};
use gridshard_primitives::Energy;
use sp_core::{Pair, H256};
use sp_runtime::{transaction_validity::TransactionSource, DispatchError::BadOrigin};

/// `R` of the tests: 10 kWh.
const R: Energy = 10_000;
/// `r` of the tests: 200 per kWh, so `R r` = 2 000.
const PRICE: u128 = 200;
/// `eta` of the tests.
const FEE: u128 = 100;
/// `R r`.
const ESCROW: u128 = 2_000;

fn rules() -> Rules {
	Settlement::rules()
}

fn authorized() -> RuntimeOrigin {
	frame_system::RawOrigin::Authorized.into()
}

/// Holds the escrow from `user` and opens an order of `R` at `PRICE` with `provider`,
/// delivering in blocks 2 to 9.
fn open(user: u64, provider: u64) -> OrderId {
	assert_ok!(<Settlement as Escrow<_, _>>::hold(&user, ESCROW));
	Settlement::open_order(new_order(user, provider)).unwrap()
}

fn new_order(user: u64, provider: u64) -> OrderTerms<u64, u128, u64> {
	OrderTerms {
		user,
		provider,
		agreed: R,
		price: PRICE,
		grid_fee: FEE,
		period: 0,
		window_start: 2,
		window_end: 10,
	}
}

/// A reading of `order` signed by the meter of `signer`.
fn signed_reading(
	order: OrderId,
	side: Side,
	energy: Energy,
	sequence: u32,
	is_final: bool,
	signer: u64,
) -> (Reading, MeterSignature) {
	let reading = Reading { order, side, energy, sequence, is_final };
	let signature =
		meter_pair(signer).sign(&reading_payload(&Settlement::genesis_hash(), &reading));
	(reading, signature)
}

/// Submits a reading signed by the right meter.
fn read(
	order: OrderId,
	side: Side,
	energy: Energy,
	sequence: u32,
	is_final: bool,
) -> DispatchResult {
	let record = Orders::<Test>::get(order);
	let signer = match (side, record) {
		(Side::Provider, Some(o)) => o.terms.provider,
		(Side::User, Some(o)) => o.terms.user,
		(_, None) => USER,
	};
	let (reading, signature) = signed_reading(order, side, energy, sequence, is_final, signer);
	Settlement::submit_reading(authorized(), reading, signature)
}

/// Both meters' final readings.
fn final_readings(order: OrderId, rho: Energy, gamma: Energy) {
	assert_ok!(read(order, Side::Provider, rho, 1, true));
	assert_ok!(read(order, Side::User, gamma, 1, true));
}

/// The total (free and held) of the accounts settlement moves money between.
fn totals() -> [u128; 4] {
	[USER, PROVIDER, GRID, POT].map(|who| Balances::total_balance(&who))
}

/// Settlement's dispute-bond hold reason, in the test runtime's type.
fn bond_reason() -> RuntimeHoldReason {
	HoldReason::DisputeBond.into()
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Settlement(event) => Some(event),
			_ => None,
		})
		.next_back()
		.expect("the pallet emitted an event")
}

mod rules {
	use super::*;

	/// Settles on both meters' final readings.
	fn settle(rho: Energy, gamma: Energy) -> Outcome<u128> {
		rules().settle(R, PRICE, FEE, ESCROW, Delivery { rho, gamma, user_final: true }).unwrap()
	}

	/// Settles with a user meter that never sent its final reading.
	fn settle_unfinished(rho: Energy, gamma: Energy) -> Outcome<u128> {
		let delivery = Delivery { rho, gamma, user_final: false };
		rules().settle(R, PRICE, FEE, ESCROW, delivery).unwrap()
	}

	fn outcome(
		rho: Energy,
		gamma: Energy,
		provider: u128,
		penalty: u128,
		reward: u128,
	) -> Outcome<u128> {
		Outcome { rho, gamma, provider, grid_fee: FEE, refund: penalty, penalty, reward }
	}

	#[test]
	fn full_delivery_pays_in_full_and_the_whole_token() {
		assert_eq!(rules().cost(R, PRICE), Some(ESCROW));
		// gamma >= R: no penalty; 2 000 - 100 fee = 1 900; Token.
		assert_eq!(settle(R, R), outcome(R, R, 1_900, 0, TOKEN));
		assert_eq!(settle(R + 700, R + 300), outcome(R + 700, R + 300, 1_900, 0, TOKEN));
	}

	#[test]
	fn a_small_loss_on_the_line_earns_half_the_token() {
		// rho >= R and gamma = R - 400 >= R - tau (500): Token / 2, no penalty.
		assert_eq!(settle(R, R - 400), outcome(R, R - 400, 1_900, 0, TOKEN / 2));
		assert_eq!(settle(R, R - TAU), outcome(R, R - TAU, 1_900, 0, TOKEN / 2));
	}

	#[test]
	fn contradicting_final_readings_settle_on_what_the_user_received() {
		// rho >= R, gamma = R - 1 000 < R - tau in the user's final reading: the meters are
		// contested, the penalty 200 * 1 000 / 1 000 = 200 applies although rho >= R.
		assert!(rules().contested(R, R, R - 1_000, true));
		assert_eq!(settle(R, R - 1_000), outcome(R, R - 1_000, 1_700, 200, 0));
		// The provider's meter alone says R, the user's says nothing arrived: nothing is paid
		// on the provider's word.
		let nothing = settle(R, 0);
		assert_eq!((nothing.provider, nothing.grid_fee, nothing.refund), (0, 0, ESCROW));
		// Within the tolerated loss the provider's meter stands.
		assert!(!rules().contested(R, R, R - TAU, true));
		assert!(rules().contested(R, R, R - TAU - 1, true));
		// A provider that admits a short delivery is settled by eq. 7 as before.
		assert!(!rules().contested(R, R - 1, 0, true));
	}

	#[test]
	fn a_user_meter_that_never_finished_cannot_contest_the_provider() {
		// No final reading from the user's meter (its own device failing): the provider's full
		// reading stands, without reward.
		assert!(!rules().contested(R, R, R - 1_000, false));
		assert_eq!(settle_unfinished(R, R - 1_000), outcome(R, R - 1_000, 1_900, 0, 0));
		assert_eq!(settle_unfinished(R, 0), outcome(R, 0, 1_900, 0, 0));
	}

	#[test]
	fn the_reward_grows_with_the_order_up_to_the_token() {
		assert_eq!(rules().full_reward(R), TOKEN);
		assert_eq!(rules().full_reward(3 * R), TOKEN, "Token is the most one order earns");
		assert_eq!(rules().full_reward(R / 10), TOKEN / 10);
		assert_eq!(rules().full_reward(2), 0, "dust earns nothing");
		// Splitting a trade into small orders earns no more than the trade.
		let split: u128 = (0..100).map(|_| rules().full_reward(R / 100)).sum();
		assert!(split <= rules().full_reward(R));
		// Full delivery of a tenth of `R` earns a tenth of the token; half of it within the
		// (proportional) line loss.
		let tenth = R / 10;
		assert_eq!(rules().reward(tenth, tenth, tenth), TOKEN / 10);
		assert_eq!(rules().reward(tenth, tenth, tenth - TAU / 10), TOKEN / 20);
	}

	#[test]
	fn a_small_order_earns_nothing_on_the_providers_meter_alone() {
		// The attack of an absolute `tau` (100 Wh): an order of 100 Wh with rho = R and
		// gamma = 0 earned half the token. Proportional, tau of 100 Wh is 5 Wh.
		assert_eq!(rules().line_loss(100), 5);
		assert_eq!(rules().reward(100, 100, 0), 0);
		assert_eq!(rules().reward(100, 100, 95), rules().full_reward(100) / 2);
	}

	#[test]
	fn short_supply_is_penalised_by_eq_7() {
		// rho = 8 000 < R: penalty r (R - gamma) = 200 * 2 500 / 1 000 = 500; the provider
		// gets 2 000 - 500 - 100 = 1 400, the user 500 back, no reward.
		assert_eq!(settle(8_000, 7_500), outcome(8_000, 7_500, 1_400, 500, 0));
	}

	#[test]
	fn short_provider_reading_with_full_user_reading_is_not_penalised() {
		// rho < R but gamma >= R: the user received everything; Token.
		assert_eq!(settle(9_000, R), outcome(9_000, R, 1_900, 0, TOKEN));
	}

	#[test]
	fn nothing_delivered_refunds_everything_and_the_fee_is_capped() {
		let nothing = settle(0, 0);
		assert_eq!(nothing.provider, 0);
		assert_eq!(nothing.grid_fee, 0, "the fee never exceeds what the provider earned");
		assert_eq!(nothing.refund, ESCROW);
		assert_eq!(nothing.reward, 0);
		// Earned 20 (100 Wh delivered), fee capped at 20.
		let little = settle(100, 100);
		assert_eq!((little.provider, little.grid_fee, little.refund), (0, 20, 1_980));
	}

	#[test]
	fn payments_always_add_up_to_the_escrow() {
		for rho in (0..=12_000).step_by(250) {
			for gamma in (0..=12_000).step_by(250) {
				for o in [settle(rho, gamma), settle_unfinished(rho, gamma)] {
					let total = o.provider + o.grid_fee + o.refund;
					assert_eq!(total, ESCROW, "rho {rho} gamma {gamma}");
				}
			}
		}
	}

	#[test]
	fn the_token_price_scales_the_cost() {
		let rules = Rules { token_price: FixedU128::from_rational(1, 2), ..rules() };
		assert_eq!(rules.cost(R, PRICE), Some(ESCROW / 2));
		assert_eq!(rules.cost(Energy::MAX, u128::MAX), None);
	}
}

mod life_of_an_order {
	use super::*;

	#[test]
	fn full_delivery_is_paid_after_the_confirmation_depth_and_funds_add_up() {
		new_test_ext().execute_with(|| {
			let before = totals();
			let id = open(USER, PROVIDER);
			assert_eq!(Balances::balance(&USER), START - ESCROW);
			assert_eq!(Balances::total_balance_on_hold(&USER), ESCROW);
			assert!(Settlement::has_open_obligations(&USER));
			assert!(Settlement::has_open_obligations(&PROVIDER));

			run_to(5);
			assert_ok!(read(id, Side::Provider, 4_000, 1, false));
			assert_ok!(read(id, Side::User, 3_900, 1, false));
			run_to(10);
			final_readings_after_interim(id);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			let payable_at = 10 + DEPTH.max(DISPUTE);
			assert!(matches!(
				last_event(),
				Event::Settled { order: 0, automatic: false, payable_at: p, .. } if p == payable_at
			));

			run_to(payable_at - 1);
			assert!(Orders::<Test>::contains_key(id), "not paid before the depth");
			run_to(payable_at);
			assert!(!Orders::<Test>::contains_key(id));

			assert_eq!(Balances::balance(&USER), START - ESCROW);
			assert_eq!(Balances::total_balance_on_hold(&USER), 0);
			assert_eq!(Balances::balance(&PROVIDER), START + 1_900 + TOKEN);
			assert_eq!(Balances::balance(&GRID), START + FEE);
			assert_eq!(Balances::balance(&POT), 1_000 - TOKEN);
			let after = totals();
			assert_eq!(after.iter().sum::<u128>(), before.iter().sum::<u128>());
			assert_eq!(Deliveries::get(), vec![(PROVIDER, PRICE, R, R)]);
			assert!(!Settlement::has_open_obligations(&USER));
			assert!(!Settlement::has_open_obligations(&PROVIDER));
		});
	}

	fn final_readings_after_interim(id: OrderId) {
		assert_ok!(read(id, Side::Provider, R, 2, true));
		assert_ok!(read(id, Side::User, R, 2, true));
	}

	#[test]
	fn short_supply_refunds_the_penalty_to_the_user() {
		new_test_ext().execute_with(|| {
			let before = totals();
			let id = open(USER, PROVIDER);
			final_readings(id, 8_000, 7_500);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			run_to(10 + DEPTH);
			assert_eq!(Balances::balance(&USER), START - ESCROW + 500);
			assert_eq!(Balances::balance(&PROVIDER), START + 1_400);
			assert_eq!(Balances::balance(&GRID), START + FEE);
			assert_eq!(Balances::balance(&POT), 1_000);
			assert_eq!(totals().iter().sum::<u128>(), before.iter().sum::<u128>());
			assert_eq!(Deliveries::get(), vec![(PROVIDER, PRICE, R, 7_500)]);
		});
	}

	#[test]
	fn an_empty_pot_leaves_the_reward_unpaid_and_pays_the_rest() {
		new_test_ext().execute_with(|| {
			// The pot keeps 50: less than a reward.
			assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(POT), USER_2, 950));
			let id = open(USER, PROVIDER);
			final_readings(id, R, R);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			run_to(10 + DEPTH);
			assert!(System::events().iter().any(|r| r.event
				== RuntimeEvent::Settlement(Event::RewardUnpaid { order: id, reward: TOKEN })));
			assert_eq!(Balances::balance(&PROVIDER), START + 1_900);
			assert_eq!(Balances::balance(&POT), 50);
		});
	}

	#[test]
	fn a_provider_that_never_applies_is_settled_after_the_deadline() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			// Only the user's meter reports, and only an interim reading: rho = 0, gamma = 6 000.
			assert_ok!(read(id, Side::User, 6_000, 1, false));
			run_to(10 + DEADLINE - 1);
			assert_eq!(Orders::<Test>::get(id).unwrap().status, OrderStatus::Delivering);
			run_to(10 + DEADLINE);
			let Some(OrderStatus::Settled { outcome, .. }) =
				Orders::<Test>::get(id).map(|o| o.status)
			else {
				panic!("settled automatically")
			};
			// rho = 0 < R: penalty 200 * 4 000 / 1 000 = 800.
			assert_eq!((outcome.rho, outcome.gamma), (0, 6_000));
			assert_eq!((outcome.provider, outcome.refund, outcome.reward), (1_100, 800, 0));
			assert!(System::events().iter().any(|r| matches!(
				r.event,
				RuntimeEvent::Settlement(Event::Settled { automatic: true, .. })
			)));
			run_to(10 + DEADLINE + DEPTH);
			assert!(!Orders::<Test>::contains_key(id));
			assert_eq!(Deliveries::get(), vec![(PROVIDER, PRICE, R, 0)]);
		});
	}

	#[test]
	fn the_hook_settles_and_pays_a_bounded_number_per_block() {
		new_test_ext().execute_with(|| {
			let ids: Vec<_> = (0..3).map(|_| open(USER, PROVIDER)).collect();
			run_to(10 + DEADLINE);
			let settled = || {
				ids.iter()
					.filter(|id| {
						matches!(
							Orders::<Test>::get(**id).map(|o| o.status),
							Some(OrderStatus::Settled { .. })
						)
					})
					.count()
			};
			assert_eq!(settled(), 2, "two per block");
			run_to(10 + DEADLINE + 1);
			assert_eq!(settled(), 3);
			run_to(10 + DEADLINE + DEPTH);
			assert_eq!(Orders::<Test>::iter().count(), 1, "two paid in the first payout block");
			run_to(10 + DEADLINE + DEPTH + 1);
			assert_eq!(Orders::<Test>::iter().count(), 0);
		});
	}

	#[test]
	fn the_deadline_walk_stays_bounded_over_paid_orders() {
		new_test_ext().execute_with(|| {
			let ids: Vec<_> = (0..5).map(|_| open(USER, PROVIDER)).collect();
			run_to(10);
			for id in &ids[..4] {
				assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), *id));
			}
			// Two payouts per block.
			run_to(10 + DEPTH + 1);
			assert_eq!(Orders::<Test>::iter().count(), 1, "four paid, one silent");
			// The walk looks at no more than two ids per block, paid ones included, and reaches
			// the silent order once it is due.
			let mut last = DeadlineCursor::<Test>::get();
			for block in System::block_number() + 1..=10 + DEADLINE {
				run_to(block);
				let cursor = DeadlineCursor::<Test>::get();
				assert!(cursor - last <= 2, "block {block}: {last} -> {cursor}");
				last = cursor;
			}
			assert_eq!(last, 5);
			assert!(matches!(
				Orders::<Test>::get(ids[4]).map(|o| o.status),
				Some(OrderStatus::Settled { .. })
			));
		});
	}

	#[test]
	fn anyone_may_claim_a_due_payout_but_not_before() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			final_readings(id, R, R);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			assert_noop!(
				Settlement::claim_payout(RuntimeOrigin::signed(USER_2), id),
				Error::<Test>::NotYetPayable
			);
			System::set_block_number(10 + DEPTH);
			assert_ok!(Settlement::claim_payout(RuntimeOrigin::signed(USER_2), id));
			assert_eq!(Balances::balance(&PROVIDER), START + 1_900 + TOKEN);
			// The hook finds the queue entry closed and moves on.
			run_to(10 + DEPTH + 1);
			assert_eq!(PayoutBounds::<Test>::get(), (1, 1));
			assert_noop!(
				Settlement::claim_payout(RuntimeOrigin::signed(USER_2), id),
				Error::<Test>::UnknownOrder
			);
		});
	}
}

mod readings {
	use super::*;

	#[test]
	fn a_good_reading_is_authorised_and_recorded() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			let (reading, signature) =
				signed_reading(id, Side::Provider, 1_000, 1, false, PROVIDER);
			let call = Call::<Test>::submit_reading { reading, signature };
			let (validity, _) = call.authorize(TransactionSource::External).unwrap().unwrap();
			assert_eq!(validity.provides.len(), 1);
			assert_ok!(read(id, Side::Provider, 1_000, 1, false));
			let meter = Orders::<Test>::get(id).unwrap().provider_reading;
			assert_eq!(
				meter,
				MeterState { energy: 1_000, sequence: 1, interim: 1, is_final: false }
			);
			assert_eq!(
				last_event(),
				Event::ReadingAccepted {
					order: id,
					side: Side::Provider,
					energy: 1_000,
					is_final: false
				}
			);
		});
	}

	/// `signature` is refused for `reading` at dispatch (`BadMeterSignature`, nothing changed)
	/// and before the pool (`BadProof`).
	fn assert_refused_as_forged(reading: Reading, signature: MeterSignature) {
		assert_noop!(
			Settlement::submit_reading(authorized(), reading, signature),
			Error::<Test>::BadMeterSignature
		);
		let call = Call::<Test>::submit_reading { reading, signature };
		assert_eq!(
			call.authorize(TransactionSource::External),
			Some(Err(InvalidTransaction::BadProof.into()))
		);
	}

	#[test]
	fn a_forged_or_wrong_meter_signature_is_refused() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			for signer in [PROVIDER_2, USER] {
				let (reading, signature) =
					signed_reading(id, Side::Provider, 1_000, 1, true, signer);
				assert_refused_as_forged(reading, signature);
			}
			// A valid signature over other figures.
			let (_, signature) = signed_reading(id, Side::Provider, 1_000, 1, true, PROVIDER);
			let (inflated, _) = signed_reading(id, Side::Provider, 9_000, 1, true, PROVIDER);
			assert_noop!(
				Settlement::submit_reading(authorized(), inflated, signature),
				Error::<Test>::BadMeterSignature
			);
		});
	}

	#[test]
	fn a_reading_signed_for_another_chain_is_refused() {
		new_test_ext().execute_with(|| {
			// Another region's chain has an order of the same number with the same meters.
			let id = open(USER, PROVIDER);
			let reading =
				Reading { order: id, side: Side::Provider, energy: R, sequence: 1, is_final: true };
			let other_chain = H256::repeat_byte(2);
			assert_ne!(Settlement::genesis_hash(), other_chain);
			let signature = meter_pair(PROVIDER).sign(&reading_payload(&other_chain, &reading));
			assert_refused_as_forged(reading, signature);
		});
	}

	#[test]
	fn a_replayed_or_older_reading_is_refused() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			let (reading, signature) = signed_reading(id, Side::User, 1_000, 2, false, USER);
			assert_ok!(Settlement::submit_reading(authorized(), reading, signature));
			assert_noop!(
				Settlement::submit_reading(authorized(), reading, signature),
				Error::<Test>::StaleSequence
			);
			assert_noop!(read(id, Side::User, 2_000, 1, false), Error::<Test>::StaleSequence);
			let call = Call::<Test>::submit_reading { reading, signature };
			assert_eq!(
				call.authorize(TransactionSource::External),
				Some(Err(InvalidTransaction::Stale.into()))
			);
		});
	}

	#[test]
	fn a_second_final_reading_and_one_interim_too_many_are_refused() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			assert_ok!(read(id, Side::Provider, R, 1, true));
			assert_noop!(
				read(id, Side::Provider, R, 2, true),
				Error::<Test>::FinalReadingAlreadySubmitted
			);
			assert_ok!(read(id, Side::User, 1_000, 1, false));
			assert_ok!(read(id, Side::User, 2_000, 2, false));
			assert_noop!(
				read(id, Side::User, 3_000, 3, false),
				Error::<Test>::TooManyInterimReadings
			);
			assert_ok!(read(id, Side::User, 3_000, 3, true));
		});
	}

	#[test]
	fn a_reading_for_an_unknown_or_settled_order_is_refused() {
		new_test_ext().execute_with(|| {
			assert_noop!(read(7, Side::User, 1_000, 1, false), Error::<Test>::UnknownOrder);
			let id = open(USER, PROVIDER);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			assert_noop!(read(id, Side::User, 1_000, 1, true), Error::<Test>::ReadingsClosed);
			run_to(10 + DEPTH);
			assert_noop!(read(id, Side::User, 1_000, 1, true), Error::<Test>::UnknownOrder);
		});
	}

	/// The pool names each reason a reading is refused for (beyond a bad signature and a stale
	/// sequence) by the error's index, so that a meter knows to stop.
	#[test]
	fn the_pool_names_why_a_reading_is_refused() {
		new_test_ext().execute_with(|| {
			let pool_answer = |id: OrderId, sequence: u32| {
				let (reading, signature) =
					signed_reading(id, Side::User, 1_000, sequence, false, USER);
				Call::<Test>::submit_reading { reading, signature }
					.authorize(TransactionSource::External)
			};
			let named = |error: Error<Test>| {
				Some(Err(InvalidTransaction::Custom(error.encode()[0]).into()))
			};
			assert_eq!(pool_answer(7, 1), named(Error::<Test>::UnknownOrder));
			let id = open(USER, PROVIDER);
			assert_ok!(read(id, Side::User, 1_000, 1, false));
			assert_ok!(read(id, Side::User, 2_000, 2, false));
			assert_eq!(pool_answer(id, 3), named(Error::<Test>::TooManyInterimReadings));
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			assert_eq!(pool_answer(id, 3), named(Error::<Test>::ReadingsClosed));
		});
	}

	#[test]
	fn a_reading_needs_the_authorised_origin() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			let (reading, signature) = signed_reading(id, Side::User, 1_000, 1, false, USER);
			assert_noop!(
				Settlement::submit_reading(RuntimeOrigin::signed(USER), reading, signature),
				BadOrigin
			);
			assert_noop!(
				Settlement::submit_reading(RuntimeOrigin::none(), reading, signature),
				BadOrigin
			);
		});
	}
}

mod settlement_and_disputes {
	use super::*;

	#[test]
	fn only_the_provider_may_apply_and_only_after_the_window() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			assert_noop!(
				Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), 9),
				Error::<Test>::UnknownOrder
			);
			assert_noop!(
				Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id),
				Error::<Test>::DeliveryWindowOpen
			);
			run_to(10);
			for other in [USER, PROVIDER_2] {
				assert_noop!(
					Settlement::apply_for_settlement(RuntimeOrigin::signed(other), id),
					Error::<Test>::NotProvider
				);
			}
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			assert_noop!(
				Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id),
				Error::<Test>::AlreadySettled
			);
		});
	}

	#[test]
	fn a_dispute_is_resolved_by_the_trading_centre_and_paid_after_the_depth() {
		new_test_ext().execute_with(|| {
			let before = totals();
			let id = open(USER, PROVIDER);
			final_readings(id, R, R);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			assert_noop!(
				Settlement::dispute(RuntimeOrigin::signed(PROVIDER), id),
				Error::<Test>::NotUser
			);
			assert_noop!(
				Settlement::resolve_dispute(RuntimeOrigin::signed(TRADING_CENTRE), id, 0, 0),
				Error::<Test>::NotDisputed
			);
			run_to(10 + DISPUTE);
			assert_ok!(Settlement::dispute(RuntimeOrigin::signed(USER), id));
			let deadline = 10 + DISPUTE + DISPUTE_DEADLINE;
			assert_eq!(last_event(), Event::Disputed { order: id, bond: BOND, deadline });
			assert_eq!(Balances::balance_on_hold(&bond_reason(), &USER), BOND);
			assert_noop!(
				Settlement::dispute(RuntimeOrigin::signed(USER), id),
				Error::<Test>::NotSettled
			);
			// The payout does not happen while disputed.
			run_to(10 + DEPTH + 2);
			assert!(Orders::<Test>::contains_key(id));

			assert_noop!(
				Settlement::resolve_dispute(RuntimeOrigin::signed(USER), id, 6_000, 6_000),
				BadOrigin
			);
			assert_ok!(Settlement::resolve_dispute(
				RuntimeOrigin::signed(TRADING_CENTRE),
				id,
				6_000,
				6_000
			));
			let resolved_at = System::block_number();
			// A larger refund: the bond is back.
			assert!(matches!(
				last_event(),
				Event::DisputeResolved { order, bond_returned: true, .. } if order == id
			));
			assert_eq!(Balances::balance_on_hold(&bond_reason(), &USER), 0);
			run_to(resolved_at + DEPTH);
			assert!(!Orders::<Test>::contains_key(id));
			// rho = 6 000 < R: penalty 200 * 4 000 / 1 000 = 800; provider 2 000 - 800 - 100.
			assert_eq!(Balances::balance(&PROVIDER), START + 1_100);
			assert_eq!(Balances::balance(&USER), START - ESCROW + 800);
			assert_eq!(totals().iter().sum::<u128>(), before.iter().sum::<u128>());
		});
	}

	#[test]
	fn a_dispute_resolved_against_the_user_forfeits_its_bond_to_the_provider() {
		new_test_ext().execute_with(|| {
			let before = totals();
			let id = open(USER, PROVIDER);
			final_readings(id, R, R);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			assert_ok!(Settlement::dispute(RuntimeOrigin::signed(USER), id));
			// The trading centre finds the meters right: the settlement stands.
			assert_ok!(Settlement::resolve_dispute(
				RuntimeOrigin::signed(TRADING_CENTRE),
				id,
				R,
				R
			));
			assert!(matches!(
				last_event(),
				Event::DisputeResolved { order, bond_returned: false, .. } if order == id
			));
			assert_eq!(Balances::balance_on_hold(&bond_reason(), &USER), 0);
			run_to(System::block_number() + DEPTH);
			assert!(!Orders::<Test>::contains_key(id));
			// Full delivery: 2 000 less the 100 fee, plus the token, plus the user's bond.
			assert_eq!(Balances::balance(&PROVIDER), START + 1_900 + TOKEN + BOND);
			assert_eq!(Balances::balance(&USER), START - ESCROW - BOND);
			assert_eq!(totals().iter().sum::<u128>(), before.iter().sum::<u128>());
		});
	}

	#[test]
	fn an_unresolved_dispute_ends_at_its_deadline_and_the_settlement_is_paid() {
		new_test_ext().execute_with(|| {
			let before = totals();
			let id = open(USER, PROVIDER);
			final_readings(id, R, R);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			assert_ok!(Settlement::dispute(RuntimeOrigin::signed(USER), id));
			let deadline = 10 + DISPUTE_DEADLINE;
			run_to(deadline - 1);
			assert!(matches!(
				Orders::<Test>::get(id).map(|o| o.status),
				Some(OrderStatus::Disputed { .. })
			));
			run_to(deadline);
			assert!(System::events().iter().any(|record| record.event
				== RuntimeEvent::Settlement(Event::DisputeExpired { order: id })));
			assert_eq!(Balances::balance_on_hold(&bond_reason(), &USER), 0, "bond returned");
			assert_noop!(
				Settlement::resolve_dispute(RuntimeOrigin::signed(TRADING_CENTRE), id, 0, 0),
				Error::<Test>::NotDisputed
			);
			run_to(deadline + DEPTH);
			assert!(!Orders::<Test>::contains_key(id));
			assert_eq!(Balances::balance(&PROVIDER), START + 1_900 + TOKEN);
			assert_eq!(Balances::balance(&USER), START - ESCROW);
			assert_eq!(totals().iter().sum::<u128>(), before.iter().sum::<u128>());
		});
	}

	/// Opens an order whose final readings contradict each other (`rho = R`, `gamma = R / 2`)
	/// and has its provider apply for settlement at block 10.
	fn contested_order() -> OrderId {
		let id = open(USER, PROVIDER);
		final_readings(id, R, R / 2);
		run_to(10);
		assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
		id
	}

	/// The payments on the user's meter of [`contested_order`]: penalty 200 * 5 000 / 1 000.
	const ON_THE_USERS_METER: u128 = 1_000;

	#[test]
	fn contradicting_meters_wait_for_the_trading_centre_without_a_bond() {
		new_test_ext().execute_with(|| {
			let id = contested_order();
			let deadline = 10 + DISPUTE_DEADLINE;
			assert!(matches!(
				last_event(),
				Event::Contested { order, outcome, automatic: false, deadline: d }
					if order == id && d == deadline && outcome.penalty == ON_THE_USERS_METER
			));
			assert!(matches!(
				Orders::<Test>::get(id).map(|o| o.status),
				Some(OrderStatus::Disputed { bond: 0, .. })
			));
			// Neither side can move it along: it is not settled, nobody holds a bond.
			assert_noop!(
				Settlement::dispute(RuntimeOrigin::signed(USER), id),
				Error::<Test>::NotSettled
			);
			assert_noop!(
				Settlement::claim_payout(RuntimeOrigin::signed(PROVIDER), id),
				Error::<Test>::NotSettled
			);
			assert_eq!(Balances::balance_on_hold(&bond_reason(), &USER), 0);
		});
	}

	#[test]
	fn a_contested_order_nobody_rules_on_is_paid_on_the_users_meter() {
		new_test_ext().execute_with(|| {
			let before = totals();
			let id = contested_order();
			let deadline = 10 + DISPUTE_DEADLINE;
			run_to(deadline);
			assert!(System::events().iter().any(|record| record.event
				== RuntimeEvent::Settlement(Event::DisputeExpired { order: id })));
			run_to(deadline + DEPTH.max(DISPUTE));
			assert!(!Orders::<Test>::contains_key(id));
			// Paid for the half the user received, less the fee; the other half refunded.
			assert_eq!(Balances::balance(&PROVIDER), START + ESCROW - ON_THE_USERS_METER - FEE);
			assert_eq!(Balances::balance(&USER), START - ESCROW + ON_THE_USERS_METER);
			assert_eq!(Balances::balance(&POT), before[3], "no reward");
			assert_eq!(totals().iter().sum::<u128>(), before.iter().sum::<u128>());
		});
	}

	#[test]
	fn the_trading_centre_may_find_a_contested_delivery_complete() {
		new_test_ext().execute_with(|| {
			let before = totals();
			let id = contested_order();
			assert_ok!(Settlement::resolve_dispute(
				RuntimeOrigin::signed(TRADING_CENTRE),
				id,
				R,
				R
			));
			run_to(System::block_number() + DEPTH.max(DISPUTE));
			assert!(!Orders::<Test>::contains_key(id));
			assert_eq!(Balances::balance(&PROVIDER), START + ESCROW - FEE + TOKEN);
			assert_eq!(Balances::balance(&USER), START - ESCROW);
			assert_eq!(totals().iter().sum::<u128>(), before.iter().sum::<u128>());
		});
	}

	#[test]
	fn a_user_without_the_bond_cannot_dispute() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			final_readings(id, R, R);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			let free = Balances::balance(&USER);
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<u64>>::transfer(
				&USER,
				&USER_2,
				free - BOND / 2,
				frame_support::traits::tokens::Preservation::Preserve,
			));
			assert_noop!(
				Settlement::dispute(RuntimeOrigin::signed(USER), id),
				Error::<Test>::CannotPayDisputeBond
			);
		});
	}

	#[test]
	fn a_dispute_out_of_time_or_before_settlement_is_refused() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			assert_noop!(
				Settlement::dispute(RuntimeOrigin::signed(USER), id),
				Error::<Test>::NotSettled
			);
			run_to(10);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			System::set_block_number(10 + DISPUTE + 1);
			assert_noop!(
				Settlement::dispute(RuntimeOrigin::signed(USER), id),
				Error::<Test>::DisputeWindowClosed
			);
		});
	}
}

mod escrow_and_orders {
	use super::*;

	#[test]
	fn root_names_the_grid_operator_and_the_trading_centre() {
		new_test_ext().execute_with(|| {
			assert_noop!(Settlement::set_roles(RuntimeOrigin::signed(USER), USER, USER), BadOrigin);
			assert_ok!(Settlement::set_roles(RuntimeOrigin::root(), USER_2, PROVIDER_2));
			assert_eq!(GridOperator::<Test>::get(), Some(USER_2));
			assert_eq!(
				last_event(),
				Event::RolesSet { grid_operator: USER_2, trading_centre: PROVIDER_2 }
			);
			// The old trading centre no longer resolves disputes.
			assert!(EnsureTradingCentre::<Test>::try_origin(RuntimeOrigin::signed(TRADING_CENTRE))
				.is_err());
			assert!(
				EnsureTradingCentre::<Test>::try_origin(RuntimeOrigin::signed(PROVIDER_2)).is_ok()
			);
		});
	}

	#[test]
	fn no_order_opens_without_a_grid_operator() {
		new_test_ext().execute_with(|| {
			GridOperator::<Test>::kill();
			assert_ok!(<Settlement as Escrow<_, _>>::hold(&USER, ESCROW));
			assert_noop!(
				Settlement::open_order(new_order(USER, PROVIDER)),
				Error::<Test>::NoGridOperator
			);
		});
	}

	#[test]
	fn escrow_is_held_and_released() {
		new_test_ext().execute_with(|| {
			assert_ok!(<Settlement as Escrow<_, _>>::hold(&USER, 5_000));
			assert_eq!(Settlement::uncommitted(&USER), 5_000);
			assert_eq!(Balances::total_balance_on_hold(&USER), 5_000);
			assert!(Settlement::has_open_obligations(&USER));
			assert_noop!(
				<Settlement as Escrow<_, _>>::release(&USER, 5_001),
				Error::<Test>::InsufficientEscrow
			);
			assert_ok!(<Settlement as Escrow<_, _>>::release(&USER, 5_000));
			assert_eq!(Balances::balance(&USER), START);
			assert!(!Settlement::has_open_obligations(&USER));
			assert_noop!(
				<Settlement as Escrow<_, _>>::hold(&USER, START + 1),
				Error::<Test>::InsufficientFunds
			);
		});
	}

	#[test]
	fn an_order_needs_escrow_approved_participants_and_a_sane_window() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Settlement::open_order(new_order(USER, PROVIDER)),
				Error::<Test>::InsufficientEscrow
			);
			assert_ok!(<Settlement as Escrow<_, _>>::hold(&USER, ESCROW * 2));
			Unapproved::set(vec![PROVIDER]);
			assert_noop!(
				Settlement::open_order(new_order(USER, PROVIDER)),
				Error::<Test>::NotApproved
			);
			Unapproved::set(Vec::new());
			// A provider as user, and a user as provider.
			assert_noop!(
				Settlement::open_order(new_order(PROVIDER, PROVIDER_2)),
				Error::<Test>::NotApproved
			);
			assert_noop!(
				Settlement::open_order(new_order(USER, USER_2)),
				Error::<Test>::NotApproved
			);
			let empty = OrderTerms { window_start: 10, ..new_order(USER, PROVIDER) };
			assert_noop!(Settlement::open_order(empty), Error::<Test>::BadDeliveryWindow);
			assert_ok!(Settlement::open_order(new_order(USER, PROVIDER)));
			let earlier =
				OrderTerms { window_start: 1, window_end: 5, ..new_order(USER, PROVIDER) };
			assert_noop!(Settlement::open_order(earlier), Error::<Test>::BadDeliveryWindow);
			assert_eq!(Settlement::uncommitted(&USER), ESCROW);
		});
	}
}

mod orders_of_a_participant {
	use super::*;

	/// Opens `count` orders of `USER_2` with `PROVIDER_2`, and every `every`-th one (from the
	/// first) an order of `USER` with `PROVIDER`; returns `USER`'s order ids.
	fn open_among_others(count: u32, every: u32) -> Vec<OrderId> {
		(0..count)
			.filter_map(|i| {
				let mine = (i % every == 0).then(|| open(USER, PROVIDER));
				open(USER_2, PROVIDER_2);
				mine
			})
			.collect()
	}

	fn ids(page: Vec<(OrderId, OrderOf<Test>)>) -> Vec<OrderId> {
		page.into_iter().map(|(id, _)| id).collect()
	}

	#[test]
	fn pages_follow_the_order_ids_from_a_cursor() {
		new_test_ext().execute_with(|| {
			// 300 orders of others: ids past 255 check that the index sorts as numbers do.
			let mine = open_among_others(300, 60);
			assert_eq!(mine, vec![0, 61, 122, 183, 244]);
			assert_eq!(ids(Settlement::orders_of(&USER, 0, 100)), mine);
			assert_eq!(ids(Settlement::orders_of(&PROVIDER, 0, 100)), mine);
			// Two at a time, each page starting after the last id returned.
			assert_eq!(ids(Settlement::orders_of(&USER, 0, 2)), [0, 61]);
			assert_eq!(ids(Settlement::orders_of(&USER, 62, 2)), [122, 183]);
			assert_eq!(ids(Settlement::orders_of(&USER, 184, 2)), [244]);
			assert_eq!(ids(Settlement::orders_of(&USER, 245, 2)), Vec::<OrderId>::new());
			// A start on an order of its own includes it.
			assert_eq!(ids(Settlement::orders_of(&USER, 122, 1)), [122]);
			// The page is capped.
			let theirs = ids(Settlement::orders_of(&USER_2, 0, u32::MAX));
			assert_eq!(theirs.len(), <<Test as Config>::MaxPageSize as Get<u32>>::get() as usize);
			assert!(theirs.windows(2).all(|pair| pair[0] < pair[1]));
			assert_eq!(ids(Settlement::orders_of(&USER_2, theirs[99] + 1, 1)), [theirs[99] + 1]);
			assert_eq!(ids(Settlement::orders_of(&GRID, 0, 100)), Vec::<OrderId>::new());
		});
	}

	#[test]
	fn a_paid_order_leaves_the_index() {
		new_test_ext().execute_with(|| {
			let id = open(USER, PROVIDER);
			run_to(10);
			final_readings(id, R, R);
			assert_ok!(Settlement::apply_for_settlement(RuntimeOrigin::signed(PROVIDER), id));
			run_to(10 + DEPTH.max(DISPUTE));
			assert!(!Orders::<Test>::contains_key(id));
			assert!(Settlement::orders_of(&USER, 0, 100).is_empty());
			assert_eq!(AccountOrders::<Test>::iter().count(), 0);
			assert!(!Settlement::has_open_obligations(&PROVIDER));
		});
	}

	#[test]
	fn a_page_costs_its_own_orders_not_the_chains() {
		// The storage proof of `USER`'s page of five among 300 and among 3 000 orders of
		// others: walking every order id, it grew with the others' orders.
		let page_proof = |others: u32| {
			let mut mine = Vec::new();
			let (page, size) = new_test_ext().prove_read(
				|| {
					// Escrow for every order of the others (money made outside the test).
					let escrow = u128::from(others) * ESCROW;
					assert_ok!(<Balances as Mutate<_>>::mint_into(&USER_2, escrow));
					mine = open_among_others(others, others / 5);
				},
				|| ids(Settlement::orders_of(&USER, 0, 100)),
			);
			assert_eq!(page, mine);
			size
		};
		let (few, many) = (page_proof(300), page_proof(3_000));
		println!("proof of a page of five: {few} bytes among 300 orders, {many} among 3 000");
		assert!(many < 3 * few, "proof of the page: {few} bytes among 300, {many} among 3 000");
	}

	#[test]
	fn the_v2_migration_indexes_every_open_order() {
		use crate::migrations::v2::{MigrateV1ToV2, OpenOrders};
		use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
		new_test_ext().execute_with(|| {
			let mine = open_among_others(10, 3);
			// Storage as version 1 left it: counts, no index.
			let _ = AccountOrders::<Test>::clear(u32::MAX, None);
			for (who, count) in [(USER, 4), (PROVIDER, 4), (USER_2, 10), (PROVIDER_2, 10)] {
				OpenOrders::<Test>::insert(who, count);
			}
			StorageVersion::new(1).put::<Settlement>();
			assert!(Settlement::do_try_state().is_err());

			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(Settlement::on_chain_storage_version(), 2);
			assert_eq!(OpenOrders::<Test>::iter().count(), 0);
			assert_eq!(ids(Settlement::orders_of(&PROVIDER, 0, 100)), mine);
			assert_eq!(Settlement::orders_of(&USER_2, 0, 100).len(), 10);
			assert_ok!(Settlement::do_try_state());
		});
	}
}

/// Random interleavings of everything that touches settlement's books, from every account and
/// with arguments good and bad, checked after every step; then every order is driven to its end.
mod random_operations {
	use super::*;
	use gridshard_solver::generate::SplitMix as Choices;
	use sp_runtime::StateVersion;

	/// Users, providers, the roles, and an account nobody registered.
	const ACCOUNTS: [u64; 8] = [USER, USER_2, PROVIDER, PROVIDER_2, GRID, POT, TRADING_CENTRE, 77];

	/// Mostly an order in the state `wanted` accepts, if there is one; otherwise (or sometimes
	/// anyway) any id, possibly one that does not exist.
	fn order_where(
		choices: &mut Choices,
		wanted: impl Fn(&OrderStatus<u128, u64>) -> bool,
	) -> OrderId {
		let fitting: Vec<OrderId> =
			Orders::<Test>::iter().filter(|(_, o)| wanted(&o.status)).map(|(id, _)| id).collect();
		if fitting.is_empty() || choices.chance(20) {
			choices.range(0, NextOrderId::<Test>::get() + 1)
		} else {
			choices.pick(&fitting)
		}
	}

	/// One random operation: a step of the escrow, an order, a reading, a settlement, a dispute,
	/// its resolution, a payout, or time passing.
	fn step(choices: &mut Choices) -> DispatchResult {
		let now = System::block_number();
		let who = choices.pick(&ACCOUNTS);
		let amount = choices.pick(&[0, 1, 500, ESCROW, 3 * ESCROW, 3 * ESCROW, 2 * START]);
		// Mostly the right kind of participant, sometimes anyone.
		let mut participant = |kind: [u64; 2]| {
			if choices.chance(17) {
				choices.pick(&ACCOUNTS)
			} else {
				choices.pick(&kind)
			}
		};
		let (user, provider) = (participant([USER, USER_2]), participant([PROVIDER, PROVIDER_2]));
		match choices.range(0, 11) {
			0 | 1 => <Settlement as Escrow<_, _>>::hold(&user, amount),
			2 => <Settlement as Escrow<_, _>>::release(&user, amount),
			3 | 4 => {
				let window_start = now + choices.range(0, 3);
				let new = OrderTerms {
					user,
					provider,
					agreed: choices.range(0, 20_000),
					price: choices.pick(&[0, 1, PRICE, 400]),
					grid_fee: choices.pick(&[0, FEE, 5_000]),
					period: 0,
					window_start,
					window_end: window_start + choices.range(0, 7),
				};
				Settlement::open_order(new).map(|_| ())
			}
			5 | 6 => {
				let order = order_where(choices, |s| *s == OrderStatus::Delivering);
				let side = choices.pick(&[Side::Provider, Side::User]);
				let energy = choices.range(0, 25_000);
				let sequence = choices.range(0, 3) as u32;
				let is_final = choices.chance(33);
				if choices.chance(12) {
					// Signed by whoever: usually not the order's meter.
					let (reading, signature) =
						signed_reading(order, side, energy, sequence, is_final, who);
					Settlement::submit_reading(authorized(), reading, signature)
				} else {
					read(order, side, energy, sequence, is_final)
				}
			}
			7 => {
				let order = order_where(choices, |s| *s == OrderStatus::Delivering);
				Settlement::apply_for_settlement(RuntimeOrigin::signed(provider), order)
			}
			8 => {
				let order = order_where(choices, |s| matches!(s, OrderStatus::Settled { .. }));
				Settlement::dispute(RuntimeOrigin::signed(user), order)
			}
			9 => {
				let order = order_where(choices, |s| matches!(s, OrderStatus::Disputed { .. }));
				let origin = RuntimeOrigin::signed(choices.pick(&[TRADING_CENTRE, who]));
				let (rho, gamma) = (choices.range(0, 25_000), choices.range(0, 25_000));
				Settlement::resolve_dispute(origin, order, rho, gamma)
			}
			10 => {
				let order = order_where(choices, |s| matches!(s, OrderStatus::Settled { .. }));
				Settlement::claim_payout(RuntimeOrigin::signed(who), order)
			}
			_ => {
				run_to(now + choices.range(1, 6));
				Ok(())
			}
		}
	}

	#[test]
	fn random_operations_keep_the_books_and_every_order_ends() {
		let (mut failed, mut settled, mut disputed, mut paid) = (0, 0, 0, 0);
		for seed in 0..150 {
			new_test_ext().execute_with(|| {
				let mut choices = Choices(seed);
				let issuance = Balances::total_issuance();
				for _ in 0..80 {
					let before = sp_io::storage::root(StateVersion::V1);
					if step(&mut choices).is_err() {
						failed += 1;
						let after = sp_io::storage::root(StateVersion::V1);
						assert_eq!(before, after, "seed {seed}: a failed operation changed state");
					}
					Settlement::do_try_state().expect("invariants hold after every step");
					assert_eq!(Balances::total_issuance(), issuance, "seed {seed}: money made");
				}
				for record in System::events() {
					match record.event {
						RuntimeEvent::Settlement(Event::Settled { .. }) => settled += 1,
						RuntimeEvent::Settlement(Event::DisputeResolved { .. }) => disputed += 1,
						RuntimeEvent::Settlement(Event::PaidOut { .. }) => paid += 1,
						_ => {}
					}
				}
				// The end of every order: disputes resolved, the rest settled and paid by the
				// hook alone; what stays held is exactly the uncommitted escrow.
				let open: Vec<(OrderId, bool)> = Orders::<Test>::iter()
					.map(|(id, o)| (id, matches!(o.status, OrderStatus::Disputed { .. })))
					.collect();
				for (id, is_disputed) in open {
					if is_disputed {
						let centre = RuntimeOrigin::signed(TRADING_CENTRE);
						assert_ok!(Settlement::resolve_dispute(centre, id, R, R));
					}
				}
				run_to(System::block_number() + 200);
				assert_eq!(Orders::<Test>::iter().count(), 0, "seed {seed}: an order never ended");
				for who in ACCOUNTS {
					assert_eq!(
						Balances::balance_on_hold(&HoldReason::Escrow.into(), &who),
						Uncommitted::<Test>::get(who),
						"seed {seed}: escrow held for ended orders"
					);
				}
			});
		}
		// The random walk reaches every kind of state, and bad input.
		let reached = (failed, settled, disputed, paid);
		assert!(failed > 1_000 && settled > 100 && disputed > 20 && paid > 50, "{reached:?}");
	}
}
