//! Whole trading periods through every market pallet: registration and approval, offers and
//! requests with escrow, the off-chain worker's solution submitted as a general transaction,
//! adoption into orders, signed meter readings, settlement, payout and reputation, with the
//! books checked to balance.

use crate::{
	configs::RewardPot,
	genesis_config_presets::{self, development_meter},
	testing, Balances, Executive, Matching, MatchingCall, PeriodRecords, Registration,
	RegistrationCall, Reputation, Runtime, RuntimeCall, RuntimeOrigin, Settlement, SettlementCall,
	System, UncheckedExtrinsic, BLOCK_REWARD, GRID, MILLI_GRID, PERIOD_BLOCKS, SOLUTION_BLOCKS,
	TARGET_BLOCK_TIME_MS,
};
use codec::{Decode, Encode};
use frame_support::traits::{
	fungible::{Inspect, InspectHold},
	Hooks, UnfilteredDispatchable,
};
use gridshard_primitives::{
	record::{ClosedOrder, PeriodRecord},
	traits::ReputationProvider,
	AccountId,
};
use pallet_registration::{Application, GridConnection, Role, VoltageLevel};
use pallet_settlement::{reading_payload, Delivery, Reading, Side};
use sp_core::{
	offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	Pair, H256,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _, Zero},
	FixedU128,
};

/// Runs the next block as a miner builds it (Alice mining), with `body` among its extrinsics,
/// then checks every pallet's invariants.
fn block(body: impl FnOnce()) {
	let n = System::block_number() + 1;
	let alice = Sr25519Keyring::Alice.to_account_id();
	testing::run_block(n, &alice, TARGET_BLOCK_TIME_MS * u64::from(n), body);
	testing::check_invariants();
}

fn run_to(n: u32) {
	while System::block_number() < n {
		block(|| {});
	}
}

fn dispatch(call: RuntimeCall, origin: RuntimeOrigin) {
	call.dispatch_bypass_filter(origin).expect("the call succeeds");
}

fn signed(keyring: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(keyring.to_account_id())
}

