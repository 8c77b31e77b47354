//! Tests of the order book, the snapshot, the off-chain worker (with the test off-chain and
//! transaction-pool externalities), the checks of submitted solutions, adoption, and random
//! walks over every call with the invariants checked after each step.

use crate::{mock::*, *};
use codec::Decode;
use frame_support::{assert_noop, assert_ok, traits::Authorize};
use sp_core::offchain::{
	testing::{TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_runtime::{transaction_validity::TransactionSource, DispatchError::BadOrigin, FixedU128};

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn authorized() -> RuntimeOrigin {
	frame_system::RawOrigin::Authorized.into()
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Matching(event) => Some(event),
			_ => None,
		})
		.next_back()
		.expect("an event")
}

/// Offers A (provider 10: 100 per kWh, 10 kWh, RC 1) and B (provider 11: 200 per kWh, 6 kWh,
/// RC 0.1, so A's pairs weigh more), and requests of 6, 5 and 5 kWh by users 1, 2 and 3: the
/// greedy fallback gives 6 to A and one 5 to B and serves 11 kWh; the optimum serves all 16.
fn trap() {
	Reputations::mutate(|r| {
		r.insert(11, FixedU128::from_rational(1, 10));
	});
	assert_ok!(Matching::post_offer(signed(10), 100, 10_000));
	assert_ok!(Matching::post_offer(signed(11), 200, 6_000));
	assert_ok!(Matching::post_request(signed(1), 6_000, None));
	assert_ok!(Matching::post_request(signed(2), 5_000, None));
	assert_ok!(Matching::post_request(signed(3), 5_000, None));
}

/// Four providers (reputations 0.3 to 1.2, prices 50 to 300 per kWh, 3 to 11 kWh) and eight
/// requests of 0.5 to 5.9 kWh, drawn from seed 1: a book whose root search does not prove its
/// answer, so that a full search goes on past the root.
fn hard_book() {
	let mut draw = gridshard_solver::generate::SplitMix(1);
	for provider in 10..14u64 {
		let reputation = FixedU128::from_rational(u128::from(draw.range(3, 13)), 10);
		Reputations::mutate(|r| {
			r.insert(provider, reputation);
		});
		let price = u128::from(draw.range(50, 300));
		assert_ok!(Matching::post_offer(signed(provider), price, draw.range(3, 12) * 1_000));
	}
	for user in [1, 2, 3, 9, 1, 2, 3, 9] {
		assert_ok!(Matching::post_request(signed(user), draw.range(5, 60) * 100, None));
	}
}

fn snapshot() -> SnapshotOf<Test> {
	CurrentSnapshot::<Test>::get().expect("a snapshot")
}

fn score(solution: &[(u32, u32)]) -> Score {
	Matching::score(&snapshot(), solution).unwrap()
}

/// A submission for period 0 as a block applies it: the check, then the dispatch.
fn submit(solution: Vec<(u32, u32)>, claimed: Score) -> DispatchResult {
	submit_for(0, solution, claimed)
}

/// [`submit`] for `period`.
fn submit_for(period: PeriodIndex, solution: Vec<(u32, u32)>, claimed: Score) -> DispatchResult {
	Matching::check_solution(period, &solution, &claimed)?;
	let solution = SolutionOf::<Test>::try_from(solution).unwrap();
	Matching::submit_solution(authorized(), period, solution, claimed)
}

fn authorize(period: PeriodIndex, solution: Vec<(u32, u32)>, claimed: Score) -> bool {
	let solution = SolutionOf::<Test>::try_from(solution).unwrap();
	let call = Call::<Test>::submit_solution { period, solution, claimed };
	matches!(call.authorize(TransactionSource::External), Some(Ok(_)))
}

mod book {
	use super::*;

	#[test]
	fn providers_post_update_and_withdraw_offers() {
		new_test_ext().execute_with(|| {
			assert_ok!(Matching::post_offer(signed(10), 100, 5_000));
			assert_eq!(
				last_event(),
				Event::OfferPosted { provider: 10, period: 0, price: 100, capacity: 5_000 }
			);
			assert_ok!(Matching::post_offer(signed(10), 120, 6_000));
			assert_eq!(Offers::<Test>::get(0, 10), Some(Offer { price: 120, capacity: 6_000 }));
			assert_eq!(OfferCount::<Test>::get(0), 1);
			assert!(Matching::has_open_obligations(&10));
			assert_ok!(Matching::withdraw_offer(signed(10)));
			assert_eq!(OfferCount::<Test>::get(0), 0);
			assert!(!Matching::has_open_obligations(&10));
			assert_noop!(Matching::withdraw_offer(signed(10)), Error::<Test>::NoOffer);
		});
	}

