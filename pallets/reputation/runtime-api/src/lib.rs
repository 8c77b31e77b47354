//! Runtime API of `pallet-reputation`: a provider's standing and history, and the ranking of
//! all providers. The node's `reputation_*` RPC methods call it.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
use sp_runtime::FixedU128;

sp_api::decl_runtime_apis! {
	/// Reading providers' reputation.
	pub trait ReputationApi<AccountId, Standing, PeriodSummary>
	where
		AccountId: Codec,
		Standing: Codec,
		PeriodSummary: Codec,
	{
		/// `provider`'s standing now: its comprehensive reputation `RC` (an ended period folded
		/// in) and the current period's deliveries; `None` if it never had a delivery.
		fn standing(provider: AccountId) -> Option<Standing>;

		/// `provider`'s closed periods, oldest first (at most the pallet's `HistoryDepth`).
		fn history(provider: AccountId) -> Vec<PeriodSummary>;

		/// Providers by `RC`, highest first: `limit` (capped by `MaxPageSize`) from position
		/// `start`.
		fn ranking(start: u32, limit: u32) -> Vec<(AccountId, FixedU128)>;
	}
}
