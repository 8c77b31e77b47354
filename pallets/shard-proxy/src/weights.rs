// This file is part of GridShard.
// Licensed under the Apache License, Version 2.0.

//! Weights for `pallet_shard_proxy`: a stand-in until `scripts/benchmark.sh shard-proxy`
//! generates this file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_shard_proxy`.
pub trait WeightInfo {
	fn register_region() -> Weight;
	fn submit_headers(n: u32, ) -> Weight;
	fn remove_region(h: u32, ) -> Weight;
}

/// Weights for `pallet_shard_proxy` measured on this chain's runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_region() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn submit_headers(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000_000, 10000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(35_u64))
			.saturating_add(T::DbWeight::get().reads((10_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((12_u64).saturating_mul(n.into())))
	}
	fn remove_region(h: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(h.into())))
	}
}

/// The same weights with RocksDB's database costs, for tests and mocks.
impl WeightInfo for () {
	fn register_region() -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn submit_headers(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4000)
			.saturating_add(Weight::from_parts(100_000_000, 10000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(35_u64))
			.saturating_add(RocksDbWeight::get().reads((10_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((12_u64).saturating_mul(n.into())))
	}
	fn remove_region(h: u32, ) -> Weight {
		Weight::from_parts(50_000_000, 4000)
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(h.into())))
	}
}
