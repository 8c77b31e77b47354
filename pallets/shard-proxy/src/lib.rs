//! # Shard proxy pallet
//!
//! The regions (paper, section 4.3) as the coordinating chain sees them: this chain's
//! [`ChainRole`], and a proof-of-work light client of every region.
//!
//! ## Overview
//!
//! Every GridShard chain runs the one runtime; the genesis preset sets [`Role`]: standalone (the
//! development networks), a region, or the coordinator. Other pallets ask it through
//! [`ChainRoleProvider`] (registration admits only the region's own participants).
//!
//! On the coordinator, the qualification council (or Root) adds a region with a trusted
//! [`Checkpoint`] ([`Pallet::register_region`]); from then on anyone may relay the region's
//! headers ([`Pallet::submit_headers`]). Each header is checked from headers alone:
//!
//! - its parent is stored and its number is the parent's plus one;
//! - it descends from the region's confirmed header (a reorganisation deeper than
//!   [`Config::Confirmations`] is refused: the region halts for governance, which may
//!   [`Pallet::remove_region`] and register it again from a new checkpoint), and its parent lies
//!   fewer than [`WINDOW_LENGTH`] blocks above the confirmed header;
//! - its difficulty digest ([`DifficultyDigest`]) has a timestamp after its parent's and at most
//!   [`Config::MaxFutureDrift`] ahead of this chain's clock, and the difficulty the shared
//!   adjustment ([`next_difficulty`]) gives from its ancestors' digests;
//! - it names its miner, and its seal meets that difficulty ([`verify_seal`]).
//!
//! Forks are kept (at most [`Config::MaxForksPerHeight`] headers per height). The best chain is
//! the one with the most total difficulty; ties go to the smaller [`tie_break_key`]: the seal's
//! work, which a miner cannot choose apart from the work itself (the region's own nodes, which
//! see only the two seals when they break a tie, rank them with a random salt of their own). A header is **confirmed** once it is [`Config::Confirmations`]
//! deep under the best head; the confirmed header never moves back, and [`Canonical`] names the
//! confirmed header of each kept height. Headers more than [`Config::HeadersToKeep`] below the
//! confirmed one are pruned, so each region stores a bounded number of headers (checked in
//! `try_state`).
//!
//! ## Records, proxies and bonds
//!
//! Each region writes a record of every trading period into its own state
//! (`pallet-period-records`), and its governance names the proxy that speaks for it. On this
//! chain (module [`records`]):
//!
//! - the named proxy proves its nomination against a confirmed header of the region and bonds
//!   [`Config::ProxyBond`], held under [`HoldReason::ProxyBond`] ([`Pallet::bond`]);
//! - it announces the region's record of a period as soon as it exists ([`Pallet::announce`]):
//!   the record is here at once, [`RecordStatus::Announced`], with a deadline
//!   [`Config::VerificationDeadline`] blocks away;
//! - anyone proves the record with a storage proof against the state root of a confirmed header
//!   of the region ([`Pallet::prove`]): equal, it is verified; different, the proven record
//!   replaces it ([`RecordStatus::Corrected`]), the proxy's whole bond is slashed
//!   ([`Config::ProverShare`] to the prover, the rest to [`Config::SlashBeneficiary`]) and the
//!   proxy is suspended until the region names one again. A record proven without an
//!   announcement is kept, verified: the region's results arrive even when its proxy fails;
//! - a record still unproven at its deadline is [`RecordStatus::Unverified`] and its proxy loses
//!   [`Config::LivenessSlash`] of the bond (the hook, at most [`Config::MaxExpiriesPerBlock`] a
//!   block);
//! - when governance removes a region after a reorganisation deeper than `k`, its proven records
//!   go back to announced (without liability) until proven again against the new chain;
//! - the last [`Config::RecordsToKeep`] periods of each region are kept; a bond is released
//!   ([`Pallet::unbond`]) only when its proxy no longer speaks for the region and none of its
//!   announcements waits for a proof.
//!
//! ## Fees
//!
//! Relayers send ordinary signed transactions and pay their fee. A batch whose headers are all
//! new and which leaves a header of the batch at the head of the best chain is refunded
//! (`Pays::No`): useful work is free. A batch with a known header, an invalid header, or headers
//! that only grow a lighter fork pays, so spam of cheap forks costs its sender.
//!
//! ## Choice of `k`
//!
//! GridShard's runtime confirms at 12 blocks (about 72 s at the 6-s target): a miner with a third
//! of a region's hashrate reverts 12 blocks with a chance of about 0.0003 % (Nakamoto's
//! estimate, `q = 1/3`), while a record can still be proven about a minute after it is written.
//! `k` must stay below [`WINDOW_LENGTH`] (checked by `integrity_test`), since a header's ancestry
//! walk for the difficulty also checks its descent from the confirmed header.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(any(test, feature = "runtime-benchmarks", feature = "std"))]
pub mod mining;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod record_tests;
pub mod records;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::{
	ActiveProxy, Checkpoint, DifficultyWindow, ProxyBond, RecordEntry, RecordStatus, SlashEntry,
	SlashReason,
};
pub use weights::WeightInfo;

use alloc::{boxed::Box, collections::BTreeMap, vec::Vec};
use codec::{DecodeAll, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		Time,
	},
};
use frame_system::pallet_prelude::*;
use gridshard_primitives::{
	difficulty::{next_difficulty, DifficultyDigest, ADJUSTMENT, WINDOW_LENGTH},
	pow::{tie_break_key, verify_seal, POW_ENGINE_ID},
	record::{PeriodRecord, RegionalStorageKeys},
	region::{ChainRole, ChainRoleProvider, HeaderId, RegionStatus, StoredHeader},
	AccountId, Balance, BlockNumber, Difficulty, Hash, Header, Moment, PeriodIndex, RegionId,
};
use sp_runtime::{traits::Header as _, DigestItem, Perbill, SaturatedConversion};

