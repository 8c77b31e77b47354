//! Benchmarks of the block reward hook.

use super::*;
use alloc::vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::Hooks;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{Digest, DigestItem};

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The reward paid at the start of every block. Worst case: the miner's account does not
	/// exist yet, so minting creates it.
	#[benchmark]
	fn on_initialize() {
		let miner: T::AccountId = account("miner", 0, 0);
		let digest = Digest { logs: vec![DigestItem::PreRuntime(POW_ENGINE_ID, miner.encode())] };
		let block: BlockNumberFor<T> = 1u32.into();
		frame_system::Pallet::<T>::initialize(&block, &Default::default(), &digest);

		#[block]
		{
			Pallet::<T>::on_initialize(block);
		}

		assert_eq!(T::Currency::balance(&miner), T::Reward::get());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
