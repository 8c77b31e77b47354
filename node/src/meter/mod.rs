//! `gridshard-node meter`: a meter's client. It holds the meter's key, reads the meter's
//! cumulative energy from a source (module [`source`]: a file that grows, standard input, or a
//! simulated meter), and sends the signed readings of its participant's orders as the feeless
//! general transactions the chain lets meters send:
//!
//! - while an order's delivery window is open, an interim reading every `--interval-blocks`
//!   blocks in which the energy counted for it grew (at most the runtime's
//!   `MaxInterimReadings`);
//! - once the window has ended, the final reading.
//!
//! The energy counted for an order is what the meter measured since the order's window opened
//! (or since the client first saw the open window), up to the order's agreed energy; orders
//! whose windows overlap share the meter in order of their ids, each up to its agreed energy.
//!
//! Every reading sent, every answer of the chain (the transaction's hash, or the refusal with
//! the settlement pallet's error name), and every reading the chain has taken is logged. A
//! reading the chain has not taken `--retry-blocks` blocks after it was sent is sent again; a
//! refusal that another reading cannot mend (an unknown order, readings closed, a final reading
//! already taken) ends the meter's part in that order; a bad signature stops the client, since
//! the key is not the order's meter key.

mod source;

use crate::{relay::hex, rpc_client::RpcClient};
use codec::{Decode, Encode};
use frame_support::traits::Get;
use frame_system::offchain::CreateAuthorizedTransaction;
use gridshard_primitives::{AccountId, Hash};
use gridshard_runtime::{Runtime, RuntimeCall, SettlementCall, UncheckedExtrinsic};
use pallet_settlement::{reading_payload, Reading, Side};
use serde_json::json;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use std::{collections::BTreeMap, path::PathBuf, time::Duration};

/// Log target of the meter client.
const LOG_TARGET: &str = "meter";

/// Orders asked for per page of `settlement_ordersOf`.
const PAGE: u32 = 100;

/// `gridshard-node meter`: a meter's client.
#[derive(Debug, Clone, clap::Args)]
pub struct MeterCmd {
	/// The HTTP JSON-RPC endpoint of a node of the meter's chain.
	#[arg(long, value_name = "URL", default_value = "http://127.0.0.1:9944")]
	pub rpc: String,

	/// The meter's secret key URI (`//Eve//meter` for Eve's meter on the development chains):
	/// the key registered as the participant's meter key.
	#[arg(long, value_name = "SURI")]
	pub meter_key: String,

	/// The participant whose orders the meter measures (SS58): a provider's meter counts the
	/// energy it feeds in, a user's the energy it receives.
	#[arg(long, value_name = "SS58")]
	pub account: String,

	/// A file of cumulative energy readings (Wh) that grows, one per line: a number, a CSV line
	/// ending in the number, or a JSON object with `wh`; `-` reads standard input.
	#[arg(long, value_name = "FILE", conflicts_with = "simulate_watts")]
	pub source: Option<PathBuf>,

	/// A simulated meter for demonstrations: constant power, in watts, from the client's start.
	#[arg(long, value_name = "W")]
	pub simulate_watts: Option<u64>,

	/// Blocks between interim readings of an order.
	#[arg(long, value_name = "BLOCKS", default_value_t = 2)]
	pub interval_blocks: u32,

	/// Blocks after which a reading the chain has not taken is sent again.
	#[arg(long, value_name = "BLOCKS", default_value_t = 3)]
	pub retry_blocks: u32,

	/// How often the chain and the source are read, in milliseconds.
	#[arg(long, default_value_t = 1_000)]
	pub poll_ms: u64,

	/// Exit once the chain has taken the final reading of every order the client saw and the
	/// participant has no order delivering (for scripts and tests); runs for ever without it.
	#[arg(long)]
	pub exit_when_done: bool,
}

