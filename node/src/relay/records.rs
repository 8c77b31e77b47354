//! The relay's part in the regions' records (paper, section 4.3), each round:
//!
//! - **as the region's proxy** (its signer is the account the region's governance named): once
//!   the nomination is in the region's state at the coordinator's confirmed header, bond on the
//!   coordinator with a proof of it; then announce each of the region's new records as soon as
//!   the region's best block holds it;
//! - **as anyone**: prove every record the coordinator holds as announced (or unverified), and
//!   every record of the region the coordinator lacks two periods after it was written, with a
//!   storage proof at the coordinator's confirmed header of the region.
//!
//! With `--falsify-records` the proxy announces each record with its `paid` amount changed and
//! proves nothing: a lying proxy, for the tests of the coordinator's correction and slashing.

use super::{hex, unhex, Relay, LOG_TARGET};
use codec::Decode;
use gridshard_primitives::{
	record::{ActiveProxy, PeriodRecord, ProxyNomination, RegionalStorageKeys},
	AccountId, BlockNumber, Hash, PeriodIndex,
};
use gridshard_runtime::{configs::RegionalKeys, Runtime, RuntimeCall, ShardProxyCall};
use pallet_shard_proxy::{RecordEntry, RecordStatus};
use serde_json::json;
use sp_core::Pair;
use std::{
	cell::RefCell,
	collections::HashMap,
	time::{Duration, Instant},
};

/// How many of the region's latest records each round looks at.
const RECENT_PERIODS: u32 = 16;

/// How long a submission is not repeated while it waits for a block.
const RESUBMIT_AFTER: Duration = Duration::from_secs(90);

/// How many periods after its writing a record the coordinator lacks is proven by anyone.
const UNANNOUNCED_GRACE: PeriodIndex = 2;

/// What the relay does with the records, and what it sent lately.
pub struct RecordDuty {
	falsify: bool,
	sent: RefCell<HashMap<(&'static str, PeriodIndex), Instant>>,
}

impl RecordDuty {
	/// The duty of an honest relay, or of a lying proxy's when `falsify`.
	pub fn new(falsify: bool) -> Self {
		Self { falsify, sent: RefCell::new(HashMap::new()) }
	}

	/// Whether `what` of `period` may be sent now (not sent within [`RESUBMIT_AFTER`]); marks it
	/// sent if so.
	fn may_send(&self, what: &'static str, period: PeriodIndex) -> bool {
		let mut sent = self.sent.borrow_mut();
		let now = Instant::now();
		if sent.get(&(what, period)).is_some_and(|at| now.duration_since(*at) < RESUBMIT_AFTER) {
			return false;
		}
		sent.insert((what, period), now);
		true
	}
}

/// The record entry of the coordinator in the runtime's types.
type Entry = RecordEntry<AccountId, BlockNumber>;

impl Relay {
	/// One round of the records' duties, with the coordinator's light client at `status`.
	pub(super) fn records_round(
		&self,
		status: &gridshard_primitives::region::RegionStatus,
	) -> Result<(), String> {
		let anchor = status.confirmed.hash;
		let me = AccountId::from(self.relayer.public());
		let nomination: Option<ProxyNomination<AccountId>> =
			self.region_value(&RegionalKeys::proxy_key(), None)?;
		let (_, newest) = self.kept_range()?;
		let from = newest.saturating_sub(RECENT_PERIODS);
		let held: HashMap<PeriodIndex, Entry> = self
			.target
			.runtime_call::<Vec<(PeriodIndex, Entry)>>(
				"ShardProxyApi_records",
				&(self.region, from, RECENT_PERIODS + 1),
			)?
			.into_iter()
			.collect();

		if nomination.as_ref().is_some_and(|n| n.account == me) {
			self.proxy_duty(nomination.expect("checked; qed"), anchor, from, newest, &held)?;
		}
		if !self.records.falsify {
			self.prover_duty(anchor, from, newest, &held)?;
		}
		Ok(())
	}