/// A record entry in the runtime's types.
pub type RecordEntryOf<T> = RecordEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// A slash in the runtime's types.
pub type SlashEntryOf<T> = SlashEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// How many slashes the history keeps (the oldest go first).
pub const SLASH_HISTORY: u32 = 64;

/// The logging target of this pallet.
pub const LOG_TARGET: &str = "runtime::shard-proxy";

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the regions' light clients.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who adds and removes regions: the qualification council, or Root.
		type RegionOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// This chain's clock (the timestamp pallet), in milliseconds.
		type Clock: Time;

		/// How many blocks under a region's best head a header is confirmed. Below
		/// [`WINDOW_LENGTH`].
		#[pallet::constant]
		type Confirmations: Get<u32>;

		/// How many heights below the confirmed header are kept; lower ones are pruned. At least
		/// [`WINDOW_LENGTH`], since the difficulty check reads that many ancestors.
		#[pallet::constant]
		type HeadersToKeep: Get<u32>;

		/// The most headers one [`Pallet::submit_headers`] takes.
		#[pallet::constant]
		type MaxHeadersPerBatch: Get<u32>;

		/// The most headers of one region kept at one height (forks included).
		#[pallet::constant]
		type MaxForksPerHeight: Get<u32>;

		/// The longest encoded header accepted, in bytes.
		#[pallet::constant]
		type MaxHeaderSize: Get<u32>;

		/// How far a header's timestamp may lie ahead of this chain's clock, in milliseconds:
		/// the region's nodes accept a timestamp up to 60 s ahead of their own clocks, and this
		/// chain's clock is its latest block's timestamp, itself some seconds old.
		#[pallet::constant]
		type MaxFutureDrift: Get<u64>;

		/// The most regions followed.
		#[pallet::constant]
		type MaxRegions: Get<u32>;

		/// The currency proxies bond in.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, of which [`HoldReason::ProxyBond`] is one.
		type RuntimeHoldReason: From<HoldReason>;

		/// Where the records and the proxy nomination lie in a region's state.
		type RegionalKeys: RegionalStorageKeys;

		/// What a proxy bonds before it may announce.
		#[pallet::constant]
		type ProxyBond: Get<Balance>;

		/// The prover's share of a bond slashed for a false record.
		#[pallet::constant]
		type ProverShare: Get<Perbill>;

		/// The part of [`Config::ProxyBond`] a proxy loses for each of its records nobody proved
		/// in time.
		#[pallet::constant]
		type LivenessSlash: Get<Perbill>;

		/// Who receives slashed bonds (less the prover's share): the reward pot.
		type SlashBeneficiary: Get<Self::AccountId>;

		/// How many blocks an announced record waits for a proof.
		#[pallet::constant]
		type VerificationDeadline: Get<BlockNumberFor<Self>>;

		/// How many periods of records are kept per region.
		#[pallet::constant]
		type RecordsToKeep: Get<u32>;

		/// The most records one [`Pallet::records`] page holds.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// The most nodes one storage proof holds.
		#[pallet::constant]
		type MaxProofNodes: Get<u32>;

		/// The most bytes one storage proof holds.
		#[pallet::constant]
		type MaxProofSize: Get<u32>;

		/// The most announcements the hook expires per block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// Weights of the calls, from `benchmarking.rs`.
		type WeightInfo: WeightInfo;

		/// Sets this chain's clock for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// This chain's role among the regions, set at genesis.
	#[pallet::storage]
	pub type Role<T> = StorageValue<_, ChainRole, ValueQuery>;

	/// Where the light client of each followed region stands.
	///
	/// Twox64Concat: region ids are chosen by governance, not by users.
	#[pallet::storage]
	pub type Regions<T> = CountedStorageMap<_, Twox64Concat, RegionId, RegionStatus>;

	/// The difficulty window and next difficulty of each region's checkpoint, from which the
	/// difficulties of the checkpoint's first descendants are computed.
	#[pallet::storage]
	pub type CheckpointWindows<T> =
		StorageMap<_, Twox64Concat, RegionId, (DifficultyWindow, Difficulty)>;

	/// The stored headers of each region, by hash.
	///
	/// Blake2_128Concat: header hashes can be ground by whoever mines cheap headers.
	#[pallet::storage]
	pub type Headers<T> =
		StorageDoubleMap<_, Twox64Concat, RegionId, Blake2_128Concat, Hash, StoredHeader>;

	/// The stored headers of each region, by height (forks included).
	#[pallet::storage]
	pub type HeadersByNumber<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RegionId,
		Twox64Concat,
		BlockNumber,
		BoundedVec<Hash, T::MaxForksPerHeight>,
		ValueQuery,
	>;

	/// The confirmed header of each kept height of each region, from the checkpoint up to the
	/// confirmed header.
	#[pallet::storage]
	pub type Canonical<T> =
		StorageDoubleMap<_, Twox64Concat, RegionId, Twox64Concat, BlockNumber, Hash>;

	/// The records of each region by period: the last [`Config::RecordsToKeep`] periods.
	#[pallet::storage]
	pub type Records<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RegionId, Twox64Concat, PeriodIndex, RecordEntryOf<T>>;

	/// The periods of each region's kept records, ascending.
	#[pallet::storage]
	pub type RecordPeriods<T: Config> = StorageMap<
		_,
		Twox64Concat,
		RegionId,
		BoundedVec<PeriodIndex, T::RecordsToKeep>,
		ValueQuery,
	>;

	/// The proxy each region named, as proven here.
	#[pallet::storage]
	pub type Proxies<T: Config> = StorageMap<_, Twox64Concat, RegionId, ActiveProxy<T::AccountId>>;

	/// The bonds held, by proxy account (one region each).
	///
	/// Blake2_128Concat: accounts are chosen by users.
	#[pallet::storage]
	pub type Bonds<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ProxyBond>;

	/// The announcements waiting for their deadline, in announcement (hence deadline) order:
	/// `(region, period, deadline)`.
	#[pallet::storage]
	pub type DeadlineQueue<T: Config> =
		StorageMap<_, Twox64Concat, u64, (RegionId, PeriodIndex, BlockNumberFor<T>)>;

	/// The deadline queue's head and next free slot.
	#[pallet::storage]
	pub type DeadlineBounds<T> = StorageValue<_, (u64, u64), ValueQuery>;

	/// The last [`SLASH_HISTORY`] slashes, oldest first.
	#[pallet::storage]
	pub type Slashes<T: Config> =
		StorageValue<_, BoundedVec<SlashEntryOf<T>, ConstU32<SLASH_HISTORY>>, ValueQuery>;

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A region's proxy's bond.
		#[codec(index = 0)]
		ProxyBond,
	}

	/// Genesis configuration: the chain's role.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The chain's role among the regions.
		pub role: ChainRole,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Role::<T>::put(self.role);
		}
	}

	/// Events of the light clients.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A region is followed from a checkpoint.
		RegionRegistered {
			/// The region's id (its chain).
			region: RegionId,
			/// The checkpoint header.
			checkpoint: HeaderId,
		},
		/// A region is no longer followed; its headers are gone.
		RegionRemoved {
			/// The region's id (its chain).
			region: RegionId,
			/// How many headers were removed.
			headers: u32,
		},
		/// A batch of a region's headers was imported.
		HeadersImported {
			/// The region's id (its chain).
			region: RegionId,
			/// The relayer's account.
			relayer: T::AccountId,
			/// The first header of the batch.
			first: HeaderId,
			/// The last header of the batch.
			last: HeaderId,
			/// The region's best head after the batch.
			best: HeaderId,
			/// The region's confirmed header after the batch.
			confirmed: HeaderId,
		},
		/// A region's best chain moved to a fork: the new head does not descend from the old.
		Reorganized {
			/// The region's id (its chain).
			region: RegionId,
			/// The former best head.
			from: HeaderId,
			/// The new best head.
			to: HeaderId,
		},
		/// A region's named proxy proved its nomination and bonded.
		ProxyBonded {
			/// The region's id (its chain).
			region: RegionId,
			/// The proxy's account.
			proxy: T::AccountId,
			/// The nomination's term.
			term: u32,
			/// What is held.
			amount: Balance,
		},
		/// A former proxy's bond was released.
		ProxyUnbonded {
			/// The proxy's account.
			proxy: T::AccountId,
			/// What was released.
			amount: Balance,
		},
		/// A region's proxy announced a record.
		RecordAnnounced {
			/// The region's id (its chain).
			region: RegionId,
			/// The region's trading period: its block number divided by the period length.
			period: PeriodIndex,
			/// The proxy's account.
			proxy: T::AccountId,
			/// The block from which it is unverified if still unproven.
			deadline: BlockNumberFor<T>,
		},
		/// A record was proven as announced, or proven without an announcement.
		RecordVerified {
			/// The region's id (its chain).
			region: RegionId,
			/// The region's trading period: its block number divided by the period length.
			period: PeriodIndex,
			/// Who proved it.
			prover: T::AccountId,
			/// The confirmed header it was proven against.
			anchor: HeaderId,
		},
		/// A record was proven different from its announcement and replaced by the proven one.
		RecordCorrected {
			/// The region's id (its chain).
			region: RegionId,
			/// The region's trading period: its block number divided by the period length.
			period: PeriodIndex,
			/// Who proved it.
			prover: T::AccountId,
			/// The confirmed header it was proven against.
			anchor: HeaderId,
			/// The record as announced.
			announced: PeriodRecord,
		},
		/// An announced record was not proven before its deadline.
		RecordUnverified {
			/// The region's id (its chain).
			region: RegionId,
			/// The region's trading period: its block number divided by the period length.
			period: PeriodIndex,
		},
		/// A proven record went back to announced: the header it was proven against is no longer
		/// followed.
		RecordReverted {
			/// The region's id (its chain).
			region: RegionId,
			/// The region's trading period: its block number divided by the period length.
			period: PeriodIndex,
		},
		/// An old record was pruned.
		RecordPruned {
			/// The region's id (its chain).
			region: RegionId,
			/// The region's trading period: its block number divided by the period length.
			period: PeriodIndex,
		},
		/// A proxy's bond was slashed.
		ProxySlashed {
			/// The slash.
			slash: SlashEntryOf<T>,
		},
		/// A proxy was suspended for a false record, until the region names a proxy again.
		ProxySuspended {
			/// The region's id (its chain).
			region: RegionId,
			/// The proxy's account.
			proxy: T::AccountId,
		},
	}

	/// Why a call was refused. Nothing changes when one is.
	#[pallet::error]
	pub enum Error<T> {
		/// A region's chain does not follow other regions: only the coordinator (or a standalone
		/// development chain) keeps light clients.
		NotACoordinator,
		/// The region is already followed; remove it first to start again from a new
		/// checkpoint.
		RegionAlreadyRegistered,
		/// The region is not followed; it must be registered with a checkpoint first.
		UnknownRegion,
		/// As many regions as [`Config::MaxRegions`] are followed already.
		TooManyRegions,
		/// The checkpoint's window or next difficulty does not agree with its header: a genesis
		/// header comes with an empty window, a later one with a window that ends with its
		/// own difficulty digest and the difficulty the adjustment gives from that window.
		InconsistentCheckpoint,
		/// A batch holds no header.
		EmptyBatch,
		/// A batch holds more than [`Config::MaxHeadersPerBatch`] headers; split it.
		BatchTooLong,
		/// A header is longer than [`Config::MaxHeaderSize`] encoded.
		HeaderTooLarge,
		/// The header is already stored: ask the coordinator what it knows before relaying.
		DuplicateHeader,
		/// The header's last digest item is not a proof-of-work seal.
		MissingSeal,
		/// The header does not name its miner in a pre-runtime digest.
		MissingMiner,
		/// The header has no (or more than one) difficulty digest.
		MissingDifficultyDigest,
		/// The header's parent is not stored: relay the parent first.
		UnknownParent,
		/// The header's number is not its parent's plus one.
		WrongNumber,
		/// The header does not descend from the region's confirmed header: a reorganisation
		/// deeper than [`Config::Confirmations`] is refused (governance may reset the region).
		BelowConfirmed,
		/// The header's parent lies [`WINDOW_LENGTH`] or more blocks above the confirmed header:
		/// relay the best chain first.
		TooFarAboveConfirmed,
		/// The header's timestamp is not after its parent's.
		TimestampNotAfterParent,
		/// The header's timestamp is more than [`Config::MaxFutureDrift`] ahead of this chain's
		/// clock.
		TimestampTooFarAhead,
		/// The header's difficulty digest is not what the adjustment gives from its ancestors.
		WrongDifficulty,
		/// The header's seal does not meet its difficulty.
		BadSeal,
		/// The region already has [`Config::MaxForksPerHeight`] headers at this height.
		TooManyForks,
		/// An ancestor the difficulty check needs is not stored (the storage's invariants do
		/// not hold; this should never happen).
		MissingAncestor,
		/// The header a proof is against is not a confirmed header of the region's best chain
		/// (unknown, pruned, not yet confirmed, or on a fork).
		AnchorNotConfirmed,
		/// The proof holds more than [`Config::MaxProofNodes`] nodes or [`Config::MaxProofSize`]
		/// bytes.
		ProofTooLarge,
		/// A node of the proof appears twice.
		ProofNodesDuplicated,
		/// The proof's nodes do not lead from the header's state root to the key.
		ProofIncomplete,
		/// The proof holds nodes not on the way to the key.
		ProofNodesUnused,
		/// The proof shows the key absent from the region's state at the header.
		ValueNotInProof,
		/// The proven value does not decode as what the key holds.
		UndecodableValue,
		/// The caller is not the account the region's proven nomination names.
		NotTheNamedProxy,
		/// The region's proxy is already bonded on this nomination or a newer one.
		StaleNomination,
		/// The account bonds for another region already.
		BondedForAnotherRegion,
		/// The account cannot pay the bond.
		CannotBond,
		/// The account holds no bond.
		NotBonded,
		/// The account still speaks for its region: the region must name another proxy first.
		StillTheProxy,
		/// Records the proxy announced still wait for a proof.
		BondInUse,
		/// The caller is not the region's bonded proxy.
		NotTheProxy,
		/// The proxy's bond is below [`Config::ProxyBond`] after slashes: bond again to top it
		/// up.
		BondTooLow,
		/// The region's proxy announced a false record and may not announce until the region
		/// names a proxy again.
		ProxySuspended,
		/// The record's region or period is not the one the call names.
		RecordMismatch,
		/// The record of this period is on the chain already.
		AlreadyRecorded,
		/// The record was proven already.
		AlreadyProven,
		/// The period is older than every kept record of a full history.
		PeriodTooOld,
		/// The region's kept records are all waiting for proofs: none can make room.
		TooManyPendingRecords,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::expire_due(now)
		}

		fn integrity_test() {
			assert!(T::RecordsToKeep::get() > 0, "at least one record is kept per region");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "the hook expires at least one record");
			assert!(T::MaxProofNodes::get() > 0 && T::MaxProofSize::get() > 0);
			assert!(
				T::Confirmations::get() < WINDOW_LENGTH,
				"Confirmations must be below the window"
			);
			assert!(
				T::HeadersToKeep::get() >= WINDOW_LENGTH,
				"HeadersToKeep must cover the difficulty window"
			);
			assert!(T::MaxHeadersPerBatch::get() > 0, "a batch holds at least one header");
			assert!(T::MaxForksPerHeight::get() > 0, "a height holds at least one header");
			assert!(T::MaxRegions::get() > 0, "at least one region can be followed");
			// The longest batch, and the removal of the largest region, take at most a tenth of
			// a block: relaying never crowds the market's transactions out.
			let tenth = T::BlockWeights::get().max_block / 10;
			assert!(
				T::WeightInfo::submit_headers(T::MaxHeadersPerBatch::get()).all_lte(tenth),
				"a batch of MaxHeadersPerBatch headers must fit in a tenth of a block"
			);
			assert!(
				T::WeightInfo::remove_region(
					Self::max_headers_per_region(),
					T::RecordsToKeep::get()
				)
				.all_lte(tenth),
				"removing a full region must fit in a tenth of a block"
			);
			let nodes = T::MaxProofNodes::get();
			assert!(
				T::WeightInfo::prove(nodes).max(T::WeightInfo::bond(nodes)).all_lte(tenth),
				"a proof of the largest size must be checked in a tenth of a block"
			);
			assert!(
				T::WeightInfo::expire(T::MaxExpiriesPerBlock::get()).all_lte(tenth),
				"the hook's expiries must fit in a tenth of a block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Follows `region` from a trusted checkpoint.
		///
		/// - Origin: [`Config::RegionOrigin`].
		/// - `checkpoint`: a header of the region with the difficulty window and next
		///   difficulty of its state (see [`Checkpoint`]); it becomes the region's best and
		///   confirmed header.
		///
		/// Errors: [`Error::NotACoordinator`], [`Error::RegionAlreadyRegistered`],
		/// [`Error::TooManyRegions`], [`Error::InconsistentCheckpoint`].
		///
		/// Emits [`Event::RegionRegistered`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_region())]
		pub fn register_region(
			origin: OriginFor<T>,
			region: RegionId,
			checkpoint: Box<Checkpoint>,
		) -> DispatchResult {
			T::RegionOrigin::ensure_origin(origin)?;
			ensure!(Role::<T>::get().follows_regions(), Error::<T>::NotACoordinator);
			ensure!(!Regions::<T>::contains_key(region), Error::<T>::RegionAlreadyRegistered);
			ensure!(
				(Regions::<T>::count() as u64) < T::MaxRegions::get() as u64,
				Error::<T>::TooManyRegions
			);
			let Checkpoint { header, window, next_difficulty } = *checkpoint;
			let (timestamp, difficulty) =
				Self::check_checkpoint(&header, &window, next_difficulty)?;

			let id = HeaderId { hash: header.hash(), number: header.number };
			let stored = StoredHeader {
				number: header.number,
				parent: header.parent_hash,
				state_root: header.state_root,
				timestamp,
				difficulty,
				total_difficulty: Difficulty::zero(),
			};
			Headers::<T>::insert(region, id.hash, stored);
			HeadersByNumber::<T>::insert(
				region,
				id.number,
				BoundedVec::truncate_from(alloc::vec![id.hash]),
			);
			Canonical::<T>::insert(region, id.number, id.hash);
			CheckpointWindows::<T>::insert(region, (window, next_difficulty));
			Regions::<T>::insert(
				region,
				RegionStatus {
					checkpoint: id,
					best: id,
					best_total_difficulty: Difficulty::zero(),
					best_tie_key: Hash::repeat_byte(0xff),
					confirmed: id,
					lowest: id.number,
					headers: 1,
				},
			);
			Self::deposit_event(Event::RegionRegistered { region, checkpoint: id });
			Ok(())
		}

		/// Relays a batch of `region`'s headers, parents first.
		///
		/// - Origin: signed by anyone (the relayer), who pays an ordinary fee; refunded when
		///   every header is new and a header of the batch ends at the head of the best chain.
		/// - Each header is checked as the module documentation says; the first that fails
		///   refuses the whole batch.
		///
		/// Errors: [`Error::UnknownRegion`], [`Error::EmptyBatch`], [`Error::BatchTooLong`], and
		/// each header's: [`Error::HeaderTooLarge`], [`Error::DuplicateHeader`],
		/// [`Error::MissingSeal`], [`Error::MissingMiner`], [`Error::MissingDifficultyDigest`],
		/// [`Error::UnknownParent`], [`Error::WrongNumber`], [`Error::BelowConfirmed`],
		/// [`Error::TooFarAboveConfirmed`], [`Error::TimestampNotAfterParent`],
		/// [`Error::TimestampTooFarAhead`], [`Error::WrongDifficulty`], [`Error::BadSeal`],
		/// [`Error::TooManyForks`].
		///
		/// Emits [`Event::HeadersImported`], and [`Event::Reorganized`] when the best chain
		/// moves to a fork.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::submit_headers(headers.len() as u32))]
		pub fn submit_headers(
			origin: OriginFor<T>,
			region: RegionId,
			headers: Vec<Header>,
		) -> DispatchResultWithPostInfo {
			let relayer = ensure_signed(origin)?;
			ensure!(!headers.is_empty(), Error::<T>::EmptyBatch);
			ensure!(
				headers.len() <= T::MaxHeadersPerBatch::get() as usize,
				Error::<T>::BatchTooLong
			);
			let mut status = Regions::<T>::get(region).ok_or(Error::<T>::UnknownRegion)?;
			let now: Moment = T::Clock::now().saturated_into();

			// Verify first: every header against the stored ones and those before it in the
			// batch, nothing written until all pass.
			let mut batch = Batch::<T>::new(region);
			let old_best = status.best;
			let mut reorganizations = Vec::new();
			let mut confirmed = Vec::new();
			for header in &headers {
				let (hash, stored, tie_key) = batch.check(header, &status, now)?;
				let id = HeaderId { hash, number: stored.number };
				let heavier = stored.total_difficulty > status.best_total_difficulty
					|| (stored.total_difficulty == status.best_total_difficulty
						&& tie_key < status.best_tie_key);
				if heavier {
					if stored.parent != status.best.hash {
						reorganizations.push((status.best, id));
					}
					status.best = id;
					status.best_total_difficulty = stored.total_difficulty;
					status.best_tie_key = tie_key;
				}
				batch.insert(hash, stored);
				if status.best == id {
					confirmed.extend(batch.confirm(&mut status)?);
				}
			}

			// Then write.
			let id = |header: &Header| HeaderId { hash: header.hash(), number: header.number };
			let (first, last) = match (headers.first(), headers.last()) {
				(Some(first), Some(last)) => (id(first), id(last)),
				_ => return Err(Error::<T>::EmptyBatch.into()),
			};
			let useful = batch.contains(&status.best.hash) && status.best != old_best;
			batch.write(&mut status, confirmed);
			Regions::<T>::insert(region, &status);
			for (from, to) in reorganizations {
				Self::deposit_event(Event::Reorganized { region, from, to });
			}
			Self::deposit_event(Event::HeadersImported {
				region,
				relayer,
				first,
				last,
				best: status.best,
				confirmed: status.confirmed,
			});
			log::debug!(
				target: LOG_TARGET,
				"region {region}: #{}..#{} imported, best #{}, confirmed #{}",
				first.number,
				last.number,
				status.best.number,
				status.confirmed.number,
			);
			Ok(if useful { Pays::No } else { Pays::Yes }.into())
		}

		/// Stops following `region` and removes its headers, so that governance can register it
		/// again from a new checkpoint (after a reorganisation deeper than
		/// [`Config::Confirmations`], for instance). The region's proven records go back to
		/// announced, without liability, until proven again.
		///
		/// - Origin: [`Config::RegionOrigin`].
		///
		/// Errors: [`Error::UnknownRegion`].
		///
		/// Emits [`Event::RegionRemoved`], and [`Event::RecordReverted`] for each proven record.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_region(
			Pallet::<T>::max_headers_per_region(),
			T::RecordsToKeep::get(),
		))]
		pub fn remove_region(origin: OriginFor<T>, region: RegionId) -> DispatchResultWithPostInfo {
			T::RegionOrigin::ensure_origin(origin)?;
			let status = Regions::<T>::take(region).ok_or(Error::<T>::UnknownRegion)?;
			let _ = Headers::<T>::clear_prefix(region, u32::MAX, None);
			let _ = HeadersByNumber::<T>::clear_prefix(region, u32::MAX, None);
			let _ = Canonical::<T>::clear_prefix(region, u32::MAX, None);
			CheckpointWindows::<T>::remove(region);
			let records = Self::revert_records(region);
			Self::deposit_event(Event::RegionRemoved { region, headers: status.headers });
			Ok(Some(T::WeightInfo::remove_region(status.headers, records)).into())
		}

		/// Bonds the caller as `region`'s proxy, on a proof that the region named it.
		///
		/// - Origin: signed by the account the region's nomination names.
		/// - `anchor`: a confirmed header of the region; `proof`: the storage proof of the
		///   region's proxy nomination at it (`state_getReadProof` on a region node).
		/// - Holds [`Config::ProxyBond`] (less what the caller holds already) and makes the caller
		///   the region's proxy, replacing one of an older term (whose bond stays until its
		///   announcements end and it unbonds).
		///
		/// Errors: [`Error::UnknownRegion`], [`Error::AnchorNotConfirmed`], the proof's
		/// ([`Error::ProofTooLarge`], [`Error::ProofNodesDuplicated`], [`Error::ProofIncomplete`],
		/// [`Error::ProofNodesUnused`], [`Error::ValueNotInProof`], [`Error::UndecodableValue`]),
		/// [`Error::NotTheNamedProxy`], [`Error::StaleNomination`],
		/// [`Error::BondedForAnotherRegion`], [`Error::CannotBond`].
		///
		/// Emits [`Event::ProxyBonded`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::bond(records::proof_units::<T>(proof)))]
		pub fn bond(
			origin: OriginFor<T>,
			region: RegionId,
			anchor: Hash,
			proof: Vec<Vec<u8>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond(who, region, anchor, proof)
		}

		/// Releases the caller's bond.
		///
		/// - Origin: signed by a bonded account that no longer speaks for its region (another
		///   proxy replaced it, or it was suspended) and whose announcements all ended.
		///
		/// Errors: [`Error::NotBonded`], [`Error::StillTheProxy`], [`Error::BondInUse`].
		///
		/// Emits [`Event::ProxyUnbonded`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who)
		}

		/// Announces `region`'s record of `period`.
		///
		/// - Origin: signed by the region's bonded, unsuspended proxy.
		/// - The record is kept at once as [`RecordStatus::Announced`], waiting for a proof
		///   until [`Config::VerificationDeadline`] blocks from now.
		///
		/// Errors: [`Error::UnknownRegion`], [`Error::NotTheProxy`], [`Error::ProxySuspended`],
		/// [`Error::RecordMismatch`], [`Error::AlreadyRecorded`], [`Error::PeriodTooOld`],
		/// [`Error::TooManyPendingRecords`].
		///
		/// Emits [`Event::RecordAnnounced`] (and [`Event::RecordPruned`] when an old record
		/// makes room).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::announce())]
		pub fn announce(
			origin: OriginFor<T>,
			region: RegionId,
			period: PeriodIndex,
			record: PeriodRecord,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_announce(who, region, period, record)
		}

		/// Proves `region`'s record of `period` against the confirmed header `anchor`.
		///
		/// - Origin: signed by anyone; the fee is refunded when the proof verifies, corrects or
		///   adds a record.
		/// - `proof`: the storage proof of the record's key at `anchor`
		///   (`state_getReadProof` on a region node).
		/// - Equal to the announcement: verified. Different: the proven record replaces it, the
		///   proxy's bond is slashed (a share to the caller) and the proxy suspended. Not
		///   announced: kept as verified.
		///
		/// Errors: [`Error::UnknownRegion`], [`Error::AnchorNotConfirmed`], the proof's
		/// ([`Error::ProofTooLarge`], [`Error::ProofNodesDuplicated`], [`Error::ProofIncomplete`],
		/// [`Error::ProofNodesUnused`], [`Error::ValueNotInProof`], [`Error::UndecodableValue`]),
		/// [`Error::RecordMismatch`], [`Error::AlreadyProven`], [`Error::PeriodTooOld`],
		/// [`Error::TooManyPendingRecords`].
		///
		/// Emits [`Event::RecordVerified`] or [`Event::RecordCorrected`] (with
		/// [`Event::ProxySlashed`] and [`Event::ProxySuspended`]).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::prove(records::proof_units::<T>(proof)))]
		pub fn prove(
			origin: OriginFor<T>,
			region: RegionId,
			period: PeriodIndex,
			anchor: Hash,
			proof: Vec<Vec<u8>>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_prove(who, region, period, anchor, proof)?;
			Ok(Pays::No.into())
		}
	}
}

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Sets the clock that [`Config::Clock`] reads to `now` (ms).
	fn set_clock(now: Moment);
}

