//! # GridShard primitives
//!
//! `no_std` types and consensus rules shared by GridShard's pallets, its runtime, its node and
//! its tools:
//!
//! - the chain's basic types ([`AccountId`], [`Balance`], [`BlockNumber`], ...);
//! - the market's units ([`Energy`] in watt-hours, [`Price`] in token units per kWh, ...);
//! - the proof-of-work puzzle ([`pow`]): the seal format, the hash, the difficulty test;
//! - the difficulty adjustment and the difficulty digest every block carries ([`difficulty`]);
//! - the role of a chain among the regions and their coordinator ([`region`]);
//! - a region's record of a period and its proxy ([`record`]), and the storage proofs that carry
//!   them to the coordinator ([`proof`]);
//! - the glue traits through which the pallets ask each other ([`traits`]).

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod difficulty;
pub mod pow;
pub mod proof;
pub mod record;
pub mod region;
pub mod traits;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature,
};

/// Balance of an account, in the smallest token unit (`10^-12` GRID).
pub type Balance = u128;

/// Block number.
pub type BlockNumber = u32;

/// Signature type of extrinsics.
pub type Signature = MultiSignature;

/// An account on chain: the 32-byte public key behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Transaction index of an account.
pub type Nonce = u32;

/// Block and state hashes.
pub type Hash = sp_core::H256;

/// The header of every GridShard chain: what the coordinating chain's light client of a region
/// receives.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Milliseconds since the Unix epoch, as the timestamp pallet keeps them.
pub type Moment = u64;

/// The chain's proof-of-work difficulty: the expected number of hashes per block.
pub type Difficulty = sp_core::U256;

/// An amount of electric energy in watt-hours (Wh).
pub type Energy = u64;

/// A price in token units per kilowatt-hour (kWh).
pub type Price = Balance;

/// Identifier of a grid region; each region runs its own shard chain.
pub type RegionId = u16;

/// Index of a trading period.
pub type PeriodIndex = u32;

/// The public key of a meter: its readings are signed with the matching sr25519 secret key.
pub type MeterKey = sp_core::sr25519::Public;

/// A signature of a meter.
pub type MeterSignature = sp_core::sr25519::Signature;

/// One GRID, the native token: `10^12` of the smallest unit.
pub const GRID: Balance = 1_000_000_000_000;

/// One thousandth of a GRID.
pub const MILLI_GRID: Balance = GRID / 1_000;