/// Why the pool refused a reading, from the RPC error's text.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
	/// A settlement error, by name (`UnknownOrder`, `ReadingsClosed`,
	/// `TooManyInterimReadings`, ...).
	Settlement(&'static str),
	/// The sequence number is not above the chain's, or the meter's final reading is taken.
	Stale,
	/// The signature is not the order's meter key's on this chain.
	BadSignature,
	/// The same reading is already in the pool.
	AlreadyInPool,
	/// Anything else (the node unreachable, ...): worth sending again.
	Other(String),
}

impl Refusal {
	/// Reads the refusal in the text of an `author_submitExtrinsic` error.
	pub fn from_rpc_error(error: &str) -> Self {
		if let Some(index) = error
			.split("Custom error: ")
			.nth(1)
			.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
			.and_then(|digits| digits.parse::<u8>().ok())
		{
			return match pallet_settlement::Error::<Runtime>::decode(&mut &[index][..]) {
				Ok(error) => Refusal::Settlement(error.as_str()),
				Err(_) => Refusal::Other(error.to_string()),
			};
		}
		if error.contains("Transaction is outdated") {
			Refusal::Stale
		} else if error.contains("bad signature") {
			Refusal::BadSignature
		} else if error.contains("already imported") || error.contains("1013") {
			Refusal::AlreadyInPool
		} else {
			Refusal::Other(error.to_string())
		}
	}
}

/// One order as the client follows it.
#[derive(Debug, Clone)]
pub struct Followed {
	/// The meter's side of the order.
	pub side: Side,
	/// `R`, Wh.
	pub agreed: u64,
	/// The delivery window, `[start, end)`.
	pub window: (u32, u32),
	/// The meter's cumulative energy when the client first saw the window open.
	pub baseline: Option<u64>,
	/// The chain's latest reading of this meter for the order: sequence, energy, interim
	/// readings taken, final.
	pub chain: (u32, u64, u32, bool),
	/// The reading sent and not yet taken, with the block it was sent at.
	pub pending: Option<(Reading, UncheckedExtrinsic, u32)>,
	/// The block of the last interim reading sent.
	pub last_interim: Option<u32>,
	/// The meter's part is over (final taken, or refused for good).
	pub done: bool,
}

/// The energy to report for each order of `orders` given the meter's cumulative `energy`:
/// the meter's count since each order's baseline, shared in id order among orders still open,
/// each up to its agreed energy (orders without a baseline get none).
pub fn allocate(energy: u64, orders: &BTreeMap<u64, Followed>) -> BTreeMap<u64, u64> {
	let mut claimed = 0u64;
	let mut shares = BTreeMap::new();
	for (id, order) in orders.iter().filter(|(_, o)| !o.done) {
		let Some(baseline) = order.baseline else { continue };
		let share = energy.saturating_sub(baseline).saturating_sub(claimed).min(order.agreed);
		claimed = claimed.saturating_add(share);
		shares.insert(*id, share);
	}
	shares
}

impl MeterCmd {
	/// Runs the client until `--exit-when-done` is met, or for ever.
	pub fn run(&self) -> Result<(), String> {
		let meter = sr25519::Pair::from_string(&self.meter_key, None)
			.map_err(|e| format!("--meter-key is not a key URI: {e:?}"))?;
		let account = AccountId::from_ss58check(&self.account)
			.map_err(|e| format!("--account is not an SS58 account: {e:?}"))?;
		let mut source = match (&self.source, self.simulate_watts) {
			(Some(path), None) => source::Source::file(path.clone()),
			(None, Some(watts)) => source::Source::simulated(watts),
			_ => return Err("give the meter's --source FILE (or -), or --simulate-watts W".into()),
		};
		let node = RpcClient::new(&self.rpc)?;
		let genesis: Hash = serde_json::from_value(node.call("chain_getBlockHash", json!([0]))?)
			.map_err(|e| format!("genesis hash: {e}"))?;
		let max_interim =
			<<Runtime as pallet_settlement::Config>::MaxInterimReadings as Get<u32>>::get();
		log::info!(
			target: LOG_TARGET,
			"meter {} of {} on {}",
			meter.public().to_ss58check(),
			self.account,
			self.rpc
		);
		let mut orders: BTreeMap<u64, Followed> = BTreeMap::new();
		let poll = Duration::from_millis(self.poll_ms.max(100));
		loop {
			match self.round(
				&node,
				&meter,
				&account,
				genesis,
				max_interim,
				&mut source,
				&mut orders,
			) {
				Ok(true) if self.exit_when_done => {
					log::info!(target: LOG_TARGET, "every order's final reading is taken");
					return Ok(());
				}
				Ok(_) => {}
				Err(Fatal(e)) => return Err(e),
			}
			std::thread::sleep(poll);
		}
	}