/// The headers of one batch being checked: those it added and the stored ancestors it read, so
/// that each header's ancestry is read from storage once per batch.
struct Batch<T: Config> {
	region: RegionId,
	/// Headers read from storage or added by the batch.
	known: BTreeMap<Hash, StoredHeader>,
	/// The batch's own headers, in order.
	added: Vec<(Hash, BlockNumber)>,
	_config: PhantomData<T>,
}

impl<T: Config> Batch<T> {
	fn new(region: RegionId) -> Self {
		Self { region, known: BTreeMap::new(), added: Vec::new(), _config: PhantomData }
	}

	fn contains(&self, hash: &Hash) -> bool {
		self.added.iter().any(|(added, _)| added == hash)
	}

	/// A header by hash, from the batch or from storage.
	fn get(&mut self, hash: &Hash) -> Option<StoredHeader> {
		if let Some(header) = self.known.get(hash) {
			return Some(header.clone());
		}
		let header = Headers::<T>::get(self.region, hash)?;
		self.known.insert(*hash, header.clone());
		Some(header)
	}

	/// Checks `header` against what is stored and what the batch added; answers its hash, its
	/// record and the tie-breaking key of its seal.
	fn check(
		&mut self,
		header: &Header,
		status: &RegionStatus,
		now: Moment,
	) -> Result<(Hash, StoredHeader, Hash), Error<T>> {
		ensure!(
			header.encoded_size() <= T::MaxHeaderSize::get() as usize,
			Error::<T>::HeaderTooLarge
		);
		let hash = header.hash();
		ensure!(
			!self.contains(&hash) && !Headers::<T>::contains_key(self.region, hash),
			Error::<T>::DuplicateHeader
		);
		let (pre_hash, seal) = split_seal(header).ok_or(Error::<T>::MissingSeal)?;
		ensure!(names_miner(header), Error::<T>::MissingMiner);
		let digest =
			DifficultyDigest::find(header.digest()).ok_or(Error::<T>::MissingDifficultyDigest)?;
		let parent = self.get(&header.parent_hash).ok_or(Error::<T>::UnknownParent)?;
		ensure!(parent.number.checked_add(1) == Some(header.number), Error::<T>::WrongNumber);
		ensure!(parent.number >= status.confirmed.number, Error::<T>::BelowConfirmed);
		ensure!(
			parent.number - status.confirmed.number < WINDOW_LENGTH,
			Error::<T>::TooFarAboveConfirmed
		);
		let expected = self.expected_difficulty(header.parent_hash, parent.clone(), status)?;
		ensure!(digest.timestamp > parent.timestamp, Error::<T>::TimestampNotAfterParent);
		ensure!(
			digest.timestamp <= now.saturating_add(T::MaxFutureDrift::get()),
			Error::<T>::TimestampTooFarAhead
		);
		ensure!(digest.difficulty == expected, Error::<T>::WrongDifficulty);
		ensure!(verify_seal(&pre_hash, &seal, digest.difficulty), Error::<T>::BadSeal);
		let forks = HeadersByNumber::<T>::decode_len(self.region, header.number).unwrap_or(0)
			+ self.added.iter().filter(|(_, number)| *number == header.number).count();
		ensure!(forks < T::MaxForksPerHeight::get() as usize, Error::<T>::TooManyForks);

		let stored = StoredHeader {
			number: header.number,
			parent: header.parent_hash,
			state_root: header.state_root,
			timestamp: digest.timestamp,
			difficulty: digest.difficulty,
			total_difficulty: parent.total_difficulty.saturating_add(digest.difficulty),
		};
		// `verify_seal` above decoded the seal.
		let tie_key = tie_break_key(&pre_hash, &seal).ok_or(Error::<T>::BadSeal)?;
		Ok((hash, stored, tie_key))
	}

