//! A test runtime with balances and the registry; account 100 is the qualification council.

use crate::{self as pallet_registration, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU128, ConstU32, ConstU64},
};
use frame_system::EnsureSignedBy;
use gridshard_primitives::MeterSignature;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registration: pallet_registration,
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
	type ExistentialDeposit = ConstU128<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// The account whose signed origin is the qualification council in the tests.
pub const COUNCIL: u64 = 100;
/// The account forfeited deposits go to.
pub const POT: u64 = 99;
/// The deposit of the tests.
pub const DEPOSIT: u128 = 100;
/// Blocks between deregistration and the deposit's return.
pub const UNBONDING: u64 = 10;
/// The longest text field of the tests.
pub const MAX_FIELD: u32 = 16;

frame_support::ord_parameter_types! {
	pub const Council: u64 = COUNCIL;
}

parameter_types! {
	pub const Pot: u64 = POT;
	pub const MisconductForfeit: Perbill = Perbill::from_percent(50);
	/// Accounts that the other pallets report as having open obligations.
	pub static Busy: Vec<u64> = Vec::new();
}

/// Obligations as [`Busy`] lists them.
pub struct BusyAccounts;
impl OpenObligations<u64> for BusyAccounts {
	fn has_open_obligations(who: &u64) -> bool {
		Busy::get().contains(who)
	}
}

impl pallet_registration::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type QualificationOrigin = EnsureSignedBy<Council, u64>;
	type Obligations = BusyAccounts;
	type ChainRole = TestChainRole;
	type Forfeit = ResolveTo<Pot, Balances>;
	type Deposit = ConstU128<DEPOSIT>;
	type MisconductForfeit = MisconductForfeit;
	type MaxFieldLength = ConstU32<MAX_FIELD>;
	type MaxPageSize = ConstU32<3>;
	type UnbondingPeriod = ConstU64<UNBONDING>;
	type WeightInfo = ();
}

frame_support::parameter_types! {
	/// The chain's role in a test (standalone unless the test sets it).
	pub storage TestRole: gridshard_primitives::region::ChainRole =
		gridshard_primitives::region::ChainRole::Standalone;
}

/// The chain's role as the test set it.
pub struct TestChainRole;

impl gridshard_primitives::region::ChainRoleProvider for TestChainRole {
	fn chain_role() -> gridshard_primitives::region::ChainRole {
		TestRole::get()
	}
}

/// The meter key pair of test meter `n`.
pub fn meter_pair(n: u8) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[n; 32])
}

/// A valid provider application by `who` for meter `n` (meter ID `M-<n>`).
pub fn provider_application(who: u64, n: u8) -> Application {
	signed_application(
		who,
		n,
		Role::Provider {
			kind: GenerationKind::Photovoltaic,
			rated_power_w: 5_000,
			connection: GridConnection { point: b"feeder-7".to_vec(), voltage: VoltageLevel::Low },
		},
	)
}

/// A valid user application by `who` for meter `n`.
pub fn user_application(who: u64, n: u8) -> Application {
	signed_application(
		who,
		n,
		Role::User {
			connection: GridConnection { point: b"feeder-9".to_vec(), voltage: VoltageLevel::Low },
		},
	)
}

/// An application with `role`, meter `n`, and a proof signed by meter `n`'s key.
pub fn signed_application(who: u64, n: u8, role: Role<Vec<u8>>) -> Application {
	let meter_id = alloc::format!("M-{n}").into_bytes();
	let pair = meter_pair(n);
	Application {
		role,
		region: 1,
		name: b"Sunny Farm".to_vec(),
		meter_key_proof: sign_proof(&pair, who, &meter_id),
		meter_id,
		meter_key: pair.public(),
		settlement_commitment: H256::repeat_byte(7),
	}
}

/// `pair`'s proof of possession for `who` and `meter_id`.
pub fn sign_proof(pair: &sr25519::Pair, who: u64, meter_id: &[u8]) -> MeterSignature {
	pair.sign(&Registration::meter_key_proof_payload(&Registration::genesis_hash(), &who, meter_id))
}

/// The balances of the tests: accounts 1 to 5 hold 1000, account 6 holds 50 (less than the
/// deposit), the pot holds 1.
pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(u64, u128)> = (1..=5).map(|who| (who, 1_000)).collect();
	balances.extend([(6, 50), (POT, 1)]);
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	TestExternalities(ext)
}

/// The total balance held under the pallet's reason from every account.
pub fn total_held() -> u128 {
	frame_system::Account::<Test>::iter_keys()
		.map(|who| Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &who))
		.sum()
}

/// Externalities that check the pallet's invariants after every test, and that the balance held
/// from all accounts equals the deposits on record.
pub struct TestExternalities(sp_io::TestExternalities);

impl TestExternalities {
	/// Runs `test`, then checks the invariants.
	pub fn execute_with<R>(mut self, test: impl FnOnce() -> R) -> R {
		self.0.execute_with(|| {
			let result = test();
			Registration::do_try_state().expect("invariants hold after the test");
			let on_record: u128 = Participants::<Test>::iter_values().map(|p| p.deposit).sum();
			assert_eq!(total_held(), on_record, "held deposits differ from the records");
			result
		})
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