	#[test]
	fn bad_offers_are_refused() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Matching::post_offer(signed(1), 100, 5_000),
				Error::<Test>::NotApprovedProvider
			);
			assert_noop!(Matching::post_offer(signed(10), 100, 0), Error::<Test>::ZeroCapacity);
			assert_noop!(
				Matching::post_offer(signed(10), MAX_PRICE + 1, 5),
				Error::<Test>::PriceTooHigh
			);
			for provider in 10..14 {
				assert_ok!(Matching::post_offer(signed(provider), 100, 5));
			}
			assert_noop!(Matching::post_offer(signed(14), 100, 5), Error::<Test>::TooManyOffers);
			run_to(CLOSE);
			assert_noop!(Matching::post_offer(signed(10), 100, 5), Error::<Test>::BookClosed);
			assert_noop!(Matching::withdraw_offer(signed(10)), Error::<Test>::BookClosed);
		});
	}

	#[test]
	fn a_request_holds_its_escrow_until_cancelled() {
		new_test_ext().execute_with(|| {
			assert_ok!(Matching::post_request(signed(1), 4_000, Some(250)));
			assert_eq!(Held::get()[&1], 1_000, "4 kWh at the limit of 250");
			assert_ok!(Matching::post_request(signed(1), 2_000, None));
			assert_eq!(Held::get()[&1], 3_000, "2 kWh at the maximum price");
			assert!(Matching::has_open_obligations(&1));
			assert_noop!(Matching::cancel_request(signed(2), 0), Error::<Test>::NotYourRequest);
			assert_noop!(Matching::cancel_request(signed(1), 7), Error::<Test>::UnknownRequest);
			assert_ok!(Matching::cancel_request(signed(1), 0));
			assert_ok!(Matching::cancel_request(signed(1), 1));
			assert_eq!(Held::get()[&1], 0);
			assert!(!Matching::has_open_obligations(&1));
			assert_eq!(last_event(), Event::RequestCancelled { user: 1, period: 0, id: 1 });
		});
	}

	#[test]
	fn one_user_cannot_fill_the_book_alone() {
		new_test_ext().execute_with(|| {
			// The attack of issue 22: one household posts requests until the book is full.
			for _ in 0..MAX_REQUESTS_PER_USER {
				assert_ok!(Matching::post_request(signed(2), 1, Some(1)));
			}
			assert_noop!(
				Matching::post_request(signed(2), 1, Some(1)),
				Error::<Test>::TooManyRequestsOfUser
			);
			// Room is left for the others.
			assert_ok!(Matching::post_request(signed(1), 1_000, None));
			// A cancelled request frees the user's slot.
			assert_ok!(Matching::cancel_request(signed(2), 0));
			assert_ok!(Matching::post_request(signed(2), 1, Some(1)));
		});
	}

	#[test]
	fn bad_requests_are_refused() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Matching::post_request(signed(10), 1_000, None),
				Error::<Test>::NotApprovedUser
			);
			assert_noop!(Matching::post_request(signed(1), 0, None), Error::<Test>::BadEnergy);
			assert_noop!(
				Matching::post_request(signed(1), 1_000_001, None),
				Error::<Test>::BadEnergy
			);
			assert_noop!(
				Matching::post_request(signed(1), 1_000, Some(MAX_PRICE + 1)),
				Error::<Test>::PriceTooHigh
			);
			Funds::set(10);
			assert_noop!(
				Matching::post_request(signed(1), 1_000, None),
				DispatchError::Other("insufficient funds")
			);
			Funds::set(1_000_000);
			for user in [2, 3] {
				for _ in 0..4 {
					assert_ok!(Matching::post_request(signed(user), 1_000, None));
				}
			}
			assert_noop!(
				Matching::post_request(signed(1), 1_000, None),
				Error::<Test>::TooManyRequests
			);
			run_to(CLOSE);
			assert_noop!(Matching::post_request(signed(1), 1_000, None), Error::<Test>::BookClosed);
			assert_noop!(Matching::cancel_request(signed(2), 0), Error::<Test>::BookClosed);
		});
	}

	#[test]
	fn the_grid_company_keeps_a_sorted_fee_table() {
		new_test_ext().execute_with(|| {
			assert_noop!(Matching::set_grid_fee(signed(1), 1, 1, Some(5)), BadOrigin);
			assert_ok!(Matching::set_grid_fee(signed(GRID_COMPANY), 2, 1, Some(7)));
			assert_ok!(Matching::set_grid_fee(signed(GRID_COMPANY), 1, 1, Some(5)));
			assert_eq!(GridFees::<Test>::get().into_inner(), vec![(1, 1, 5), (2, 1, 7)]);
			assert_noop!(
				Matching::set_grid_fee(signed(GRID_COMPANY), 1, 2, Some(9)),
				Error::<Test>::TooManyFees
			);
			assert_ok!(Matching::set_grid_fee(signed(GRID_COMPANY), 1, 1, None));
			assert_eq!(GridFees::<Test>::get().into_inner(), vec![(2, 1, 7)]);
			assert_eq!(fee_per_kwh(&[(2, 1, 7u128)], 10, 2, 1), 7);
			assert_eq!(fee_per_kwh(&[(2, 1, 7u128)], 10, 1, 1), 10);
		});
	}
}

mod model {
	use super::*;