	/// The difficulty of a child of `parent`: the adjustment over the digests of `parent` and
	/// its ancestors (completed by the checkpoint's window). Checks on the way that `parent`
	/// descends from the confirmed header.
	fn expected_difficulty(
		&mut self,
		parent_hash: Hash,
		parent: StoredHeader,
		status: &RegionStatus,
	) -> Result<Difficulty, Error<T>> {
		let (checkpoint_window, checkpoint_next) =
			CheckpointWindows::<T>::get(self.region).unwrap_or_default();
		let mut entries: Vec<(Moment, Difficulty)> = Vec::with_capacity(WINDOW_LENGTH as usize);
		let (mut hash, mut header) = (parent_hash, parent);
		loop {
			if header.number == status.confirmed.number {
				ensure!(hash == status.confirmed.hash, Error::<T>::BelowConfirmed);
			}
			if hash == status.checkpoint.hash {
				if entries.is_empty() {
					return Ok(checkpoint_next);
				}
				entries.extend(checkpoint_window.iter().rev().copied());
				break;
			}
			entries.push((header.timestamp, header.difficulty));
			if entries.len() >= WINDOW_LENGTH as usize && header.number <= status.confirmed.number {
				break;
			}
			hash = header.parent;
			header = self.get(&hash).ok_or(Error::<T>::MissingAncestor)?;
		}
		entries.truncate(WINDOW_LENGTH as usize);
		entries.reverse();
		let current = entries.last().map(|(_, difficulty)| *difficulty).unwrap_or(checkpoint_next);
		Ok(next_difficulty(&entries, current, &ADJUSTMENT))
	}

