//! A test runtime with balances and settlement; a mocked registry and reputation.
//!
//! Accounts: users 1 and 2, providers 11 and 12, the grid operator 90, the reward pot 91, the
//! trading centre 92 (the dispute origin). Meter keys are `meter_pair(account)`.

use crate::{self as pallet_settlement, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
};
use gridshard_primitives::{Energy, MeterKey, Price, RegionId};
use sp_core::{sr25519, Pair};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Settlement: pallet_settlement,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Users.
pub const USER: u64 = 1;
/// Another user.
pub const USER_2: u64 = 2;
/// A provider.
pub const PROVIDER: u64 = 11;
/// Another provider.
pub const PROVIDER_2: u64 = 12;
/// The grid operator.
pub const GRID: u64 = 90;
/// The reward pot.
pub const POT: u64 = 91;
/// The trading centre.
pub const TRADING_CENTRE: u64 = 92;
/// `Token`.
pub const TOKEN: u128 = 100;
/// The agreed energy that earns the whole `Token`: 10 kWh, the tests' `R`.
pub const REWARD_ENERGY: Energy = 10_000;
/// `tau` as a share of `R`.
pub const TOLERANCE_PERCENT: u32 = 5;
/// `tau` of an order of 10 kWh, in Wh.
pub const TAU: Energy = 500;
/// Blocks after the window before automatic settlement.
pub const DEADLINE: u64 = 10;
/// Blocks to dispute.
pub const DISPUTE: u64 = 3;
/// Confirmation depth.
pub const DEPTH: u64 = 5;
/// The dispute bond.
pub const BOND: u128 = 50;
/// Blocks a dispute waits for its resolution.
pub const DISPUTE_DEADLINE: u64 = 8;

parameter_types! {
	pub const Pot: u64 = POT;
	pub TokenPrice: FixedU128 = FixedU128::from_u32(1);
	/// `tau`: 5 % of `R`.
	pub Tolerance: sp_runtime::Permill = sp_runtime::Permill::from_percent(TOLERANCE_PERCENT);
	/// Deliveries reported to reputation: `(provider, price, agreed, delivered)`.
	pub static Deliveries: Vec<(u64, Price, Energy, Energy)> = Vec::new();
	/// Accounts the registry does not approve.
	pub static Unapproved: Vec<u64> = Vec::new();
	/// Participants set up by benchmarks: `(account, provider?, meter key)`.
	pub static Approved: Vec<(u64, bool, MeterKey)> = Vec::new();
}

/// The meter key pair of `account`.
pub fn meter_pair(account: u64) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[account as u8; 32])
}

