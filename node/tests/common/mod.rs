//! Starting a `gridshard-node` for a test, talking JSON-RPC to it over plain HTTP, and
//! submitting signed transactions.

#![allow(dead_code)]

use codec::{Decode, Encode};
use gridshard_primitives::{AccountId, Hash, Nonce};
use gridshard_runtime::{
	MatchingCall, RuntimeCall, RuntimeEvent, UncheckedExtrinsic, MILLI_GRID, PERIOD_BLOCKS,
};
use serde_json::{json, Value};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// A free TCP port on localhost (the OS picks it; the race until the node binds it is benign).
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A node process, killed when dropped; its log is kept in a temporary file.
pub struct Node {
	child: Child,
	/// The RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// The Prometheus port on 127.0.0.1.
	pub prometheus_port: u16,
	/// The p2p port on 127.0.0.1.
	pub p2p_port: u16,
	log_path: std::path::PathBuf,
}

impl Node {
	/// Starts the test's `gridshard-node` binary with `args` plus free RPC, p2p and Prometheus
	/// ports, and waits until its RPC answers.
	pub fn start(name: &str, args: &[&str]) -> Node {
		let rpc_port = free_port();
		let prometheus_port = free_port();
		let p2p_port = free_port();
		let log_path = std::env::temp_dir().join(format!("gridshard-{name}-{rpc_port}.log"));
		let log = std::fs::File::create(&log_path).unwrap();
		let child = Command::new(env!("CARGO_BIN_EXE_gridshard-node"))
			.args(args)
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--port", &p2p_port.to_string()])
			.args(["--prometheus-port", &prometheus_port.to_string()])
			.args(["--no-mdns", "--no-telemetry"])
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("the node binary starts");
		let node = Node { child, rpc_port, prometheus_port, p2p_port, log_path };
		node.wait_for("RPC to answer", Duration::from_secs(60), || {
			node.try_rpc("system_health", json!([])).ok()
		});
		node
	}

