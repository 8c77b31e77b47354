//! A test runtime: the system, the timestamp pallet as the clock, and the light clients.

use crate as pallet_shard_proxy;
use frame_support::{derive_impl, traits::ConstU32};
use gridshard_primitives::region::ChainRole;
use sp_runtime::{AccountId32, BuildStorage};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		ShardProxy: pallet_shard_proxy,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId32;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId32>;
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// Confirmation depth of the tests.
pub const K: u32 = 3;
/// Heights kept under the confirmed header.
pub const KEEP: u32 = 30;
/// Longest batch.
pub const MAX_BATCH: u32 = 8;
/// Headers per height.
pub const MAX_FORKS: u32 = 3;
/// Allowed drift ahead of the clock (ms).
pub const DRIFT: u64 = 90_000;

impl pallet_shard_proxy::Config for Test {
	type RegionOrigin = frame_system::EnsureRoot<AccountId32>;
	type Clock = Timestamp;
	type Confirmations = ConstU32<K>;
	type HeadersToKeep = ConstU32<KEEP>;
	type MaxHeadersPerBatch = ConstU32<MAX_BATCH>;
	type MaxForksPerHeight = ConstU32<MAX_FORKS>;
	type MaxHeaderSize = ConstU32<1_024>;
	type MaxFutureDrift = frame_support::traits::ConstU64<DRIFT>;
	type MaxRegions = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SetTimestamp;
}

/// Sets the timestamp pallet's clock, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct SetTimestamp;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for SetTimestamp {
	fn set_clock(now: u64) {
		pallet_timestamp::Now::<Test>::put(now);
	}
}

/// Externalities of a chain with `role`, the clock at `now` ms; the pallet's invariants are
/// checked after the test.
pub fn new_test_ext(role: ChainRole, now: u64) -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_shard_proxy::GenesisConfig::<Test> { role, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(now);
	});
	TestExternalities(ext)
}

/// Externalities that run [`crate::Pallet::do_try_state`] after every test.
pub struct TestExternalities(sp_io::TestExternalities);

impl TestExternalities {
	/// Runs `test`, then checks the invariants.
	pub fn execute_with<R>(mut self, test: impl FnOnce() -> R) -> R {
		self.0.execute_with(|| {
			let result = test();
			ShardProxy::do_try_state().expect("invariants hold after the test");
			result
		})
	}
}

/// Plain externalities of a coordinator, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	new_test_ext(ChainRole::Coordinator, 1_000_000_000).0
}
