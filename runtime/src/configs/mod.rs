//! The configuration of each pallet of the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		tokens::imbalance::ResolveTo, ConstU128, ConstU32, ConstU64, ConstU8, EitherOfDiverse,
		VariantCountOf,
	},
	weights::{
		constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
	PalletId,
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use gridshard_primitives::difficulty::{ADJUSTMENT, TARGET_BLOCK_TIME_MS, WINDOW_LENGTH};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_core::U256;
use sp_runtime::{
	traits::{AccountIdConversion, One},
	Perbill,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Balance, Balances, Block, BlockNumber, Difficulty, Hash, Matching, Nonce,
	PalletInfo, PeriodRecords, Registration, Reputation, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, Settlement, ShardProxy,
	System, Timestamp, BLOCK_REWARD, EXISTENTIAL_DEPOSIT, GRID, HOURS, PERIOD_BLOCKS,
	REGISTRATION_DEPOSIT, SOLUTION_BLOCKS, VERSION,
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
	pub const MinDifficulty: U256 = ADJUSTMENT.min_difficulty;
	/// The hardest puzzle: 2^128 hashes per block, beyond any hashrate.
	pub const MaxDifficulty: U256 = ADJUSTMENT.max_difficulty;
}

/// The adjustment's parameters are `gridshard_primitives::difficulty`'s, which the coordinator's
/// light client applies to every region's headers.
impl pallet_difficulty::Config for Runtime {
	type TargetBlockTime = ConstU64<{ ADJUSTMENT.target_block_time }>;
	/// Thirty blocks: three minutes at target.
	type WindowLength = ConstU32<WINDOW_LENGTH>;
	type DampFactor = ConstU32<{ ADJUSTMENT.damp_factor }>;
	type ClampFactor = ConstU32<{ ADJUSTMENT.clamp_factor }>;
	/// One block counts at most six target times (36 s).
	type MaxSolveFactor = ConstU32<{ ADJUSTMENT.max_solve_factor }>;
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
	/// A reaped account's dust (less than the existential deposit) goes to the market's reward
	/// pot rather than out of issuance: no funds leave the chain but through fees.
	type DustRemoval = ResolveTo<RewardPot, Balances>;
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

/// The qualification council's instance of `pallet-collective`.
pub type QualificationCollective = pallet_collective::Instance1;

parameter_types! {
	/// A council motion may use at most half a block.
	pub MaxCouncilProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// The four main service nodes (energy bureau, grid company, notary, trading centre) vote on
/// reviews in a collective: any member proposes a call such as `Registration::approve`, the
/// others vote, and the call runs with the collective's origin once enough ayes are in. A
/// collective rather than counting approvals inside the registry: proposals, votes, prime
/// member, expiry and membership changes are FRAME's audited code, and any future council
/// decision (fee tables, dispute rulings) reuses it.
impl pallet_collective::Config<QualificationCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	/// Any call; only the calls whose origin accepts the council's do anything.
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	/// A motion lapses after six hours without enough votes.
	type MotionDuration = ConstU32<{ 6 * HOURS }>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<16>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

/// M-of-N: three of the four main service nodes. Root (the development chain's sudo key, or the
/// council at unanimity through [`RootOrigin`]) may act too.
pub type QualificationOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, QualificationCollective, 3, 4>,
>;

/// Who acts as Root on a network without a sudo key: all four main service nodes. Root may
/// replace the runtime, the council's members and any balance, so no three of them may act as
/// Root alone (three of four already approve and suspend participants and register regions). A
/// member that is absent does not stall it for ever: the others may close the motion after its
/// six hours, when the prime member's vote, if the council has named one, stands for the absent.
pub type RootOrigin =
	pallet_collective::EnsureProportionAtLeast<AccountId, QualificationCollective, 1, 1>;

impl pallet_council_root::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RootOrigin = RootOrigin;
	type WeightInfo = pallet_council_root::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The market's reward pot: forfeited registration deposits go here, and settlement pays
	/// delivery rewards out of it.
	pub RewardPot: AccountId = PalletId(*b"gs/rwpot").into_account_truncating();
}

impl pallet_registration::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type QualificationOrigin = QualificationOrigin;
	/// Open orders, uncommitted escrow, offers and requests keep a participant from leaving.
	type Obligations = (Settlement, Matching);
	/// A region's chain admits its own region's participants only.
	type ChainRole = ShardProxy;
	type Forfeit = ResolveTo<RewardPot, Balances>;
	type Deposit = ConstU128<REGISTRATION_DEPOSIT>;
	type MisconductForfeit = MisconductForfeit;
	type MaxFieldLength = ConstU32<64>;
	type MaxPageSize = ConstU32<100>;
	/// A day: longer than a council motion's six hours.
	type UnbondingPeriod = ConstU32<{ 24 * HOURS }>;
	type WeightInfo = pallet_registration::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A suspension for misconduct forfeits a fifth of the deposit.
	pub const MisconductForfeit: Perbill = Perbill::from_percent(20);
}

/// Moves reputation's clock (matching's periods, which follow the block number) in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct ReputationBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_reputation::BenchmarkHelper for ReputationBenchmarks {
	fn set_period(period: gridshard_primitives::PeriodIndex) {
		System::set_block_number(period.saturating_mul(PERIOD_BLOCKS));
	}
}

