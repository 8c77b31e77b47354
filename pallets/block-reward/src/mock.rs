//! A test runtime with balances and the block reward pallet.

use crate as pallet_block_reward;
use frame_support::{derive_impl, traits::ConstU128};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		BlockReward: pallet_block_reward,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type Balance = u128;
	type ExistentialDeposit = ConstU128<10>;
}

/// The block reward of the tests.
pub const REWARD: u128 = 500;

impl pallet_block_reward::Config for Test {
	type Currency = Balances;
	type FindAuthor = crate::PowAuthor<u64>;
	type Reward = ConstU128<REWARD>;
	type WeightInfo = ();
}

/// Externalities with account 1 holding 1000, checking the pallet's invariants after the test.
pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> { balances: vec![(1, 1_000)], ..Default::default() }
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
			BlockReward::do_try_state().expect("invariants hold after the test");
			result
		})
	}
}

/// Plain externalities, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	new_test_ext().0
}