	/// Bonds when the coordinator does not yet know this relay as the region's proxy of the
	/// current term; announces the region's records the coordinator lacks.
	fn proxy_duty(
		&self,
		nomination: ProxyNomination<AccountId>,
		anchor: Hash,
		from: PeriodIndex,
		newest: PeriodIndex,
		held: &HashMap<PeriodIndex, Entry>,
	) -> Result<(), String> {
		let active: Option<ActiveProxy<AccountId>> =
			self.target.runtime_call("ShardProxyApi_proxy", &self.region)?;
		let bonded = active
			.as_ref()
			.is_some_and(|p| p.account == nomination.account && p.term == nomination.term);
		if !bonded {
			let key = RegionalKeys::proxy_key();
			let confirmed: Option<ProxyNomination<AccountId>> =
				self.region_value(&key, Some(anchor))?;
			if confirmed.as_ref() != Some(&nomination) {
				log::info!(
					target: LOG_TARGET,
					"region {}: named proxy (term {}); waiting for the nomination to be confirmed",
					self.region,
					nomination.term
				);
				return Ok(());
			}
			if self.records.may_send("bond", nomination.term) {
				let proof = self.read_proof(&key, anchor)?;
				let call = ShardProxyCall::bond { region: self.region, anchor, proof };
				self.submit(RuntimeCall::ShardProxy(call))?;
				log::info!(
					target: LOG_TARGET,
					"region {}: bonding as the region's proxy (term {})",
					self.region,
					nomination.term
				);
			}
			return Ok(());
		}
		if active.is_some_and(|p| p.suspended) {
			return Ok(());
		}
		for period in from..=newest {
			if held.contains_key(&period) {
				continue;
			}
			let Some(mut record) =
				self.region_value::<PeriodRecord>(&RegionalKeys::record_key(period), None)?
			else {
				continue;
			};
			if !self.records.may_send("announce", period) {
				continue;
			}
			if self.records.falsify {
				record.paid = record.paid.saturating_add(1_000_000_000_000);
			}
			let call = ShardProxyCall::announce { region: self.region, period, record };
			self.submit(RuntimeCall::ShardProxy(call))?;
			log::info!(
				target: LOG_TARGET,
				"region {}: announced the record of period {period}{}",
				self.region,
				if self.records.falsify { " (falsified)" } else { "" }
			);
		}
		Ok(())
	}

	/// Proves the records waiting for a proof, and those the coordinator lacks after a grace
	/// of [`UNANNOUNCED_GRACE`] periods, at the confirmed header `anchor`.
	fn prover_duty(
		&self,
		anchor: Hash,
		from: PeriodIndex,
		newest: PeriodIndex,
		held: &HashMap<PeriodIndex, Entry>,
	) -> Result<(), String> {
		for period in from..=newest {
			let wanted = match held.get(&period) {
				Some(entry) => matches!(
					entry.status,
					RecordStatus::Announced { .. } | RecordStatus::Unverified
				),
				None => period + UNANNOUNCED_GRACE <= newest,
			};
			if !wanted {
				continue;
			}
			let key = RegionalKeys::record_key(period);
			if self.region_value::<PeriodRecord>(&key, Some(anchor))?.is_none() {
				continue; // Not yet written, or not yet confirmed.
			}
			if !self.records.may_send("prove", period) {
				continue;
			}
			let proof = self.read_proof(&key, anchor)?;
			let call = ShardProxyCall::prove { region: self.region, period, anchor, proof };
			self.submit(RuntimeCall::ShardProxy(call))?;
			log::info!(
				target: LOG_TARGET,
				"region {}: proving the record of period {period} at {anchor:?}",
				self.region
			);
		}
		Ok(())
	}

	/// The oldest and newest period of the region's kept records, at its best block.
	fn kept_range(&self) -> Result<(PeriodIndex, PeriodIndex), String> {
		let key = pallet_period_records::KeptRange::<Runtime>::hashed_key();
		Ok(self.region_value(&key, None)?.unwrap_or_default())
	}

	/// The value at `key` in the region's state at `at` (its best block without).
	pub(super) fn region_value<V: Decode>(
		&self,
		key: &[u8],
		at: Option<Hash>,
	) -> Result<Option<V>, String> {
		let raw = self.source.call("state_getStorage", json!([hex(key), at]))?;
		let Some(raw) = raw.as_str() else { return Ok(None) };
		V::decode(&mut &unhex(raw)?[..]).map(Some).map_err(|e| format!("region storage: {e}"))
	}

	/// The storage proof of `key` in the region's state at `at`.
	fn read_proof(&self, key: &[u8], at: Hash) -> Result<Vec<Vec<u8>>, String> {
		let answer = self.source.call("state_getReadProof", json!([[hex(key)], at]))?;
		answer["proof"]
			.as_array()
			.ok_or("state_getReadProof: no proof")?
			.iter()
			.map(|node| unhex(node.as_str().ok_or("state_getReadProof: a node is not hex")?))
			.collect()
	}
}
