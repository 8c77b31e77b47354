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
//! the one with the most total difficulty; ties go to the smaller [`tie_break_key`] of the seal,
//! as on the region's own nodes. A header is **confirmed** once it is [`Config::Confirmations`]
//! deep under the best head; the confirmed header never moves back, and [`Canonical`] names the
//! confirmed header of each kept height. Headers more than [`Config::HeadersToKeep`] below the
//! confirmed one are pruned, so each region stores a bounded number of headers (checked in
//! `try_state`).
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
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::{Checkpoint, DifficultyWindow};
pub use weights::WeightInfo;

use alloc::{boxed::Box, collections::BTreeMap, vec::Vec};
use codec::{DecodeAll, Encode};
use core::marker::PhantomData;
use frame_support::{pallet_prelude::*, traits::Time};
use frame_system::pallet_prelude::*;
use gridshard_primitives::{
	difficulty::{next_difficulty, DifficultyDigest, ADJUSTMENT, WINDOW_LENGTH},
	pow::{tie_break_key, verify_seal, POW_ENGINE_ID},
	region::{ChainRole, ChainRoleProvider, HeaderId, RegionStatus, StoredHeader},
	AccountId, BlockNumber, Difficulty, Hash, Header, Moment, RegionId,
};
use sp_runtime::{traits::Header as _, DigestItem, SaturatedConversion};

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
			/// The region.
			region: RegionId,
			/// The checkpoint header.
			checkpoint: HeaderId,
		},
		/// A region is no longer followed; its headers are gone.
		RegionRemoved {
			/// The region.
			region: RegionId,
			/// How many headers were removed.
			headers: u32,
		},
		/// A batch of a region's headers was imported.
		HeadersImported {
			/// The region.
			region: RegionId,
			/// The relayer.
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
			/// The region.
			region: RegionId,
			/// The former best head.
			from: HeaderId,
			/// The new best head.
			to: HeaderId,
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
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
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
				T::WeightInfo::remove_region(Self::max_headers_per_region()).all_lte(tenth),
				"removing a full region must fit in a tenth of a block"
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
		/// [`Config::Confirmations`], for instance).
		///
		/// - Origin: [`Config::RegionOrigin`].
		///
		/// Errors: [`Error::UnknownRegion`].
		///
		/// Emits [`Event::RegionRemoved`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_region(Pallet::<T>::max_headers_per_region()))]
		pub fn remove_region(origin: OriginFor<T>, region: RegionId) -> DispatchResultWithPostInfo {
			T::RegionOrigin::ensure_origin(origin)?;
			let status = Regions::<T>::take(region).ok_or(Error::<T>::UnknownRegion)?;
			let _ = Headers::<T>::clear_prefix(region, u32::MAX, None);
			let _ = HeadersByNumber::<T>::clear_prefix(region, u32::MAX, None);
			let _ = Canonical::<T>::clear_prefix(region, u32::MAX, None);
			CheckpointWindows::<T>::remove(region);
			Self::deposit_event(Event::RegionRemoved { region, headers: status.headers });
			Ok(Some(T::WeightInfo::remove_region(status.headers)).into())
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
		Ok((hash, stored, tie_break_key(&seal)))
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
	/// one, and the count stays within [`Pallet::max_headers_per_region`].
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
		Ok(())
	}
}

impl<T: Config> ChainRoleProvider for Pallet<T> {
	fn chain_role() -> ChainRole {
		Role::<T>::get()
	}
}
