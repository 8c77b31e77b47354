//! # GridShard runtime
//!
//! One runtime for the coordinating chain and every regional shard; the genesis preset decides
//! the role. The modules follow the polkadot-sdk template split:
//!
//! - this file: the types, the version and the pallets of the runtime;
//! - [`configs`]: each pallet's configuration;
//! - `apis`: the runtime APIs the node and users call;
//! - [`genesis_config_presets`]: the named networks' genesis (`dev`, `local`).
//!
//! Consensus is proof of work: [`pallet_difficulty`] answers `DifficultyApi` and
//! [`pallet_block_reward`] pays the miner named in each block's pre-runtime digest.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` generates large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

mod apis;
pub use apis::RuntimeApi;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(test)]
mod market_tests;
#[cfg(test)]
mod record_tests;
#[cfg(test)]
mod region_tests;
#[cfg(feature = "std")]
pub mod testing;
#[cfg(test)]
mod tests;

pub use gridshard_primitives::{
	AccountId, Balance, BlockNumber, Hash, Moment, Nonce, Signature, GRID, MILLI_GRID,
};
use sp_runtime::{generic, traits::BlakeTwo256};
pub use sp_runtime::{MultiAddress, Perbill, Permill};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_collective::Call as QualificationCouncilCall;
pub use pallet_council_root::Call as CouncilRootCall;
pub use pallet_matching::Call as MatchingCall;
pub use pallet_period_records::Call as PeriodRecordsCall;
pub use pallet_registration::Call as RegistrationCall;
pub use pallet_settlement::Call as SettlementCall;
pub use pallet_shard_proxy::Call as ShardProxyCall;
pub use pallet_sudo::Call as SudoCall;
pub use pallet_timestamp::Call as TimestampCall;

/// Types the node uses without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Block id.
	pub type BlockId = generic::BlockId<Block>;
}

/// The runtime's version. Bump `spec_version` with every change of behaviour, and
/// `transaction_version` with every change of a call's index or arguments.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("gridshard"),
	impl_name: alloc::borrow::Cow::Borrowed("gridshard"),
	authoring_version: 1,
	spec_version: 112,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target time between blocks, in milliseconds; the difficulty adjustment aims at it.
pub const TARGET_BLOCK_TIME_MS: u64 = gridshard_primitives::difficulty::TARGET_BLOCK_TIME_MS;

/// Blocks per minute at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (TARGET_BLOCK_TIME_MS as BlockNumber);
/// Blocks per hour at the target block time.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day at the target block time.
pub const DAYS: BlockNumber = HOURS * 24;

/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_GRID;

/// The reward of one mined block.
pub const BLOCK_REWARD: Balance = 10 * GRID;

/// Blocks per trading period: two minutes at the target block time. The last
/// [`SOLUTION_BLOCKS`] of each period are its solution window.
pub const PERIOD_BLOCKS: BlockNumber = 20;

/// Blocks of each period's solution window.
pub const SOLUTION_BLOCKS: BlockNumber = 6;

/// The deposit a provider or user pays into hold while registered: ten block rewards.
pub const REGISTRATION_DEPOSIT: Balance = 100 * GRID;

/// The address format of extrinsics.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions: checks every transaction passes before dispatch. `AuthorizeCall`
/// comes first: it lets a general transaction without signer through when its call authorises
/// it (`#[pallet::authorize]`, for example a meter reading signed by the meter's key); the
/// others skip what does not apply to such a transaction (nonce, fee).
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic as this runtime expects it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade, besides the pallets' own.
#[allow(unused_parens)]
type Migrations = (
	pallet_reputation::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_settlement::migrations::v2::MigrateV1ToV2<Runtime>,
);

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	/// The GridShard runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	/// Accounts, blocks and events.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	/// The block's timestamp; drives the difficulty adjustment.
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Proof-of-work difficulty.
	#[runtime::pallet_index(2)]
	pub type Difficulty = pallet_difficulty;

	/// The miner's reward.
	#[runtime::pallet_index(3)]
	pub type BlockReward = pallet_block_reward;

	/// The native token.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	/// Transaction fees.
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// The development chain's superuser; the other networks' genesis names no key.
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	/// The qualification council: the four main service nodes, voting on reviews.
	#[runtime::pallet_index(7)]
	pub type QualificationCouncil = pallet_collective<Instance1>;

	/// Providers and users, and their review.
	#[runtime::pallet_index(8)]
	pub type Registration = pallet_registration;

	/// Providers' reputation from their delivery ratios.
	#[runtime::pallet_index(9)]
	pub type Reputation = pallet_reputation;

	/// Escrow, meter readings and the settlement of orders.
	#[runtime::pallet_index(10)]
	pub type Settlement = pallet_settlement;

	/// Trading periods, the order book and the off-chain matching.
	#[runtime::pallet_index(11)]
	pub type Matching = pallet_matching;

	/// The chain's role among the regions, and the coordinator's light clients of the regions.
	#[runtime::pallet_index(12)]
	pub type ShardProxy = pallet_shard_proxy;

	/// The region's record of each trading period, and the proxy its governance names.
	#[runtime::pallet_index(13)]
	pub type PeriodRecords = pallet_period_records;

	/// The qualification council's unanimous motions act as Root: no network needs a sudo key.
	#[runtime::pallet_index(14)]
	pub type CouncilRoot = pallet_council_root;
}
