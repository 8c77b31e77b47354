//! Placeholder until `scripts/benchmark.sh registration` generates this file.
#![allow(missing_docs)]
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn apply() -> Weight;
	fn withdraw() -> Weight;
	fn approve() -> Weight;
	fn reject() -> Weight;
	fn suspend() -> Weight;
	fn reinstate() -> Weight;
	fn deregister() -> Weight;
}
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn apply() -> Weight {
		Weight::zero()
	}
	fn withdraw() -> Weight {
		Weight::zero()
	}
	fn approve() -> Weight {
		Weight::zero()
	}
	fn reject() -> Weight {
		Weight::zero()
	}
	fn suspend() -> Weight {
		Weight::zero()
	}
	fn reinstate() -> Weight {
		Weight::zero()
	}
	fn deregister() -> Weight {
		Weight::zero()
	}
}
impl WeightInfo for () {
	fn apply() -> Weight {
		Weight::zero()
	}
	fn withdraw() -> Weight {
		Weight::zero()
	}
	fn approve() -> Weight {
		Weight::zero()
	}
	fn reject() -> Weight {
		Weight::zero()
	}
	fn suspend() -> Weight {
		Weight::zero()
	}
	fn reinstate() -> Weight {
		Weight::zero()
	}
	fn deregister() -> Weight {
		Weight::zero()
	}
}
