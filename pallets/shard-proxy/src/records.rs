//! The regions' records on the coordinator: the proxies' bonds, announcements, proofs against
//! confirmed headers, corrections, deadlines and slashes (see the crate documentation).

use crate::*;
use frame_support::traits::tokens::{Fortitude, Precision, Restriction};
use gridshard_primitives::{
	proof::{read_proven, ProofError},
	record::ProxyNomination,
};
use sp_runtime::traits::{Saturating, Zero};

/// The largest node of a state trie: a branch with sixteen children's hashes. The weight of a
/// proof is counted in such nodes, so that a proof of few large nodes pays for its bytes.
pub const PROOF_NODE_SIZE: usize = 532;

/// What a proof costs to check, in nodes of [`PROOF_NODE_SIZE`]: its node count, or its bytes
/// in such nodes if more.
pub fn proof_units<T: Config>(proof: &[Vec<u8>]) -> u32 {
	let bytes: usize = proof.iter().map(Vec::len).sum();
	proof.len().max(bytes.div_ceil(PROOF_NODE_SIZE)).saturated_into()
}

impl<T: Config> Pallet<T> {
	/// The confirmed header `anchor` of `region`'s best chain and its state root.
	fn confirmed_state_root(region: RegionId, anchor: Hash) -> Result<(HeaderId, Hash), Error<T>> {
		let status = Regions::<T>::get(region).ok_or(Error::<T>::UnknownRegion)?;
		let header = Headers::<T>::get(region, anchor).ok_or(Error::<T>::AnchorNotConfirmed)?;
		ensure!(
			header.number <= status.confirmed.number
				&& Canonical::<T>::get(region, header.number) == Some(anchor),
			Error::<T>::AnchorNotConfirmed
		);
		Ok((HeaderId { hash: anchor, number: header.number }, header.state_root))
	}

	/// The value of type `V` at `key` in the state whose root is `root`, from `proof`.
	fn read_value<V: DecodeAll>(
		root: Hash,
		proof: Vec<Vec<u8>>,
		key: &[u8],
	) -> Result<V, Error<T>> {
		let bytes: usize = proof.iter().map(Vec::len).sum();
		ensure!(
			proof.len() <= T::MaxProofNodes::get() as usize
				&& bytes <= T::MaxProofSize::get() as usize,
			Error::<T>::ProofTooLarge
		);
		let value = read_proven(root, proof, key)
			.map_err(|error| match error {
				ProofError::DuplicateNodes => Error::<T>::ProofNodesDuplicated,
				ProofError::Incomplete => Error::<T>::ProofIncomplete,
				ProofError::UnusedNodes => Error::<T>::ProofNodesUnused,
			})?
			.ok_or(Error::<T>::ValueNotInProof)?;
		V::decode_all(&mut &value[..]).map_err(|_| Error::<T>::UndecodableValue)
	}

	/// [`Pallet::bond`].
	pub(crate) fn do_bond(
		who: T::AccountId,
		region: RegionId,
		anchor: Hash,
		proof: Vec<Vec<u8>>,
	) -> DispatchResult {
		let (_, root) = Self::confirmed_state_root(region, anchor)?;
		let nomination: ProxyNomination<T::AccountId> =
			Self::read_value(root, proof, &T::RegionalKeys::proxy_key())?;
		ensure!(nomination.account == who, Error::<T>::NotTheNamedProxy);
		if let Some(current) = Proxies::<T>::get(region) {
			// A newer term replaces the proxy; the same unsuspended proxy may top its bond up.
			let top_up = current.account == who && !current.suspended;
			ensure!(
				nomination.term > current.term || (top_up && nomination.term == current.term),
				Error::<T>::StaleNomination
			);
		}
		let bond = Bonds::<T>::get(&who);
		if let Some(bond) = bond {
			ensure!(bond.region == region, Error::<T>::BondedForAnotherRegion);
		}
		let held = bond.map(|b| b.amount).unwrap_or_default();
		let missing = T::ProxyBond::get().saturating_sub(held);
		if !missing.is_zero() {
			T::Currency::hold(&HoldReason::ProxyBond.into(), &who, missing)
				.map_err(|_| Error::<T>::CannotBond)?;
		}
		let amount = held.saturating_add(missing);
		let outstanding = bond.map(|b| b.outstanding).unwrap_or_default();
		Bonds::<T>::insert(&who, ProxyBond { region, amount, outstanding });
		let term = nomination.term;
		Proxies::<T>::insert(region, ActiveProxy { account: who.clone(), term, suspended: false });
		Self::deposit_event(Event::ProxyBonded { region, proxy: who, term, amount });
		Ok(())
	}

