//! The turns of a period: where the chain is in it, closing its book into a snapshot, and
//! adopting the best solution (or the fallback's) as orders, releasing every other escrow.

use crate::{pallet::*, types::*, weights::WeightInfo, RequestOf, SnapshotOf, LOG_TARGET};
use alloc::{vec, vec::Vec};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use gridshard_primitives::{
	record::PeriodLedger,
	traits::{Escrow, OrderBook, OrderTerms, ParticipantRegistry, ReputationProvider},
	Balance, Energy, PeriodIndex,
};
use sp_runtime::traits::{SaturatedConversion, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Blocks per period, as the period arithmetic counts them.
	pub(crate) fn period_length() -> u32 {
		T::PeriodLength::get().saturated_into()
	}

	/// Blocks of the solution window.
	pub(crate) fn solution_blocks() -> u32 {
		T::SolutionBlocks::get().saturated_into()
	}

	/// The period the chain is in.
	pub fn current_period() -> PeriodIndex {
		let n: u32 = frame_system::Pallet::<T>::block_number().saturated_into();
		n / Self::period_length()
	}

	/// The current period's phase.
	pub fn phase() -> Phase {
		let n: u32 = frame_system::Pallet::<T>::block_number().saturated_into();
		let length = Self::period_length();
		if n % length >= length - Self::solution_blocks() {
			Phase::Solution
		} else {
			Phase::Open
		}
	}

	/// The current period if its book is open.
	pub(crate) fn open_period() -> Result<PeriodIndex, Error<T>> {
		ensure!(Self::phase() == Phase::Open, Error::<T>::BookClosed);
		Ok(Self::current_period())
	}

	/// Lowers `user`'s count of open requests.
	pub(crate) fn close_request(user: &T::AccountId) {
		OpenRequests::<T>::mutate_exists(user, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
	}

	/// Releases the rest of a closed request's escrow (what no order committed) and closes it;
	/// reports it unmatched if nothing was committed.
	pub(crate) fn release_request(
		period: PeriodIndex,
		id: RequestId,
		request: RequestOf<T>,
		committed: Balance,
		reason: UnmatchedReason,
	) {
		let rest = request.escrow.saturating_sub(committed);
		if !rest.is_zero() {
			if let Err(error) = T::Escrow::release(&request.user, rest) {
				log::error!(target: LOG_TARGET, "escrow of request {id} not released: {error:?}");
			}
		}
		Self::close_request(&request.user);
		if committed.is_zero() {
			Self::deposit_event(Event::RequestUnmatched { user: request.user, period, id, reason });
		}
	}

	/// The snapshot `period`'s book gives now, read only: offers by provider account, requests
	/// by id. Offers and requests of participants no longer approved stay out (adoption releases
	/// such requests).
	pub(crate) fn build_snapshot(period: PeriodIndex) -> SnapshotOf<T> {
		let mut offers: Vec<_> = Offers::<T>::iter_prefix(period)
			.take(T::MaxOffers::get() as usize)
			.filter_map(|(provider, offer)| {
				let region = T::Registry::approved_provider(&provider)?;
				let reputation = T::Reputation::comprehensive_reputation(&provider);
				Some(SnapshotOffer {
					provider,
					region,
					price: offer.price,
					capacity: offer.capacity,
					reputation,
				})
			})
			.collect();
		let mut requests: Vec<_> = Requests::<T>::iter_prefix(period)
			.take(T::MaxRequests::get() as usize)
			.filter_map(|(id, request)| {
				Some(SnapshotRequest {
					id,
					region: T::Registry::approved_user(&request.user)?,
					user: request.user,
					energy: request.energy,
					limit: request.limit,
				})
			})
			.collect();
		requests.sort_by_key(|r| r.id);
		offers.sort_by(|a, b| a.provider.cmp(&b.provider));
		Snapshot {
			period,
			offers: BoundedVec::truncate_from(offers),
			requests: BoundedVec::truncate_from(requests),
			fees: BoundedVec::truncate_from(GridFees::<T>::get().into_inner()),
			default_fee: T::DefaultGridFee::get(),
		}
	}

	/// Freezes period `period`'s book into the snapshot ([`Pallet::build_snapshot`]) and opens
	/// the solution window.
	pub(crate) fn take_snapshot(period: PeriodIndex) -> Weight {
		let snapshot = Self::build_snapshot(period);
		let (offers, requests) = (snapshot.offers.len() as u32, snapshot.requests.len() as u32);
		CurrentSnapshot::<T>::put(snapshot);
		SnapshotPeriod::<T>::put(period);
		BestSolution::<T>::kill();
		BestSolutionAt::<T>::kill();
		Self::deposit_event(Event::SnapshotTaken { period, offers, requests });
		T::WeightInfo::take_snapshot(requests, offers)
	}

	/// Turns the best solution (or the fallback's) into orders, releases all other escrow of
	/// the period's requests, and clears the period's book.
	pub(crate) fn adopt(snapshot: SnapshotOf<T>, now: u32) -> Weight {
		let period = snapshot.period;
		BestSolutionAt::<T>::kill();
		let (score, solution, source) = match BestSolution::<T>::take() {
			Some((score, solution)) => (score, solution.into_inner(), Source::Submitted),
			None => {
				let solution = Self::greedy(&snapshot);
				let score = Self::score(&snapshot, &solution).unwrap_or_default();
				(score, solution, Source::Fallback)
			}
		};
		let mut assigned: Vec<Option<usize>> = vec![None; snapshot.requests.len()];
		for (i, j) in &solution {
			assigned[*i as usize] = Some(*j as usize);
		}
		let window_start: BlockNumberFor<T> = now.into();
		let window_end = window_start.saturating_add(T::DeliveryBlocks::get());
		let (mut matched, mut unmatched) = (0u32, 0u32);
		let (mut energy_matched, mut unmatched_demand): (Energy, Energy) = (0, 0);
		let mut providers: Vec<T::AccountId> = Vec::new();
		for (i, snap) in snapshot.requests.iter().enumerate() {
			let Some(request) = Requests::<T>::take(period, snap.id) else { continue };
			let mut reason = UnmatchedReason::NotAssigned;
			let mut committed = 0;
			if let Some(j) = assigned[i] {
				let offer = &snapshot.offers[j];
				let terms = OrderTerms {
					user: request.user.clone(),
					provider: offer.provider.clone(),
					agreed: request.energy,
					price: offer.price,
					grid_fee: Self::grid_fee(&snapshot, snap, offer).unwrap_or_default(),
					period,
					window_start,
					window_end,
				};
				match T::Orders::open_order(terms) {
					Ok(_) => {
						matched += 1;
						energy_matched = energy_matched.saturating_add(request.energy);
						if !providers.contains(&offer.provider) {
							providers.push(offer.provider.clone());
						}
						committed =
							T::Orders::cost(request.energy, offer.price).unwrap_or_default();
					}
					Err(error) => {
						log::warn!(target: LOG_TARGET, "order for request {} refused: {error:?}", snap.id);
						reason = UnmatchedReason::OrderRefused;
					}
				}
			}
			if committed.is_zero() {
				unmatched += 1;
				unmatched_demand = unmatched_demand.saturating_add(request.energy);
			}
			Self::release_request(period, snap.id, request, committed, reason);
		}
		// Requests left out of the snapshot (their users are no longer approved).
		for (id, request) in
			Requests::<T>::drain_prefix(period).take(T::MaxRequests::get() as usize)
		{
			unmatched += 1;
			unmatched_demand = unmatched_demand.saturating_add(request.energy);
			Self::release_request(period, id, request, 0, UnmatchedReason::OrderRefused);
		}
		let _ = Offers::<T>::clear_prefix(period, T::MaxOffers::get(), None);
		OfferCount::<T>::remove(period);
		NextRequestId::<T>::remove(period);
		SnapshotPeriod::<T>::kill();
		let capacity =
			snapshot.offers.iter().fold(0 as Energy, |sum, o| sum.saturating_add(o.capacity));
		T::Ledger::period_matched(
			period,
			matched,
			energy_matched,
			unmatched_demand,
			capacity.saturating_sub(energy_matched),
			providers,
		);
		LastAdopted::<T>::put(Adoption { period, score, source, matched, unmatched });
		Self::deposit_event(Event::SolutionAdopted { period, score, source, matched, unmatched });
		let (n, m) = (snapshot.requests.len() as u32, snapshot.offers.len() as u32);
		match source {
			Source::Submitted => T::WeightInfo::adopt(n, m),
			Source::Fallback => T::WeightInfo::adopt_fallback(n, m),
		}
	}
}