	/// Adds a checked header to the batch.
	fn insert(&mut self, hash: Hash, header: StoredHeader) {
		self.added.push((hash, header.number));
		self.known.insert(hash, header);
	}

	/// The confirmed headers after the batch: the best chain's headers from just above the
	/// former confirmed header up to `Confirmations` under the best head, lowest first; updates
	/// `status.confirmed`.
	fn confirm(&mut self, status: &mut RegionStatus) -> Result<Vec<HeaderId>, Error<T>> {
		let target = status.best.number.saturating_sub(T::Confirmations::get());
		if target <= status.confirmed.number {
			return Ok(Vec::new());
		}
		let mut confirmed = Vec::new();
		let (mut hash, mut header) =
			(status.best.hash, self.get(&status.best.hash).ok_or(Error::<T>::MissingAncestor)?);
		while header.number > status.confirmed.number {
			if header.number <= target {
				confirmed.push(HeaderId { hash, number: header.number });
			}
			hash = header.parent;
			header = self.get(&hash).ok_or(Error::<T>::MissingAncestor)?;
		}
		confirmed.reverse();
		if let Some(top) = confirmed.last() {
			status.confirmed = *top;
		}
		Ok(confirmed)
	}

	/// Writes the batch's headers and the newly confirmed heights, and prunes what fell more
	/// than `HeadersToKeep` below the confirmed header.
	fn write(self, status: &mut RegionStatus, confirmed: Vec<HeaderId>) {
		let region = self.region;
		for (hash, number) in &self.added {
			if let Some(header) = self.known.get(hash) {
				Headers::<T>::insert(region, hash, header);
				HeadersByNumber::<T>::mutate(region, number, |hashes| {
					// Cannot fail: `check` counted this height's headers.
					let _ = hashes.try_push(*hash);
				});
				status.headers = status.headers.saturating_add(1);
			}
		}
		for id in confirmed {
			Canonical::<T>::insert(region, id.number, id.hash);
		}
		let keep_from = status.confirmed.number.saturating_sub(T::HeadersToKeep::get());
		while status.lowest < keep_from {
			for hash in HeadersByNumber::<T>::take(region, status.lowest) {
				Headers::<T>::remove(region, hash);
				status.headers = status.headers.saturating_sub(1);
			}
			Canonical::<T>::remove(region, status.lowest);
			status.lowest += 1;
		}
	}
}