	/// One round: reads the source and the chain, sends what is due. `Ok(true)` when the client
	/// has followed orders and every one is done with none delivering.
	#[allow(clippy::too_many_arguments)]
	fn round(
		&self,
		node: &RpcClient,
		meter: &sr25519::Pair,
		account: &AccountId,
		genesis: Hash,
		max_interim: u32,
		source: &mut source::Source,
		orders: &mut BTreeMap<u64, Followed>,
	) -> Result<bool, Fatal> {
		let refused = |bad: source::BadLine| log::warn!(target: LOG_TARGET, "source: {bad}");
		let energy = match source.latest(refused) {
			Ok(energy) => energy,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "source: {e}");
				None
			}
		};
		let (best, delivering) = match self.read_chain(node, account, orders) {
			Ok(read) => read,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "{e}");
				return Ok(false);
			}
		};
		let Some(energy) = energy else { return Ok(false) };
		for order in orders.values_mut() {
			if order.baseline.is_none() && !order.done && best >= order.window.0 {
				order.baseline = Some(energy);
			}
		}
		let shares = allocate(energy, orders);
		for (id, order) in orders.iter_mut().filter(|(_, o)| !o.done) {
			let share = shares.get(id).copied().unwrap_or(0);
			self.send_due(node, meter, genesis, max_interim, best, *id, order, share)?;
		}
		Ok(!orders.is_empty() && delivering == 0 && orders.values().all(|o| o.done))
	}

	/// The best block, and the participant's delivering orders merged into `orders` (new ones
	/// followed, the chain's readings of known ones updated); answers how many are delivering.
	fn read_chain(
		&self,
		node: &RpcClient,
		account: &AccountId,
		orders: &mut BTreeMap<u64, Followed>,
	) -> Result<(u32, usize), String> {
		let best = node.best_number()?;
		let me = account.to_ss58check();
		let mut delivering = 0;
		let mut start = 0u64;
		loop {
			let page = node.call("settlement_ordersOf", json!([me, start, PAGE]))?;
			let page = page.as_array().ok_or("settlement_ordersOf: not a list")?;
			for view in page {
				let id = view["id"].as_u64().ok_or("an order without id")?;
				start = id + 1;
				let side = if view["provider"] == json!(me) { Side::Provider } else { Side::User };
				let meter = match side {
					Side::Provider => &view["providerMeter"],
					Side::User => &view["userMeter"],
				};
				let chain = (
					meter["sequence"].as_u64().unwrap_or(0) as u32,
					meter["energy"].as_u64().unwrap_or(0),
					meter["interim"].as_u64().unwrap_or(0) as u32,
					meter["isFinal"].as_bool().unwrap_or(false),
				);
				let is_delivering = view["status"] == json!("delivering");
				delivering += usize::from(is_delivering);
				match orders.get_mut(&id) {
					Some(order) => self.update(id, order, chain, is_delivering),
					None if is_delivering && !chain.3 => {
						let window = (
							view["window"][0].as_u64().unwrap_or(0) as u32,
							view["window"][1].as_u64().unwrap_or(0) as u32,
						);
						let agreed = view["agreed"].as_u64().unwrap_or(0);
						log::info!(
							target: LOG_TARGET,
							"order {id}: {agreed} Wh, delivery in blocks {}..{}, as its {side:?}",
							window.0,
							window.1
						);
						orders.insert(
							id,
							Followed {
								side,
								agreed,
								window,
								baseline: None,
								chain,
								pending: None,
								last_interim: None,
								done: false,
							},
						);
					}
					None => {}
				}
			}
			if page.len() < PAGE as usize {
				break;
			}
		}
		// Orders settled and paid out leave `settlement_ordersOf`.
		let listed: Vec<u64> = orders.keys().copied().collect();
		for id in listed {
			if !orders[&id].done && node.call("settlement_order", json!([id]))?.is_null() {
				let order = orders.get_mut(&id).expect("listed; qed");
				order.done = true;
				log::info!(target: LOG_TARGET, "order {id}: gone from the chain (paid out)");
			}
		}
		Ok((best, delivering))
	}

	/// Takes the chain's reading of a followed order; logs what it took.
	fn update(&self, id: u64, order: &mut Followed, chain: (u32, u64, u32, bool), open: bool) {
		if chain.0 > order.chain.0 {
			let kind = if chain.3 { "final" } else { "interim" };
			log::info!(
				target: LOG_TARGET,
				"order {id}: the chain took the {kind} reading #{} of {} Wh",
				chain.0,
				chain.1
			);
		}
		order.chain = chain;
		if order.pending.as_ref().is_some_and(|(reading, ..)| chain.0 >= reading.sequence) {
			order.pending = None;
		}
		if chain.3 || !open {
			if !order.done && !chain.3 {
				log::warn!(target: LOG_TARGET, "order {id}: settled before its final reading");
			}
			order.done = true;
		}
	}

	/// Sends the reading due for `order`, if any: a pending one again after `--retry-blocks`,
	/// the final once the window has ended, an interim one every `--interval-blocks`.
	#[allow(clippy::too_many_arguments)]
	fn send_due(
		&self,
		node: &RpcClient,
		meter: &sr25519::Pair,
		genesis: Hash,
		max_interim: u32,
		best: u32,
		id: u64,
		order: &mut Followed,
		share: u64,
	) -> Result<(), Fatal> {
		if let Some((reading, extrinsic, sent)) = &order.pending {
			if best >= sent.saturating_add(self.retry_blocks) {
				log::info!(
					target: LOG_TARGET,
					"order {id}: reading #{} not taken since block {sent}; sending it again",
					reading.sequence
				);
				let (reading, extrinsic) = (*reading, extrinsic.clone());
				self.submit(node, id, order, reading, extrinsic, best)?;
			}
			return Ok(());
		}
		let (sequence, energy, interim, _) = order.chain;
		let reading = if best >= order.window.1 {
			Reading {
				order: id,
				side: order.side,
				energy: share,
				sequence: sequence + 1,
				is_final: true,
			}
		} else if best >= order.window.0
			&& share > energy
			&& interim < max_interim
			&& order.last_interim.is_none_or(|at| best >= at.saturating_add(self.interval_blocks))
		{
			order.last_interim = Some(best);
			Reading {
				order: id,
				side: order.side,
				energy: share,
				sequence: sequence + 1,
				is_final: false,
			}
		} else {
			return Ok(());
		};
		let signature = meter.sign(&reading_payload(&genesis, &reading));
		let call = RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
		let extension = <Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension();
		let extrinsic = UncheckedExtrinsic::new_transaction(call, extension);
		self.submit(node, id, order, reading, extrinsic, best)
	}

	/// Submits `extrinsic` carrying `reading`; logs the chain's answer and acts on a refusal.
	fn submit(
		&self,
		node: &RpcClient,
		id: u64,
		order: &mut Followed,
		reading: Reading,
		extrinsic: UncheckedExtrinsic,
		best: u32,
	) -> Result<(), Fatal> {
		let kind = if reading.is_final { "final" } else { "interim" };
		let answer = node.call("author_submitExtrinsic", json!([hex(&extrinsic.encode())]));
		let describe =
			format!("order {id}: {kind} reading #{} of {} Wh", reading.sequence, reading.energy);
		match answer {
			Ok(hash) => {
				log::info!(target: LOG_TARGET, "{describe} sent: {}", hash.as_str().unwrap_or("?"));
				order.pending = Some((reading, extrinsic, best));
			}
			Err(error) => match Refusal::from_rpc_error(&error) {
				Refusal::AlreadyInPool => {
					order.pending = Some((reading, extrinsic, best));
				}
				Refusal::BadSignature => {
					return Err(Fatal(format!(
						"{describe} refused: the chain does not know this key as the order's \
						 meter key; check --meter-key and --account"
					)))
				}
				Refusal::Settlement(name @ ("TooManyInterimReadings" | "StaleSequence")) => {
					log::warn!(target: LOG_TARGET, "{describe} refused: {name}; waiting for the window's end");
					order.pending = None;
				}
				Refusal::Settlement(name) => {
					log::warn!(target: LOG_TARGET, "{describe} refused: {name}; the meter's part in it is over");
					order.done = true;
				}
				Refusal::Stale => {
					log::warn!(target: LOG_TARGET, "{describe} refused: stale (the chain has a newer reading)");
					order.pending = None;
				}
				Refusal::Other(error) => {
					log::warn!(target: LOG_TARGET, "{describe} not sent ({error}); sending again");
					order.pending =
						Some((reading, extrinsic, best.saturating_sub(self.retry_blocks)));
				}
			},
		}
		Ok(())
	}
}

