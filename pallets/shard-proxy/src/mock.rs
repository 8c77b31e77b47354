//! A test runtime: the system, the timestamp pallet as the clock, and the light clients.

use crate as pallet_shard_proxy;
use codec::Encode;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64},
};
use gridshard_primitives::{record::RegionalStorageKeys, region::ChainRole, PeriodIndex};
use sp_runtime::{AccountId32, BuildStorage, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
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
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
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
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegionalKeys = TestKeys;
	type ProxyBond = ConstU128<BOND>;
	type ProverShare = ProverShare;
	type LivenessSlash = LivenessSlash;
	type SlashBeneficiary = Pot;
	type VerificationDeadline = ConstU64<DEADLINE>;
	type RecordsToKeep = ConstU32<RECORDS_KEPT>;
	type MaxPageSize = ConstU32<64>;
	type MaxProofNodes = ConstU32<32>;
	type MaxProofSize = ConstU32<16_384>;
	type MaxExpiriesPerBlock = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SetTimestamp;
}

/// The proxies' bond in the tests.
pub const BOND: u128 = 1_000;
/// How long an announcement waits for a proof, in blocks.
pub const DEADLINE: u64 = 10;
/// Records kept per region.
pub const RECORDS_KEPT: u32 = 3;

parameter_types! {
	pub const ProverShare: Perbill = Perbill::from_percent(20);
	pub const LivenessSlash: Perbill = Perbill::from_percent(10);
	pub Pot: AccountId32 = AccountId32::new([0xee; 32]);
}

/// The keys of a region's records and nomination in the tests' regional states.
pub struct TestKeys;
impl RegionalStorageKeys for TestKeys {
	fn record_key(period: PeriodIndex) -> Vec<u8> {
		// As long as the runtime's: two 16-byte prefixes and a `Twox64Concat` period.
		let mut key = vec![0x11; 40];
		key.extend(period.encode());
		key
	}
	fn proxy_key() -> Vec<u8> {
		vec![0x22; 32]
	}
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
	pallet_balances::GenesisConfig::<Test> {
		balances: [1u8, 2, 3, 7, 0xee]
			.into_iter()
			.map(|byte| (AccountId32::new([byte; 32]), 1_000_000))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
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