/// The pre-hash and the seal of a header: the hash of the header without its last digest item,
/// which must be a proof-of-work seal (as `sc-consensus-pow` seals a block).
pub fn split_seal(header: &Header) -> Option<(Hash, Vec<u8>)> {
	let mut pre_header = header.clone();
	match pre_header.digest_mut().pop()? {
		DigestItem::Seal(id, seal) if id == POW_ENGINE_ID => Some((pre_header.hash(), seal)),
		_ => None,
	}
}

/// Whether a header names its miner in a proof-of-work pre-runtime digest, as the region's nodes
/// require.
fn names_miner(header: &Header) -> bool {
	header.digest().logs().iter().any(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == POW_ENGINE_ID => {
			AccountId::decode_all(&mut &data[..]).is_ok()
		}
		_ => false,
	})
}

impl<T: Config> Pallet<T> {
	/// This chain's role.
	pub fn chain_role() -> ChainRole {
		Role::<T>::get()
	}

	/// The most headers one region can store: every kept height below the confirmed header, the
	/// confirmed one, and the [`WINDOW_LENGTH`] heights above it, each with up to
	/// [`Config::MaxForksPerHeight`] headers.
	pub fn max_headers_per_region() -> u32 {
		T::HeadersToKeep::get()
			.saturating_add(WINDOW_LENGTH)
			.saturating_add(1)
			.saturating_mul(T::MaxForksPerHeight::get())
	}