	/// [`Pallet::unbond`].
	pub(crate) fn do_unbond(who: T::AccountId) -> DispatchResult {
		let bond = Bonds::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
		if let Some(proxy) = Proxies::<T>::get(bond.region) {
			ensure!(proxy.account != who || proxy.suspended, Error::<T>::StillTheProxy);
		}
		ensure!(bond.outstanding == 0, Error::<T>::BondInUse);
		let released = T::Currency::release(
			&HoldReason::ProxyBond.into(),
			&who,
			bond.amount,
			Precision::BestEffort,
		)?;
		Bonds::<T>::remove(&who);
		Self::deposit_event(Event::ProxyUnbonded { proxy: who, amount: released });
		Ok(())
	}

	/// [`Pallet::announce`].
	pub(crate) fn do_announce(
		who: T::AccountId,
		region: RegionId,
		period: PeriodIndex,
		record: PeriodRecord,
	) -> DispatchResult {
		ensure!(Regions::<T>::contains_key(region), Error::<T>::UnknownRegion);
		let proxy = Proxies::<T>::get(region)
			.filter(|proxy| proxy.account == who)
			.ok_or(Error::<T>::NotTheProxy)?;
		ensure!(!proxy.suspended, Error::<T>::ProxySuspended);
		let mut bond = Bonds::<T>::get(&who)
			.filter(|bond| bond.region == region)
			.ok_or(Error::<T>::NotTheProxy)?;
		ensure!(bond.amount >= T::ProxyBond::get(), Error::<T>::BondTooLow);
		ensure!(record.region == region && record.period == period, Error::<T>::RecordMismatch);
		ensure!(!Records::<T>::contains_key(region, period), Error::<T>::AlreadyRecorded);
		Self::make_room(region, period)?;

		let deadline = Self::deadline();
		Records::<T>::insert(
			region,
			period,
			RecordEntry {
				record,
				status: RecordStatus::Announced { deadline },
				announced_by: Some(who.clone()),
				proven_by: None,
				anchor: None,
			},
		);
		bond.outstanding = bond.outstanding.saturating_add(1);
		Bonds::<T>::insert(&who, bond);
		Self::enqueue_deadline(region, period, deadline);
		Self::deposit_event(Event::RecordAnnounced { region, period, proxy: who, deadline });
		Ok(())
	}

	/// [`Pallet::prove`].
	pub(crate) fn do_prove(
		who: T::AccountId,
		region: RegionId,
		period: PeriodIndex,
		anchor: Hash,
		proof: Vec<Vec<u8>>,
	) -> DispatchResult {
		let (anchor, root) = Self::confirmed_state_root(region, anchor)?;
		let proven: PeriodRecord =
			Self::read_value(root, proof, &T::RegionalKeys::record_key(period))?;
		ensure!(proven.region == region && proven.period == period, Error::<T>::RecordMismatch);

		let Some(entry) = Records::<T>::get(region, period) else {
			Self::make_room(region, period)?;
			Records::<T>::insert(
				region,
				period,
				RecordEntry {
					record: proven,
					status: RecordStatus::Verified,
					announced_by: None,
					proven_by: Some(who.clone()),
					anchor: Some(anchor),
				},
			);
			Self::deposit_event(Event::RecordVerified { region, period, prover: who, anchor });
			return Ok(());
		};
		if matches!(entry.status, RecordStatus::Verified | RecordStatus::Corrected) {
			return Err(Error::<T>::AlreadyProven.into());
		}
		if let (RecordStatus::Announced { .. }, Some(proxy)) = (entry.status, &entry.announced_by) {
			Self::end_announcement(proxy);
		}
		let status = if entry.record == proven {
			Self::deposit_event(Event::RecordVerified {
				region,
				period,
				prover: who.clone(),
				anchor,
			});
			RecordStatus::Verified
		} else {
			Self::deposit_event(Event::RecordCorrected {
				region,
				period,
				prover: who.clone(),
				anchor,
				announced: entry.record.clone(),
			});
			if let Some(proxy) = &entry.announced_by {
				let whole = Bonds::<T>::get(proxy).map(|bond| bond.amount).unwrap_or_default();
				Self::slash(proxy, region, period, SlashReason::FalseRecord, whole, Some(&who));
				Self::suspend(region, proxy);
			}
			RecordStatus::Corrected
		};
		Records::<T>::insert(
			region,
			period,
			RecordEntry {
				record: proven,
				status,
				announced_by: entry.announced_by,
				proven_by: Some(who),
				anchor: Some(anchor),
			},
		);
		Ok(())
	}