#[test]
fn a_whole_period_runs_through_every_market_pallet() {
	let mut ext =
		sp_io::TestExternalities::new(genesis_config_presets::preset_storage("development"));
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));

	let newcomer = Sr25519Keyring::CharlieStash;
	let providers = [Sr25519Keyring::Eve, Sr25519Keyring::Ferdie, newcomer];
	let users = [Sr25519Keyring::AliceStash, Sr25519Keyring::BobStash];
	let pot = RewardPot::get();

	ext.execute_with(|| {
		let issuance = Balances::total_issuance();
		let pot_before = Balances::balance(&pot);
		let users_before = users.map(|u| Balances::total_balance(&u.to_account_id()));

		// Block 1: a newcomer applies and the council (Root here) approves; offers and requests.
		block(|| {
			let account = newcomer.to_account_id();
			let meter_id = b"MTR-NEW-0001".to_vec();
			let proof = development_meter(newcomer).sign(&Registration::meter_key_proof_payload(
				&Registration::genesis_hash(),
				&account,
				&meter_id,
			));
			let application = Application {
				role: Role::Provider {
					kind: pallet_registration::GenerationKind::Storage,
					rated_power_w: 20_000,
					connection: GridConnection {
						point: b"feeder-3".to_vec(),
						voltage: VoltageLevel::Low,
					},
				},
				region: 1,
				name: b"Charlie Battery".to_vec(),
				meter_id,
				meter_key: development_meter(newcomer).public(),
				meter_key_proof: proof,
				settlement_commitment: H256::repeat_byte(3),
			};
			dispatch(
				RuntimeCall::Registration(RegistrationCall::apply {
					application: Box::new(application),
				}),
				signed(newcomer),
			);
			dispatch(
				RuntimeCall::Registration(RegistrationCall::approve { who: account }),
				RuntimeOrigin::root(),
			);

			// Eve: 0.20 GRID/kWh, 10 kWh; Ferdie: 0.25, 10 kWh; the newcomer: 0.15, 10 kWh.
			for (provider, price) in providers.iter().zip([200, 250, 150]) {
				let offer =
					MatchingCall::post_offer { price: price * MILLI_GRID, capacity: 10_000 };
				dispatch(RuntimeCall::Matching(offer), signed(*provider));
			}
			// 8 + 6 + 7 kWh: more than the two incumbents can supply alone.
			for (user, energy) in [(users[0], 8_000), (users[1], 6_000), (users[0], 7_000)] {
				let request = MatchingCall::post_request { energy, limit: Some(300 * MILLI_GRID) };
				dispatch(RuntimeCall::Matching(request), signed(user));
			}
		});

		// The close block takes the snapshot; the worker solves it and submits.
		let close = PERIOD_BLOCKS - SOLUTION_BLOCKS;
		run_to(close);
		assert!(pallet_matching::CurrentSnapshot::<Runtime>::get().is_some());
		Matching::offchain_worker(close);
		let submitted = std::mem::take(&mut pool_state.write().transactions);
		assert_eq!(submitted.len(), 1, "the worker submitted a solution");
		let solution = UncheckedExtrinsic::decode(&mut &submitted[0][..]).unwrap();
		block(|| Executive::apply_extrinsic(solution).unwrap().unwrap());
		let (_, best) = pallet_matching::BestSolution::<Runtime>::get().expect("accepted");
		assert_eq!(best.len(), 3, "every request served");

		// Adoption: three orders delivering over the next ten blocks.
		run_to(PERIOD_BLOCKS);
		let adopted = pallet_matching::LastAdopted::<Runtime>::get().unwrap();
		assert_eq!((adopted.matched, adopted.unmatched), (3, 0));
		let orders: Vec<_> = pallet_settlement::Orders::<Runtime>::iter().collect();
		assert_eq!(orders.len(), 3);
		assert!(
			orders.iter().any(|(_, o)| o.terms.provider == newcomer.to_account_id()),
			"the newcomer (RC 0) sells what the incumbents cannot"
		);

		// Meters report full delivery (a general transaction each); providers apply.
		let window_end = PERIOD_BLOCKS + 10;
		run_to(window_end - 1);
		block(|| {
			for (id, order) in &orders {
				for side in [Side::Provider, Side::User] {
					let who = if side == Side::Provider {
						&order.terms.provider
					} else {
						&order.terms.user
					};
					let keyring = Sr25519Keyring::from_account_id(who).unwrap();
					let reading = Reading {
						order: *id,
						side,
						energy: order.terms.agreed,
						sequence: 1,
						is_final: true,
					};
					let signature = development_meter(keyring)
						.sign(&reading_payload(&Settlement::genesis_hash(), &reading));
					let call = RuntimeCall::Settlement(SettlementCall::submit_reading {
						reading,
						signature,
					});
					Executive::apply_extrinsic(crate::tests::general(call)).unwrap().unwrap();
				}
			}
		});
		block(|| {
			for (id, order) in &orders {
				let call = SettlementCall::apply_for_settlement { order: *id };
				dispatch(
					RuntimeCall::Settlement(call),
					RuntimeOrigin::signed(order.terms.provider.clone()),
				);
			}
		});

		// Paid after the dispute window; the block after the last payout writes the period's
		// record, with settlement's numbers and the reputations of that moment.
		while PeriodRecords::record(0).is_none() {
			assert!(System::block_number() < 4 * PERIOD_BLOCKS, "the record is written");
			run_to(System::block_number() + 1);
		}
		let record = PeriodRecords::record(0).expect("written");
		let mut providers: Vec<AccountId> =
			orders.iter().map(|(_, order)| order.terms.provider.clone()).collect();
		providers.sort();
		providers.dedup();
		let reputations: Vec<_> = providers
			.iter()
			.map(|provider| (provider, Reputation::comprehensive_reputation(provider)))
			.collect();
		let (mut orders_root, mut paid, mut fees) = (H256::zero(), 0, 0);
		// Each full delivery earns `Token` scaled by its size (8, 6 and 7 kWh of 200).
		let rewards: u128 =
			orders.iter().map(|(_, o)| Settlement::rules().full_reward(o.terms.agreed)).sum();
		assert_eq!(rewards, 21 * GRID / 200);
		for (id, order) in &orders {
			let terms = &order.terms;
			let outcome = Settlement::rules()
				.settle(
					terms.agreed,
					terms.price,
					terms.grid_fee,
					order.escrow,
					Delivery { rho: terms.agreed, gamma: terms.agreed, user_final: true },
				)
				.expect("no overflow");
			let closed = ClosedOrder {
				id: *id,
				user: terms.user.clone(),
				provider: terms.provider.clone(),
				agreed: terms.agreed,
				price: terms.price,
				delivered: terms.agreed,
				paid: outcome.provider,
				grid_fee: outcome.grid_fee,
				penalty: outcome.penalty,
				reward: outcome.reward,
			};
			orders_root = closed.chain(orders_root);
			(paid, fees) = (paid + outcome.provider, fees + outcome.grid_fee);
		}
		assert_eq!(
			record,
			PeriodRecord {
				region: 0,
				period: 0,
				orders: 3,
				energy_matched: 21_000,
				energy_delivered: 21_000,
				paid,
				grid_fees: fees,
				rewards,
				penalties: 0,
				unmatched_demand: 0,
				spare_capacity: 9_000,
				orders_root,
				reputations_root: BlakeTwo256::hash(&reputations.encode()),
			}
		);
		assert_eq!(paid + fees, orders.iter().map(|(_, o)| o.escrow).sum::<u128>());

		// Counted by reputation, folded the period after.
		run_to(4 * PERIOD_BLOCKS + 1);
		assert_eq!(pallet_settlement::Orders::<Runtime>::iter().count(), 0, "all paid out");
		for (_, order) in &orders {
			let rc = Reputation::comprehensive_reputation(&order.terms.provider);
			assert!(rc > FixedU128::from_rational(39, 100), "reputation rose: {rc:?}");
			assert!(!Reputation::history(&order.terms.provider).is_empty());
		}

		// The books balance: only block rewards were minted; the pot paid each full delivery's
		// reward; users paid exactly the orders' cost; no escrow is left.
		assert_eq!(
			Balances::total_issuance(),
			issuance + BLOCK_REWARD * u128::from(System::block_number())
		);
		assert_eq!(pot_before - Balances::balance(&pot), rewards);
		let cost: u128 = orders.iter().map(|(_, o)| o.escrow).sum();
		let users_after = users.map(|u| Balances::total_balance(&u.to_account_id()));
		assert_eq!(users_before.iter().sum::<u128>() - users_after.iter().sum::<u128>(), cost);
		for user in users {
			assert_eq!(pallet_settlement::Uncommitted::<Runtime>::get(user.to_account_id()), 0);
			let account: AccountId = user.to_account_id();
			let escrow =
				crate::RuntimeHoldReason::Settlement(pallet_settlement::HoldReason::Escrow);
			assert_eq!(Balances::balance_on_hold(&escrow, &account), 0, "no escrow held");
		}
	});
}

