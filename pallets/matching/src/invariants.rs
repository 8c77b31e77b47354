//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, Balance, PeriodIndex};
use frame_support::{ensure, traits::Get};
use gridshard_primitives::traits::Escrow;

impl<T: Config> Pallet<T> {
	/// The pallet's invariants:
	///
	/// - each period's offer count matches its offers, within `MaxOffers`;
	/// - every request's escrow is held: per user, the open requests' escrow is at most the
	///   uncommitted escrow settlement holds;
	/// - the snapshot matches its period, and the best solution is valid on it with its score
	///   and has the block that accepted it.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let mut counts: BTreeMap<PeriodIndex, u32> = BTreeMap::new();
		for (period, _, _) in Offers::<T>::iter() {
			*counts.entry(period).or_default() += 1;
		}
		for (period, count) in &counts {
			ensure!(OfferCount::<T>::get(period) == *count, "offer count out of step");
			ensure!(*count <= T::MaxOffers::get(), "too many offers");
		}
		let mut escrow: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut open: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, _, request) in Requests::<T>::iter() {
			*open.entry(request.user.clone()).or_default() += 1;
			*escrow.entry(request.user).or_default() += request.escrow;
		}
		ensure!(
			OpenRequests::<T>::iter().count() == open.len()
				&& open.iter().all(|(user, count)| OpenRequests::<T>::get(user) == *count),
			"open-request counts out of step"
		);
		for (user, held) in escrow {
			ensure!(T::Escrow::uncommitted(&user) >= held, "a request's escrow is not held");
		}
		ensure!(
			BestSolution::<T>::exists() == BestSolutionAt::<T>::exists(),
			"the best solution and its block out of step"
		);
		match (CurrentSnapshot::<T>::get(), SnapshotPeriod::<T>::get()) {
			(Some(snapshot), Some(period)) => {
				ensure!(snapshot.period == period, "snapshot period out of step");
				if let Some((score, solution)) = BestSolution::<T>::get() {
					ensure!(
						Self::score(&snapshot, &solution).ok() == Some(score),
						"the best solution is not valid with its score"
					);
				}
			}
			(None, None) => {
				ensure!(BestSolution::<T>::get().is_none(), "a solution without snapshot")
			}
			_ => return Err("snapshot and its period out of step".into()),
		}
		Ok(())
	}
}