	/// How deep `hash` lies in `region`'s best chain (0 for the best head), if it is in it.
	pub fn best_chain_depth(region: RegionId, hash: Hash) -> Option<u32> {
		let status = Regions::<T>::get(region)?;
		let header = Headers::<T>::get(region, hash)?;
		if header.number <= status.confirmed.number {
			return (Canonical::<T>::get(region, header.number) == Some(hash))
				.then(|| status.best.number - header.number);
		}
		(Self::ancestor_at(region, status.best.hash, header.number)? == hash)
			.then(|| status.best.number - header.number)
	}

	/// The ancestor of `hash` (or `hash` itself) at height `number`, if the stored headers reach
	/// it.
	pub fn ancestor_at(region: RegionId, hash: Hash, number: BlockNumber) -> Option<Hash> {
		let mut cursor = hash;
		let mut header = Headers::<T>::get(region, cursor)?;
		while header.number > number {
			cursor = header.parent;
			header = Headers::<T>::get(region, cursor)?;
		}
		(header.number == number).then_some(cursor)
	}

	/// Checks a checkpoint; answers the timestamp and difficulty its header is recorded with.
	fn check_checkpoint(
		header: &Header,
		window: &DifficultyWindow,
		next: Difficulty,
	) -> Result<(Moment, Difficulty), Error<T>> {
		let digest = DifficultyDigest::find(header.digest());
		match digest {
			None => {
				ensure!(
					header.number == 0 && window.is_empty(),
					Error::<T>::InconsistentCheckpoint
				);
				Ok((0, next))
			}
			Some(digest) => {
				ensure!(window.last() == Some(&digest.entry()), Error::<T>::InconsistentCheckpoint);
				ensure!(
					next == next_difficulty(window, digest.difficulty, &ADJUSTMENT),
					Error::<T>::InconsistentCheckpoint
				);
				Ok(digest.entry())
			}
		}
	}

