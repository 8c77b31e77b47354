//! The market's own transactions on one mining node: how many offers, requests, meter readings
//! and settlement applications it includes, how fast, and which limit binds, beside transfers
//! measured the same way on the same node.
//!
//! The chain starts with [`providers`] approved providers and as many approved users, in
//! region 1, each with its own meter key. First the node is given a backlog of transfers for a
//! minute ([`throughput::transfers`]); then it is restarted (an empty pool) and one trading
//! period is filled to the runtime's limits, each kind of transaction submitted at once and
//! alone, counted by [`throughput::include`]:
//!
//! 1. every provider offers (the book's `MaxOffers`);
//! 2. every user posts `MaxRequestsPerUser` requests (the book's `MaxRequests` in all);
//! 3. the node's off-chain worker solves the snapshot and the chain adopts its solution: one
//!    order per request;
//! 4. both meters of every order send every reading they may: `MaxInterimReadings` interim
//!    readings, then the final one (feeless general transactions, sent round by round);
//! 5. after the delivery window every provider applies for settlement of each of its orders.

use crate::{
	network::{Network, Node, Settings, Topology},
	rpc::number,
	throughput::{self, Throughput},
};
use codec::Encode;
use frame_support::traits::Get;
use gridshard_primitives::{Hash, Nonce};
use gridshard_runtime::{
	testing::{general, signed},
	MatchingCall, Runtime, RuntimeCall, SettlementCall, MILLI_GRID, PERIOD_BLOCKS,
};
use pallet_settlement::{reading_payload, Reading, Side};
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use std::{
	collections::HashMap,
	time::{Duration, Instant},
};

/// Providers at genesis: the book's `MaxOffers`, so that every one of them can offer.
pub fn providers() -> u32 {
	<<Runtime as pallet_matching::Config>::MaxOffers as Get<u32>>::get()
}

/// How long each kind of transaction is counted at most.
const WINDOW: Duration = Duration::from_secs(60);

/// How long the period's steps (an open phase, the adoption, the delivery window) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(600);

/// Each request's energy, Wh; each offer's capacity covers twenty times more than its share.
const REQUEST_WH: u64 = 1_000;

/// A market participant of the experiment's chain.
pub struct Participant {
	/// Its account's key: `//Provider//<i>` or `//User//<i>`.
	pub key: sr25519::Pair,
	/// Its meter's key: the account's path and `//meter`.
	pub meter: sr25519::Pair,
	/// A provider, or a user.
	pub provider: bool,
	/// Its index among its kind.
	pub index: u32,
}

impl Participant {
	fn new(provider: bool, index: u32) -> Self {
		let path = format!("//{}//{index}", if provider { "Provider" } else { "User" });
		let derive = |path: &str| {
			sr25519::Pair::from_string(path, None).expect("a valid derivation path; qed")
		};
		Self { meter: derive(&format!("{path}//meter")), key: derive(&path), provider, index }
	}

	/// Its account, SS58.
	pub fn account(&self) -> String {
		self.key.public().to_ss58check()
	}

	/// Its entry in the registry's genesis (`registration.participants`), in `region`.
	pub fn genesis(&self, region: u32) -> Value {
		let (kind, role) = if self.provider {
			let role = json!({ "provider": {
				"connection": { "point": format!("feeder-{}/pv", self.index), "voltage": "low" },
				"kind": "photovoltaic",
				"rated_power_w": 100_000,
			}});
			("P", role)
		} else {
			let role = json!({ "user": {
				"connection": { "point": format!("feeder-{}/house", self.index), "voltage": "low" },
			}});
			("U", role)
		};
		json!({
			"account": self.account(),
			"meterId": format!("MTR-{kind}-{:04}", self.index),
			"meterKey": self.meter.public().to_ss58check(),
			"name": format!("Experiment {kind}{}", self.index),
			"region": region,
			"role": role,
			"settlementCommitment": format!("0x{}", "07".repeat(32)),
		})
	}
}

/// `pairs` providers and as many users.
pub fn participants(pairs: u32) -> Vec<Participant> {
	[true, false]
		.into_iter()
		.flat_map(|provider| (0..pairs).map(move |index| Participant::new(provider, index)))
		.collect()
}

