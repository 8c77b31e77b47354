//! Benchmarks of every call, of the check before the pool, and of the hook's snapshot and
//! adoption with `n` requests and `m` offers. The worst case of a solution is one that serves
//! every request; of adoption, one that opens an order for each request and releases the rest
//! of its escrow.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::Authorize;
use sp_runtime::transaction_validity::TransactionSource;

/// Energy of every benchmark request: 1 kWh.
const ENERGY: Energy = 1_000;

/// The `index`-th approved provider or user.
fn participant<T: Config>(provider: bool, index: u32) -> T::AccountId {
	let who: T::AccountId = account(if provider { "provider" } else { "user" }, index, 0);
	T::BenchmarkHelper::approve(&who, provider);
	who
}

/// A price every request accepts: half the maximum.
fn price<T: Config>() -> Price {
	T::MaxPrice::get() / 2
}

/// Moves the chain to `offset` blocks into the current period.
fn to_offset<T: Config>(offset: u32) {
	let period = Pallet::<T>::current_period();
	frame_system::Pallet::<T>::set_block_number(
		(period * Pallet::<T>::period_length() + offset).into(),
	);
}

/// `m` offers with room for all `n` requests, and `n` requests by up to 50 users, in the open
/// period.
fn book<T: Config>(n: u32, m: u32) -> PeriodIndex {
	let period = Pallet::<T>::current_period();
	let capacity = (u64::from(n) * ENERGY).max(ENERGY);
	for j in 0..m {
		let provider = participant::<T>(true, j);
		Pallet::<T>::post_offer(
			frame_system::RawOrigin::Signed(provider).into(),
			price::<T>(),
			capacity,
		)
		.expect("an open book");
	}
	let users: Vec<_> = (0..n.min(50)).map(|u| participant::<T>(false, u)).collect();
	for i in 0..n {
		let user = users[(i % 50) as usize].clone();
		Pallet::<T>::post_request(frame_system::RawOrigin::Signed(user).into(), ENERGY, None)
			.expect("an open book");
	}
	period
}

/// The book of `n` requests and `m` offers, snapshotted.
fn snapshotted<T: Config>(n: u32, m: u32) -> PeriodIndex {
	to_offset::<T>(1);
	let period = book::<T>(n, m);
	Pallet::<T>::take_snapshot(period);
	period
}