/// An error that stops the client.
struct Fatal(String);

#[cfg(test)]
mod tests {
	use super::*;

	fn followed(agreed: u64, baseline: Option<u64>) -> Followed {
		Followed {
			side: Side::User,
			agreed,
			window: (10, 20),
			baseline,
			chain: (0, 0, 0, false),
			pending: None,
			last_interim: None,
			done: false,
		}
	}

	#[test]
	fn the_meter_is_shared_in_id_order_up_to_each_agreed_energy() {
		let mut orders = BTreeMap::new();
		orders.insert(1, followed(500, Some(1_000)));
		orders.insert(2, followed(800, Some(1_200)));
		orders.insert(3, followed(100, None));
		// 900 Wh since order 1's window opened: 500 to it, the rest since order 2's baseline.
		let shares = allocate(1_900, &orders);
		assert_eq!(shares.get(&1), Some(&500));
		assert_eq!(shares.get(&2), Some(&200));
		assert_eq!(shares.get(&3), None);
		// A meter that went backwards reports nothing more.
		assert_eq!(allocate(900, &orders).get(&1), Some(&0));
		// A finished order no longer takes a share.
		orders.get_mut(&1).unwrap().done = true;
		assert_eq!(allocate(1_900, &orders).get(&2), Some(&700));
	}

