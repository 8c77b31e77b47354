//! The off-chain worker: in a solution window, solve the snapshot and submit the answer where it
//! beats the chain's best. Its steps, each a function: restore the cache, choose the answer,
//! decide, submit; every reason not to submit is a [`WorkerError`].

use crate::{pallet::*, types::*, SnapshotOf, SolutionOf, LOG_TARGET};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::traits::Get;
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use gridshard_primitives::PeriodIndex;
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{BlockAndTime, StorageLock},
		Duration, Timestamp,
	},
	traits::SaturatedConversion,
};

/// The off-chain storage key of the worker's cached solution.
pub const OCW_CACHE: &[u8] = b"gridshard/matching/solution";

/// The off-chain storage key of the worker's lock.
pub const OCW_LOCK: &[u8] = b"gridshard/matching/lock";

/// Blocks the worker waits for its submission to be included before sending it again.
pub const RESUBMIT_AFTER: u32 = 2;

/// The node budget of the worker's first answer to a snapshot: the solver's root alone (its
/// heuristics, bound and fixing; the solver's README measures it against the full search),
/// submitted at once so that a slow node still offers something better than the fallback
/// before its full search ([`Config::SolverMaxNodes`] or [`Pallet::search_deadline`], at the
/// worker's next run) ends. The first answer is the same on every node; the second depends on
/// the time a node had.
pub const QUICK_NODES: u64 = 1;

/// What the off-chain worker keeps in local storage about the snapshot it solved: its answer,
/// and whether and when it sent it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct CachedSolution {
	/// The snapshot's period.
	pub period: PeriodIndex,
	/// The solution: `(request row, offer row)` pairs of the snapshot.
	pub solution: Vec<(u32, u32)>,
	/// Its score.
	pub score: Score,
	/// The block at which this node last submitted it, if it did.
	pub submitted_at: Option<u32>,
	/// The node budget of the search that found it: [`QUICK_NODES`] for the worker's first
	/// answer, [`Config::SolverMaxNodes`] once the full search has run.
	pub budget: u64,
	/// Whether the full search reached its deadline before its node budget, so that this is
	/// the best answer it found in time.
	pub stopped_at_deadline: bool,
}

/// A search of a snapshot: the answer, and how far it is from proven.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SearchAnswer {
	/// The best solution found.
	pub solution: Vec<(u32, u32)>,
	/// Its score, as the chain computes it.
	pub score: Score,
	/// A proven upper bound on every solution's score: the answer's gap is the distance to it
	/// (equal when the answer is optimal).
	pub bound: Score,
	/// Branch-and-bound nodes visited.
	pub nodes: u64,
	/// Whether the deadline stopped the search before its node budget.
	pub stopped_at_deadline: bool,
}

/// Why the off-chain worker did not submit a solution at a block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WorkerError {
	/// No snapshot is taken: the period's book is open.
	NoSnapshot,
	/// Another run of this node's worker holds the lock and is solving.
	Locked,
	/// The snapshot is gone, or the solver's answer does not hold on it.
	Unsolved,
	/// Nothing can be matched at all: the fallback adopts the empty solution.
	NothingToMatch,
	/// The chain's best solution is at least as good as this node's answer.
	NotBetter,
	/// This node submitted its answer less than [`RESUBMIT_AFTER`] blocks ago.
	SubmittedRecently,
	/// The answer has more pairs than a solution may hold.
	TooLong,
	/// The transaction pool refused the submission.
	PoolRefused,
}

