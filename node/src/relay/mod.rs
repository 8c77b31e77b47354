//! `gridshard-node relay`: follows a region's chain over its RPC and relays its headers to the
//! coordinating chain's light client (`pallet-shard-proxy`), in batches, from a relayer account.
//!
//! Each round the relay asks the coordinator where its light client of the region stands, walks
//! the region's best chain down from the lower of the two best heights until it finds a header
//! the coordinator knows (so that it follows the region's reorganisations and resumes after a
//! restart from what the coordinator already holds), and submits the next headers of the region's
//! best chain from there, at most `--batch` at a time. It waits until the batch is imported (or a
//! timeout passes) and logs one line per batch: region, heights, best, confirmed.
//!
//! Several relays of one region do no harm: a batch another relay sent first is refused as a
//! duplicate and costs only its sender's fee, and the next round starts from what the
//! coordinator holds.
//!
//! After the headers, each round does the relay's part for the region's records (module
//! [`records`]): as the region's named proxy it bonds and announces; as anyone it proves the
//! announced records against the coordinator's confirmed header of the region.
//!
//! A region the coordinator does not follow yet is registered from its genesis through a motion
//! of the coordinator's council, when the relay is given members' keys (module
//! [`registration`]).
//!
//! Both chains are reached over plain HTTP JSON-RPC, polled every `--poll-ms`.

mod records;
mod registration;

use crate::rpc_client::RpcClient;
use gridshard_primitives::{
	region::{RegionStatus, StoredHeader},
	Hash, Header, RegionId,
};
use gridshard_runtime::{RuntimeCall, ShardProxyCall};
use serde_json::json;
use sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};

/// The logging target of the relay.
const LOG_TARGET: &str = "relay";

/// How long the relay waits for a submitted batch to be imported.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(120);

/// Relay a region's headers to the coordinating chain.
#[derive(Debug, Clone, clap::Parser)]
pub struct RelayCmd {
	/// The region whose headers are relayed.
	#[arg(long)]
	pub region: RegionId,

	/// The HTTP JSON-RPC endpoint of a node of the region's chain.
	#[arg(long, value_name = "URL", default_value = "http://127.0.0.1:9944")]
	pub region_rpc: String,

	/// The HTTP JSON-RPC endpoint of a node of the coordinating chain.
	#[arg(long, value_name = "URL", default_value = "http://127.0.0.1:9955")]
	pub coordinator_rpc: String,

	/// The relayer's secret key URI (a development key such as `//Ferdie`, or a seed phrase):
	/// the account that signs and pays for the batches (refunded when they are useful).
	#[arg(long, value_name = "SURI", default_value = "//Ferdie")]
	pub signer: String,

	/// The most headers per batch (the coordinator accepts up to its `MaxHeadersPerBatch`).
	#[arg(long, default_value_t = 16)]
	pub batch: u32,

	/// How often both chains are polled, in milliseconds.
	#[arg(long, default_value_t = 2_000)]
	pub poll_ms: u64,

	/// If the coordinator does not follow the region yet, register it from the region's genesis
	/// through a motion of the coordinator's qualification council, signed by these members' key
	/// URIs (comma-separated; at least three of the four, for example
	/// `//Alice,//Bob,//Charlie` on the test networks): the first proposes and closes, each
	/// votes.
	#[arg(long, value_name = "SURI,SURI,SURI", value_delimiter = ',')]
	pub register_with_council: Vec<String>,

	/// Stop after relaying up to this region height (for tests and scripts); runs for ever
	/// without it.
	#[arg(long)]
	pub until: Option<u32>,

	/// Relay headers only: neither announce nor prove the region's records.
	#[arg(long)]
	pub headers_only: bool,

	/// For tests of the coordinator's punishment: as the region's proxy, announce every record
	/// with its `paid` amount changed, and prove none (a lying proxy).
	#[arg(long)]
	pub falsify_records: bool,
}

impl RelayCmd {
	/// Runs the relay until `--until` is reached, or for ever.
	pub fn run(&self) -> Result<(), String> {
		let relayer = sr25519::Pair::from_string(&self.signer, None)
			.map_err(|e| format!("--signer is not a key URI: {e:?}"))?;
		let council = self
			.register_with_council
			.iter()
			.map(|suri| {
				sr25519::Pair::from_string(suri, None)
					.map_err(|e| format!("--register-with-council: {suri} is not a key URI: {e:?}"))
			})
			.collect::<Result<Vec<_>, String>>()?;
		let relay = Relay {
			region: self.region,
			source: RpcClient::new(&self.region_rpc)?,
			target: RpcClient::new(&self.coordinator_rpc)?,
			relayer,
			batch: self.batch.max(1),
			records: records::RecordDuty::new(self.falsify_records),
		};
		let poll = Duration::from_millis(self.poll_ms.max(100));
		log::info!(
			target: LOG_TARGET,
			"relaying region {} from {} to {}",
			self.region,
			self.region_rpc,
			self.coordinator_rpc
		);
		loop {
			let relayed = match relay.round(&council) {
				Ok(Progress::Relayed { status }) => Some((status, true)),
				Ok(Progress::UpToDate { status }) => Some((status, false)),
				Err(e) => {
					log::warn!(target: LOG_TARGET, "region {}: {e}", self.region);
					None
				}
			};
			if let (Some((status, _)), false) = (&relayed, self.headers_only) {
				if let Err(e) = relay.records_round(status) {
					log::warn!(target: LOG_TARGET, "region {} records: {e}", self.region);
				}
			}
			if let Some((status, more)) = relayed {
				if self.until.is_some_and(|until| status.best.number >= until) {
					return Ok(());
				}
				if more {
					continue;
				}
			}
			std::thread::sleep(poll);
		}
	}
}