/// In the next block, Eve offers 10 kWh at 0.2 GRID per kWh and the household (Alice's stash)
/// asks for each of `energies` (Wh), without a limit price.
fn post_one_offer_and_requests(energies: &[u64]) {
	block(|| {
		let offer = MatchingCall::post_offer { price: 200 * MILLI_GRID, capacity: 10_000 };
		dispatch(RuntimeCall::Matching(offer), signed(Sr25519Keyring::Eve));
		for energy in energies {
			let request = MatchingCall::post_request { energy: *energy, limit: None };
			dispatch(RuntimeCall::Matching(request), signed(Sr25519Keyring::AliceStash));
		}
	});
}

/// Issue 22's first hole through `Executive`: a feasible solution with a forged claim is
/// refused by the pool's check, and a block that holds it anyway does not apply it; the
/// honest claim is accepted, feeless.
#[test]
fn a_forged_solution_is_refused_before_the_pool_and_in_a_block() {
	use sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
	};
	let mut ext =
		sp_io::TestExternalities::new(genesis_config_presets::preset_storage("development"));
	ext.execute_with(|| {
		post_one_offer_and_requests(&[4_000]);
		let close = PERIOD_BLOCKS - SOLUTION_BLOCKS;
		run_to(close);
		let snapshot = pallet_matching::CurrentSnapshot::<Runtime>::get().expect("closed");
		let (pairs, honest) = Matching::solve(&snapshot).expect("solved");
		let submission = |claimed| {
			let solution = pairs.clone().try_into().expect("within the bound");
			crate::tests::general(RuntimeCall::Matching(MatchingCall::submit_solution {
				period: 0,
				solution,
				claimed,
			}))
		};
		let forged = submission(pallet_matching::Score { weight: honest.weight + 1, ..honest });
		let wrong_score = pallet_matching::Error::<Runtime>::SolutionWrongScore.encode()[0];
		let refused =
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(wrong_score)));
		let parent = System::parent_hash();
		let validity = frame_support::storage::with_transaction(|| {
			let validity = Executive::validate_transaction(
				TransactionSource::External,
				forged.clone(),
				parent,
			);
			sp_runtime::TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(validity))
		})
		.unwrap();
		assert_eq!(validity.map(|_| ()), refused);

		let miner = Sr25519Keyring::Alice.to_account_id();
		let balance = Balances::balance(&miner);
		block(|| {
			assert_eq!(Executive::apply_extrinsic(forged).map(|_| ()), refused);
			Executive::apply_extrinsic(submission(honest)).unwrap().unwrap();
		});
		assert_eq!(pallet_matching::BestSolution::<Runtime>::get().map(|(s, _)| s), Some(honest));
		assert_eq!(
			Balances::balance(&miner),
			balance + BLOCK_REWARD,
			"the miner's reward only: the solution paid no fee"
		);
	});
}