parameter_types! {
	/// `alpha` of eq. 2, the paper's 0.4.
	pub const ReputationAlpha: Perbill = Perbill::from_percent(40);
	/// Delivery ratios count up to 1.5.
	pub MaxDeliveryRatio: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_rational(3, 2);
}

impl pallet_reputation::Config for Runtime {
	/// Matching's trading periods.
	type Clock = Matching;
	type Alpha = ReputationAlpha;
	type MaxDeliveryRatio = MaxDeliveryRatio;
	/// Each order a provider settles in a period, up to 16, is kept in its record.
	type MaxRatiosPerPeriod = ConstU32<16>;
	/// Twelve closed periods of history per provider.
	type HistoryDepth = ConstU32<12>;
	type MaxSweepPerBlock = ConstU32<32>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_reputation::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ReputationBenchmarks;
}

parameter_types! {
	/// `Token` of eq. 6: one GRID for a full delivery of at least `RewardEnergy`.
	pub const RewardToken: Balance = GRID;
	/// 200 kWh earn the whole `Token`, smaller orders pro rata: 5 milli-GRID per kWh, half the
	/// default grid fee, so a trade with oneself pays the grid twice what it draws from the pot.
	pub const RewardEnergy: gridshard_primitives::Energy = 200_000;
	/// `tau` of eq. 6: 5 % of the agreed energy lost on the line still earns half the reward.
	pub Tolerance: sp_runtime::Permill = sp_runtime::Permill::from_percent(5);
	/// Prices are quoted in GRID: `t = 1`.
	pub TokenPrice: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_u32(1);
}

impl pallet_settlement::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registration;
	type Reputation = Reputation;
	type Ledger = PeriodRecords;
	type DisputeOrigin =
		EitherOfDiverse<EnsureRoot<AccountId>, pallet_settlement::EnsureTradingCentre<Runtime>>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type RewardPot = RewardPot;
	type RewardToken = RewardToken;
	type RewardEnergy = RewardEnergy;
	type Tolerance = Tolerance;
	type TokenPrice = TokenPrice;
	type MaxInterimReadings = ConstU32<8>;
	/// Two periods after the delivery window, a silent provider is settled automatically.
	type SettlementDeadline = ConstU32<{ 2 * PERIOD_BLOCKS }>;
	/// Two minutes to dispute.
	type DisputeWindow = ConstU32<20>;
	/// Ten blocks deep before money moves (proof of work has no finality).
	type ConfirmationDepth = ConstU32<10>;
	type MaxAutoSettlePerBlock = ConstU32<50>;
	type MaxPayoutsPerBlock = ConstU32<50>;
	/// One GRID, the reward of a full delivery: disputing every order costs a user more than
	/// the rewards it could deny its providers, while an honest dispute gets it back.
	type DisputeBond = RewardToken;
	/// 100 blocks, about ten minutes at target: the trading centre's time to examine the meters.
	type DisputeDeadline = ConstU32<100>;
	type MaxPageSize = ConstU32<100>;
	type MaxDisputeExpiriesPerBlock = ConstU32<50>;
	type WeightInfo = pallet_settlement::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MarketBenchmarks;
}

