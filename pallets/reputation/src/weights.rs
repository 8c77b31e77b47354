//! Placeholder until `scripts/benchmark.sh reputation` generates this file.
#![allow(missing_docs)]
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn sweep(n: u32) -> Weight;
	fn record_delivery() -> Weight;
}
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn sweep(_n: u32) -> Weight {
		Weight::zero()
	}
	fn record_delivery() -> Weight {
		Weight::zero()
	}
}
impl WeightInfo for () {
	fn sweep(_n: u32) -> Weight {
		Weight::zero()
	}
	fn record_delivery() -> Weight {
		Weight::zero()
	}
}