/// The runtime encodes a solution's transaction itself (`MatchingApi::solution_transaction`),
/// so that a client never builds it from types an upgrade may have changed: its bytes decode as
/// this runtime's extrinsic and apply through `Executive`, and an assignment that breaks the
/// snapshot is refused with its reason, changing nothing.
#[test]
fn the_runtime_encodes_the_solution_transaction_it_applies() {
	let mut ext =
		sp_io::TestExternalities::new(genesis_config_presets::preset_storage("development"));
	ext.execute_with(|| {
		post_one_offer_and_requests(&[6_000, 5_000]);
		run_to(PERIOD_BLOCKS - SOLUTION_BLOCKS);
		let input = Matching::solver_input();
		let snapshot = pallet_matching::CurrentSnapshot::<Runtime>::get().expect("closed");
		let (pairs, _) = Matching::solve(&snapshot).expect("solved");
		let mut assignment = vec![None; input.request_ids.len()];
		for (request, offer) in pairs {
			assignment[request as usize] = Some(offer);
		}

		// Both requests on the one offer exceed its 10 kWh: refused, with the reason.
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		assert_eq!(
			Matching::solution_transaction(&[Some(0), Some(0), Some(0)]),
			Err(pallet_matching::Infeasible::UnknownRequest)
		);
		let crowded = Matching::solution_transaction(&[Some(0), Some(0)]);
		assert_eq!(crowded, Err(pallet_matching::Infeasible::OverCapacity));
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);

		let built = Matching::solution_transaction(&assignment).expect("feasible");
		assert_eq!(built.period, input.period);
		let xt = UncheckedExtrinsic::decode(&mut &built.extrinsic[..]).expect("this runtime's");
		assert!(matches!(
			&xt.function,
			RuntimeCall::Matching(MatchingCall::submit_solution { claimed, .. })
				if *claimed == built.score
		));
		block(|| {
			Executive::apply_extrinsic(xt).unwrap().unwrap();
		});
		assert_eq!(
			pallet_matching::BestSolution::<Runtime>::get().map(|(score, _)| score),
			Some(built.score)
		);
	});
}

/// A meter reading of `order`'s `side`, signed by the development meter of `who`, applied as
/// a general transaction through `Executive`.
fn apply_reading(order: u64, side: Side, who: Sr25519Keyring, energy: u64) {
	let reading = Reading { order, side, energy, sequence: 1, is_final: true };
	let signature =
		development_meter(who).sign(&reading_payload(&Settlement::genesis_hash(), &reading));
	let call = RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
	Executive::apply_extrinsic(crate::tests::general(call)).unwrap().unwrap();
}

