//! A test runtime with the timestamp pallet wired to the difficulty pallet, as in GridShard's
//! runtime.

use crate as pallet_difficulty;
use frame_support::{derive_impl, parameter_types};
use sp_core::U256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Difficulty: pallet_difficulty,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type OnTimestampSet = Difficulty;
}

/// Target block time of the tests.
pub const TARGET: u64 = 6_000;

parameter_types! {
	pub const MinDifficulty: U256 = U256([1_000, 0, 0, 0]);
	pub const MaxDifficulty: U256 = U256([0, 0, 1, 0]);
}

impl pallet_difficulty::Config for Test {
	type TargetBlockTime = frame_support::traits::ConstU64<TARGET>;
	type WindowLength = frame_support::traits::ConstU32<10>;
	type DampFactor = frame_support::traits::ConstU32<3>;
	type ClampFactor = frame_support::traits::ConstU32<2>;
	type MaxSolveFactor = frame_support::traits::ConstU32<6>;
	type MinDifficulty = MinDifficulty;
	type MaxDifficulty = MaxDifficulty;
	type WeightInfo = ();
}

/// Builds test externalities with the given initial difficulty, and checks the pallet's
/// invariants after the test.
pub fn new_test_ext(initial_difficulty: u128) -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_difficulty::GenesisConfig::<Test> { initial_difficulty, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	TestExternalities(sp_io::TestExternalities::new(storage))
}

/// Externalities that run [`crate::Pallet::do_try_state`] after every test.
pub struct TestExternalities(sp_io::TestExternalities);

impl TestExternalities {
	/// Runs `test`, then checks the invariants.
	pub fn execute_with<R>(mut self, test: impl FnOnce() -> R) -> R {
		self.0.execute_with(|| {
			let result = test();
			Difficulty::do_try_state().expect("invariants hold after the test");
			result
		})
	}
}

/// Plain externalities with an initial difficulty, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	new_test_ext(60_000).0
}