	#[test]
	fn refusals_name_the_settlement_error() {
		let custom = r#"author_submitExtrinsic: {"code":1010,"message":"Invalid Transaction","data":"Custom error: 0"}"#;
		assert_eq!(Refusal::from_rpc_error(custom), Refusal::Settlement("UnknownOrder"));
		let closed = custom.replace("error: 0", "error: 1");
		assert_eq!(Refusal::from_rpc_error(&closed), Refusal::Settlement("ReadingsClosed"));
		let stale =
			r#"{"code":1010,"message":"Invalid Transaction","data":"Transaction is outdated"}"#;
		assert_eq!(Refusal::from_rpc_error(stale), Refusal::Stale);
		let bad = r#"{"code":1010,"message":"Invalid Transaction","data":"Transaction has a bad signature"}"#;
		assert_eq!(Refusal::from_rpc_error(bad), Refusal::BadSignature);
		assert!(matches!(Refusal::from_rpc_error("connection refused"), Refusal::Other(_)));
	}

	#[test]
	fn a_reading_is_a_general_transaction_of_the_settlement_call() {
		let meter = sr25519::Pair::from_string("//Eve//meter", None).unwrap();
		let reading =
			Reading { order: 4, side: Side::User, energy: 5, sequence: 1, is_final: true };
		let signature = meter.sign(&reading_payload(&Hash::repeat_byte(1), &reading));
		let call = RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
		let extension = <Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension();
		let extrinsic = UncheckedExtrinsic::new_transaction(call.clone(), extension);
		let decoded = UncheckedExtrinsic::decode(&mut &extrinsic.encode()[..]).unwrap();
		assert_eq!(decoded.function, call);
		assert!(matches!(decoded.preamble, sp_runtime::generic::Preamble::General(..)));
	}

