//! Runtime API of `pallet-registration`: read a participant, and page through the applications
//! waiting for review. The node's `registration_*` RPC methods call it.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Reading the participant registry.
	pub trait RegistrationApi<AccountId, Participant>
	where
		AccountId: Codec,
		Participant: Codec,
	{
		/// The record of `who`, whatever its status, if it has one.
		fn participant(who: AccountId) -> Option<Participant>;

		/// Up to `limit` pending applications (capped by the pallet's `MaxPageSize`), in storage
		/// order, starting after the account `start_after` (from the first when `None`). Pass the
		/// last account of a page to get the next one; an empty page is the end.
		fn pending_applications(
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, Participant)>;
	}
}