	#[test]
	fn the_matching_degree_follows_eq_4() {
		let one = FixedU128::from_u32(1);
		// zeta = 2 units, RC = 1: M = 2 / 3.
		// Rounded down in the last of 18 decimals.
		let two_thirds = FixedU128::from_inner(666_666_666_666_666_666);
		assert_eq!(matching_degree(2_000, 1_000, one), two_thirds);
		// A newcomer (RC = 0) and a zero revenue both give M = 0.
		assert_eq!(matching_degree(2_000, 1_000, FixedU128::from_u32(0)), FixedU128::from_u32(0));
		assert_eq!(matching_degree(0, 1_000, one), FixedU128::from_u32(0));
		assert_eq!(weight_of(two_thirds), 666_666);
	}

	#[test]
	fn pairs_respect_limits_and_fees() {
		new_test_ext().execute_with(|| {
			assert_ok!(Matching::post_offer(signed(10), 100, 10_000));
			assert_ok!(Matching::post_offer(signed(11), 300, 10_000));
			assert_ok!(Matching::post_request(signed(1), 5_000, Some(200)));
			// Revenue 5 kWh * 100 = 500 < fee 5 kWh * 150 = 750 for region 2.
			assert_ok!(Matching::post_request(signed(9), 5_000, None));
			assert_ok!(Matching::set_grid_fee(signed(GRID_COMPANY), 1, 2, Some(150)));
			run_to(CLOSE);
			let snapshot = snapshot();
			// Request 0 (limit 200): offer 0 allowed, offer 1 (300) not.
			// zeta = 500 - 5 * 10 = 450; M = 0.45 * 1 / 1.45.
			let expected = weight_of(matching_degree(450, 1_000, FixedU128::from_u32(1)));
			assert_eq!(Matching::pair_weight(&snapshot, 0, 0), Some(expected));
			assert_eq!(Matching::pair_weight(&snapshot, 0, 1), None);
			// Request 1 (region 2): offer 0's revenue does not cover the fee; offer 1's does.
			assert_eq!(Matching::pair_weight(&snapshot, 1, 0), None);
			assert!(Matching::pair_weight(&snapshot, 1, 1).is_some());
		});
	}

	#[test]
	fn the_solver_input_is_the_snapshot_the_workers_solve() {
		new_test_ext().execute_with(|| {
			trap();
			// While the period is open: the snapshot the book would give, nothing stored.
			let open = Matching::solver_input();
			assert!(CurrentSnapshot::<Test>::get().is_none());
			assert_eq!((open.period, open.request_ids.clone()), (0, vec![0, 1, 2]));
			assert_eq!(open.market.requests, vec![6_000, 5_000, 5_000]);
			run_to(CLOSE);
			let snapshot = snapshot();
			let providers: Vec<u64> = snapshot.offers.iter().map(|o| o.provider).collect();
			let closed = Matching::solver_input();
			let market = Matching::market(&snapshot);
			assert_eq!(
				closed,
				SolverInput { period: 0, request_ids: vec![0, 1, 2], providers, market }
			);
			assert_eq!(closed, open);
			// Solved to optimality, the input gives the score the workers' budget reaches here.
			let model = gridshard_solver::Model::market(&closed.market).unwrap();
			let solved = gridshard_solver::solve(&model, u64::MAX);
			let (_, score) = Matching::solve(&snapshot).unwrap();
			assert_eq!(
				solved.value,
				gridshard_solver::Value::Market { energy: score.energy, weight: score.weight }
			);
			assert_eq!(score.energy, 16_000);
		});
	}
}

mod worker {
	use super::*;

	/// Test externalities with the off-chain and pool extensions, kept across worker runs so
	/// that the worker's local storage (lock, cache) persists as on a node.
	struct Worker {
		ext: sp_io::TestExternalities,
		pool: std::sync::Arc<parking_lot::RwLock<sp_core::offchain::testing::PoolState>>,
		offchain: std::sync::Arc<parking_lot::RwLock<sp_core::offchain::testing::OffchainState>>,
	}

	impl Worker {
		fn new(setup: impl FnOnce()) -> Self {
			let mut ext = new_test_ext().0;
			ext.execute_with(setup);
			let (offchain_ext, offchain) = TestOffchainExt::new();
			let (pool_ext, pool) = TestTransactionPoolExt::new();
			ext.register_extension(OffchainDbExt::new(offchain_ext.clone()));
			ext.register_extension(OffchainWorkerExt::new(offchain_ext));
			ext.register_extension(TransactionPoolExt::new(pool_ext));
			Worker { ext, pool, offchain }
		}

		/// Runs the worker at the current block; returns the calls it submitted (one exactly
		/// when it reports no error).
		fn run(&mut self) -> Vec<Call<Test>> {
			let result = self.ext.execute_with(|| Matching::run_worker(System::block_number()));
			let txs = std::mem::take(&mut self.pool.write().transactions);
			assert_eq!(
				result.is_ok(),
				txs.len() == 1,
				"{result:?} with {} transactions",
				txs.len()
			);
			txs.into_iter()
				.map(|tx| {
					let xt = Extrinsic::decode(&mut &tx[..]).unwrap();
					assert!(!xt.is_signed(), "a general transaction, unsigned");
					match xt.function {
						RuntimeCall::Matching(call) => call,
						other => panic!("unexpected call {other:?}"),
					}
				})
				.collect()
		}