/// What the node included of each kind of transaction.
pub struct Market {
	/// Transfers, then offers, requests, readings and applications, in that order.
	pub kinds: Vec<(&'static str, Throughput)>,
	/// The period filled.
	pub period: u32,
	/// The orders its adoption opened.
	pub orders: usize,
}

/// An order as `settlement_ordersOf` answers it: what the meters and the provider need.
struct Order {
	id: u64,
	provider: String,
	user: String,
	agreed: u64,
	window_end: u64,
}

/// Starts the market's chain (one mining node with its off-chain worker) and measures it.
pub fn measure(settings: &Settings, transfers: usize) -> Result<Market, String> {
	let mut topology = Topology::single_chain(1);
	topology.name = "market".into();
	topology.chains[0].participants = providers();
	topology.chains[0].offchain_worker = true;
	let mut network = Network::start(&topology, settings)?;
	let genesis = network.chains[0].genesis;
	eprintln!("[market] {transfers} transfers, counted for at most a minute");
	let mut kinds = vec![(
		"transfer_keep_alive",
		throughput::transfers(
			&network.chains[0].nodes[0],
			genesis,
			settings.senders,
			transfers,
			WINDOW,
		)?,
	)];
	report(&kinds[0]);
	network.restart()?;
	let node = &network.chains[0].nodes[0];
	let everyone = participants(providers());
	let (providers, users): (Vec<_>, Vec<_>) = everyone.iter().partition(|p| p.provider);
	let mut nonces = Nonces::read(node, &everyone)?;

	let period = wait_for_open_phase(node)?;
	eprintln!("[market] period {period} is open");
	let offers: Vec<Vec<u8>> = providers
		.iter()
		.map(|p| {
			let call = RuntimeCall::Matching(MatchingCall::post_offer {
				price: (100 + p.index as u128) * MILLI_GRID,
				capacity: 20 * REQUEST_WH * 5,
			});
			nonces.sign(p, call, genesis)
		})
		.collect();
	kinds.push(("post_offer", throughput::include(node, &offers, WINDOW)?));
	report(kinds.last().expect("pushed"));
	let per_user = <<Runtime as pallet_matching::Config>::MaxRequestsPerUser as Get<u32>>::get();
	let requests: Vec<Vec<u8>> = (0..per_user)
		.flat_map(|_| users.iter())
		.map(|u| {
			let call = RuntimeCall::Matching(MatchingCall::post_request {
				energy: REQUEST_WH,
				limit: Some(300 * MILLI_GRID),
			});
			nonces.sign(u, call, genesis)
		})
		.collect();
	kinds.push(("post_request", throughput::include(node, &requests, WINDOW)?));
	report(kinds.last().expect("pushed"));

	eprintln!("[market] waiting for the adoption of period {period}'s solution");
	crate::network::wait_for("the adoption", STEP_TIMEOUT, || {
		let adopted = node.rpc.call("matching_lastAdopted", json!([])).ok()?;
		(adopted["period"] == json!(period)).then_some(())
	})?;
	let orders = orders(node, &providers, period)?;
	eprintln!("[market] {} orders opened", orders.len());
	let meters: HashMap<String, &Participant> = everyone.iter().map(|p| (p.account(), p)).collect();
	let readings = readings(&orders, &meters, genesis)?;
	kinds.push(("submit_reading", throughput::include(node, &readings, WINDOW)?));
	report(kinds.last().expect("pushed"));

	let window_end = orders.iter().map(|o| o.window_end).max().unwrap_or(0);
	crate::network::wait_for("the end of the delivery windows", STEP_TIMEOUT, || {
		(node.rpc.best_number().ok()? >= window_end).then_some(())
	})?;
	let applications: Vec<Vec<u8>> = orders
		.iter()
		.map(|order| {
			let provider = meters.get(&order.provider).ok_or("an order of an unknown provider")?;
			let call =
				RuntimeCall::Settlement(SettlementCall::apply_for_settlement { order: order.id });
			Ok(nonces.sign(provider, call, genesis))
		})
		.collect::<Result<_, String>>()?;
	kinds.push(("apply_for_settlement", throughput::include(node, &applications, WINDOW)?));
	report(kinds.last().expect("pushed"));
	Ok(Market { kinds, period, orders: orders.len() })
}

/// Prints one kind's figures as they are measured.
fn report((kind, measured): &(&str, Throughput)) {
	eprintln!(
		"[market] {kind}: {} submitted in {:.1} s ({} included meanwhile), then {} included in {:.1} s ({:.0}/s), blocks {:?}, ended by {:?}",
		measured.submitted,
		measured.submit_seconds,
		measured.while_submitting,
		measured.included,
		measured.seconds,
		measured.per_second(),
		measured.blocks,
		measured.ends
	);
}

/// The participants' next nonces.
struct Nonces(HashMap<String, Nonce>);

impl Nonces {
	fn read(node: &Node, participants: &[Participant]) -> Result<Self, String> {
		let mut next = HashMap::new();
		for participant in participants {
			let account = participant.account();
			let nonce = node.rpc.call("system_accountNextIndex", json!([account]))?;
			next.insert(account, number(&nonce)? as Nonce);
		}
		Ok(Self(next))
	}

