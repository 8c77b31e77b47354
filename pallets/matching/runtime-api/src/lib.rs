//! Runtime API of `pallet-matching`: the current period and phase, a period's order book, the
//! best solution so far and the last adopted one, a preview of what the solver would do with
//! the current book, and the current snapshot as the solver's input. The node's `matching_*`
//! RPC methods call it.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]
// The signatures spell out the generic types the runtime fills in.
#![allow(clippy::type_complexity)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Reading the market. Version 2 added [`MatchingApi::solver_input`].
	#[api_version(2)]
	pub trait MatchingApi<AccountId, Phase, Offer, Request, Score, Adoption>
	where
		AccountId: Codec,
		Phase: Codec,
		Offer: Codec,
		Request: Codec,
		Score: Codec,
		Adoption: Codec,
	{
		/// The current period and its phase.
		fn phase() -> (u32, Phase);

		/// The offers (by provider) and requests (by id) of `period`, until it is adopted.
		fn book(period: u32) -> (Vec<(AccountId, Offer)>, Vec<(u32, Request)>);

		/// The best verified solution of the period in its solution window: its period,
		/// score and `(user, provider)` pairs.
		fn best_solution() -> Option<(u32, Score, Vec<(AccountId, AccountId)>)>;

		/// What the last adoption did.
		fn last_adopted() -> Option<Adoption>;

		/// What the solver does with the current period's book (its snapshot once closed):
		/// the score and `(user, provider)` pairs.
		fn preview() -> Option<(Score, Vec<(AccountId, AccountId)>)>;

		/// The current period's snapshot (or the one its book would give now) as the solver's
		/// input: the period, each request row's id, each offer row's provider, and the
		/// market exactly as the off-chain workers solve it.
		#[api_version(2)]
		fn solver_input() -> (u32, Vec<u32>, Vec<AccountId>, gridshard_solver::Market);
	}
}
