//! A test runtime with the records pallet, a role and reputations the tests set.

use crate::{self as pallet_period_records, *};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, FixedU128};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		PeriodRecords: pallet_period_records,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	/// The chain's role in the tests.
	pub static TestRole: ChainRole = ChainRole::Region(2);
	/// Each provider's reputation in the tests: its account id in tenths.
	pub static ReputationScale: u64 = 10;
}

/// The tests' role: [`TestRole`].
pub struct RoleOf;
impl ChainRoleProvider for RoleOf {
	fn chain_role() -> ChainRole {
		TestRole::get()
	}
}

/// A provider's reputation in the tests: its account id divided by [`ReputationScale`].
pub struct Reputations;
impl ReputationProvider<u64> for Reputations {
	fn comprehensive_reputation(provider: &u64) -> FixedU128 {
		FixedU128::from_rational((*provider).into(), ReputationScale::get().into())
	}
}

/// Records kept in the tests.
pub const KEEP: u32 = 3;

impl pallet_period_records::Config for Test {
	type ProxyOrigin = EnsureRoot<u64>;
	type ChainRole = RoleOf;
	type Reputation = Reputations;
	type RecordsToKeep = ConstU32<KEEP>;
	type MaxProviders = ConstU32<4>;
	type MaxWritesPerBlock = ConstU32<1>;
	type WeightInfo = ();
}

/// Runs the next block's hook.
pub fn next_block() {
	use frame_support::traits::Hooks;
	let n = System::block_number() + 1;
	System::set_block_number(n);
	PeriodRecords::on_initialize(n);
}

/// Externalities of a region-2 chain at block 1, checking the invariants after the test.
pub fn new_test_ext() -> TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		TestRole::set(ChainRole::Region(2));
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
			PeriodRecords::do_try_state().expect("invariants hold after the test");
			result
		})
	}
}

/// Plain externalities, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	new_test_ext().0
}