/// Users below 10 and providers from 10 up, all approved in region 1 unless [`Unapproved`];
/// and whoever benchmarks put in [`Approved`].
pub struct TestRegistry;
impl TestRegistry {
	fn set_up(who: &u64) -> Option<(bool, MeterKey)> {
		Approved::get().into_iter().find(|(a, ..)| a == who).map(|(_, p, key)| (p, key))
	}
	fn role(who: &u64) -> Option<bool> {
		if Unapproved::get().contains(who) {
			return None;
		}
		Some(Self::set_up(who).map_or(*who >= 10, |(provider, _)| provider))
	}
}
impl ParticipantRegistry<u64> for TestRegistry {
	fn approved_provider(who: &u64) -> Option<RegionId> {
		Self::role(who)?.then_some(1)
	}
	fn approved_user(who: &u64) -> Option<RegionId> {
		(!Self::role(who)?).then_some(1)
	}
	fn meter_key(who: &u64) -> Option<MeterKey> {
		Self::role(who)?;
		Some(Self::set_up(who).map_or_else(|| meter_pair(*who).public(), |(_, key)| key))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<u64> for TestRegistry {
	fn approve(who: &u64, provider: bool, meter_key: MeterKey) {
		Approved::mutate(|approved| {
			approved.retain(|(account, ..)| account != who);
			approved.push((*who, provider, meter_key));
		});
		let _ = <Balances as frame_support::traits::fungible::Mutate<u64>>::set_balance(
			who,
			u128::MAX / 4,
		);
	}
}

/// Reputation that records into [`Deliveries`].
pub struct TestReputation;
impl DeliveryRecorder<u64> for TestReputation {
	fn record_delivery(provider: &u64, price: Price, agreed: Energy, delivered: Energy) {
		Deliveries::mutate(|d| d.push((*provider, price, agreed, delivered)));
	}
}

impl pallet_settlement::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = TestRegistry;
	type Reputation = TestReputation;
	type Ledger = ();
	type DisputeOrigin = EnsureTradingCentre<Test>;
	type AdminOrigin = frame_system::EnsureRoot<u64>;
	type RewardPot = Pot;
	type RewardToken = ConstU128<TOKEN>;
	type RewardEnergy = ConstU64<REWARD_ENERGY>;
	type Tolerance = Tolerance;
	type TokenPrice = TokenPrice;
	type MaxInterimReadings = ConstU32<2>;
	type SettlementDeadline = ConstU64<DEADLINE>;
	type DisputeWindow = ConstU64<DISPUTE>;
	type ConfirmationDepth = ConstU64<DEPTH>;
	type MaxAutoSettlePerBlock = ConstU32<2>;
	type MaxPayoutsPerBlock = ConstU32<2>;
	type DisputeBond = ConstU128<BOND>;
	type DisputeDeadline = ConstU64<DISPUTE_DEADLINE>;
	type MaxPageSize = ConstU32<100>;
	type MaxDisputeExpiriesPerBlock = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestRegistry;
}

/// What each account holds at the start.
pub const START: u128 = 1_000_000;

/// Externalities at block 1 with every account funded (the pot with 1000), checking the
/// pallet's invariants after the test.
pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let balances = vec![
		(USER, START),
		(USER_2, START),
		(PROVIDER, START),
		(PROVIDER_2, START),
		(GRID, START),
		(POT, 1_000),
		(TRADING_CENTRE, START),
	];
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_settlement::GenesisConfig::<Test> {
		grid_operator: Some(GRID),
		trading_centre: Some(TRADING_CENTRE),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Deliveries::set(Vec::new());
		Unapproved::set(Vec::new());
		Approved::set(Vec::new());
	});
	TestExternalities(ext)
}

/// Runs blocks until (and including) block `n`, with the pallet's hook.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Settlement::on_initialize(next);
	}
}

/// Externalities that run [`crate::Pallet::do_try_state`] after every test.
pub struct TestExternalities(sp_io::TestExternalities);

impl TestExternalities {
	/// Runs `test`, then checks the invariants and that no money was created or destroyed:
	/// settlement only moves funds (the reward comes out of the pot).
	pub fn execute_with<R>(mut self, test: impl FnOnce() -> R) -> R {
		self.0.execute_with(|| {
			let issuance = Balances::total_issuance();
			let result = test();
			Settlement::do_try_state().expect("invariants hold after the test");
			assert_eq!(Balances::total_issuance(), issuance, "money created or destroyed");
			result
		})
	}

	/// Runs `setup`, commits what it wrote, then runs `read` recording the storage it touches;
	/// checks the invariants as [`Self::execute_with`] does. Returns what `read` returned and
	/// the encoded size of its storage proof: what the read costs a node, in bytes of trie.
	pub fn prove_read<R>(mut self, setup: impl FnOnce(), read: impl FnOnce() -> R) -> (R, usize) {
		use codec::Encode;
		self.0.execute_with(setup);
		self.0.commit_all().expect("the setup commits");
		let (result, proof) = self.0.execute_and_prove(read);
		self.execute_with(|| ());
		(result, proof.encoded_size())
	}
}

/// Externalities with a keystore, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	let mut ext = new_test_ext().0;
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}
