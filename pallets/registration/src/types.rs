//! The records of the registry: who a participant is, how it is connected to the grid, and
//! where its review stands.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use gridshard_primitives::{MeterKey, MeterSignature, RegionId};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// How a provider generates (or stores) the energy it sells.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum GenerationKind {
	/// Solar panels.
	Photovoltaic,
	/// Wind turbines.
	Wind,
	/// Run-of-river or reservoir hydro.
	Hydro,
	/// A battery or other store that sells what it charged.
	Storage,
	/// Anything else (biomass, a diesel generator, ...).
	Other,
}

/// The voltage level at which a participant is connected; the grid company's fee table may
/// depend on it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum VoltageLevel {
	/// Low voltage (households, up to 1 kV).
	Low,
	/// Medium voltage (1 kV to 35 kV).
	Medium,
	/// High voltage (35 kV to 220 kV).
	High,
	/// Extra-high voltage (above 220 kV).
	ExtraHigh,
}

/// Where a participant is connected to the grid. `Point` is the connection point's identifier
/// as the grid company writes it: raw bytes in a call, a bounded vector in storage, a string
/// in a genesis config.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct GridConnection<Point> {
	/// The connection point's identifier.
	pub point: Point,
	/// The voltage level there.
	pub voltage: VoltageLevel,
}

/// What a participant does in the market, and what the review checks about it.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Role<Point> {
	/// Sells energy: posts a price and a capacity each period.
	Provider {
		/// How it generates.
		kind: GenerationKind,
		/// Its rated (nameplate) power, in watts; never zero.
		rated_power_w: u64,
		/// Where it feeds in.
		connection: GridConnection<Point>,
	},
	/// Buys energy: posts requests each period.
	User {
		/// Where it draws.
		connection: GridConnection<Point>,
	},
}

impl<Point> Role<Point> {
	/// The role without its details.
	pub fn kind(&self) -> RoleKind {
		match self {
			Role::Provider { .. } => RoleKind::Provider,
			Role::User { .. } => RoleKind::User,
		}
	}

	/// The grid connection, whatever the role.
	pub fn connection(&self) -> &GridConnection<Point> {
		match self {
			Role::Provider { connection, .. } | Role::User { connection } => connection,
		}
	}

	/// The same role with its connection point converted by `f`, or `f`'s error.
	pub fn try_map_point<Q, E>(self, f: impl FnOnce(Point) -> Result<Q, E>) -> Result<Role<Q>, E> {
		Ok(match self {
			Role::Provider { kind, rated_power_w, connection } => Role::Provider {
				kind,
				rated_power_w,
				connection: GridConnection {
					point: f(connection.point)?,
					voltage: connection.voltage,
				},
			},
			Role::User { connection } => Role::User {
				connection: GridConnection {
					point: f(connection.point)?,
					voltage: connection.voltage,
				},
			},
		})
	}
}

/// A role without its details, for events.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum RoleKind {
	/// A provider.
	Provider,
	/// A user.
	User,
}

/// Why the qualification council turned an application down.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum RejectionReason {
	/// The applicant's identity could not be verified (the notary's check).
	IdentityNotVerified,
	/// The meter is not certified, or its ID or key does not match the installed device.
	MeterNotCertified,
	/// The grid company does not know the connection point or voltage level.
	ConnectionNotVerified,
	/// The declared generation kind or rated power does not match the installation.
	CapacityNotVerified,
	/// The settlement commitment does not open to valid account details.
	SettlementDetailsInvalid,
	/// Another reason, recorded off chain.
	Other,
}

/// Why an approved participant was suspended. Only misconduct forfeits part of the deposit.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum SuspensionReason {
	/// Misconduct (tampering, repeated non-delivery): forfeits the configured share of the
	/// deposit.
	Misconduct,
	/// An inspection or maintenance of the installation or meter: forfeits nothing.
	Inspection,
}

/// Where a participant's review stands.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Status {
	/// Applied, waiting for the council.
	Pending,
	/// Approved: may trade.
	Approved,
	/// Suspended by the council: may not trade until reinstated, and may not leave: its
	/// deposit waits for the council.
	Suspended(SuspensionReason),
	/// Deregistered, waiting out [`crate::Config::UnbondingPeriod`] before its deposit comes
	/// back: may not trade, and the council may still suspend it.
	Leaving,
}

/// What an applicant submits. Variable-length fields are raw bytes here, so that an oversized
/// one gets a named error from [`crate::Pallet::apply`] rather than failing to decode.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct Application {
	/// Provider or user, with the details the review checks.
	pub role: Role<alloc::vec::Vec<u8>>,
	/// The region (shard) the participant trades in.
	pub region: RegionId,
	/// The participant's name, UTF-8.
	pub name: alloc::vec::Vec<u8>,
	/// The meter's identifier, unique across all participants.
	pub meter_id: alloc::vec::Vec<u8>,
	/// The public key that signs the meter's readings.
	pub meter_key: MeterKey,
	/// The meter key's signature of [`crate::Pallet::meter_key_proof_payload`]: proves the key
	/// is well formed and that the applicant holds the meter.
	pub meter_key_proof: MeterSignature,
	/// A hash committing to the settlement (bank) account details, which never go on chain in
	/// clear; for example `blake2_256(details ++ salt)`.
	pub settlement_commitment: H256,
}

/// A participant's record, as stored.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Participant<Balance, BlockNumber, Text> {
	/// Provider or user, with its details.
	pub role: Role<Text>,
	/// The region (shard) it trades in.
	pub region: RegionId,
	/// Its name, UTF-8.
	pub name: Text,
	/// Its meter's identifier.
	pub meter_id: Text,
	/// The public key that signs its meter's readings.
	pub meter_key: MeterKey,
	/// The commitment to its settlement account details.
	pub settlement_commitment: H256,
	/// The deposit held from it now.
	pub deposit: Balance,
	/// Where its review stands.
	pub status: Status,
	/// The block in which it applied.
	pub applied_at: BlockNumber,
}

/// A participant approved at genesis (the `dev` and `local` networks' providers and users).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisParticipant<AccountId> {
	/// Its account; the deposit is held from this account's genesis balance.
	pub account: AccountId,
	/// Provider or user, with its details.
	pub role: Role<alloc::string::String>,
	/// The region it trades in.
	pub region: RegionId,
	/// Its name.
	pub name: alloc::string::String,
	/// Its meter's identifier.
	pub meter_id: alloc::string::String,
	/// Its meter's public key.
	pub meter_key: MeterKey,
	/// The commitment to its settlement account details.
	pub settlement_commitment: H256,
}