/// Approved participants for settlement's benchmarks, registered through the registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct MarketBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_settlement::BenchmarkHelper<AccountId> for MarketBenchmarks {
	fn approve(who: &AccountId, provider: bool, meter_key: gridshard_primitives::MeterKey) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::set_balance(who, 1_000_000_000 * GRID);
		Registration::approve_for_benchmarks(who, provider, meter_key);
	}
}

/// Matching's participants are settlement's, with a meter key derived from the account.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_matching::BenchmarkHelper<AccountId> for MarketBenchmarks {
	fn approve(who: &AccountId, provider: bool) {
		let key = sp_core::sr25519::Public::from_raw(frame_support::Hashable::blake2_256(who));
		<Self as pallet_settlement::BenchmarkHelper<AccountId>>::approve(who, provider, key);
	}
}

parameter_types! {
	/// Offers may ask up to 10 GRID per kWh; requests without a limit escrow at that price.
	pub const MaxPrice: Balance = 10 * GRID;
	/// Ten milli-GRID per kWh between regions the grid company has not priced.
	pub const DefaultGridFee: Balance = 10 * crate::MILLI_GRID;
	/// `zeta` in eq. 4 is counted in whole GRID.
	pub const ZetaUnit: Balance = GRID;
}

impl pallet_matching::Config for Runtime {
	type Registry = Registration;
	type Reputation = Reputation;
	type Escrow = Settlement;
	type Orders = Settlement;
	type Ledger = PeriodRecords;
	/// The grid operator settlement names (the grid company), or Root.
	type GridCompanyOrigin =
		EitherOfDiverse<EnsureRoot<AccountId>, pallet_settlement::EnsureGridOperator<Runtime>>;
	type PeriodLength = ConstU32<PERIOD_BLOCKS>;
	type SolutionBlocks = ConstU32<SOLUTION_BLOCKS>;
	/// Orders deliver over the ten blocks after adoption.
	type DeliveryBlocks = ConstU32<10>;
	type MaxPrice = MaxPrice;
	/// One MWh per request.
	type MaxRequestEnergy = ConstU64<1_000_000>;
	type DefaultGridFee = DefaultGridFee;
	type ZetaUnit = ZetaUnit;
	type MaxOffers = ConstU32<50>;
	type MaxRequests = ConstU32<1_000>;
	/// Twenty open requests per user: a household's loads for a period. Filling the book takes
	/// fifty approved users, each reviewed by the council and holding the registration deposit.
	type MaxRequestsPerUser = ConstU32<20>;
	type MaxFeeEntries = ConstU32<64>;
	/// Branch-and-bound nodes per solve: the same answer on every node.
	type SolverMaxNodes = ConstU64<20_000>;
	type TargetBlockTime = ConstU64<TARGET_BLOCK_TIME_MS>;
	type WeightInfo = pallet_matching::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MarketBenchmarks;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = crate::UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = crate::TxExtension;