		/// Runs the worker at the current block, expecting it to submit nothing; returns why.
		fn refused(&mut self) -> WorkerError {
			let result = self.ext.execute_with(|| Matching::run_worker(System::block_number()));
			assert!(self.pool.read().transactions.is_empty(), "nothing submitted");
			result.expect_err("the worker reports why it did not submit")
		}

		/// The worker's cached solution, if any.
		fn cached(&self) -> Option<CachedSolution> {
			let state = self.offchain.read();
			let bytes = state.persistent_storage.get(OCW_CACHE)?;
			CachedSolution::decode(&mut &bytes[..]).ok()
		}

		/// Writes `bytes` where the worker keeps its cache.
		fn set_cache(&mut self, bytes: &[u8]) {
			use sp_core::offchain::OffchainStorage as _;
			self.offchain.write().persistent_storage.set(b"", OCW_CACHE, bytes);
		}

		/// Caches the greedy fallback's solution as this worker's first answer, sent at the
		/// close (worse than the optimum on the tests' books); returns its score.
		fn cache_the_greedy_as_first_answer(&mut self) -> Score {
			let (solution, score) = self.execute_with(|| {
				let greedy = Matching::greedy(&snapshot());
				(greedy.clone(), score(&greedy))
			});
			let first = CachedSolution {
				period: 0,
				solution,
				score,
				submitted_at: Some(CLOSE as u32),
				budget: QUICK_NODES,
				stopped_at_deadline: false,
			};
			self.set_cache(&first.encode());
			score
		}

		fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
			self.ext.execute_with(|| {
				let result = f();
				Matching::do_try_state().expect("invariants hold");
				result
			})
		}
	}

	fn dispatch(call: Call<Test>) -> DispatchResult {
		assert!(matches!(call.authorize(TransactionSource::Local), Some(Ok(_))), "admitted");
		RuntimeCall::Matching(call).dispatch(authorized()).map(|_| ()).map_err(|e| e.error)
	}

	use sp_runtime::traits::Dispatchable as _;

	#[test]
	fn the_worker_submits_the_optimum_and_it_replaces_a_worse_solution() {
		let mut worker = Worker::new(|| {
			trap();
			run_to(CLOSE);
			// Someone submitted the greedy solution first.
			let greedy = Matching::greedy(&snapshot());
			let greedy_score = score(&greedy);
			assert_eq!(greedy_score.energy, 11_000);
			assert_ok!(submit(greedy, greedy_score));
		});
		let calls = worker.run();
		assert_eq!(calls.len(), 1, "the worker submitted once");
		let cached = worker.cached().expect("the solution is cached");
		assert_eq!((cached.period, cached.submitted_at), (0, Some(CLOSE as u32)));
		worker.execute_with(|| {
			let Call::submit_solution { claimed, .. } = &calls[0] else { panic!("a solution") };
			assert_eq!(*claimed, cached.score);
			assert_eq!(claimed.energy, 16_000);
			// The greedy one filled block CLOSE's one solution; the worker's goes in the next.
			run_to(CLOSE + 1);
			assert_ok!(dispatch(calls[0].clone()));
			assert_eq!(BestSolution::<Test>::get().unwrap().0, *claimed);
			// The worse one can no longer get in, nor through.
			let greedy = Matching::greedy(&snapshot());
			let greedy_score = score(&greedy);
			assert!(!authorize(0, greedy.clone(), greedy_score));
			assert_noop!(submit(greedy, greedy_score), Error::<Test>::SolutionNotBetter);
		});
		// The chain's best is the worker's own: nothing more to submit.
		assert_eq!(worker.refused(), WorkerError::NotBetter);
		worker.execute_with(|| {
			run_to(LENGTH as u64);
			let adopted = LastAdopted::<Test>::get().unwrap();
			assert_eq!(
				(adopted.source, adopted.matched, adopted.unmatched),
				(Source::Submitted, 3, 0)
			);
			assert_eq!(Opened::get().len(), 3);
			// Escrow at the maximum price, less what the orders committed, went back.
			assert_eq!(Held::get().values().sum::<u128>(), 0);
		});
	}

	#[test]
	fn the_worker_resubmits_only_if_its_solution_did_not_make_it() {
		let mut worker = Worker::new(|| {
			trap();
			run_to(CLOSE);
		});
		assert_eq!(worker.run().len(), 1);
		// Not included yet: the next block's worker waits.
		worker.execute_with(|| run_to(CLOSE + 1));
		assert_eq!(worker.refused(), WorkerError::SubmittedRecently);
		// Two blocks later it sends the cached solution again.
		worker.execute_with(|| run_to(CLOSE + RESUBMIT_AFTER as u64));
		let again = worker.run();
		assert_eq!(again.len(), 1);
		worker.execute_with(|| {
			assert_ok!(dispatch(again[0].clone()));
		});
	}

	#[test]
	fn the_worker_answers_from_the_root_first_and_from_the_full_search_next() {
		let mut worker = Worker::new(|| {
			trap();
			run_to(CLOSE);
		});
		let first = worker.run();
		assert_eq!(first.len(), 1);
		let cached = worker.cached().expect("the first answer is cached");
		assert_eq!((cached.budget, cached.submitted_at), (QUICK_NODES, Some(CLOSE as u32)));
		let quick = worker.execute_with(|| Matching::solve_within(&snapshot(), QUICK_NODES));
		assert_eq!(Some((cached.solution.clone(), cached.score)), quick);
		let Call::submit_solution { claimed, .. } = &first[0] else { panic!("a solution") };
		assert_eq!(*claimed, cached.score);
		// The next run searches in full; on this book the root's answer is already optimal, so
		// there is nothing better to send, and the cache says the full search has run.
		worker.execute_with(|| run_to(CLOSE + 1));
		assert_eq!(worker.refused(), WorkerError::SubmittedRecently);
		let full = worker.cached().expect("still cached");
		assert_eq!(full.budget, <<Test as Config>::SolverMaxNodes as Get<u64>>::get());
		assert_eq!((full.score, full.submitted_at), (cached.score, cached.submitted_at));
		assert_eq!(
			Some((full.solution, full.score)),
			worker.execute_with(|| Matching::solve(&snapshot()))
		);
	}

	#[test]
	fn the_full_search_sends_at_once_what_beats_the_first_answer() {
		let mut worker = Worker::new(|| {
			trap();
			run_to(CLOSE);
		});
		// A first answer worse than the optimum (the greedy's, 11 000 Wh), sent at the close.
		let greedy_score = worker.cache_the_greedy_as_first_answer();
		// One block later, within `RESUBMIT_AFTER`: the full search's better answer goes out.
		worker.execute_with(|| run_to(CLOSE + 1));
		let calls = worker.run();
		assert_eq!(calls.len(), 1);
		let cached = worker.cached().expect("cached");
		assert_eq!(cached.budget, <<Test as Config>::SolverMaxNodes as Get<u64>>::get());
		assert_eq!(cached.submitted_at, Some(CLOSE as u32 + 1));
		assert_eq!(cached.score.energy, 16_000);
		assert!(cached.score > greedy_score);
		worker.execute_with(|| {
			let Call::submit_solution { claimed, .. } = &calls[0] else { panic!("a solution") };
			assert_eq!(*claimed, cached.score);
			assert_ok!(dispatch(calls[0].clone()));
			run_to(CLOSE + 2);
		});
		// Solved in full: no third search, and the chain's best is this node's.
		assert_eq!(worker.refused(), WorkerError::NotBetter);
		assert_eq!(worker.cached(), Some(cached));
	}

	#[test]
	fn the_full_search_ends_at_its_deadline_and_sends_its_best_answer() {
		let mut worker = Worker::new(|| {
			hard_book();
			run_to(CLOSE);
		});
		worker.execute_with(|| {
			let root = Matching::search(&snapshot(), QUICK_NODES, None).expect("solved");
			assert!(root.score < root.bound, "the root does not prove this book");
		});
		let greedy_score = worker.cache_the_greedy_as_first_answer();
		// A machine whose blocks leave no time: the deadline is now, and the search stops at
		// its first look at the clock, with what it has.
		BlockTime::set(0);
		worker.execute_with(|| run_to(CLOSE + 1));
		let calls = worker.run();
		let cached = worker.cached().expect("cached");
		assert!(cached.stopped_at_deadline, "the clock stopped the search");
		assert_eq!(cached.budget, <<Test as Config>::SolverMaxNodes as Get<u64>>::get());
		assert!(cached.score > greedy_score, "its best answer beats the first");
		assert_eq!(calls.len(), 1, "and is sent at once");
		let Call::submit_solution { claimed, .. } = &calls[0] else { panic!("a solution") };
		assert_eq!(*claimed, cached.score);
		worker.execute_with(|| {
			assert_ok!(dispatch(calls[0].clone()));
		});
	}

	#[test]
	fn the_deadline_leaves_a_block_for_the_answer() {
		let mut worker = Worker::new(|| run_to(CLOSE));
		worker.offchain.write().timestamp = sp_core::offchain::Timestamp::from_unix_millis(1_000);
		let last = LENGTH - 1;
		worker.execute_with(|| {
			let deadline = |now: u32| Matching::search_deadline(now).unix_millis();
			// From the close, the blocks up to the window's last but one, at 6 s each.
			assert_eq!(deadline(CLOSE as u32), 1_000 + u64::from(last - CLOSE as u32 - 1) * 6_000);
			assert_eq!(deadline(last - 1), 1_000, "no time left");
			assert_eq!(deadline(last), 1_000, "nor at the last block");
		});
	}

	#[test]
	fn a_cache_this_runtime_cannot_read_is_solved_anew() {
		let mut worker = Worker::new(|| {
			trap();
			run_to(CLOSE);
		});
		worker.set_cache(b"written by another runtime");
		assert_eq!(worker.run().len(), 1);
		let cached = worker.cached().expect("replaced");
		assert_eq!((cached.period, cached.budget), (0, QUICK_NODES));
	}

	#[test]
	fn the_worker_submits_nothing_for_an_empty_book() {
		let mut worker = Worker::new(|| run_to(CLOSE));
		assert_eq!(worker.refused(), WorkerError::NothingToMatch);
		assert_eq!(worker.cached().map(|c| c.score), Some(Score::default()));
		worker.execute_with(|| {
			run_to(LENGTH as u64);
			assert_eq!(LastAdopted::<Test>::get().map(|a| a.source), Some(Source::Fallback));
		});
	}

	#[test]
	fn the_worker_does_nothing_outside_the_solution_window() {
		let mut worker = Worker::new(trap);
		assert_eq!(worker.refused(), WorkerError::NoSnapshot);
		assert!(worker.cached().is_none());
	}

	#[test]
	fn a_stale_solution_is_refused_before_the_pool_and_at_dispatch() {
		new_test_ext().execute_with(|| {
			trap();
			run_to(CLOSE);
			let solution = vec![(0, 1), (1, 0), (2, 0)];
			let claimed = score(&solution);
			assert!(!authorize(1, solution.clone(), claimed));
			let bounded = SolutionOf::<Test>::try_from(solution.clone()).unwrap();
			assert_noop!(
				Matching::submit_solution(authorized(), 1, bounded, claimed),
				Error::<Test>::SolutionWrongPeriod
			);
			// After adoption the period is stale too.
			run_to(LENGTH as u64);
			assert!(!authorize(0, solution.clone(), claimed));
			assert_noop!(submit(solution, claimed), Error::<Test>::SolutionWrongPeriod);
		});
	}

	#[test]
	fn only_the_authorised_origin_submits() {
		new_test_ext().execute_with(|| {
			trap();
			run_to(CLOSE);
			let solution = SolutionOf::<Test>::try_from(vec![(0, 1)]).unwrap();
			let claimed = score(&solution);
			assert_noop!(
				Matching::submit_solution(signed(1), 0, solution.clone(), claimed),
				BadOrigin
			);
			assert_noop!(
				Matching::submit_solution(RuntimeOrigin::none(), 0, solution, claimed),
				BadOrigin
			);
		});
	}

	#[test]
	fn tampered_solutions_fail_with_named_errors() {
		new_test_ext().execute_with(|| {
			trap();
			assert_ok!(Matching::post_request(signed(4), 1_000, Some(50)));
			run_to(CLOSE);
			let big = Score { energy: u128::MAX, weight: 0 };
			type Case = (Vec<(u32, u32)>, Error<Test>);
			let cases: [Case; 5] = [
				(vec![(0, 1), (1, 1)], Error::<Test>::SolutionOverCapacity),
				(vec![(7, 0)], Error::<Test>::SolutionUnknownRequest),
				(vec![(0, 5)], Error::<Test>::SolutionUnknownOffer),
				(vec![(1, 0), (1, 1)], Error::<Test>::SolutionRequestTwice),
				// Request 3's limit (50) is below both prices.
				(vec![(3, 0)], Error::<Test>::SolutionDisallowedPair),
			];
			for (solution, error) in cases {
				assert_noop!(submit(solution, big), error);
			}
			let good = vec![(0, 1), (1, 0), (2, 0)];
			let mut wrong = score(&good);
			wrong.weight += 1;
			assert_noop!(submit(good.clone(), wrong), Error::<Test>::SolutionWrongScore);
			assert_ok!(submit(good.clone(), score(&good)));
			assert_eq!(last_event(), Event::SolutionAccepted { period: 0, score: score(&good) });
		});
	}
}