	/// `docs/feeless-transactions.md`, checked below against the runtime's encoders.
	const WIRE: &str = include_str!("../../../docs/feeless-transactions.md");

	/// The hex of the documented example from its line `label  <hex>` (the label and two spaces,
	/// as the example block sets it, unlike prose) up to the next label or the block's end.
	fn documented_hex(label: &str) -> String {
		let start = format!("{label}  ");
		let mut lines = WIRE.lines().skip_while(|line| !line.starts_with(&start));
		let first = lines.next().expect("the label is documented").trim_start_matches(label);
		let rest = lines.take_while(|line| line.starts_with(' '));
		std::iter::once(first).chain(rest).flat_map(|line| line.split_whitespace()).collect()
	}

	/// The rows `| N | `Name` | ...` of the table whose header names `pallet`.
	fn documented_codes(pallet: &str) -> Vec<(u8, String)> {
		let header = format!("| N | {pallet} error |");
		WIRE.lines()
			.skip_while(|line| !line.starts_with(&header))
			.skip(2)
			.take_while(|line| line.starts_with('|'))
			.map(|line| {
				let cells: Vec<&str> = line.split('|').map(str::trim).collect();
				(cells[1].parse().expect("a code"), cells[2].trim_matches('`').to_string())
			})
			.collect()
	}

	/// Hex without the `0x`.
	fn plain(bytes: &[u8]) -> String {
		hex(bytes).split_off(2)
	}

	#[test]
	fn the_documented_bytes_are_the_encoders() {
		use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
		let reading =
			Reading { order: 7, side: Side::User, energy: 4_000, sequence: 2, is_final: false };
		assert_eq!(documented_hex("reading"), plain(&reading.encode()));
		let payload = reading_payload(&Hash::repeat_byte(0x11), &reading);
		assert_eq!(documented_hex("payload"), plain(&payload));

		let signature = sr25519::Signature::from_raw([0xee; 64]);
		let call = RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
		let extension = <Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension();
		let bytes = UncheckedExtrinsic::new_transaction(call, extension).encode();
		assert_eq!(bytes.len(), 95);
		let prefix = format!("750145000000000a00{}", plain(&reading.encode()));
		assert_eq!(plain(&bytes[..prefix.len() / 2]), prefix);
		assert_eq!(&bytes[prefix.len() / 2..], &[0xee; 64]);
		assert!(WIRE.contains("`7501 45 00 000000 0a00`"));

		let custom = |code| TransactionValidityError::Invalid(InvalidTransaction::Custom(code));
		let settlement = documented_codes("settlement");
		assert_eq!(settlement.len(), 3);
		for (code, name) in settlement {
			let error = pallet_settlement::Error::<Runtime>::decode(&mut &[code][..]).unwrap();
			assert_eq!(error.as_str(), name);
			assert_eq!(
				pallet_settlement::Pallet::<Runtime>::reading_invalidity(error),
				custom(code)
			);
		}
		let matching = documented_codes("matching");
		assert_eq!(matching.len(), 6);
		for (code, name) in matching {
			let error = pallet_matching::Error::<Runtime>::decode(&mut &[code][..]).unwrap();
			assert_eq!(error.as_str(), name);
			assert_eq!(pallet_matching::Pallet::<Runtime>::invalidity(error), custom(code));
		}
	}
}
