//! The configuration of each pallet of the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_core::U256;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Balance, Balances, Block, BlockNumber, Difficulty, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, BLOCK_REWARD, EXISTENTIAL_DEPOSIT, TARGET_BLOCK_TIME_MS, VERSION,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	/// Block hashes kept for mortal transactions.
	pub const BlockHashCount: BlockNumber = 2400;
	/// The runtime version, for `frame_system`.
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per block: a third of the target block time, leaving the rest for
	/// propagation and import on slow nodes.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// At most 5 MiB per block, three quarters of it for normal transactions.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	/// The generic Substrate address prefix.
	pub const SS58Prefix: u16 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	/// Each block's timestamp feeds the difficulty adjustment.
	type OnTimestampSet = Difficulty;
	/// Proof of work has no slots: consecutive blocks need only increasing timestamps.
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

parameter_types! {
	/// The easiest puzzle: about a thousand hashes per block.
	pub const MinDifficulty: U256 = U256([1_000, 0, 0, 0]);
	/// The hardest puzzle: 2^128 hashes per block, beyond any hashrate.
	pub const MaxDifficulty: U256 = U256([0, 0, 1, 0]);
}

impl pallet_difficulty::Config for Runtime {
	type TargetBlockTime = ConstU64<TARGET_BLOCK_TIME_MS>;
	/// Thirty blocks: three minutes at target.
	type WindowLength = ConstU32<30>;
	type DampFactor = ConstU32<3>;
	type ClampFactor = ConstU32<2>;
	/// One block counts at most six target times (36 s), more than the node's 30 s drift limit
	/// on future timestamps.
	type MaxSolveFactor = ConstU32<6>;
	type MinDifficulty = MinDifficulty;
	type MaxDifficulty = MaxDifficulty;
	type WeightInfo = pallet_difficulty::weights::SubstrateWeight<Runtime>;
}

impl pallet_block_reward::Config for Runtime {
	type Currency = Balances;
	type FindAuthor = pallet_block_reward::PowAuthor<AccountId>;
	type Reward = ConstU128<BLOCK_REWARD>;
	type WeightInfo = pallet_block_reward::weights::SubstrateWeight<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fees do not follow congestion (yet): the multiplier stays one.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
