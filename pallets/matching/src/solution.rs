//! A solution against its snapshot: the weights of eq. 3 and 4 for each pair, the check of a
//! submission (before the pool and at dispatch), the snapshot as the solver's market, and the
//! chain's greedy fallback. Nothing here writes storage.
//!
//! ## Off-chain results are hostile input
//!
//! Every PoW miner authors blocks, so a submission is trusted for nothing. It is free, so it
//! must hold before it costs anyone a block's room: before the pool, and again when a block
//! applies it, its period and claim are checked against the best so far, every pair is checked
//! (known request and provider, each request once, allowed pair, capacity) and the score
//! recomputed; any mismatch is a named error ([`Pallet::check_solution`]) and changes nothing.
//! A block accepts one solution at most, so the free room a window's solutions take is bounded
//! by its blocks, and each accepted one beats the last.

use crate::{pallet::*, types::*, weights::WeightInfo, SnapshotOf, LOG_TARGET};
use alloc::{vec, vec::Vec};
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use gridshard_primitives::{traits::OrderBook, Balance, Energy, PeriodIndex};
use sp_runtime::traits::SaturatedConversion;

impl<T: Config> Pallet<T> {
	/// Checks a submission's period and claimed score against the current snapshot and the
	/// best solution, and that this block has accepted none yet (cheap: no snapshot read).
	pub(crate) fn check_claim(period: PeriodIndex, claimed: &Score) -> Result<(), Error<T>> {
		ensure!(SnapshotPeriod::<T>::get() == Some(period), Error::<T>::SolutionWrongPeriod);
		if let Some((best, _)) = BestSolution::<T>::get() {
			ensure!(*claimed > best, Error::<T>::SolutionNotBetter);
		}
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(BestSolutionAt::<T>::get() != Some(now), Error::<T>::SolutionThisBlock);
		Ok(())
	}

	/// The whole check of a submission, without changing anything: its claim (the snapshot's
	/// period, above the best, the first of this block), then every pair against the snapshot
	/// and the claim against the solution's score (time linear in the solution). Returns the
	/// snapshot's number of offers.
	pub fn check_solution(
		period: PeriodIndex,
		solution: &[(u32, u32)],
		claimed: &Score,
	) -> Result<u32, Error<T>> {
		Self::check_claim(period, claimed)?;
		let snapshot = CurrentSnapshot::<T>::get().ok_or(Error::<T>::SolutionWrongPeriod)?;
		let score = Self::score(&snapshot, solution)?;
		ensure!(score == *claimed, Error::<T>::SolutionWrongScore);
		Ok(snapshot.offers.len() as u32)
	}

	/// How the pool answers a submission [`Pallet::check_solution`] refuses: `Stale` for
	/// another period or a claim that is not better, `ExhaustsResources` when this block has
	/// its solution (the block's author keeps it for the next block), and otherwise
	/// `Custom` with the error's index in [`Error`], so that a client can name it.
	pub fn invalidity(error: Error<T>) -> TransactionValidityError {
		let invalid = match error {
			Error::<T>::SolutionWrongPeriod | Error::<T>::SolutionNotBetter => {
				InvalidTransaction::Stale
			}
			Error::<T>::SolutionThisBlock => InvalidTransaction::ExhaustsResources,
			other => InvalidTransaction::Custom(other.encode().first().copied().unwrap_or(u8::MAX)),
		};
		TransactionValidityError::Invalid(invalid)
	}

	/// Admits a solution into the pool (and into a block) only when
	/// [`Pallet::check_solution`] holds, so that a forged claim costs its sender the pool's
	/// check and never a block's room. It provides `(period, score)`, so equal claims do not
	/// both enter, and lives until the window ends; the part of the worst-case check weight a
	/// smaller snapshot or solution did not use is refunded.
	pub fn authorize_solution(
		period: PeriodIndex,
		solution: &[(u32, u32)],
		claimed: &Score,
	) -> TransactionValidityWithRefund {
		let offers = Self::check_solution(period, solution, claimed).map_err(|error| {
			log::debug!(target: LOG_TARGET, "solution refused before the pool: {error:?}");
			Self::invalidity(error)
		})?;
		let validity = ValidTransaction::with_tag_prefix("GridShardSolution")
			.priority(TransactionPriority::MAX / 2)
			.and_provides((period, claimed.energy, claimed.weight))
			.longevity(T::SolutionBlocks::get().saturated_into())
			.propagate(true)
			.build()?;
		let worst =
			T::WeightInfo::authorize_submit_solution(T::MaxRequests::get(), T::MaxOffers::get());
		let used = T::WeightInfo::authorize_submit_solution(solution.len() as u32, offers);
		Ok((validity, worst.saturating_sub(used)))
	}

	/// The revenue `zeta_ij` (eq. 3) of request `i` with offer `j`, if the pair is allowed.
	fn revenue(snapshot: &SnapshotOf<T>, i: usize, j: usize) -> Option<Balance> {
		let (request, offer) = (snapshot.requests.get(i)?, snapshot.offers.get(j)?);
		if request.limit.is_some_and(|limit| offer.price > limit) {
			return None;
		}
		let income = T::Orders::cost(request.energy, offer.price)?;
		income.checked_sub(Self::grid_fee(snapshot, request, offer)?)
	}

