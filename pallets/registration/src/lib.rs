//! # Registration pallet
//!
//! Providers and users apply to trade; the qualification council reviews them; only approved
//! participants trade (paper, section 3.1).
//!
//! ## Overview
//!
//! An applicant calls [`Pallet::apply`] with its role (a provider's generation kind, rated power
//! and grid connection; a user's grid connection), its region, name, meter ID, meter public key
//! and a commitment (hash) to its settlement account details: bank details never go on chain in
//! clear. The meter key signs a proof of possession ([`Pallet::meter_key_proof_payload`]), which
//! shows both that the key is a valid sr25519 key and that the applicant holds the meter. A
//! deposit ([`Config::Deposit`]) is held under [`HoldReason::RegistrationDeposit`] for as long
//! as the record exists; it pays for the record's storage and is what misconduct forfeits.
//!
//! The council ([`Config::QualificationOrigin`]; in GridShard's runtime three of the four main
//! service nodes, energy bureau, grid company, notary and trading centre, voting in a
//! `pallet-collective` instance) approves or rejects pending applications, and suspends and
//! reinstates approved participants.
//!
//! ```text
//!            apply              approve             suspend
//!   (none) ---------> Pending ----------> Approved ---------> Suspended
//!     ^                 |                   |  ^                 |  ^
//!     |   withdraw,     |       deregister  |  |    reinstate    |  |
//!     +--- reject ------+                   v  +-----------------+  |
//!     |                                  Leaving -------------------+
//!     |                                     |          suspend
//!     +------- complete_deregistration -----+
//! ```
//!
//! Withdrawal and rejection return the deposit and free the meter ID at once. Deregistration
//! asks [`Config::Obligations`] first (a participant with open offers, requests, orders or
//! disputes in another pallet must close them before it leaves), then starts the
//! [`Config::UnbondingPeriod`]: the participant no longer trades, the council may still
//! suspend it, and only after the period does [`Pallet::complete_deregistration`] return the
//! deposit and free the meter ID. The period is longer than a council motion lives, so that a
//! suspension moved before the participant asked to leave still reaches its deposit. A
//! suspended participant cannot leave: its deposit waits for the council (reinstatement, then
//! leaving as anyone does).
//!
//! ## For other pallets
//!
//! [`Pallet`] implements [`ParticipantRegistry`]: whether an account is an approved provider or
//! user, in which region, with which meter key. Suspended and pending participants are not
//! approved.
//!
//! ## Deposits and forfeits
//!
//! A suspension for [`SuspensionReason::Misconduct`] forfeits [`Config::MisconductForfeit`] of
//! the held deposit to [`Config::Forfeit`]; an inspection forfeits nothing. Reinstatement tops
//! the deposit up to [`Config::Deposit`] again from the participant's free balance, so that an
//! approved participant always has the full deposit at stake.
//!
//! ## Invariants ([`Pallet::do_try_state`])
//!
//! - The balance held under the pallet's reason from each account equals the deposit its record
//!   says is held. (The pallet's tests also check that accounts without a record hold nothing,
//!   by summing over all accounts, which the runtime cannot afford.)
//! - Every record's meter ID maps back to it, and the meter index has no other entry.
//! - The pending index lists exactly the records whose status is pending.
//!
//! ## Hashers
//!
//! All maps are keyed by values a user chooses (accounts, meter IDs), so they use
//! `Blake2_128Concat`, which keeps keys iterable while making it impractical to craft keys that
//! unbalance the trie.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::{boxed::Box, vec::Vec};
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{BalancedHold, Credit, InspectHold, Mutate, MutateHold},
		tokens::Precision,
		Imbalance, OnUnbalanced,
	},
};
use frame_system::pallet_prelude::*;
use gridshard_primitives::{
	region::ChainRoleProvider,
	traits::{OpenObligations, ParticipantRegistry},
	Balance, MeterKey, RegionId,
};
use sp_runtime::{
	traits::{Verify, Zero},
	Perbill, Saturating, TokenError,
};

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::registration";