	fn create_transaction(
		call: RuntimeCall,
		extension: crate::TxExtension,
	) -> crate::UncheckedExtrinsic {
		crate::UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// Off-chain workers submit authorised calls (matching's solutions) as general transactions
/// with the runtime's extensions: no signer, so no nonce and no fee.
impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> crate::TxExtension {
		(
			frame_system::AuthorizeCall::new(),
			frame_system::CheckNonZeroSender::new(),
			frame_system::CheckSpecVersion::new(),
			frame_system::CheckTxVersion::new(),
			frame_system::CheckGenesis::new(),
			frame_system::CheckEra::from(sp_runtime::generic::Era::Immortal),
			frame_system::CheckNonce::from(0),
			frame_system::CheckWeight::new(),
			pallet_transaction_payment::ChargeTransactionPayment::from(0),
			frame_system::WeightReclaim::new(),
		)
	}
}

impl pallet_shard_proxy::Config for Runtime {
	/// Regions are added and removed by the qualification council, or Root.
	type RegionOrigin = QualificationOrigin;
	type Clock = Timestamp;
	/// Twelve blocks, about 72 s at target (the pallet's documentation argues the choice).
	type Confirmations = ConstU32<12>;
	/// 128 blocks, about 13 minutes at target, under the confirmed header.
	type HeadersToKeep = ConstU32<128>;
	type MaxHeadersPerBatch = ConstU32<32>;
	type MaxForksPerHeight = ConstU32<4>;
	/// A GridShard header is about 250 bytes (three digest items).
	type MaxHeaderSize = ConstU32<1_024>;
	/// The region's nodes accept timestamps 60 s ahead of their clocks; this chain's clock, its
	/// latest block's timestamp, may itself be half a minute old when a header arrives.
	type MaxFutureDrift = ConstU64<90_000>;
	type MaxRegions = ConstU32<16>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegionalKeys = RegionalKeys;
	/// Ten times a participant's registration deposit: worth more than what a false record
	/// could win before a proof corrects it (about two minutes of one region's rewards).
	type ProxyBond = ConstU128<{ 10 * crate::REGISTRATION_DEPOSIT }>;
	/// A fifth to whoever proves a record false: enough to pay many proofs' fees.
	type ProverShare = ProverShare;
	/// A tenth of the bond per record left unproven: a silent proxy is replaced long before
	/// its bond is gone.
	type LivenessSlash = LivenessSlash;
	type SlashBeneficiary = RewardPot;
	/// 100 blocks, about ten minutes at target: a record's block is confirmed `k` = 12 regional
	/// blocks later, and the relay proves it within a few blocks more.
	type VerificationDeadline = ConstU32<100>;
	/// 64 periods, about two hours at target.
	type RecordsToKeep = ConstU32<64>;
	type MaxPageSize = ConstU32<64>;
	/// A state proof of one key is a few nodes of at most 532 bytes each.
	type MaxProofNodes = ConstU32<32>;
	type MaxProofSize = ConstU32<16_384>;
	type MaxExpiriesPerBlock = ConstU32<16>;
	type WeightInfo = pallet_shard_proxy::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SetTimestamp;
}

parameter_types! {
	/// The prover's share of a slashed bond.
	pub const ProverShare: Perbill = Perbill::from_percent(20);
	/// A proxy's loss per unproven record, of the bond.
	pub const LivenessSlash: Perbill = Perbill::from_percent(10);
}

/// Where the records and the proxy nomination lie in a region's state: this runtime's own
/// `pallet-period-records` storage, since every GridShard chain runs this runtime.
pub struct RegionalKeys;

impl gridshard_primitives::record::RegionalStorageKeys for RegionalKeys {
	fn record_key(period: gridshard_primitives::PeriodIndex) -> alloc::vec::Vec<u8> {
		pallet_period_records::Records::<Runtime>::hashed_key_for(period)
	}

	fn proxy_key() -> alloc::vec::Vec<u8> {
		pallet_period_records::Proxy::<Runtime>::hashed_key().to_vec()
	}
}

impl pallet_period_records::Config for Runtime {
	/// The region's council of main service nodes names its proxy, or Root.
	type ProxyOrigin = QualificationOrigin;
	type ChainRole = ShardProxy;
	type Reputation = Reputation;
	/// 64 periods, about two hours at target: the coordinator proves far sooner.
	type RecordsToKeep = ConstU32<64>;
	/// Matching's bound on offers.
	type MaxProviders = ConstU32<50>;
	type MaxWritesPerBlock = ConstU32<2>;
	type WeightInfo = pallet_period_records::weights::SubstrateWeight<Runtime>;
}

/// Sets the timestamp pallet's clock, for the light client's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct SetTimestamp;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_shard_proxy::BenchmarkHelper for SetTimestamp {
	fn set_clock(now: u64) {
		pallet_timestamp::Now::<Runtime>::put(now);
	}
}
