//! Placeholder until `scripts/benchmark.sh matching` generates this file.
#![allow(missing_docs)]
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn post_offer() -> Weight;
	fn withdraw_offer() -> Weight;
	fn post_request() -> Weight;
	fn cancel_request() -> Weight;
	fn set_grid_fee() -> Weight;
	fn submit_solution(n: u32, m: u32) -> Weight;
	fn authorize_submit_solution() -> Weight;
	fn take_snapshot(n: u32, m: u32) -> Weight;
	fn adopt(n: u32, m: u32) -> Weight;
	fn adopt_fallback(n: u32, m: u32) -> Weight;
}
impl WeightInfo for () {
	fn post_offer() -> Weight {
		Weight::zero()
	}
	fn withdraw_offer() -> Weight {
		Weight::zero()
	}
	fn post_request() -> Weight {
		Weight::zero()
	}
	fn cancel_request() -> Weight {
		Weight::zero()
	}
	fn set_grid_fee() -> Weight {
		Weight::zero()
	}
	fn submit_solution(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
	fn authorize_submit_solution() -> Weight {
		Weight::zero()
	}
	fn take_snapshot(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
	fn adopt(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
	fn adopt_fallback(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
}
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn post_offer() -> Weight {
		Weight::zero()
	}
	fn withdraw_offer() -> Weight {
		Weight::zero()
	}
	fn post_request() -> Weight {
		Weight::zero()
	}
	fn cancel_request() -> Weight {
		Weight::zero()
	}
	fn set_grid_fee() -> Weight {
		Weight::zero()
	}
	fn submit_solution(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
	fn authorize_submit_solution() -> Weight {
		Weight::zero()
	}
	fn take_snapshot(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
	fn adopt(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
	fn adopt_fallback(_n: u32, _m: u32) -> Weight {
		Weight::zero()
	}
}