/// What a meter key signs to prove possession, before the applicant and the meter ID.
pub const METER_KEY_PROOF_CONTEXT: &[u8] = b"gridshard/meter-key-proof";

/// Funds taken from a participant, handed to [`Config::Forfeit`].
pub type CreditOf<T> = Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

/// A stored text field: name, meter ID or connection point.
pub type TextOf<T> = BoundedVec<u8, <T as Config>::MaxFieldLength>;

/// A participant's record as this runtime stores it.
pub type ParticipantOf<T> = Participant<Balance, BlockNumberFor<T>, TextOf<T>>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the registry.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// Who reviews applications: approves, rejects, suspends and reinstates.
		type QualificationOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Whether a participant still has something open elsewhere (offers, requests, orders,
		/// disputes), which keeps it from deregistering.
		type Obligations: OpenObligations<Self::AccountId>;

		/// This chain's role: a region's chain admits only applications to trade in that
		/// region, the coordinating chain none.
		type ChainRole: ChainRoleProvider;

		/// Where forfeited deposits go (dropping the credit burns it).
		type Forfeit: OnUnbalanced<CreditOf<Self>>;

		/// The deposit held while a record exists.
		#[pallet::constant]
		type Deposit: Get<Balance>;

		/// The share of the deposit a suspension for misconduct forfeits.
		#[pallet::constant]
		type MisconductForfeit: Get<Perbill>;

		/// The longest name, meter ID or connection point, in bytes.
		#[pallet::constant]
		type MaxFieldLength: Get<u32>;

		/// The most pending applications one runtime API call returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Blocks between deregistration and the deposit's return: longer than a council
		/// motion lives, so that no participant leaves ahead of a suspension being voted.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Weights of the calls, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a participant's record.
		#[codec(index = 0)]
		RegistrationDeposit,
	}

	/// Every participant's record, whatever its status.
	#[pallet::storage]
	pub type Participants<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ParticipantOf<T>>;

	/// Which account registered each meter ID: a meter belongs to one participant at a time.
	#[pallet::storage]
	pub type MeterOwners<T: Config> = StorageMap<_, Blake2_128Concat, TextOf<T>, T::AccountId>;

	/// The accounts whose applications wait for review.
	#[pallet::storage]
	pub type PendingApplications<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// The block from which each leaving participant may complete its deregistration.
	#[pallet::storage]
	pub type Unbonding<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>>;

	/// Participants approved at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The approved participants; each one's deposit is held from its genesis balance.
		pub participants: Vec<GenesisParticipant<T::AccountId>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for participant in &self.participants {
				Pallet::<T>::register_at_genesis(participant.clone())
					.unwrap_or_else(|error| panic!("genesis participant {participant:?}: {error}"));
			}
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An application was submitted and its deposit held.
		Applied {
			/// The applicant's account.
			who: T::AccountId,
			/// Provider or user.
			role: RoleKind,
			/// The region it applied to trade in.
			region: RegionId,
			/// The deposit held.
			deposit: Balance,
		},
		/// A pending application was withdrawn by its applicant.
		Withdrawn {
			/// The applicant's account.
			who: T::AccountId,
			/// The deposit returned.
			refunded: Balance,
		},
		/// The council approved an application.
		Approved {
			/// The new participant.
			who: T::AccountId,
		},
		/// The council rejected an application.
		Rejected {
			/// The applicant's account.
			who: T::AccountId,
			/// Why.
			reason: RejectionReason,
			/// The deposit returned.
			refunded: Balance,
		},
		/// The council suspended a participant.
		Suspended {
			/// The participant's account.
			who: T::AccountId,
			/// Why.
			reason: SuspensionReason,
			/// The part of its deposit forfeited.
			forfeited: Balance,
		},
		/// The council reinstated a suspended participant.
		Reinstated {
			/// The participant's account.
			who: T::AccountId,
			/// What was held again to bring the deposit back to the full amount.
			topped_up: Balance,
		},
		/// A participant left the market.
		Deregistered {
			/// The former participant.
			who: T::AccountId,
			/// The deposit returned.
			refunded: Balance,
		},
		/// A participant deregistered: it no longer trades, and its deposit comes back with
		/// [`Pallet::complete_deregistration`] from block `unbonding_until`.
		Leaving {
			/// The participant's account.
			who: T::AccountId,
			/// The first block at which its deposit may be taken back.
			unbonding_until: BlockNumberFor<T>,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account already has a record (pending, approved, suspended or leaving). Withdraw or
		/// deregister first.
		AlreadyRegistered,
		/// Another participant registered this meter ID. Each meter belongs to one participant.
		MeterIdInUse,
		/// The name is longer than `MaxFieldLength` bytes.
		NameTooLong,
		/// The meter ID is longer than `MaxFieldLength` bytes.
		MeterIdTooLong,
		/// The connection point is longer than `MaxFieldLength` bytes.
		ConnectionPointTooLong,
		/// The name is empty.
		EmptyName,
		/// The meter ID is empty.
		EmptyMeterId,
		/// The connection point is empty.
		EmptyConnectionPoint,
		/// A provider declared a rated power of zero.
		ZeroRatedPower,
		/// The meter key is malformed, or its proof of possession is not its signature of
		/// `meter_key_proof_payload(applicant, meter_id)`.
		BadMeterKeyProof,
		/// The account's free balance cannot cover the deposit.
		InsufficientFundsForDeposit,
		/// The account has no record.
		NotRegistered,
		/// The application is not pending: it was already reviewed. An approved participant
		/// deregisters instead of withdrawing.
		NotPending,
		/// The participant is not approved.
		NotApproved,
		/// The participant is not suspended.
		NotSuspended,
		/// The participant still has open offers, requests, orders or disputes; close them
		/// first.
		OpenObligations,
		/// This chain does not serve the region applied for: each region runs its own chain
		/// (apply on that region's chain), and the coordinating chain runs no market.
		RegionNotServed,
		/// A suspended participant cannot leave: its deposit waits for the council.
		SuspendedAwaitsCouncil,
		/// The participant is not leaving: deregister first.
		NotLeaving,
		/// The unbonding period has not ended yet.
		StillUnbonding,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::Deposit::get().is_zero(), "a registration needs a deposit");
			assert!(T::MaxFieldLength::get() > 0, "text fields need room");
			assert!(T::MaxPageSize::get() > 0, "a page holds at least one application");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Applies to trade as a provider or user.
		///
		/// - Origin: signed by the applicant, which must have no record yet.
		/// - Holds [`Config::Deposit`] from the applicant until it leaves.
		/// - `application.meter_key_proof` must be the meter key's signature of
		///   [`Pallet::meter_key_proof_payload`] for this applicant and meter ID.
		///
		/// Errors: [`Error::AlreadyRegistered`], [`Error::RegionNotServed`],
		/// [`Error::MeterIdInUse`], the `*TooLong` and `Empty*` field errors,
		/// [`Error::ZeroRatedPower`], [`Error::BadMeterKeyProof`],
		/// [`Error::InsufficientFundsForDeposit`].
		///
		/// Emits [`Event::Applied`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply())]
		pub fn apply(origin: OriginFor<T>, application: Box<Application>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Participants::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
			let record = Self::check_application(&who, *application)?;
			ensure!(!MeterOwners::<T>::contains_key(&record.meter_id), Error::<T>::MeterIdInUse);

			let deposit = T::Deposit::get();
			Self::hold(&who, deposit)?;
			let (role, region) = (record.role.kind(), record.region);
			Self::insert(&who, ParticipantOf::<T> { deposit, ..record });
			Self::deposit_event(Event::Applied { who, role, region, deposit });
			Ok(())
		}

		/// Withdraws a pending application and returns its deposit.
		///
		/// - Origin: signed by the applicant.
		///
		/// Errors: [`Error::NotRegistered`]; [`Error::NotPending`] once reviewed (an approved
		/// participant deregisters instead).
		///
		/// Emits [`Event::Withdrawn`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Self::record_with_status(&who, Status::Pending, Error::<T>::NotPending)?;
			let refunded = Self::remove(&who, record);
			Self::deposit_event(Event::Withdrawn { who, refunded });
			Ok(())
		}

		/// Approves a pending application: the applicant may trade.
		///
		/// - Origin: [`Config::QualificationOrigin`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NotPending`].
		///
		/// Emits [`Event::Approved`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::approve())]
		pub fn approve(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::QualificationOrigin::ensure_origin(origin)?;
			let mut record =
				Self::record_with_status(&who, Status::Pending, Error::<T>::NotPending)?;
			record.status = Status::Approved;
			PendingApplications::<T>::remove(&who);
			Participants::<T>::insert(&who, record);
			Self::deposit_event(Event::Approved { who });
			Ok(())
		}

		/// Rejects a pending application with a reason, and returns its deposit.
		///
		/// - Origin: [`Config::QualificationOrigin`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NotPending`].
		///
		/// Emits [`Event::Rejected`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(
			origin: OriginFor<T>,
			who: T::AccountId,
			reason: RejectionReason,
		) -> DispatchResult {
			T::QualificationOrigin::ensure_origin(origin)?;
			let record = Self::record_with_status(&who, Status::Pending, Error::<T>::NotPending)?;
			let refunded = Self::remove(&who, record);
			Self::deposit_event(Event::Rejected { who, reason, refunded });
			Ok(())
		}

		/// Suspends an approved or leaving participant: it may not trade (nor leave) until
		/// reinstated. Misconduct forfeits [`Config::MisconductForfeit`] of the deposit to
		/// [`Config::Forfeit`].
		///
		/// - Origin: [`Config::QualificationOrigin`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NotApproved`].
		///
		/// Emits [`Event::Suspended`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::suspend())]
		pub fn suspend(
			origin: OriginFor<T>,
			who: T::AccountId,
			reason: SuspensionReason,
		) -> DispatchResult {
			T::QualificationOrigin::ensure_origin(origin)?;
			let mut record = Participants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(
				matches!(record.status, Status::Approved | Status::Leaving),
				Error::<T>::NotApproved
			);
			// A participant on its way out stays for the council's decision.
			Unbonding::<T>::remove(&who);
			let forfeited = match reason {
				SuspensionReason::Misconduct => Self::forfeit(&who, &mut record),
				SuspensionReason::Inspection => Zero::zero(),
			};
			record.status = Status::Suspended(reason);
			Participants::<T>::insert(&who, record);
			Self::deposit_event(Event::Suspended { who, reason, forfeited });
			Ok(())
		}

		/// Reinstates a suspended participant, topping its deposit up to [`Config::Deposit`]
		/// from its free balance.
		///
		/// - Origin: [`Config::QualificationOrigin`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NotSuspended`],
		/// [`Error::InsufficientFundsForDeposit`] when the participant cannot top up.
		///
		/// Emits [`Event::Reinstated`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::reinstate())]
		pub fn reinstate(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::QualificationOrigin::ensure_origin(origin)?;
			let mut record = Participants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(matches!(record.status, Status::Suspended(_)), Error::<T>::NotSuspended);
			let topped_up = T::Deposit::get().saturating_sub(record.deposit);
			if !topped_up.is_zero() {
				Self::hold(&who, topped_up)?;
			}
			record.deposit = record.deposit.saturating_add(topped_up);
			record.status = Status::Approved;
			Participants::<T>::insert(&who, record);
			Self::deposit_event(Event::Reinstated { who, topped_up });
			Ok(())
		}

		/// Starts leaving the market: the participant stops trading at once, and its deposit
		/// comes back with [`Pallet::complete_deregistration`] after
		/// [`Config::UnbondingPeriod`]; until then the council may still suspend it.
		///
		/// - Origin: signed by an approved participant.
		/// - Asks [`Config::Obligations`] first.
		///
		/// Errors: [`Error::NotRegistered`]; [`Error::NotApproved`] while pending (withdraw
		/// instead) or already leaving; [`Error::SuspendedAwaitsCouncil`];
		/// [`Error::OpenObligations`].
		///
		/// Emits [`Event::Leaving`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::deregister())]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Participants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			match record.status {
				Status::Approved => {}
				Status::Suspended(_) => return Err(Error::<T>::SuspendedAwaitsCouncil.into()),
				Status::Pending | Status::Leaving => return Err(Error::<T>::NotApproved.into()),
			}
			ensure!(!T::Obligations::has_open_obligations(&who), Error::<T>::OpenObligations);
			let now = frame_system::Pallet::<T>::block_number();
			let unbonding_until = now.saturating_add(T::UnbondingPeriod::get());
			record.status = Status::Leaving;
			Participants::<T>::insert(&who, record);
			Unbonding::<T>::insert(&who, unbonding_until);
			Self::deposit_event(Event::Leaving { who, unbonding_until });
			Ok(())
		}

		/// Completes a deregistration after its unbonding period: removes the record, frees
		/// the meter ID and returns the deposit.
		///
		/// - Origin: signed by the leaving participant.
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NotLeaving`] (not deregistered, or
		/// suspended meanwhile), [`Error::StillUnbonding`].
		///
		/// Emits [`Event::Deregistered`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::complete_deregistration())]
		pub fn complete_deregistration(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Self::record_with_status(&who, Status::Leaving, Error::<T>::NotLeaving)?;
			let unbonding_until = Unbonding::<T>::get(&who).ok_or(Error::<T>::NotLeaving)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= unbonding_until, Error::<T>::StillUnbonding);
			Unbonding::<T>::remove(&who);
			let refunded = Self::remove(&who, record);
			Self::deposit_event(Event::Deregistered { who, refunded });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The bytes a meter key signs to prove possession for `applicant` on the chain of
	/// genesis hash `genesis_hash` (`chain_getBlockHash(0)`): `(METER_KEY_PROOF_CONTEXT,
	/// genesis_hash, applicant, meter_id)`, SCALE-encoded. Binding the chain, the applicant and
	/// the meter ID keeps a proof from being replayed on another region's chain, by someone
	/// else, or for another meter.
	pub fn meter_key_proof_payload(
		genesis_hash: &T::Hash,
		applicant: &T::AccountId,
		meter_id: &[u8],
	) -> Vec<u8> {
		(METER_KEY_PROOF_CONTEXT, genesis_hash, applicant, meter_id).encode()
	}

	/// This chain's genesis hash, which meter keys sign in their proofs.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The record of `who`, if it has one.
	pub fn participant(who: &T::AccountId) -> Option<ParticipantOf<T>> {
		Participants::<T>::get(who)
	}

	/// Up to `limit` (at most [`Config::MaxPageSize`]) pending applications, starting after
	/// `start_after`, in storage order.
	pub fn pending_applications(
		start_after: Option<T::AccountId>,
		limit: u32,
	) -> Vec<(T::AccountId, ParticipantOf<T>)> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let accounts = match start_after {
			Some(account) => PendingApplications::<T>::iter_from(
				PendingApplications::<T>::hashed_key_for(account),
			),
			None => PendingApplications::<T>::iter(),
		};
		accounts
			.filter_map(|(account, ())| Some((account.clone(), Participants::<T>::get(account)?)))
			.take(limit)
			.collect()
	}

	/// Checks an application's fields and builds the pending record it asks for (its deposit
	/// still zero). Changes nothing.
	fn check_application(
		who: &T::AccountId,
		application: Application,
	) -> Result<ParticipantOf<T>, DispatchError> {
		let Application {
			role,
			region,
			name,
			meter_id,
			meter_key,
			meter_key_proof,
			settlement_commitment,
		} = application;
		ensure!(T::ChainRole::chain_role().admits(region), Error::<T>::RegionNotServed);
		let name = Self::text(name, Error::<T>::EmptyName, Error::<T>::NameTooLong)?;
		let proof_payload = Self::meter_key_proof_payload(&Self::genesis_hash(), who, &meter_id);
		let meter_id = Self::text(meter_id, Error::<T>::EmptyMeterId, Error::<T>::MeterIdTooLong)?;
		if let Role::Provider { rated_power_w, .. } = &role {
			ensure!(*rated_power_w > 0, Error::<T>::ZeroRatedPower);
		}
		let role = role.try_map_point(|point| {
			Self::text(point, Error::<T>::EmptyConnectionPoint, Error::<T>::ConnectionPointTooLong)
		})?;
		ensure!(
			meter_key_proof.verify(&proof_payload[..], &meter_key),
			Error::<T>::BadMeterKeyProof
		);
		Ok(Participant {
			role,
			region,
			name,
			meter_id,
			meter_key,
			settlement_commitment,
			deposit: Zero::zero(),
			status: Status::Pending,
			applied_at: frame_system::Pallet::<T>::block_number(),
		})
	}

	/// `bytes` as a stored text field: `empty` if there are none, `too_long` beyond
	/// [`Config::MaxFieldLength`].
	fn text(bytes: Vec<u8>, empty: Error<T>, too_long: Error<T>) -> Result<TextOf<T>, Error<T>> {
		ensure!(!bytes.is_empty(), empty);
		bytes.try_into().map_err(|_| too_long)
	}

	/// The record of `who` if its status is `status`, else `wrong_status`.
	fn record_with_status(
		who: &T::AccountId,
		status: Status,
		wrong_status: Error<T>,
	) -> Result<ParticipantOf<T>, Error<T>> {
		let record = Participants::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(record.status == status, wrong_status);
		Ok(record)
	}

	/// Holds `amount` from `who`'s free balance under the pallet's reason.
	fn hold(who: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Currency::hold(&HoldReason::RegistrationDeposit.into(), who, amount).map_err(|error| {
			match error {
				DispatchError::Token(TokenError::FundsUnavailable | TokenError::BelowMinimum) => {
					Error::<T>::InsufficientFundsForDeposit.into()
				}
				other => other,
			}
		})
	}

	/// Stores a new record and indexes its meter ID (and, if pending, its account).
	fn insert(who: &T::AccountId, record: ParticipantOf<T>) {
		MeterOwners::<T>::insert(&record.meter_id, who);
		if record.status == Status::Pending {
			PendingApplications::<T>::insert(who, ());
		}
		Participants::<T>::insert(who, record);
	}

	/// Removes `who`'s record and its index entries, and releases its deposit. Returns what
	/// was released.
	fn remove(who: &T::AccountId, record: ParticipantOf<T>) -> Balance {
		MeterOwners::<T>::remove(&record.meter_id);
		PendingApplications::<T>::remove(who);
		Participants::<T>::remove(who);
		let reason = HoldReason::RegistrationDeposit.into();
		T::Currency::release(&reason, who, record.deposit, Precision::BestEffort)
			.inspect_err(
				|error| log::error!(target: LOG_TARGET, "deposit of {who:?} not released: {error:?}"),
			)
			.unwrap_or_default()
	}

	/// Takes [`Config::MisconductForfeit`] of `record`'s deposit from `who` to
	/// [`Config::Forfeit`], and lowers the record's deposit by what was taken.
	fn forfeit(who: &T::AccountId, record: &mut ParticipantOf<T>) -> Balance {
		let share = T::MisconductForfeit::get() * record.deposit;
		let reason = HoldReason::RegistrationDeposit.into();
		let (credit, _not_slashed) = T::Currency::slash(&reason, who, share);
		let taken = credit.peek();
		T::Forfeit::on_unbalanced(credit);
		record.deposit = record.deposit.saturating_sub(taken);
		taken
	}

	/// Registers an approved participant at genesis, holding its deposit.
	fn register_at_genesis(
		participant: GenesisParticipant<T::AccountId>,
	) -> Result<(), &'static str> {
		let GenesisParticipant {
			account,
			role,
			region,
			name,
			meter_id,
			meter_key,
			settlement_commitment,
		} = participant;
		let text = |s: alloc::string::String| TextOf::<T>::try_from(s.into_bytes());
		ensure!(!Participants::<T>::contains_key(&account), "registered twice");
		let role = role.try_map_point(text).map_err(|_| "connection point too long")?;
		let name = text(name).map_err(|_| "name too long")?;
		let meter_id = text(meter_id).map_err(|_| "meter ID too long")?;
		ensure!(!MeterOwners::<T>::contains_key(&meter_id), "meter ID in use");
		let deposit = T::Deposit::get();
		Self::hold(&account, deposit).map_err(|_| "cannot hold the deposit")?;
		let record = Participant {
			role,
			region,
			name,
			meter_id,
			meter_key,
			settlement_commitment,
			deposit,
			status: Status::Approved,
			applied_at: Zero::zero(),
		};
		Self::insert(&account, record);
		Ok(())
	}

	/// Registers `who` as an approved provider (or user) with `meter_key`, holding the deposit
	/// from its balance: for other pallets' benchmarks, which need approved participants
	/// without a council vote.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn approve_for_benchmarks(who: &T::AccountId, provider: bool, meter_key: MeterKey) {
		use alloc::string::ToString;
		let connection = GridConnection { point: "bench".to_string(), voltage: VoltageLevel::Low };
		let role = if provider {
			Role::Provider { kind: GenerationKind::Other, rated_power_w: 1, connection }
		} else {
			Role::User { connection }
		};
		let meter_id =
			alloc::format!("bench-{}", sp_core::hexdisplay::HexDisplay::from(&meter_key.0));
		let participant = GenesisParticipant {
			account: who.clone(),
			role,
			region: 1,
			name: "bench".to_string(),
			meter_id: meter_id.chars().take(T::MaxFieldLength::get() as usize).collect(),
			meter_key,
			settlement_commitment: Default::default(),
		};
		Self::register_at_genesis(participant).expect("a fresh, funded account");
	}

	/// The pallet's invariants; see the module docs.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let reason = HoldReason::RegistrationDeposit.into();
		let mut records = 0u32;
		let mut pending = 0u32;
		for (who, record) in Participants::<T>::iter() {
			records += 1;
			ensure!(
				T::Currency::balance_on_hold(&reason, &who) == record.deposit,
				"held deposit differs from the record's"
			);
			ensure!(
				MeterOwners::<T>::get(&record.meter_id).as_ref() == Some(&who),
				"meter ID not indexed to its participant"
			);
			let is_pending = record.status == Status::Pending;
			pending += u32::from(is_pending);
			ensure!(
				Unbonding::<T>::contains_key(&who) == (record.status == Status::Leaving),
				"unbonding index disagrees with the record's status"
			);
			ensure!(
				PendingApplications::<T>::contains_key(&who) == is_pending,
				"pending index disagrees with the record's status"
			);
		}
		ensure!(MeterOwners::<T>::iter().count() as u32 == records, "stray meter ID");
		ensure!(
			Unbonding::<T>::iter_keys().all(Participants::<T>::contains_key),
			"unbonding entry without a record"
		);
		ensure!(PendingApplications::<T>::count() == pending, "stray pending entry");
		ensure!(
			PendingApplications::<T>::iter().count() as u32 == pending,
			"pending counter out of step"
		);
		Ok(())
	}
}

impl<T: Config> ParticipantRegistry<T::AccountId> for Pallet<T> {
	fn approved_provider(who: &T::AccountId) -> Option<RegionId> {
		Participants::<T>::get(who)
			.filter(|p| p.status == Status::Approved && p.role.kind() == RoleKind::Provider)
			.map(|p| p.region)
	}

	fn approved_user(who: &T::AccountId) -> Option<RegionId> {
		Participants::<T>::get(who)
			.filter(|p| p.status == Status::Approved && p.role.kind() == RoleKind::User)
			.map(|p| p.region)
	}

	fn meter_key(who: &T::AccountId) -> Option<MeterKey> {
		Participants::<T>::get(who).filter(|p| p.status == Status::Approved).map(|p| p.meter_key)
	}
}
