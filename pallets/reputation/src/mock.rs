//! A test runtime with the reputation pallet and a clock the tests move.

use crate::{self as pallet_reputation, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, Hooks},
};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Reputation: pallet_reputation,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	/// The current period of the tests.
	pub static Period: PeriodIndex = 0;
	pub const Alpha: Perbill = Perbill::from_percent(40);
	pub MaxRatio: FixedU128 = FixedU128::from_rational(3, 2);
}

/// The tests' clock: [`Period`].
pub struct TestClock;
impl PeriodClock for TestClock {
	fn current_period() -> PeriodIndex {
		Period::get()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper for TestClock {
	fn set_period(period: PeriodIndex) {
		Period::set(period)
	}
}

/// Ratios kept per period in the tests.
pub const MAX_RATIOS: u32 = 4;
/// Periods of history kept in the tests.
pub const DEPTH: u32 = 3;
/// Standings swept per block in the tests.
pub const SWEEP: u32 = 2;

impl pallet_reputation::Config for Test {
	type Clock = TestClock;
	type Alpha = Alpha;
	type MaxDeliveryRatio = MaxRatio;
	type MaxRatiosPerPeriod = ConstU32<MAX_RATIOS>;
	type HistoryDepth = ConstU32<DEPTH>;
	type MaxSweepPerBlock = ConstU32<SWEEP>;
	type MaxPageSize = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestClock;
}

/// Moves the clock to `period` and runs the next block's hooks.
pub fn next_block_in(period: PeriodIndex) {
	Period::set(period);
	let n = System::block_number() + 1;
	System::set_block_number(n);
	Reputation::on_initialize(n);
}

/// Externalities at period 0, block 1, checking the invariants after the test.
pub fn new_test_ext() -> TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		Period::set(0);
		System::set_block_number(1);
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
			Reputation::do_try_state().expect("invariants hold after the test");
			result
		})
	}
}

/// Plain externalities, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	new_test_ext().0
}
