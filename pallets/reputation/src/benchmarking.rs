//! Benchmarks of the roll-over sweep and of recording a delivery. The worst case of both is a
//! provider whose ended period must be folded and archived into a full history, its record
//! holding the most ratios.

use super::*;
use frame_benchmarking::v2::*;

/// A provider with a full history and, in `period`, a record with the most ratios.
fn seasoned<T: Config>(index: u32, period: PeriodIndex) -> T::AccountId {
	let provider: T::AccountId = account("provider", index, 0);
	let full = |period| {
		let mut record = PeriodRecord::new(period);
		for _ in 0..T::MaxRatiosPerPeriod::get() {
			record.add(1_000, 10_000, FixedU128::from_rational(9, 10));
		}
		record
	};
	let depth = T::HistoryDepth::get();
	let history: alloc::vec::Vec<_> = (0..depth)
		.map(|i| PeriodSummary {
			record: full(i),
			current: FixedU128::from_rational(9, 10),
			comprehensive: FixedU128::from_rational(9, 10),
		})
		.collect();
	History::<T>::insert(&provider, BoundedVec::truncate_from(history));
	let standing = Standing {
		comprehensive: FixedU128::from_rational(9, 10),
		open: Some(full(period)),
		lifetime_trades: 1_000,
	};
	Standings::<T>::insert(&provider, standing);
	provider
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `n` standings visited, each folding an ended period into a full history.
	#[benchmark]
	fn sweep(n: Linear<0, { T::MaxSweepPerBlock::get() }>) {
		let period = T::HistoryDepth::get();
		for index in 0..n {
			seasoned::<T>(index, period);
		}
		T::BenchmarkHelper::set_period(period + 1);

		#[block]
		{
			Pallet::<T>::sweep();
		}

		assert!(Standings::<T>::iter_values().all(|s| s.open.is_none()));
	}

	/// The ended period folded and archived, then a new record started.
	#[benchmark]
	fn record_delivery() {
		let period = T::HistoryDepth::get();
		let provider = seasoned::<T>(0, period);
		T::BenchmarkHelper::set_period(period + 1);

		#[block]
		{
			Pallet::<T>::record_delivery(&provider, 1_000, 10_000, 9_000);
		}

		let standing = Standings::<T>::get(&provider).expect("recorded");
		assert_eq!(standing.open.map(|open| open.period), Some(period + 1));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