impl<T: Config> Pallet<T> {
	/// Runs the off-chain worker at block `n`: unless this node already submitted a solution at
	/// least as good as the chain's best, solve and submit. Each snapshot is solved twice at
	/// most, the answers cached in local storage: first within [`QUICK_NODES`] (the solver's
	/// root, fast even on the largest snapshot), then, at the next run, within
	/// [`Config::SolverMaxNodes`] or until [`Pallet::search_deadline`], whichever comes first,
	/// submitted if better. A lock keeps overlapping workers from solving at the same time.
	pub fn run_worker(n: BlockNumberFor<T>) -> Result<(), WorkerError> {
		let period = SnapshotPeriod::<T>::get().ok_or(WorkerError::NoSnapshot)?;
		let now: u32 = n.saturated_into();
		let mut lock =
			StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
				OCW_LOCK,
				T::SolutionBlocks::get().saturated_into(),
				Duration::from_millis(60_000),
			);
		let _guard = lock.try_lock().map_err(|_| WorkerError::Locked)?;
		let cache = StorageValueRef::persistent(OCW_CACHE);
		let cached = Self::restore_cache(&cache, period);
		let mut answer = Self::choose_answer(period, now, cached)?;
		let decision = Self::decide(&answer, now);
		match decision {
			Ok(()) => answer.submitted_at = Some(now),
			// The root serves whatever can be served: no full search follows.
			Err(WorkerError::NothingToMatch) => {
				answer.submitted_at = None;
				answer.budget = T::SolverMaxNodes::get();
			}
			Err(_) => {}
		}
		cache.set(&answer);
		decision?;
		Self::submit(answer)
	}

	/// The cached answer to `period`'s snapshot, if this node has one. A cache of another
	/// period, or written by an earlier runtime that this one cannot decode, is no answer.
	fn restore_cache(cache: &StorageValueRef, period: PeriodIndex) -> Option<CachedSolution> {
		cache.get::<CachedSolution>().ok().flatten().filter(|cached| cached.period == period)
	}

	/// The answer to submit: the cached one once the full search has run; after the first
	/// answer, the full search until its deadline, taken where it scores more; without a cached
	/// answer, the quick one.
	fn choose_answer(
		period: PeriodIndex,
		now: u32,
		cached: Option<CachedSolution>,
	) -> Result<CachedSolution, WorkerError> {
		let full = T::SolverMaxNodes::get();
		match cached {
			Some(cached) if cached.budget >= full => Ok(cached),
			Some(cached) => {
				let deadline = Self::search_deadline(now);
				let answer = Self::solve_snapshot(period, now, full, Some(deadline))?;
				let stopped_at_deadline = answer.stopped_at_deadline;
				Ok(if answer.score > cached.score {
					CachedSolution {
						period,
						solution: answer.solution,
						score: answer.score,
						submitted_at: None,
						budget: full,
						stopped_at_deadline,
					}
				} else {
					CachedSolution { budget: full, stopped_at_deadline, ..cached }
				})
			}
			None => {
				let budget = QUICK_NODES.min(full);
				let answer = Self::solve_snapshot(period, now, budget, None)?;
				Ok(CachedSolution {
					period,
					solution: answer.solution,
					score: answer.score,
					submitted_at: None,
					budget,
					stopped_at_deadline: false,
				})
			}
		}
	}

	/// Searches the stored snapshot and logs the answer with its proven bound.
	fn solve_snapshot(
		period: PeriodIndex,
		now: u32,
		budget: u64,
		deadline: Option<Timestamp>,
	) -> Result<SearchAnswer, WorkerError> {
		let snapshot = CurrentSnapshot::<T>::get().ok_or(WorkerError::Unsolved)?;
		let answer = Self::search(&snapshot, budget, deadline).ok_or(WorkerError::Unsolved)?;
		let (score, bound) = (answer.score, answer.bound);
		log::info!(
			target: LOG_TARGET,
			"block {now}: solved period {period} in {} of {budget} nodes{}: {} pairs, {} Wh, \
			weight {}; proven bound {} Wh, weight {}{}",
			answer.nodes,
			if answer.stopped_at_deadline { ", stopped at its deadline" } else { "" },
			answer.solution.len(), score.energy, score.weight, bound.energy, bound.weight,
			if score == bound { " (optimal)" } else { "" },
		);
		Ok(answer)
	}

	/// Whether to submit `answer` at block `now`: it must match something, beat the chain's
	/// best, and not wait in the pool from a submission of this node at most
	/// [`RESUBMIT_AFTER`] blocks ago.
	fn decide(answer: &CachedSolution, now: u32) -> Result<(), WorkerError> {
		if answer.score == Score::default() {
			return Err(WorkerError::NothingToMatch);
		}
		if BestSolution::<T>::get().is_some_and(|(best, _)| best >= answer.score) {
			return Err(WorkerError::NotBetter);
		}
		if answer.submitted_at.is_some_and(|at| now < at.saturating_add(RESUBMIT_AFTER)) {
			return Err(WorkerError::SubmittedRecently);
		}
		Ok(())
	}

	/// Sends `answer` as a feeless general transaction that authorises itself.
	fn submit(answer: CachedSolution) -> Result<(), WorkerError> {
		let solution =
			SolutionOf::<T>::try_from(answer.solution).map_err(|_| WorkerError::TooLong)?;
		let call = Call::submit_solution { period: answer.period, solution, claimed: answer.score };
		let xt = T::create_authorized_transaction(call.into());
		SubmitTransaction::<T, Call<T>>::submit_transaction(xt)
			.map_err(|_| WorkerError::PoolRefused)
	}

	/// Solves `snapshot` with the solver within [`Config::SolverMaxNodes`] nodes; returns the
	/// solution and its score as the chain computes it.
	pub fn solve(snapshot: &SnapshotOf<T>) -> Option<(Vec<(u32, u32)>, Score)> {
		Self::solve_within(snapshot, T::SolverMaxNodes::get())
	}

	/// [`Self::solve`] within `max_nodes` nodes.
	pub fn solve_within(
		snapshot: &SnapshotOf<T>,
		max_nodes: u64,
	) -> Option<(Vec<(u32, u32)>, Score)> {
		Self::search(snapshot, max_nodes, None).map(|answer| (answer.solution, answer.score))
	}

	/// Searches `snapshot` within `max_nodes` nodes and, off chain, until `deadline` (the
	/// solver asks the clock after its root and every few hundred nodes); answers the best
	/// solution found with its proven bound.
	pub fn search(
		snapshot: &SnapshotOf<T>,
		max_nodes: u64,
		deadline: Option<Timestamp>,
	) -> Option<SearchAnswer> {
		let model = gridshard_solver::Model::market(&Self::market(snapshot)).ok()?;
		let mut stopped_at_deadline = false;
		let solved = gridshard_solver::solve_until(&model, max_nodes, &mut |_| {
			stopped_at_deadline =
				deadline.is_some_and(|deadline| sp_io::offchain::timestamp() >= deadline);
			stopped_at_deadline
		});
		let solution = Self::pairs(&solved.outcome.assignment);
		let score = Self::score(snapshot, &solution).ok()?;
		let bound = match model.value(solved.outcome.bound) {
			gridshard_solver::Value::Market { energy, weight } => Score { energy, weight },
			_ => return None,
		};
		let nodes = solved.outcome.nodes;
		Some(SearchAnswer { solution, score, bound, nodes, stopped_at_deadline })
	}

	/// When the worker's search at block `now` must end: one block before the window's last
	/// block is expected at [`Config::TargetBlockTime`], so that the answer is in the pool when
	/// that block is mined. At the window's last block or past it, now.
	pub fn search_deadline(now: u32) -> Timestamp {
		let length = Self::period_length();
		let last = (now / length + 1) * length - 1;
		let blocks = last.saturating_sub(now).saturating_sub(1);
		let time = u64::from(blocks).saturating_mul(T::TargetBlockTime::get());
		sp_io::offchain::timestamp().add(Duration::from_millis(time))
	}
}
