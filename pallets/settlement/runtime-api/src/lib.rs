//! Runtime API of `pallet-settlement`: an order, a participant's orders, and a user's
//! uncommitted escrow. The node's `settlement_*` RPC methods call it.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
use gridshard_primitives::traits::OrderId;

sp_api::decl_runtime_apis! {
	/// Reading settlement's orders.
	pub trait SettlementApi<AccountId, Balance, Order>
	where
		AccountId: Codec,
		Balance: Codec,
		Order: Codec,
	{
		/// The order `id`, until it is paid out.
		fn order(id: OrderId) -> Option<Order>;

		/// The open orders (not yet paid out) in which `who` is the user or the provider, by
		/// id, at most `limit` (capped by the pallet) from id `start`.
		fn orders_of(who: AccountId, start: OrderId, limit: u32) -> Vec<(OrderId, Order)>;

		/// `who`'s escrow not yet committed to an order.
		fn uncommitted_escrow(who: AccountId) -> Balance;
	}
}