mod forged {
	use super::*;
	use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

	/// What the pool answers `solution` claimed at `claimed` for period 0.
	fn pool_answer(
		solution: Vec<(u32, u32)>,
		claimed: Score,
	) -> Result<Weight, TransactionValidityError> {
		let solution = SolutionOf::<Test>::try_from(solution).unwrap();
		let call = Call::<Test>::submit_solution { period: 0, solution, claimed };
		call.authorize(TransactionSource::External).expect("authorised calls").map(|(_, w)| w)
	}

	/// Issue 22's first hole as found on a node: a feasible assignment, its claimed weight's
	/// last bytes changed, sent 60 times. Each claim was new, so each entered the pool and the
	/// block, failing only at dispatch, for free. Now each is refused before the pool with the
	/// error's index, and nothing changes.
	#[test]
	fn forged_claims_of_a_feasible_solution_never_enter_the_pool() {
		new_test_ext().execute_with(|| {
			trap();
			run_to(CLOSE);
			let solution = Matching::solve(&snapshot()).expect("solved").0;
			let honest = score(&solution);
			let wrong_score = Error::<Test>::SolutionWrongScore.encode()[0];
			let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
			for forged in 1..=60u128 {
				let claimed = Score { weight: honest.weight ^ forged, ..honest };
				assert_eq!(
					pool_answer(solution.clone(), claimed),
					Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(wrong_score)))
				);
				assert!(matches!(
					Matching::check_solution(0, &solution, &claimed),
					Err(Error::<Test>::SolutionWrongScore)
				));
			}
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
			// The honest claim gets in, and the unused part of the worst-case check comes back.
			let refund = pool_answer(solution.clone(), honest).expect("admitted");
			assert!(refund.ref_time() > 0, "a 3-pair check is far from the worst case");
			assert_ok!(submit(solution, honest));
		});
	}

	#[test]
	fn a_block_accepts_one_solution_and_the_next_takes_a_better_one() {
		new_test_ext().execute_with(|| {
			trap();
			run_to(CLOSE);
			let greedy = Matching::greedy(&snapshot());
			assert_ok!(submit(greedy.clone(), score(&greedy)));
			let optimum = Matching::solve(&snapshot()).expect("solved").0;
			assert!(score(&optimum) > score(&greedy));
			assert_eq!(
				pool_answer(optimum.clone(), score(&optimum)),
				Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)),
				"kept for the next block"
			);
			assert_noop!(
				submit(optimum.clone(), score(&optimum)),
				Error::<Test>::SolutionThisBlock
			);
			run_to(CLOSE + 1);
			assert_ok!(submit(optimum.clone(), score(&optimum)));
			assert_eq!(BestSolution::<Test>::get().map(|(s, _)| s), Some(score(&optimum)));
			assert_eq!(BestSolutionAt::<Test>::get(), Some(CLOSE + 1));
		});
	}
}