	/// The pallet's invariants, for every followed region: its best, confirmed and checkpoint
	/// headers are stored, the confirmed one is canonical and under the best by at least
	/// `Confirmations` (or is the checkpoint), the stored headers and the by-height index agree,
	/// every header lies between the lowest kept height and [`WINDOW_LENGTH`] above the confirmed
	/// one, and the count stays within [`Pallet::max_headers_per_region`]; then the records'
	/// invariants ([`Pallet::do_try_state_records`]).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(Regions::<T>::count() <= T::MaxRegions::get(), "more regions than MaxRegions");
		for (region, status) in Regions::<T>::iter() {
			ensure!(
				Headers::<T>::contains_key(region, status.best.hash),
				"the best head is not stored"
			);
			ensure!(
				Canonical::<T>::get(region, status.confirmed.number) == Some(status.confirmed.hash),
				"the confirmed header is not canonical"
			);
			ensure!(
				Self::ancestor_at(region, status.best.hash, status.confirmed.number)
					== Some(status.confirmed.hash),
				"the best head does not descend from the confirmed header"
			);
			ensure!(
				CheckpointWindows::<T>::contains_key(region),
				"a region without its checkpoint's window"
			);
			let mut count = 0u32;
			for (hash, header) in Headers::<T>::iter_prefix(region) {
				count += 1;
				ensure!(
					HeadersByNumber::<T>::get(region, header.number).contains(&hash),
					"a stored header missing from the by-height index"
				);
				ensure!(
					header.number >= status.lowest
						&& header.number <= status.confirmed.number + WINDOW_LENGTH,
					"a stored header outside the kept heights"
				);
			}
			let indexed: usize =
				HeadersByNumber::<T>::iter_prefix_values(region).map(|hashes| hashes.len()).sum();
			ensure!(indexed == count as usize, "the by-height index names unknown headers");
			ensure!(count == status.headers, "the header count is wrong");
			ensure!(count <= Self::max_headers_per_region(), "more headers than the bound");
		}
		Self::do_try_state_records()
	}
}

impl<T: Config> ChainRoleProvider for Pallet<T> {
	fn chain_role() -> ChainRole {
		Role::<T>::get()
	}
}