/// Every request to the first offer.
fn full_solution<T: Config>(n: u32) -> SolutionOf<T> {
	BoundedVec::truncate_from((0..n).map(|i| (i, 0)).collect())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn post_offer() {
		to_offset::<T>(1);
		let provider = participant::<T>(true, 0);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(provider.clone()), price::<T>(), 10_000);

		assert!(Offers::<T>::contains_key(Pallet::<T>::current_period(), &provider));
	}

	#[benchmark]
	fn withdraw_offer() {
		to_offset::<T>(1);
		let provider = participant::<T>(true, 0);
		Pallet::<T>::post_offer(frame_system::RawOrigin::Signed(provider.clone()).into(), 1, 10)
			.expect("open");

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(provider.clone()));

		assert!(!Offers::<T>::contains_key(Pallet::<T>::current_period(), &provider));
	}

	/// Without a limit: the escrow at the maximum price.
	#[benchmark]
	fn post_request() {
		to_offset::<T>(1);
		let user = participant::<T>(false, 0);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(user.clone()), 10_000, None);

		assert_eq!(OpenRequests::<T>::get(&user), 1);
	}

	#[benchmark]
	fn cancel_request() {
		to_offset::<T>(1);
		let user = participant::<T>(false, 0);
		Pallet::<T>::post_request(
			frame_system::RawOrigin::Signed(user.clone()).into(),
			10_000,
			None,
		)
		.expect("open");

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(user.clone()), 0);

		assert_eq!(OpenRequests::<T>::get(&user), 0);
	}

	/// Inserting at the front of a table one short of full.
	#[benchmark]
	fn set_grid_fee() -> Result<(), BenchmarkError> {
		let entries: Vec<_> =
			(1..T::MaxFeeEntries::get()).map(|r| (r as RegionId, r as RegionId, 1)).collect();
		GridFees::<T>::put(BoundedVec::truncate_from(entries));
		let origin = T::GridCompanyOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0, 0, Some(5));

		assert_eq!(GridFees::<T>::get()[0], (0, 0, 5));
		Ok(())
	}

	/// `n` pairs, every request served: the check ran before, in `authorize_submit_solution`.
	#[benchmark]
	fn submit_solution(n: Linear<1, { T::MaxRequests::get() }>) {
		let period = snapshotted::<T>(n, 1);
		to_offset::<T>(Pallet::<T>::period_length() - 1);
		let solution = full_solution::<T>(n);
		let claimed = Pallet::<T>::score(&CurrentSnapshot::<T>::get().expect("taken"), &solution)
			.expect("valid");

		#[extrinsic_call]
		_(frame_system::RawOrigin::Authorized, period, solution, claimed);

		assert_eq!(BestSolution::<T>::get().map(|(score, _)| score), Some(claimed));
	}

	/// The check before the pool (and as the block applies it): `n` pairs, every request
	/// served, checked against a snapshot of `m` offers.
	#[benchmark]
	fn authorize_submit_solution(
		n: Linear<1, { T::MaxRequests::get() }>,
		m: Linear<1, { T::MaxOffers::get() }>,
	) -> Result<(), BenchmarkError> {
		let period = snapshotted::<T>(n, m);
		to_offset::<T>(Pallet::<T>::period_length() - 1);
		let solution = full_solution::<T>(n);
		let claimed = Pallet::<T>::score(&CurrentSnapshot::<T>::get().expect("taken"), &solution)
			.expect("valid");
		let call = Call::<T>::submit_solution { period, solution, claimed };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("the call authorises")?
				.map_err(|_| "admitted")?;
		}

		Ok(())
	}

	/// The close: `n` requests and `m` offers read, each participant's approval and each
	/// provider's reputation asked.
	#[benchmark]
	fn take_snapshot(
		n: Linear<0, { T::MaxRequests::get() }>,
		m: Linear<0, { T::MaxOffers::get() }>,
	) {
		to_offset::<T>(1);
		let period = book::<T>(n, m);

		#[block]
		{
			Pallet::<T>::take_snapshot(period);
		}

		assert_eq!(SnapshotPeriod::<T>::get(), Some(period));
	}

	/// A submitted solution serving all `n` requests becomes `n` orders.
	#[benchmark]
	fn adopt(n: Linear<0, { T::MaxRequests::get() }>, m: Linear<1, { T::MaxOffers::get() }>) {
		snapshotted::<T>(n, m);
		let snapshot = CurrentSnapshot::<T>::take().expect("taken");
		let solution = full_solution::<T>(n);
		let score = Pallet::<T>::score(&snapshot, &solution).expect("valid");
		BestSolution::<T>::put((score, solution));
		let now = (Pallet::<T>::current_period() + 1) * Pallet::<T>::period_length();

		#[block]
		{
			Pallet::<T>::adopt(snapshot, now);
		}

		assert_eq!(LastAdopted::<T>::get().map(|a| a.matched), Some(n));
	}

	/// Nobody submitted: the greedy fallback over `n` requests and `m` offers, then `n` orders.
	#[benchmark]
	fn adopt_fallback(
		n: Linear<0, { T::MaxRequests::get() }>,
		m: Linear<1, { T::MaxOffers::get() }>,
	) {
		snapshotted::<T>(n, m);
		let snapshot = CurrentSnapshot::<T>::take().expect("taken");
		let now = (Pallet::<T>::current_period() + 1) * Pallet::<T>::period_length();

		#[block]
		{
			Pallet::<T>::adopt(snapshot, now);
		}

		assert_eq!(LastAdopted::<T>::get().map(|a| a.matched), Some(n));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