mod adoption {
	use super::*;

	#[test]
	fn without_submissions_the_fallback_adopts_and_releases_the_rest() {
		new_test_ext().execute_with(|| {
			trap();
			run_to(CLOSE);
			assert_eq!(last_event(), Event::SnapshotTaken { period: 0, offers: 2, requests: 3 });
			run_to(LENGTH as u64);
			let adopted = LastAdopted::<Test>::get().unwrap();
			assert_eq!(
				(adopted.source, adopted.matched, adopted.unmatched),
				(Source::Fallback, 2, 1)
			);
			assert!(System::events().iter().any(|r| r.event
				== RuntimeEvent::Matching(Event::RequestUnmatched {
					user: 3,
					period: 0,
					id: 2,
					reason: UnmatchedReason::NotAssigned
				})));
			assert_eq!(Held::get().values().sum::<u128>(), 0, "all escrow committed or released");
			let orders = Opened::get();
			assert_eq!(orders[0].window_start, LENGTH as u64);
			assert_eq!(orders[0].window_end, LENGTH as u64 + 5);
			assert!(!Matching::has_open_obligations(&1));
			assert!(CurrentSnapshot::<Test>::get().is_none());
			assert_eq!(last_event(), Event::PeriodOpened { period: 1 });
		});
	}

	#[test]
	fn a_refused_order_releases_its_escrow() {
		new_test_ext().execute_with(|| {
			trap();
			run_to(CLOSE);
			Suspended::set(vec![1]);
			run_to(LENGTH as u64);
			assert!(System::events().iter().any(|r| r.event
				== RuntimeEvent::Matching(Event::RequestUnmatched {
					user: 1,
					period: 0,
					id: 0,
					reason: UnmatchedReason::OrderRefused
				})));
			assert_eq!(Held::get().get(&1).copied().unwrap_or(0), 0);
		});
	}

	#[test]
	fn a_newcomer_wins_when_the_incumbents_run_out() {
		new_test_ext().execute_with(|| {
			// Provider 12 is new (RC = 0); provider 10 is trusted but has room for one request.
			Reputations::mutate(|r| {
				r.insert(12, FixedU128::from_u32(0));
			});
			assert_ok!(Matching::post_offer(signed(10), 100, 5_000));
			assert_ok!(Matching::post_offer(signed(12), 100, 5_000));
			assert_ok!(Matching::post_request(signed(1), 5_000, None));
			assert_ok!(Matching::post_request(signed(2), 5_000, None));
			run_to(CLOSE);
			let (solution, score) = Matching::solve(&snapshot()).unwrap();
			assert_eq!(score.energy, 10_000, "both served");
			assert!(solution.contains(&(0, 1)) || solution.contains(&(1, 1)), "the newcomer sells");
		});
	}

	#[test]
	fn the_hook_runs_the_phases_and_reports_them() {
		new_test_ext().execute_with(|| {
			assert_eq!(Matching::phase(), Phase::Open);
			run_to(CLOSE);
			assert_eq!(Matching::phase(), Phase::Solution);
			assert_eq!(SnapshotPeriod::<Test>::get(), Some(0));
			run_to(LENGTH as u64 + 1);
			assert_eq!((Matching::current_period(), Matching::phase()), (1, Phase::Open));
			assert_eq!(<Matching as PeriodClock>::current_period(), 1);
		});
	}
}

/// Random interleavings of everything that touches the book, from every account and with
/// arguments good and bad, over many periods, checked after every step; then every request is
/// driven to its end.
mod random_operations {
	use super::*;
	use gridshard_solver::generate::SplitMix as Choices;
	use sp_runtime::StateVersion;
	use std::collections::BTreeMap;

	/// Users (9 in region 2), providers, the grid company, an account nobody registered.
	const ACCOUNTS: [u64; 9] = [1, 2, 3, 9, 10, 11, 12, GRID_COMPANY, 77];