/// Issue 27's first three findings replayed through `Executive`, the orders opened as
/// adoption opens them: dust orders no longer drain the reward pot, a provider's meter alone
/// no longer decides a contested order, and dust over-delivered at the cap no longer hides
/// large orders that delivered nothing.
#[test]
fn dust_orders_contested_meters_and_inflated_ratios_gain_a_cheater_nothing() {
	use gridshard_primitives::traits::{Escrow, OrderBook, OrderTerms};
	let mut ext =
		sp_io::TestExternalities::new(genesis_config_presets::preset_storage("development"));
	let (eve, household) = (Sr25519Keyring::Eve, Sr25519Keyring::AliceStash);
	let (ferdie, other_household) = (Sr25519Keyring::Ferdie, Sr25519Keyring::BobStash);
	let pot = RewardPot::get();
	ext.execute_with(|| {
		let pot_before = Balances::balance(&pot);
		let before = [household, other_household, ferdie].map(total);
		// Eve sells to her own household at the grid fee (10 milli-GRID per kWh): twelve
		// orders of 2 Wh and four of 10 kWh; Ferdie four orders of 100 Wh.
		let price = 10 * MILLI_GRID;
		let mut eves = Vec::new();
		let mut ferdies = Vec::new();
		block(|| {
			let open = |provider: Sr25519Keyring, user: Sr25519Keyring, agreed: u64| {
				let terms = OrderTerms {
					user: user.to_account_id(),
					provider: provider.to_account_id(),
					agreed,
					price,
					grid_fee: Settlement::rules().cost(agreed, price).unwrap(),
					period: 0,
					window_start: 2,
					window_end: 10,
				};
				Settlement::hold(&terms.user, Settlement::rules().cost(agreed, price).unwrap())
					.unwrap();
				Settlement::open_order(terms).unwrap()
			};
			for agreed in [2; 12].into_iter().chain([10_000; 4]) {
				eves.push((open(eve, household, agreed), agreed));
			}
			for _ in 0..4 {
				ferdies.push(open(ferdie, other_household, 100));
			}
		});
		run_to(9);
		block(|| {
			// Eve's dust is "delivered" at 1.5 by both meters, her large orders not at all.
			for &(id, agreed) in &eves {
				let energy = if agreed == 2 { 3 } else { 0 };
				apply_reading(id, Side::Provider, eve, energy);
				apply_reading(id, Side::User, household, energy);
			}
			// Ferdie's meter signs full delivery; the household's meter received nothing.
			for &id in &ferdies {
				apply_reading(id, Side::Provider, ferdie, 100);
				apply_reading(id, Side::User, other_household, 0);
			}
		});
		block(|| {
			for (id, provider) in
				eves.iter().map(|(id, _)| (*id, eve)).chain(ferdies.iter().map(|id| (*id, ferdie)))
			{
				let call = SettlementCall::apply_for_settlement { order: id };
				dispatch(RuntimeCall::Settlement(call), signed(provider));
			}
		});
		let settled_at = System::block_number();
		let contested = System::events()
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					crate::RuntimeEvent::Settlement(pallet_settlement::Event::Contested { .. })
				)
			})
			.count();
		assert_eq!(contested, 4, "Ferdie's four orders wait for the trading centre");

		// Eve's orders are paid after the dispute window: the pot paid her dust pro rata, 12 *
		// 2 Wh of the 200 kWh that earn a Token, not 12 Tokens; her large orders earned nothing.
		run_to(settled_at + 20);
		assert_eq!(pallet_settlement::Orders::<Runtime>::iter().count(), 4, "Ferdie's wait");
		let rewards = pot_before - Balances::balance(&pot);
		assert_eq!(rewards, 12 * Settlement::rules().full_reward(2));
		assert!(rewards <= Settlement::rules().full_reward(24), "splitting gains nothing");
		assert!(rewards < GRID / 1_000);
		// Her period mean weighs the dust by its energy: 36 / 40 024, not (12 * 1.5) / 16.
		let standing = Reputation::standing(&eve.to_account_id()).unwrap();
		let mean = standing.open.unwrap().current_reputation();
		assert!(mean < FixedU128::from_rational(1, 1_000), "mean {mean:?}");

		// Nobody rules on Ferdie's orders: they are paid on the household's meter at the
		// dispute deadline (100 blocks), after the confirmation depth.
		run_to(settled_at + 100 + 20);
		assert_eq!(pallet_settlement::Orders::<Runtime>::iter().count(), 0, "all paid");
		assert_eq!(total(other_household), before[1], "the household got its escrow back");
		assert_eq!(total(ferdie), before[2], "Ferdie's meter alone earned him nothing");
		assert_eq!(pot_before - Balances::balance(&pot), rewards, "and no reward");
		let ferdies_mean = Reputation::standing(&ferdie.to_account_id()).unwrap();
		assert!(ferdies_mean.open.is_none_or(|open| open.current_reputation().is_zero()));
	});
}

/// Everything `who` holds, free and on hold.
fn total(who: Sr25519Keyring) -> u128 {
	Balances::total_balance(&who.to_account_id())
}
