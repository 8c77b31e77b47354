//! Benchmarks of naming the proxy and of the hook writing a record. The worst case of a write
//! is a period with the most providers whose reputations are read, and the most records pruned
//! after it.

use super::*;
use frame_benchmarking::v2::*;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A nomination replacing another.
	#[benchmark]
	fn name_proxy() -> Result<(), BenchmarkError> {
		let origin =
			T::ProxyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Proxy::<T>::put(ProxyNomination { account: account("old", 0, 0), term: 1 });
		let proxy: T::AccountId = account("proxy", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, proxy.clone());

		assert_eq!(Proxy::<T>::get().map(|n| (n.account, n.term)), Some((proxy, 2)));
		Ok(())
	}

	/// One complete record of `p` providers written, and [`PRUNE_PER_WRITE`] old records pruned.
	#[benchmark]
	fn write_record(p: Linear<0, { T::MaxProviders::get() }>) {
		let keep = T::RecordsToKeep::get();
		let period = keep + PRUNE_PER_WRITE;
		for old in 0..PRUNE_PER_WRITE {
			Records::<T>::insert(old, PeriodRecord { period: old, ..Default::default() });
		}
		KeptRange::<T>::put((0, period - 1));
		let providers: Vec<T::AccountId> = (0..p).map(|i| account("provider", i, 0)).collect();
		<Pallet<T> as PeriodLedger<T::AccountId>>::period_matched(
			period, 1, 100, 10, 10, providers,
		);
		let order = ClosedOrder {
			id: 1,
			user: account("user", 0, 0),
			provider: account("provider", 0, 0),
			agreed: 100,
			price: 1_000,
			delivered: 100,
			paid: 100,
			grid_fee: 1,
			penalty: 0,
			reward: 1,
		};
		<Pallet<T> as PeriodLedger<T::AccountId>>::order_closed(period, order);

		#[block]
		{
			Pallet::<T>::write_ready();
		}

		assert!(Records::<T>::contains_key(period));
		assert!(!Records::<T>::contains_key(PRUNE_PER_WRITE - 1));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