	/// `call` signed by `who` with its next nonce, encoded.
	fn sign(&mut self, who: &Participant, call: RuntimeCall, genesis: Hash) -> Vec<u8> {
		let nonce = self.0.entry(who.account()).or_insert(0);
		let transaction = signed(&who.key, call, *nonce, genesis);
		*nonce += 1;
		transaction.encode()
	}
}

/// Waits for one of the first three blocks of a period's open phase; answers the period.
fn wait_for_open_phase(node: &Node) -> Result<u32, String> {
	crate::network::wait_for("an early block of an open phase", STEP_TIMEOUT, || {
		let best = node.rpc.best_number().ok()?;
		let phase = node.rpc.call("matching_phase", json!([])).ok()?;
		let early = (best % PERIOD_BLOCKS as u64) < 3 && phase["phase"] == json!("open");
		early.then(|| phase["period"].as_u64().map(|p| p as u32)).flatten()
	})
}

/// The open orders of `period` of each of `providers`.
fn orders(node: &Node, providers: &[&Participant], period: u32) -> Result<Vec<Order>, String> {
	let mut orders = Vec::new();
	for provider in providers {
		let page = node.rpc.call("settlement_ordersOf", json!([provider.account(), null, 100]))?;
		for order in page.as_array().ok_or("a list of orders")? {
			if order["period"] != json!(period) {
				continue;
			}
			let text = |field: &str| order[field].as_str().map(String::from);
			orders.push(Order {
				id: number(&order["id"])?,
				provider: text("provider").ok_or("an order's provider")?,
				user: text("user").ok_or("an order's user")?,
				agreed: number(&order["agreed"])?,
				window_end: number(&order["window"][1])?,
			});
		}
	}
	Ok(orders)
}

/// Every reading both meters of every order may send, round by round: `MaxInterimReadings`
/// interim readings, then the final, each signed by its meter.
fn readings(
	orders: &[Order],
	meters: &HashMap<String, &Participant>,
	genesis: Hash,
) -> Result<Vec<Vec<u8>>, String> {
	let interim = <<Runtime as pallet_settlement::Config>::MaxInterimReadings as Get<u32>>::get();
	let rounds = interim + 1;
	let mut readings = Vec::new();
	for sequence in 1..=rounds {
		for order in orders {
			for (side, account) in [(Side::Provider, &order.provider), (Side::User, &order.user)] {
				let meter = &meters.get(account).ok_or("an order of an unknown participant")?.meter;
				let reading = Reading {
					order: order.id,
					side,
					energy: order.agreed * sequence as u64 / rounds as u64,
					sequence,
					is_final: sequence == rounds,
				};
				let signature = meter.sign(&reading_payload(&genesis, &reading));
				let call =
					RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
				readings.push(general(call).encode());
			}
		}
	}
	Ok(readings)
}

/// The figures as a Markdown table: each kind's inclusion and the limits that bind it.
pub fn markdown(market: &Market, started: Instant) -> String {
	let mut table = String::from(
		"| transaction | submitted | taking them, s | included meanwhile | then included | in s | per second | per block | blocks' ends |\n|---|---:|---:|---:|---:|---:|---:|---|---|\n",
	);
	for (kind, measured) in &market.kinds {
		let ends: Vec<String> = measured.ends.iter().map(|(k, v)| format!("{k} x{v}")).collect();
		let blocks: Vec<String> = measured.blocks.iter().map(usize::to_string).collect();
		table.push_str(&format!(
			"| {kind} | {} | {:.1} | {} | {} | {:.1} | {:.0} | {} | {} |\n",
			measured.submitted,
			measured.submit_seconds,
			measured.while_submitting,
			measured.included,
			measured.seconds,
			measured.per_second(),
			blocks.join(", "),
			ends.join(", ")
		));
	}
	table.push_str(&format!(
		"\nPeriod {} filled: {} orders; measured in {:.0} s.\n",
		market.period,
		market.orders,
		started.elapsed().as_secs_f64()
	));
	table
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn participants_have_their_own_accounts_and_meters() {
		let all = participants(3);
		assert_eq!(all.len(), 6);
		assert_eq!(all.iter().filter(|p| p.provider).count(), 3);
		let mut keys: Vec<String> = all.iter().map(Participant::account).collect();
		keys.extend(all.iter().map(|p| p.meter.public().to_ss58check()));
		keys.sort();
		keys.dedup();
		assert_eq!(keys.len(), 12);
		let entry = all[0].genesis(1);
		assert_eq!(entry["region"], json!(1));
		assert_eq!(entry["meterKey"], json!(all[0].meter.public().to_ss58check()));
		assert!(entry["role"]["provider"].is_object());
		assert!(all[3].genesis(1)["role"]["user"].is_object());
	}
}