	/// A solution for the current snapshot: the solver's, or pairs drawn at random (some naming
	/// requests or offers that do not exist), with its true score or a false one.
	fn solution(choices: &mut Choices) -> (PeriodIndex, Vec<(u32, u32)>, Score) {
		let Some(snapshot) = CurrentSnapshot::<Test>::get() else {
			return (Matching::current_period(), vec![], Score { energy: 0, weight: 0 });
		};
		let (n, m) = (snapshot.requests.len() as u64, snapshot.offers.len() as u64);
		let pairs = match (choices.range(0, 2), Matching::solve(&snapshot)) {
			(0, Some((pairs, _))) => pairs,
			_ => {
				let mut pairs = Vec::new();
				for i in 0..n + 1 {
					if choices.chance(50) {
						pairs.push((i as u32, choices.range(0, m) as u32));
					}
				}
				pairs
			}
		};
		let claimed = match Matching::score(&snapshot, &pairs) {
			Ok(score) if !choices.chance(17) => score,
			Ok(score) => Score { weight: score.weight + 1, ..score },
			Err(_) => Score { energy: choices.range(0, 20_000) as u128, weight: 1 },
		};
		let period = if choices.chance(12) { snapshot.period + 1 } else { snapshot.period };
		(period, pairs, claimed)
	}

	/// One random operation: an offer posted or withdrawn, a request posted or cancelled, a grid
	/// fee set, a solution submitted, or time passing.
	fn step(choices: &mut Choices) -> DispatchResult {
		let now = System::block_number();
		let mut participant = |kind: &[u64]| {
			if choices.chance(17) {
				choices.pick(&ACCOUNTS)
			} else {
				choices.pick(kind)
			}
		};
		let (user, provider) = (participant(&[1, 2, 3, 9]), participant(&[10, 11, 12]));
		match choices.range(0, 11) {
			0 | 1 => {
				let price = choices.pick(&[0, 50, 100, 300, MAX_PRICE, MAX_PRICE + 1]);
				let capacity = choices.pick(&[0, 1_000, 5_000, 20_000]);
				Matching::post_offer(signed(provider), price, capacity)
			}
			2 => Matching::withdraw_offer(signed(provider)),
			3..=5 => {
				let energy = choices.pick(&[0, 500, 5_000, 12_000, 2_000_000]);
				let limit = choices.pick(&[None, Some(50), Some(300), Some(MAX_PRICE + 1)]);
				Matching::post_request(signed(user), energy, limit)
			}
			6 => Matching::cancel_request(signed(user), choices.range(0, 9) as RequestId),
			7 => {
				let origin = signed(choices.pick(&[GRID_COMPANY, user]));
				let (from, to) = (choices.pick(&[1, 2, 3]), choices.pick(&[1, 2, 3]));
				Matching::set_grid_fee(origin, from, to, choices.pick(&[None, Some(0), Some(40)]))
			}
			8 | 9 => {
				let (period, pairs, claimed) = solution(choices);
				if pairs.len() > <<Test as Config>::MaxRequests as Get<u32>>::get() as usize {
					return Ok(());
				}
				submit_for(period, pairs, claimed)
			}
			_ => {
				run_to(now + choices.range(1, 4));
				Ok(())
			}
		}
	}

	/// What the mocked escrow and order book hold: outside storage, so compared on its own.
	fn mocked() -> (BTreeMap<u64, u128>, usize) {
		(Held::get(), Opened::get().len())
	}

	#[test]
	fn random_operations_keep_the_book_and_every_request_ends() {
		let (mut failed, mut accepted, mut adopted) = (0, 0, 0);
		for seed in 0..100 {
			new_test_ext().execute_with(|| {
				let mut choices = Choices(seed);
				for _ in 0..120 {
					let before = (sp_io::storage::root(StateVersion::V1), mocked());
					if step(&mut choices).is_err() {
						failed += 1;
						let after = (sp_io::storage::root(StateVersion::V1), mocked());
						assert_eq!(before, after, "seed {seed}: a failed operation changed state");
					}
					Matching::do_try_state().expect("invariants hold after every step");
				}
				for record in System::events() {
					match record.event {
						RuntimeEvent::Matching(Event::SolutionAccepted { .. }) => accepted += 1,
						RuntimeEvent::Matching(Event::SolutionAdopted { .. }) => adopted += 1,
						_ => {}
					}
				}
				// The end of every request: adopted into orders or released unmatched, and no
				// escrow left held for the book.
				run_to(System::block_number() + 3 * LENGTH as u64);
				assert_eq!(
					Requests::<Test>::iter().count(),
					0,
					"seed {seed}: a request never ended"
				);
				assert_eq!(OpenRequests::<Test>::iter().count(), 0, "seed {seed}: counts left");
				assert!(Held::get().values().all(|held| *held == 0), "seed {seed}: escrow stuck");
			});
		}
		let reached = (failed, accepted, adopted);
		assert!(failed > 1_000 && accepted > 50 && adopted > 100, "{reached:?}");
	}
}
