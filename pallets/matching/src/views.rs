//! What the runtime API answers: the market read without changing it, each answer a type with
//! named fields.

use crate::{pallet::*, types::*, SnapshotOf, SolutionOf};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::traits::Get;
use gridshard_primitives::{Balance, PeriodIndex};
use scale_info::TypeInfo;

/// The current period and where it is.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PeriodPhase {
	/// The trading period: block number divided by the period length.
	pub period: PeriodIndex,
	/// Whether its book is open or its solution window is.
	pub phase: Phase,
}

/// An offer of the book with its provider.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BookOffer<AccountId> {
	/// The provider's account.
	pub provider: AccountId,
	/// Its price and capacity.
	pub offer: Offer,
}

/// A request of the book with its id.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BookRequest<AccountId> {
	/// Its index in the period.
	pub id: RequestId,
	/// The user, energy, limit and escrow.
	pub request: Request<AccountId, Balance>,
}

/// A period's book until its adoption: offers by provider, requests by id.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Book<AccountId> {
	/// The offers, by provider account.
	pub offers: Vec<BookOffer<AccountId>>,
	/// The requests, by id.
	pub requests: Vec<BookRequest<AccountId>>,
}

/// A request matched to a provider.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MatchedPair<AccountId> {
	/// The request's user.
	pub user: AccountId,
	/// The provider that serves it.
	pub provider: AccountId,
}

/// A solution with its pairs named by account.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct NamedSolution<AccountId> {
	/// The period it matches.
	pub period: PeriodIndex,
	/// Its score.
	pub score: Score,
	/// Its pairs, by request row of the snapshot.
	pub pairs: Vec<MatchedPair<AccountId>>,
}

/// What the solver does with the current book (its snapshot once closed), and how far that is
/// from proven.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Preview<AccountId> {
	/// The solver's answer within [`Config::SolverMaxNodes`] nodes.
	pub solution: NamedSolution<AccountId>,
	/// A proven upper bound on every solution's score; equal to the answer's when it is
	/// optimal.
	pub bound: Score,
	/// Branch-and-bound nodes the search visited.
	pub nodes: u64,
}

/// The snapshot as the solver's input, with what its rows are.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SolverInput<AccountId> {
	/// The snapshot's period.
	pub period: PeriodIndex,
	/// The request id of each request row.
	pub request_ids: Vec<RequestId>,
	/// The provider of each offer row.
	pub providers: Vec<AccountId>,
	/// Request energies, offer capacities and allowed pairs with their weights, exactly as the
	/// off-chain workers solve them.
	pub market: gridshard_solver::Market,
}

/// A solution as the transaction that submits it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SolutionTransaction {
	/// The snapshot's period.
	pub period: PeriodIndex,
	/// The score the transaction claims, as the chain computes it.
	pub score: Score,
	/// `submit_solution` as a general transaction that authorises itself, SCALE-encoded in
	/// the running runtime's own extrinsic format.
	pub extrinsic: Vec<u8>,
}

impl<T: Config> Pallet<T> {
	/// The current period and its phase.
	pub fn period_phase() -> PeriodPhase {
		PeriodPhase { period: Self::current_period(), phase: Self::phase() }
	}

	/// The book of `period` while it is open or solving: its offers and requests.
	pub fn book(period: PeriodIndex) -> Book<T::AccountId> {
		let mut requests: Vec<_> = Requests::<T>::iter_prefix(period)
			.map(|(id, request)| BookRequest { id, request })
			.collect();
		requests.sort_by_key(|entry| entry.id);
		let offers = Offers::<T>::iter_prefix(period)
			.map(|(provider, offer)| BookOffer { provider, offer })
			.collect();
		Book { offers, requests }
	}

	/// `solution`'s pairs as accounts of `snapshot`, with its score.
	pub fn named_solution(
		snapshot: &SnapshotOf<T>,
		solution: &[(u32, u32)],
		score: Score,
	) -> NamedSolution<T::AccountId> {
		let pairs = solution
			.iter()
			.filter_map(|(i, j)| {
				let user = snapshot.requests.get(*i as usize)?.user.clone();
				let provider = snapshot.offers.get(*j as usize)?.provider.clone();
				Some(MatchedPair { user, provider })
			})
			.collect();
		NamedSolution { period: snapshot.period, score, pairs }
	}

	/// The best verified solution so far in the solution window.
	pub fn best_solution() -> Option<NamedSolution<T::AccountId>> {
		let snapshot = CurrentSnapshot::<T>::get()?;
		let (score, solution) = BestSolution::<T>::get()?;
		Some(Self::named_solution(&snapshot, &solution, score))
	}

	/// What the solver would do with the current book if it closed now, with its proven bound;
	/// `None` when the book has nothing to solve.
	pub fn preview() -> Option<Preview<T::AccountId>> {
		let snapshot = Self::snapshot_now();
		let answer = Self::search(&snapshot, T::SolverMaxNodes::get(), None)?;
		Some(Preview {
			solution: Self::named_solution(&snapshot, &answer.solution, answer.score),
			bound: answer.bound,
			nodes: answer.nodes,
		})
	}

	/// The current period's snapshot once closed, or the one its book would give now.
	pub(crate) fn snapshot_now() -> SnapshotOf<T> {
		let period = Self::current_period();
		match CurrentSnapshot::<T>::get() {
			Some(snapshot) if snapshot.period == period => snapshot,
			_ => Self::build_snapshot(period),
		}
	}

	/// The current period's snapshot (the book's, without storing it, while the period is
	/// open) as the solver's input, so that tools solve what the off-chain workers solve.
	pub fn solver_input() -> SolverInput<T::AccountId> {
		let snapshot = Self::snapshot_now();
		SolverInput {
			period: snapshot.period,
			request_ids: snapshot.requests.iter().map(|r| r.id).collect(),
			providers: snapshot.offers.iter().map(|o| o.provider.clone()).collect(),
			market: Self::market(&snapshot),
		}
	}

	/// `assignment` of [`Pallet::solver_input`]'s rows (each request row's offer row, or none)
	/// as the transaction that submits it with its score, encoded by this runtime, so that a
	/// client never builds the call from types an upgrade may have changed. Refused where the
	/// assignment does not hold on the snapshot; the chain admits the transaction only in the
	/// solution window and only if it beats the best solution so far.
	pub fn solution_transaction(
		assignment: &[Option<u32>],
	) -> Result<SolutionTransaction, Infeasible> {
		let snapshot = Self::snapshot_now();
		if assignment.len() > snapshot.requests.len() {
			return Err(Infeasible::UnknownRequest);
		}
		let pairs = Self::pairs(assignment);
		let score = Self::score(&snapshot, &pairs)?;
		// Each request row at most once: no more pairs than the snapshot has requests.
		let solution = SolutionOf::<T>::try_from(pairs).map_err(|_| Infeasible::UnknownRequest)?;
		let call = Call::submit_solution { period: snapshot.period, solution, claimed: score };
		let extrinsic = T::create_authorized_transaction(call.into()).encode();
		Ok(SolutionTransaction { period: snapshot.period, score, extrinsic })
	}
}