	/// `eta_ij`: the table's fee per kWh for the pair's regions, times `R_i`.
	pub(crate) fn grid_fee(
		snapshot: &SnapshotOf<T>,
		request: &SnapshotRequest<T::AccountId>,
		offer: &SnapshotOffer<T::AccountId>,
	) -> Option<Balance> {
		let per_kwh =
			fee_per_kwh(&snapshot.fees, snapshot.default_fee, offer.region, request.region);
		per_kwh.checked_mul(u128::from(request.energy)).map(|fee| fee / 1_000)
	}

	/// The solver's integer weight of pair `(i, j)`, if allowed: `M_ij` (eq. 4) scaled.
	pub fn pair_weight(snapshot: &SnapshotOf<T>, i: usize, j: usize) -> Option<u32> {
		let zeta = Self::revenue(snapshot, i, j)?;
		let reputation = snapshot.offers[j].reputation;
		Some(weight_of(matching_degree(zeta, T::ZetaUnit::get(), reputation)))
	}

	/// The score of `solution` on `snapshot` after checking it, in time linear in its length:
	/// each pair's request and offer exist, no request twice, the pair is allowed, and no
	/// provider exceeds its capacity.
	pub fn score(snapshot: &SnapshotOf<T>, solution: &[(u32, u32)]) -> Result<Score, Infeasible> {
		let mut served = vec![false; snapshot.requests.len()];
		let mut load = vec![0u64; snapshot.offers.len()];
		let mut score = Score::default();
		for (request, offer) in solution {
			let (i, j) = (*request as usize, *offer as usize);
			let energy = snapshot.requests.get(i).ok_or(Infeasible::UnknownRequest)?.energy;
			let capacity = snapshot.offers.get(j).ok_or(Infeasible::UnknownOffer)?.capacity;
			ensure!(!core::mem::replace(&mut served[i], true), Infeasible::RequestTwice);
			let weight = Self::pair_weight(snapshot, i, j).ok_or(Infeasible::DisallowedPair)?;
			load[j] = load[j].saturating_add(energy);
			ensure!(load[j] <= capacity, Infeasible::OverCapacity);
			score.energy += u128::from(energy);
			score.weight += u128::from(weight);
		}
		Ok(score)
	}

	/// The snapshot as the solver's market: request energies, capacities and allowed pairs.
	pub fn market(snapshot: &SnapshotOf<T>) -> gridshard_solver::Market {
		let mut pairs = Vec::new();
		for i in 0..snapshot.requests.len() {
			for j in 0..snapshot.offers.len() {
				if let Some(weight) = Self::pair_weight(snapshot, i, j) {
					pairs.push((i as u32, j as u32, weight));
				}
			}
		}
		gridshard_solver::Market {
			requests: snapshot.requests.iter().map(|r| r.energy).collect(),
			capacities: snapshot.offers.iter().map(|o| o.capacity).collect(),
			pairs,
		}
	}

	/// A solver's `assignment` of the snapshot's market (each request row's offer row, or
	/// none) as a solution's `(request row, offer row)` pairs.
	pub fn pairs(assignment: &[Option<u32>]) -> Vec<(u32, u32)> {
		(0u32..)
			.zip(assignment)
			.filter_map(|(request, offer)| offer.map(|offer| (request, offer)))
			.collect()
	}

	/// The chain's fallback: requests by decreasing energy (then id), each to the allowed
	/// offer with room and the largest weight (then the lowest index). `O(n m)`.
	pub fn greedy(snapshot: &SnapshotOf<T>) -> Vec<(u32, u32)> {
		let mut order: Vec<usize> = (0..snapshot.requests.len()).collect();
		order.sort_by_key(|i| (core::cmp::Reverse(snapshot.requests[*i].energy), *i));
		let mut room: Vec<Energy> = snapshot.offers.iter().map(|o| o.capacity).collect();
		let mut solution = Vec::new();
		for i in order {
			let energy = snapshot.requests[i].energy;
			let best = (0..room.len())
				.filter(|j| room[*j] >= energy)
				.filter_map(|j| {
					Self::pair_weight(snapshot, i, j).map(|w| (w, core::cmp::Reverse(j)))
				})
				.max();
			if let Some((_, core::cmp::Reverse(j))) = best {
				room[j] -= energy;
				solution.push((i as u32, j as u32));
			}
		}
		solution.sort();
		solution
	}
}

impl<T: Config> From<Infeasible> for Error<T> {
	fn from(infeasible: Infeasible) -> Self {
		match infeasible {
			Infeasible::UnknownRequest => Error::<T>::SolutionUnknownRequest,
			Infeasible::UnknownOffer => Error::<T>::SolutionUnknownOffer,
			Infeasible::RequestTwice => Error::<T>::SolutionRequestTwice,
			Infeasible::DisallowedPair => Error::<T>::SolutionDisallowedPair,
			Infeasible::OverCapacity => Error::<T>::SolutionOverCapacity,
		}
	}
}