	/// The deadline of an announcement made now.
	fn deadline() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number().saturating_add(T::VerificationDeadline::get())
	}

	/// Adds `period` to `region`'s kept periods, pruning the oldest record if the history is
	/// full and the oldest one is no longer waiting for a proof.
	fn make_room(region: RegionId, period: PeriodIndex) -> Result<(), Error<T>> {
		let mut periods = RecordPeriods::<T>::get(region);
		let Err(mut position) = periods.binary_search(&period) else {
			return Err(Error::<T>::AlreadyRecorded);
		};
		if periods.is_full() {
			ensure!(position > 0, Error::<T>::PeriodTooOld);
			let oldest = periods[0];
			let pending = Records::<T>::get(region, oldest)
				.is_some_and(|entry| matches!(entry.status, RecordStatus::Announced { .. }));
			ensure!(!pending, Error::<T>::TooManyPendingRecords);
			periods.remove(0);
			Records::<T>::remove(region, oldest);
			Self::deposit_event(Event::RecordPruned { region, period: oldest });
			position -= 1;
		}
		periods.try_insert(position, period).map_err(|_| Error::<T>::TooManyPendingRecords)?;
		RecordPeriods::<T>::insert(region, periods);
		Ok(())
	}

	/// Adds an announcement's deadline at the end of the deadline queue.
	fn enqueue_deadline(region: RegionId, period: PeriodIndex, deadline: BlockNumberFor<T>) {
		DeadlineBounds::<T>::mutate(|(_, next)| {
			DeadlineQueue::<T>::insert(*next, (region, period, deadline));
			*next = next.saturating_add(1);
		});
	}

	/// One announcement of `proxy` no longer waits for a proof.
	fn end_announcement(proxy: &T::AccountId) {
		Bonds::<T>::mutate(proxy, |bond| {
			if let Some(bond) = bond {
				bond.outstanding = bond.outstanding.saturating_sub(1);
			}
		});
	}

	/// Suspends `proxy` if it still speaks for `region`.
	fn suspend(region: RegionId, proxy: &T::AccountId) {
		Proxies::<T>::mutate(region, |active| {
			if let Some(active) = active.as_mut().filter(|active| &active.account == proxy) {
				active.suspended = true;
				Self::deposit_event(Event::ProxySuspended { region, proxy: proxy.clone() });
			}
		});
	}

	/// Takes up to `amount` from `proxy`'s bond: the prover's share to `prover`, the rest to
	/// [`Config::SlashBeneficiary`] (burnt if it cannot receive it); records the slash, unless
	/// nothing was left to take.
	fn slash(
		proxy: &T::AccountId,
		region: RegionId,
		period: PeriodIndex,
		reason: SlashReason,
		amount: Balance,
		prover: Option<&T::AccountId>,
	) {
		let Some(mut bond) = Bonds::<T>::get(proxy) else { return };
		let amount = amount.min(bond.amount);
		let to_prover = if prover.is_some() { T::ProverShare::get() * amount } else { 0 };
		let hold = HoldReason::ProxyBond.into();
		let pay = |to: &T::AccountId, value: Balance| -> Balance {
			if value.is_zero() {
				return 0;
			}
			T::Currency::transfer_on_hold(
				&hold,
				proxy,
				to,
				value,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.or_else(|_| {
				T::Currency::burn_held(&hold, proxy, value, Precision::BestEffort, Fortitude::Force)
			})
			.unwrap_or_default()
		};
		let paid_prover = prover.map(|prover| pay(prover, to_prover)).unwrap_or_default();
		let paid_rest = pay(&T::SlashBeneficiary::get(), amount.saturating_sub(to_prover));
		let taken = paid_prover.saturating_add(paid_rest);
		if taken.is_zero() {
			return;
		}
		bond.amount = bond.amount.saturating_sub(taken);
		Bonds::<T>::insert(proxy, bond);
		let slash = SlashEntry {
			region,
			period,
			proxy: proxy.clone(),
			reason,
			amount: taken,
			to_prover: paid_prover,
			at: frame_system::Pallet::<T>::block_number(),
		};
		Slashes::<T>::mutate(|history| {
			if history.is_full() {
				history.remove(0);
			}
			// Cannot fail: room was made.
			let _ = history.try_push(slash.clone());
		});
		Self::deposit_event(Event::ProxySlashed { slash });
	}

	/// The hook: marks the announcements at the head of the deadline queue whose deadline came
	/// unverified, and slashes their proxies, at most [`Config::MaxExpiriesPerBlock`].
	pub(crate) fn expire_due(now: BlockNumberFor<T>) -> Weight {
		let (mut head, next) = DeadlineBounds::<T>::get();
		let mut visited = 0u32;
		while head < next && visited < T::MaxExpiriesPerBlock::get() {
			let item = DeadlineQueue::<T>::get(head);
			if let Some((_, _, deadline)) = item {
				if now < deadline {
					break;
				}
			}
			DeadlineQueue::<T>::remove(head);
			head += 1;
			visited += 1;
			let Some((region, period, deadline)) = item else { continue };
			let Some(mut entry) = Records::<T>::get(region, period) else { continue };
			// A proven, or reverted and re-announced, record has left this deadline behind.
			if entry.status != (RecordStatus::Announced { deadline }) {
				continue;
			}
			entry.status = RecordStatus::Unverified;
			if let Some(proxy) = &entry.announced_by {
				Self::end_announcement(proxy);
				let share = T::LivenessSlash::get() * T::ProxyBond::get();
				Self::slash(proxy, region, period, SlashReason::Unverified, share, None);
			}
			Records::<T>::insert(region, period, entry);
			Self::deposit_event(Event::RecordUnverified { region, period });
		}
		if visited > 0 {
			DeadlineBounds::<T>::put((head, next));
		}
		T::WeightInfo::expire(visited)
	}

	/// Sends `region`'s proven records back to announced, without liability: the headers they
	/// were proven against are gone. Answers how many records were looked at.
	pub(crate) fn revert_records(region: RegionId) -> u32 {
		let periods = RecordPeriods::<T>::get(region);
		let deadline = Self::deadline();
		for period in &periods {
			Records::<T>::mutate(region, period, |entry| {
				let Some(entry) = entry.as_mut().filter(|entry| {
					matches!(entry.status, RecordStatus::Verified | RecordStatus::Corrected)
				}) else {
					return;
				};
				entry.status = RecordStatus::Announced { deadline };
				entry.announced_by = None;
				entry.proven_by = None;
				entry.anchor = None;
				Self::enqueue_deadline(region, *period, deadline);
				Self::deposit_event(Event::RecordReverted { region, period: *period });
			});
		}
		periods.len() as u32
	}

	/// The records of `region` from `from` on, at most `limit` (and [`Config::MaxPageSize`]),
	/// ascending.
	pub fn records(
		region: RegionId,
		from: PeriodIndex,
		limit: u32,
	) -> Vec<(PeriodIndex, RecordEntryOf<T>)> {
		RecordPeriods::<T>::get(region)
			.into_iter()
			.filter(|period| *period >= from)
			.take(limit.min(T::MaxPageSize::get()) as usize)
			.filter_map(|period| Records::<T>::get(region, period).map(|entry| (period, entry)))
			.collect()
	}

	/// The records' invariants: the bonds held equal the [`Bonds`] records, and each bond's
	/// outstanding count equals its proxy's announcements waiting for a proof; each region's
	/// kept periods are ascending, bounded and exactly its records, each under its own region
	/// and period; every announcement waiting for a proof has its deadline in the queue; every
	/// unsuspended proxy is bonded for its region.
	pub fn do_try_state_records() -> Result<(), sp_runtime::TryRuntimeError> {
		let hold = HoldReason::ProxyBond.into();
		let mut outstanding: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let (head, next) = DeadlineBounds::<T>::get();
		let queued: Vec<_> = (head..next).filter_map(DeadlineQueue::<T>::get).collect();
		ensure!(
			DeadlineQueue::<T>::iter().count() == queued.len(),
			"a deadline outside the queue's bounds"
		);
		for (region, periods) in RecordPeriods::<T>::iter() {
			ensure!(periods.windows(2).all(|w| w[0] < w[1]), "kept periods out of order");
			ensure!(
				Records::<T>::iter_prefix(region).count() == periods.len(),
				"records and kept periods differ"
			);
			for period in periods {
				let entry =
					Records::<T>::get(region, period).ok_or("a kept period without record")?;
				ensure!(
					entry.record.region == region && entry.record.period == period,
					"a record under another key"
				);
				if let RecordStatus::Announced { deadline } = entry.status {
					ensure!(
						queued.contains(&(region, period, deadline)),
						"an announcement without its deadline queued"
					);
					if let Some(proxy) = entry.announced_by {
						*outstanding.entry(proxy).or_default() += 1;
					}
				}
			}
		}
		ensure!(
			Records::<T>::iter_keys().all(|(region, _)| RecordPeriods::<T>::contains_key(region)),
			"records of a region without kept periods"
		);
		for (account, bond) in Bonds::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&hold, &account) == bond.amount,
				"a bond differs from what is held"
			);
			ensure!(
				outstanding.remove(&account).unwrap_or_default() == bond.outstanding,
				"a bond's outstanding count differs from its announcements"
			);
		}
		ensure!(outstanding.is_empty(), "announcements of an unbonded proxy wait for proofs");
		for (region, proxy) in Proxies::<T>::iter() {
			if !proxy.suspended {
				ensure!(
					Bonds::<T>::get(&proxy.account).is_some_and(|bond| bond.region == region),
					"an active proxy without a bond for its region"
				);
			}
		}
		Ok(())
	}
}
