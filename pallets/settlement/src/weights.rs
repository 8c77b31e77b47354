//! Placeholder until `scripts/benchmark.sh settlement` generates this file.
#![allow(missing_docs)]
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn submit_reading() -> Weight;
	fn authorize_submit_reading() -> Weight;
	fn apply_for_settlement() -> Weight;
	fn dispute() -> Weight;
	fn resolve_dispute() -> Weight;
	fn claim_payout() -> Weight;
	fn settle_overdue(n: u32) -> Weight;
	fn pay_due(n: u32) -> Weight;
	fn set_roles() -> Weight;
}
impl WeightInfo for () {
	fn set_roles() -> Weight {
		Weight::zero()
	}
	fn submit_reading() -> Weight {
		Weight::zero()
	}
	fn authorize_submit_reading() -> Weight {
		Weight::zero()
	}
	fn apply_for_settlement() -> Weight {
		Weight::zero()
	}
	fn dispute() -> Weight {
		Weight::zero()
	}
	fn resolve_dispute() -> Weight {
		Weight::zero()
	}
	fn claim_payout() -> Weight {
		Weight::zero()
	}
	fn settle_overdue(_n: u32) -> Weight {
		Weight::zero()
	}
	fn pay_due(_n: u32) -> Weight {
		Weight::zero()
	}
}
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn set_roles() -> Weight {
		Weight::zero()
	}
	fn submit_reading() -> Weight {
		Weight::zero()
	}
	fn authorize_submit_reading() -> Weight {
		Weight::zero()
	}
	fn apply_for_settlement() -> Weight {
		Weight::zero()
	}
	fn dispute() -> Weight {
		Weight::zero()
	}
	fn resolve_dispute() -> Weight {
		Weight::zero()
	}
	fn claim_payout() -> Weight {
		Weight::zero()
	}
	fn settle_overdue(_n: u32) -> Weight {
		Weight::zero()
	}
	fn pay_due(_n: u32) -> Weight {
		Weight::zero()
	}
}
