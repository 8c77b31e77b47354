//! Runtime API of `pallet-shard-proxy`: this chain's role and, on the coordinator, where its
//! light client of each region stands, and the regions' records, proxies, bonds and slashes. The
//! node's `shardProxy_*` RPC methods and the relay call it.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use gridshard_primitives::{
	record::{ActiveProxy, ProxyBond, RecordEntry, SlashEntry},
	region::{ChainRole, RegionStatus, StoredHeader},
	AccountId, BlockNumber, Hash, PeriodIndex, RegionId,
};

sp_api::decl_runtime_apis! {
	/// Reading the regions' light clients.
	pub trait ShardProxyApi {
		/// This chain's role: standalone, a region, or the coordinator.
		fn chain_role() -> ChainRole;

		/// The regions this chain follows, in ascending order.
		fn regions() -> Vec<RegionId>;

		/// Where the light client of `region` stands, if the region is followed.
		fn region(region: RegionId) -> Option<RegionStatus>;

		/// A stored header of `region` by its hash.
		fn header(region: RegionId, hash: Hash) -> Option<StoredHeader>;

		/// How deep `hash` lies in `region`'s best chain (0 for the best head), or `None` when
		/// it is not in the best chain (unknown, pruned, or on a fork).
		fn best_chain_depth(region: RegionId, hash: Hash) -> Option<u32>;

		/// The kept records of `region` from period `from` on, at most `limit`, ascending.
		fn records(
			region: RegionId,
			from: PeriodIndex,
			limit: u32,
		) -> Vec<(PeriodIndex, RecordEntry<AccountId, BlockNumber>)>;

		/// The proxy `region` named, as proven on this chain.
		fn proxy(region: RegionId) -> Option<ActiveProxy<AccountId>>;

		/// The bond `account` holds as a proxy.
		fn bond(account: AccountId) -> Option<ProxyBond>;

		/// The latest slashes of proxies, oldest first.
		fn slashes() -> Vec<SlashEntry<AccountId, BlockNumber>>;
	}
}