/// What one round of the relay did.
enum Progress {
	/// A batch was imported.
	Relayed { status: RegionStatus },
	/// Nothing to relay: the coordinator holds the region's best header.
	UpToDate { status: RegionStatus },
}

/// A relay between one region and the coordinator.
struct Relay {
	region: RegionId,
	source: RpcClient,
	target: RpcClient,
	relayer: sr25519::Pair,
	batch: u32,
	records: records::RecordDuty,
}

impl Relay {
	/// One round: find where the coordinator stands (registering the region through `council`'s
	/// motion if it does not follow it yet and keys were given), submit the next batch, wait for
	/// it.
	fn round(&self, council: &[sr25519::Pair]) -> Result<Progress, String> {
		let status = match self.coordinator_status()? {
			Some(status) => status,
			None if !council.is_empty() => {
				self.register_through_council(council)?;
				return self.round(&[]);
			}
			None => {
				return Err("the coordinator does not follow this region: its council must \
				            register it (pass --register-with-council with three members' keys)"
					.into())
			}
		};
		let region_best = self.source.best_number()?;
		let Some(known) = self.highest_known(&status, region_best)? else {
			return Err(format!(
				"no header of the region's best chain down to the confirmed #{} is known to the \
				 coordinator: a reorganisation deeper than the confirmations needs governance",
				status.confirmed.number
			));
		};
		if known >= region_best {
			return Ok(Progress::UpToDate { status });
		}
		let last = region_best.min(known + self.batch);
		let headers = ((known + 1)..=last)
			.map(|number| self.region_header(number))
			.collect::<Result<Vec<Header>, String>>()?;
		let last_hash = headers.last().map(|header| header.hash()).expect("known < last; qed");
		let call = RuntimeCall::ShardProxy(ShardProxyCall::submit_headers {
			region: self.region,
			headers,
		});
		self.submit(call)?;
		let started = Instant::now();
		while started.elapsed() < INCLUSION_TIMEOUT {
			std::thread::sleep(Duration::from_millis(500));
			if self.coordinator_header(last_hash)?.is_some() {
				let status = self.coordinator_status()?.ok_or("the region disappeared")?;
				log::info!(
					target: LOG_TARGET,
					"region {}: headers #{}..#{} on the coordinator; its best #{}, confirmed #{}",
					self.region,
					known + 1,
					last,
					status.best.number,
					status.confirmed.number,
				);
				return Ok(Progress::Relayed { status });
			}
		}
		Err(format!("headers #{}..#{} not imported within {INCLUSION_TIMEOUT:?}", known + 1, last))
	}

	/// The highest height of the region's best chain, at most `region_best` and the coordinator's
	/// best, whose header the coordinator holds; `None` when none down to the confirmed header.
	fn highest_known(
		&self,
		status: &RegionStatus,
		region_best: u32,
	) -> Result<Option<u32>, String> {
		let mut number = region_best.min(status.best.number);
		loop {
			let hash = self.region_hash(number)?;
			if self.coordinator_header(hash)?.is_some() {
				return Ok(Some(number));
			}
			if number <= status.confirmed.number {
				return Ok(None);
			}
			number -= 1;
		}
	}

	/// The hash of the region's best-chain block at `number`.
	fn region_hash(&self, number: u32) -> Result<Hash, String> {
		let hash = self.source.call("chain_getBlockHash", json!([number]))?;
		serde_json::from_value(hash).map_err(|e| format!("block hash #{number}: {e}"))
	}

	/// The region's best-chain header at `number`.
	fn region_header(&self, number: u32) -> Result<Header, String> {
		let hash = self.region_hash(number)?;
		let header = self.source.call("chain_getHeader", json!([hash]))?;
		serde_json::from_value(header).map_err(|e| format!("header #{number}: {e}"))
	}

	/// Where the coordinator's light client of the region stands.
	fn coordinator_status(&self) -> Result<Option<RegionStatus>, String> {
		self.target.runtime_call("ShardProxyApi_region", &self.region)
	}

	/// A header of the region as the coordinator stores it.
	fn coordinator_header(&self, hash: Hash) -> Result<Option<StoredHeader>, String> {
		self.target.runtime_call("ShardProxyApi_header", &(self.region, hash))
	}

	/// Submits `call` signed by the relayer.
	fn submit(&self, call: RuntimeCall) -> Result<(), String> {
		self.submit_signed(&self.relayer, call)
	}

	/// Submits `call` to the coordinator signed by `signer`.
	fn submit_signed(&self, signer: &sr25519::Pair, call: RuntimeCall) -> Result<(), String> {
		self.target.submit_signed(signer, call).map(drop)
	}
}

/// `0x`-prefixed hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
	use std::fmt::Write;
	bytes.iter().fold(String::with_capacity(2 + 2 * bytes.len()) + "0x", |mut hex, byte| {
		let _ = write!(hex, "{byte:02x}");
		hex
	})
}

/// Bytes of `0x`-prefixed hex.
pub fn unhex(s: &str) -> Result<Vec<u8>, String> {
	let s = s.trim_start_matches("0x");
	if !s.len().is_multiple_of(2) {
		return Err("odd-length hex".into());
	}
	(0..s.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("hex: {e}")))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trips_long_data() {
		let bytes: Vec<u8> = (0..=255u8).cycle().take(3_000).collect();
		let text = hex(&bytes);
		assert_eq!(text.len(), 2 + 6_000);
		assert_eq!(unhex(&text).unwrap(), bytes);
		assert!(unhex("0x123").is_err());
	}
}
