//! A test runtime with the matching pallet; registry, reputation, escrow and order book are
//! mocks. Providers are accounts 10 and up, users below 10 (user 9 is in region 2); the grid
//! company is account 90.

use crate::{self as pallet_matching, *};
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
};
use frame_system::EnsureSignedBy;
use gridshard_primitives::{
	traits::{OrderId, OrderTerms},
	MeterKey,
};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult, FixedU128};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

/// The mock's extrinsic.
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Matching: pallet_matching,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl frame_system::offchain::CreateTransactionBase<Call<Test>> for Test {
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl frame_system::offchain::CreateTransaction<Call<Test>> for Test {
	type Extension = ();
	fn create_transaction(call: RuntimeCall, extension: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl frame_system::offchain::CreateAuthorizedTransaction<Call<Test>> for Test {
	fn create_extension() {}
}

/// The grid company.
pub const GRID_COMPANY: u64 = 90;
/// Blocks per period.
pub const LENGTH: u32 = 10;
/// Blocks of the solution window.
pub const WINDOW: u32 = 3;
/// The first block of period 0's solution window.
pub const CLOSE: u64 = (LENGTH - WINDOW) as u64;
/// The highest price.
pub const MAX_PRICE: u128 = 1_000;

ord_parameter_types! {
	pub const GridCompany: u64 = GRID_COMPANY;
}

parameter_types! {
	/// Reputations of providers (default one).
	pub static Reputations: BTreeMap<u64, FixedU128> = BTreeMap::new();
	/// Participants the registry no longer approves.
	pub static Suspended: Vec<u64> = Vec::new();
	/// Escrow held per user.
	pub static Held: BTreeMap<u64, u128> = BTreeMap::new();
	/// What each user can afford to hold in total.
	pub static Funds: u128 = 1_000_000;
	/// Orders opened.
	pub static Opened: Vec<OrderTerms<u64, u128, u64>> = Vec::new();
	/// Participants set up by benchmarks: `(account, provider?)`.
	pub static Approved: Vec<(u64, bool)> = Vec::new();
	/// The target block time in milliseconds; 0 leaves the worker's full search no time.
	pub static BlockTime: u64 = 6_000;
}

fn set_up(who: &u64) -> Option<bool> {
	Approved::get().into_iter().find(|(a, _)| a == who).map(|(_, provider)| provider)
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<u64> for TestRegistry {
	fn approve(who: &u64, provider: bool) {
		Approved::mutate(|approved| {
			approved.retain(|(a, _)| a != who);
			approved.push((*who, provider));
		});
		Funds::set(u128::MAX / 4);
	}
}

/// Open requests one user may hold in the tests.
pub const MAX_REQUESTS_PER_USER: u32 = 5;

/// Providers from 10 up, users below; user 9 in region 2, everyone else in region 1.
pub struct TestRegistry;
impl ParticipantRegistry<u64> for TestRegistry {
	fn approved_provider(who: &u64) -> Option<RegionId> {
		if let Some(provider) = set_up(who) {
			return provider.then_some(1);
		}
		(*who >= 10 && *who < 90 && !Suspended::get().contains(who)).then_some(1)
	}
	fn approved_user(who: &u64) -> Option<RegionId> {
		if let Some(provider) = set_up(who) {
			return (!provider).then_some(1);
		}
		(*who < 10 && !Suspended::get().contains(who)).then_some(if *who == 9 { 2 } else { 1 })
	}
	fn meter_key(_who: &u64) -> Option<MeterKey> {
		None
	}
}

/// Reputation from [`Reputations`], one by default.
pub struct TestReputation;
impl ReputationProvider<u64> for TestReputation {
	fn comprehensive_reputation(provider: &u64) -> FixedU128 {
		Reputations::get().get(provider).copied().unwrap_or(FixedU128::from_u32(1))
	}
}

/// Escrow and orders in memory: escrow per user in [`Held`], orders in [`Opened`]; the cost
/// of `energy` Wh at `price` per kWh is `energy * price / 1000`.
pub struct TestMarket;
impl Escrow<u64, u128> for TestMarket {
	fn hold(who: &u64, amount: u128) -> DispatchResult {
		let held = Held::get().get(who).copied().unwrap_or(0);
		if held + amount > Funds::get() {
			return Err(DispatchError::Other("insufficient funds"));
		}
		Held::mutate(|h| *h.entry(*who).or_default() += amount);
		Ok(())
	}
	fn release(who: &u64, amount: u128) -> DispatchResult {
		Held::mutate(|h| {
			let held = h.entry(*who).or_default();
			*held = held.checked_sub(amount).ok_or(DispatchError::Other("not held"))?;
			Ok(())
		})
	}
	fn uncommitted(who: &u64) -> u128 {
		Held::get().get(who).copied().unwrap_or(0)
	}
}
impl OrderBook<u64, u128, u64> for TestMarket {
	fn cost(energy: Energy, price: Price) -> Option<u128> {
		Some(u128::from(energy).checked_mul(price)? / 1_000)
	}
	fn open_order(terms: OrderTerms<u64, u128, u64>) -> Result<OrderId, DispatchError> {
		if TestRegistry::approved_user(&terms.user).is_none()
			|| TestRegistry::approved_provider(&terms.provider).is_none()
		{
			return Err(DispatchError::Other("not approved"));
		}
		let cost = Self::cost(terms.agreed, terms.price).unwrap();
		Self::release(&terms.user, cost)?;
		Opened::mutate(|o| o.push(terms));
		Ok(Opened::get().len() as OrderId - 1)
	}
}

impl pallet_matching::Config for Test {
	type Registry = TestRegistry;
	type Reputation = TestReputation;
	type Escrow = TestMarket;
	type Orders = TestMarket;
	type Ledger = ();
	type GridCompanyOrigin = EnsureSignedBy<GridCompany, u64>;
	type PeriodLength = ConstU64<{ LENGTH as u64 }>;
	type SolutionBlocks = ConstU64<{ WINDOW as u64 }>;
	type DeliveryBlocks = ConstU64<5>;
	type MaxPrice = ConstU128<MAX_PRICE>;
	type MaxRequestEnergy = ConstU64<1_000_000>;
	type DefaultGridFee = ConstU128<10>;
	type ZetaUnit = ConstU128<1_000>;
	type MaxOffers = ConstU32<4>;
	type MaxRequests = ConstU32<8>;
	type MaxRequestsPerUser = ConstU32<MAX_REQUESTS_PER_USER>;
	type MaxFeeEntries = ConstU32<2>;
	type SolverMaxNodes = ConstU64<100_000>;
	type TargetBlockTime = BlockTime;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestRegistry;
}

/// Runs the hooks of each block up to and including `n`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Matching::on_initialize(next);
	}
}

/// Externalities at block 1 (period 0, open), checking the invariants after the test.
pub fn new_test_ext() -> TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Reputations::set(BTreeMap::new());
		Suspended::set(Vec::new());
		Held::set(BTreeMap::new());
		Funds::set(1_000_000);
		Opened::set(Vec::new());
		Approved::set(Vec::new());
	});
	TestExternalities(ext)
}

/// Externalities that run [`crate::Pallet::do_try_state`] after every test.
pub struct TestExternalities(pub sp_io::TestExternalities);

impl TestExternalities {
	/// Runs `test`, then checks the invariants.
	pub fn execute_with<R>(mut self, test: impl FnOnce() -> R) -> R {
		self.0.execute_with(|| {
			let result = test();
			Matching::do_try_state().expect("invariants hold after the test");
			result
		})
	}
}

/// Plain externalities, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	new_test_ext().0
}