	/// The node's log so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	/// Calls an RPC method; `Err` on transport failure or an RPC error.
	pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		let body =
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let mut stream =
			TcpStream::connect(("127.0.0.1", self.rpc_port)).map_err(|e| e.to_string())?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
		write!(
			stream,
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{}",
			self.rpc_port,
			body.len(),
			body
		)
		.map_err(|e| e.to_string())?;
		let mut reader = BufReader::new(stream);
		let mut length = 0usize;
		loop {
			let mut line = String::new();
			reader.read_line(&mut line).map_err(|e| e.to_string())?;
			let line = line.trim_end();
			if line.is_empty() {
				break;
			}
			if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
				length = value.trim().parse().map_err(|_| "bad content-length".to_string())?;
			}
		}
		let mut response = vec![0u8; length];
		reader.read_exact(&mut response).map_err(|e| e.to_string())?;
		let response: Value = serde_json::from_slice(&response).map_err(|e| e.to_string())?;
		match response.get("error") {
			Some(error) => Err(error.to_string()),
			None => Ok(response["result"].clone()),
		}
	}

	/// The node's Prometheus metrics, as text.
	pub fn metrics(&self) -> String {
		let mut stream = TcpStream::connect(("127.0.0.1", self.prometheus_port)).unwrap();
		stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
		write!(stream, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
			.unwrap();
		let mut response = String::new();
		stream.read_to_string(&mut response).unwrap();
		response
	}

	/// The value of a metric (the first series of that name, whatever its labels), if the node
	/// reports it.
	pub fn metric(&self, name: &str) -> Option<f64> {
		self.metrics().lines().find_map(|line| {
			let (key, value) = line.rsplit_once(' ')?;
			let series = key.split('{').next()?;
			(series == name).then(|| value.trim().parse().ok()).flatten()
		})
	}

	/// Calls an RPC method that must succeed.
	pub fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params).unwrap_or_else(|e| panic!("{method} failed: {e}"))
	}

	/// The best block's number.
	pub fn best_number(&self) -> u64 {
		let header = self.rpc("chain_getHeader", json!([]));
		let number = header["number"].as_str().expect("a hex number");
		u64::from_str_radix(number.trim_start_matches("0x"), 16).unwrap()
	}

	/// Polls `check` every 250 ms until it returns `Some`, or panics with the node's log after
	/// `timeout`.
	pub fn wait_for<T>(
		&self,
		what: &str,
		timeout: Duration,
		mut check: impl FnMut() -> Option<T>,
	) -> T {
		let start = Instant::now();
		loop {
			if let Some(value) = check() {
				return value;
			}
			if start.elapsed() > timeout {
				panic!("timed out after {timeout:?} waiting for {what}; node log:\n{}", self.log())
			}
			std::thread::sleep(Duration::from_millis(250));
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// `0x`-prefixed hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
	format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Bytes of `0x`-prefixed hex.
pub fn unhex(s: &str) -> Vec<u8> {
	let s = s.trim_start_matches("0x");
	(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

pub use gridshard_runtime::testing::{general, signed};

type EventRecord = frame_system::EventRecord<RuntimeEvent, Hash>;

impl Node {
	/// The genesis hash.
	pub fn genesis(&self) -> Hash {
		let hash = self.rpc("chain_getBlockHash", json!([0]));
		Hash::from_slice(&unhex(hash.as_str().expect("a hash")))
	}

	/// The next nonce of `who`, counting transactions in the pool.
	pub fn next_nonce(&self, who: &AccountId) -> Nonce {
		let nonce = self.rpc("system_accountNextIndex", json!([who.to_string()]));
		nonce.as_u64().expect("a nonce") as Nonce
	}

	/// The raw storage value at `key` in the best block, or at block `at`.
	pub fn storage(&self, key: &[u8], at: Option<&str>) -> Option<Vec<u8>> {
		let value = self.rpc("state_getStorage", json!([hex(key), at]));
		value.as_str().map(unhex)
	}

	/// Submits `extrinsic` and waits until a block includes it; returns that block's hash and
	/// the events the extrinsic emitted, and panics with the node's log if it failed.
	pub fn submit_and_watch(
		&self,
		what: &str,
		extrinsic: &UncheckedExtrinsic,
	) -> (String, Vec<RuntimeEvent>) {
		let from = self.submit(extrinsic);
		self.watch(what, extrinsic, from)
	}

	/// Submits `extrinsic`; returns the best block's number before it, from which
	/// [`Node::watch`] looks for it.
	pub fn submit(&self, extrinsic: &UncheckedExtrinsic) -> u64 {
		let from = self.best_number();
		self.rpc("author_submitExtrinsic", json!([hex(&extrinsic.encode())]));
		from
	}

	/// Waits until a block above `from` includes `extrinsic`; returns that block's hash and the
	/// events the extrinsic emitted, and panics with the node's log if it failed.
	pub fn watch(
		&self,
		what: &str,
		extrinsic: &UncheckedExtrinsic,
		from: u64,
	) -> (String, Vec<RuntimeEvent>) {
		let encoded = hex(&extrinsic.encode());
		let (block, index) =
			self.wait_for(&format!("{what} in a block"), Duration::from_secs(120), || {
				let best = self.best_number();
				(from.saturating_sub(1)..=best).find_map(|n| {
					let hash = self.rpc("chain_getBlockHash", json!([n]));
					let block = self.rpc("chain_getBlock", json!([hash]));
					let extrinsics = block["block"]["extrinsics"].as_array()?;
					let index =
						extrinsics.iter().position(|x| x.as_str() == Some(encoded.as_str()))?;
					Some((hash.as_str()?.to_string(), index as u32))
				})
			});
		let key = frame_support::storage::storage_prefix(b"System", b"Events");
		let events = self.storage(&key, Some(&block)).expect("the block has events");
		let events = Vec::<EventRecord>::decode(&mut &events[..]).expect("events decode");
		let events: Vec<RuntimeEvent> = events
			.into_iter()
			.filter(|record| record.phase == frame_system::Phase::ApplyExtrinsic(index))
			.map(|record| record.event)
			.collect();
		let failed = events.iter().find(|event| {
			matches!(event, RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { .. }))
		});
		assert!(failed.is_none(), "{what} failed: {failed:?}");
		(block, events)
	}
}

/// A book posted by [`post_book`]: its period, the block it began at, and for each offer and
/// request what it was and the block that holds it.
pub struct PostedBook {
	/// The period.
	pub period: u32,
	/// The block at which posting began.
	pub start: u64,
	/// Each offer's and request's name and block hash.
	pub included: Vec<(String, String)>,
}

/// Waits for an early block of an open phase (once the first blocks' difficulty has settled a
/// little), then posts an offer of 10 000 Wh at each provider's price (milli-GRID per kWh) and a
/// request of each user's energy (Wh; limit 300 milli-GRID per kWh), each signed by its keyring
/// account, and waits until a block holds each.
pub fn post_book(
	node: &Node,
	providers: &[(Sr25519Keyring, u128)],
	users: &[(Sr25519Keyring, u64)],
) -> PostedBook {
	let genesis = node.genesis();
	let (period, start) =
		node.wait_for("an early block of an open phase", Duration::from_secs(180), || {
			let best = node.best_number() as u32;
			let offset = best % PERIOD_BLOCKS;
			(best >= PERIOD_BLOCKS && (1..=4).contains(&offset))
				.then_some((best / PERIOD_BLOCKS, best as u64))
		});
	let mut pending = Vec::new();
	for (provider, price) in providers {
		let call = RuntimeCall::Matching(MatchingCall::post_offer {
			price: price * MILLI_GRID,
			capacity: 10_000,
		});
		let nonce = node.next_nonce(&provider.to_account_id());
		pending.push((
			format!("{provider:?}'s offer"),
			signed(&provider.pair(), call, nonce, genesis),
		));
	}
	for (user, energy) in users {
		let call = RuntimeCall::Matching(MatchingCall::post_request {
			energy: *energy,
			limit: Some(300 * MILLI_GRID),
		});
		let nonce = node.next_nonce(&user.to_account_id());
		pending.push((format!("{user:?}'s request"), signed(&user.pair(), call, nonce, genesis)));
	}
	// All at once, then each watched: one after the other, the last could miss the open phase
	// of a young chain, whose first blocks come fast.
	let from: Vec<u64> = pending.iter().map(|(_, xt)| node.submit(xt)).collect();
	let included = pending
		.iter()
		.zip(from)
		.map(|((what, xt), from)| (what.clone(), node.watch(what, xt, from).0))
		.collect();
	PostedBook { period, start, included }
}

/// A trading period's orders taken from adoption to payout over RPC: the steps the period test
/// shows one by one, for the tests that run a period under faults.
pub mod market {
	use super::*;
	use gridshard_runtime::{genesis_config_presets::development_meter, SettlementCall};
	use pallet_settlement::{reading_payload, Reading, Side};

	/// An order as `settlement_ordersOf` answers it.
	pub type Order = Value;

	/// The development keyring of an SS58 account in an RPC answer.
	pub fn keyring(ss58: &Value) -> Sr25519Keyring {
		let account: AccountId = ss58.as_str().expect("an SS58 account").parse().unwrap();
		Sr25519Keyring::from_account_id(&account).expect("a development account")
	}

	/// Waits until `period` is adopted; returns the adoption and the open orders of
	/// `providers`.
	pub fn adopted(node: &Node, period: u32, providers: &[Sr25519Keyring]) -> (Value, Vec<Order>) {
		let adopted = node.wait_for("the adoption", Duration::from_secs(300), || {
			let adopted = node.rpc("matching_lastAdopted", json!([]));
			(adopted["period"] == json!(period)).then_some(adopted)
		});
		let orders = providers
			.iter()
			.flat_map(|provider| {
				let orders =
					node.rpc("settlement_ordersOf", json!([provider.to_account_id().to_string()]));
				orders.as_array().expect("a list").clone()
			})
			.collect();
		(adopted, orders)
	}

	/// Both meters of each order read its full energy (final), as feeless general
	/// transactions; returns the blocks that hold them.
	pub fn read_meters(node: &Node, orders: &[Order]) -> Vec<String> {
		let mut blocks = Vec::new();
		for order in orders {
			let id = order["id"].as_u64().unwrap();
			let agreed = order["agreed"].as_u64().unwrap();
			for (side, who) in [(Side::Provider, &order["provider"]), (Side::User, &order["user"])]
			{
				let reading =
					Reading { order: id, side, energy: agreed, sequence: 1, is_final: true };
				let signature = development_meter(keyring(who))
					.sign(&reading_payload(&node.genesis(), &reading));
				let call =
					RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
				blocks.push(node.submit_and_watch("a meter reading", &general(call)).0);
			}
		}
		blocks
	}

	/// After each order's delivery window its provider applies for settlement; returns the
	/// settled orders as `settlement_order` answers them.
	pub fn settle(node: &Node, orders: &[Order]) -> Vec<Value> {
		let genesis = node.genesis();
		orders
			.iter()
			.map(|order| {
				let id = order["id"].as_u64().unwrap();
				let window_end = order["window"][1].as_u64().unwrap();
				node.wait_for("the end of the delivery window", Duration::from_secs(300), || {
					(node.best_number() >= window_end).then_some(())
				});
				let provider = keyring(&order["provider"]);
				let call =
					RuntimeCall::Settlement(SettlementCall::apply_for_settlement { order: id });
				let nonce = node.next_nonce(&provider.to_account_id());
				node.submit_and_watch(
					"the settlement",
					&signed(&provider.pair(), call, nonce, genesis),
				);
				node.rpc("settlement_order", json!([id]))
			})
			.collect()
	}

	/// Waits until every order is paid out (gone from settlement).
	pub fn wait_for_payouts(node: &Node, orders: &[Order]) {
		for order in orders {
			let id = order["id"].as_u64().unwrap();
			node.wait_for("the payout", Duration::from_secs(600), || {
				node.rpc("settlement_order", json!([id])).is_null().then_some(())
			});
		}
	}

	/// How many times each of `orders` was paid out in the best chain, from its genesis.
	pub fn payouts(node: &Node, orders: &[Order]) -> Vec<usize> {
		let (_, paid) = super::ledger::opened_and_paid(node);
		orders
			.iter()
			.map(|order| paid.iter().filter(|id| Some(**id) == order["id"].as_u64()).count())
			.collect()
	}
}

/// The settlement ledger of a node's best chain, from its events.
pub mod ledger {
	use super::*;

	/// The orders opened and the orders paid out in `node`'s best chain, in block order.
	pub fn opened_and_paid(node: &Node) -> (Vec<u64>, Vec<u64>) {
		let (mut opened, mut paid) = (Vec::new(), Vec::new());
		let key = frame_support::storage::storage_prefix(b"System", b"Events");
		for number in 1..=node.best_number() {
			let hash = node.rpc("chain_getBlockHash", json!([number]));
			let Some(events) = node.storage(&key, hash.as_str()) else { continue };
			let events = Vec::<EventRecord>::decode(&mut &events[..]).expect("events decode");
			for record in events {
				match record.event {
					RuntimeEvent::Settlement(pallet_settlement::Event::OrderOpened {
						order,
						..
					}) => opened.push(order),
					RuntimeEvent::Settlement(pallet_settlement::Event::PaidOut {
						order, ..
					}) => paid.push(order),
					_ => {}
				}
			}
		}
		(opened, paid)
	}

	/// Total issuance and the sum of every account's free and reserved balance at `node`'s
	/// block `at`: equal when the balances add up.
	pub fn issuance_and_balances(node: &Node, at: &str) -> (u128, u128) {
		let issuance_key = frame_support::storage::storage_prefix(b"Balances", b"TotalIssuance");
		let issuance = node.storage(&issuance_key, Some(at)).expect("an issuance");
		let issuance = u128::decode(&mut &issuance[..]).expect("a balance");
		let prefix = frame_support::storage::storage_prefix(b"System", b"Account");
		let keys = node.rpc("state_getKeysPaged", json!([hex(&prefix), 1000, null, at]));
		let mut sum = 0u128;
		for key in keys.as_array().expect("keys") {
			let value = node.rpc("state_getStorage", json!([key, at]));
			let info =
				frame_system::AccountInfo::<Nonce, pallet_balances::AccountData<u128>>::decode(
					&mut &unhex(value.as_str().expect("an account"))[..],
				)
				.expect("account info");
			sum += info.data.free + info.data.reserved;
		}
		(issuance, sum)
	}
}
