//! Runtime API of `pallet-matching`: the current period and phase, a period's order book, the
//! best solution so far and the last adopted one, a preview of what the solver would do with
//! the current book, the current snapshot as the solver's input, and an assignment of it as the
//! transaction that submits it. The node's `matching_*` RPC methods call it.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_matching::{
	Adoption, Book, Infeasible, NamedSolution, PeriodPhase, Preview, SolutionTransaction,
	SolverInput,
};

sp_api::decl_runtime_apis! {
	/// Reading the market. Version 2 added [`MatchingApi::solver_input`]; version 3 answers
	/// types with named fields instead of tuples, adds the preview's bound and
	/// [`MatchingApi::solution_transaction`].
	#[api_version(3)]
	pub trait MatchingApi<AccountId>
	where
		AccountId: Codec,
	{
		/// The current period and its phase.
		fn phase() -> PeriodPhase;

		/// The offers (by provider) and requests (by id) of `period`, until it is adopted.
		fn book(period: u32) -> Book<AccountId>;

		/// The best verified solution of the period in its solution window.
		fn best_solution() -> Option<NamedSolution<AccountId>>;

		/// What the last adoption did.
		fn last_adopted() -> Option<Adoption>;

		/// What the solver does with the current period's book (its snapshot once closed),
		/// with the search's proven bound; `None` when there is nothing to solve.
		fn preview() -> Option<Preview<AccountId>>;

		/// The current period's snapshot (or the one its book would give now) as the solver's
		/// input: the period, each request row's id, each offer row's provider, and the
		/// market exactly as the off-chain workers solve it.
		fn solver_input() -> SolverInput<AccountId>;

		/// `assignment` (each request row's offer row of [`MatchingApi::solver_input`], or
		/// none) as the `submit_solution` general transaction, encoded by the running runtime;
		/// refused where it does not hold on the snapshot.
		fn solution_transaction(
			assignment: Vec<Option<u32>>,
		) -> Result<SolutionTransaction, Infeasible>;
	}
}
