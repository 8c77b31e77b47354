//! Benchmarks of the difficulty adjustment hook.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use sp_runtime::BoundedVec;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The hook the timestamp pallet calls on every block. Worst case: a full window, so the
	/// oldest entry is dropped, and all of them are read, summed and written back.
	#[benchmark]
	fn on_timestamp_set() {
		let target = T::TargetBlockTime::get();
		let length = T::WindowLength::get() as u64;
		let difficulty = T::MinDifficulty::get().saturating_mul(U256::from(1_000u64));
		let full: Vec<(u64, U256)> = (0..length).map(|i| (i * target, difficulty)).collect();
		Window::<T>::put(BoundedVec::<_, <T as Config>::WindowLength>::truncate_from(full));
		CurrentDifficulty::<T>::put(difficulty);

		#[block]
		{
			Pallet::<T>::note_block(length * target);
		}

		assert_eq!(Window::<T>::decode_len(), Some(length as usize));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
