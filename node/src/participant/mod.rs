//! `gridshard-node participant`: a provider's or a household's command line. It signs with the
//! participant's key and sends the market's calls over a node's HTTP JSON-RPC: apply (with the
//! meter key's proof), offer and withdraw the offer, request and cancel, apply for settlement,
//! dispute, claim a payout; and `status` shows the participant's record, balance, escrow,
//! orders, recent payouts and reputation.
//!
//! Each call waits until a block holds it and prints what the chain did (its events), or the
//! refusal: the pallet's error by name, the pallet's explanation and what to do (module
//! [`refusal`]). A refusal exits with status 1.

pub mod refusal;

use crate::{
	relay::{hex, unhex},
	rpc_client::RpcClient,
};
use codec::Decode;
use gridshard_primitives::{AccountId, Balance, Hash, GRID, MILLI_GRID};
use gridshard_runtime::{
	MatchingCall, RegistrationCall, Runtime, RuntimeCall, RuntimeEvent, SettlementCall,
};
use pallet_registration::{Application, GenerationKind, GridConnection, Role, VoltageLevel};
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use std::time::{Duration, Instant};

/// How long a call may wait for a block to hold it.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(120);

type EventRecord = frame_system::EventRecord<RuntimeEvent, Hash>;

/// `gridshard-node participant`: a participant's command line.
#[derive(Debug, Clone, clap::Args)]
pub struct ParticipantCmd {
	/// The HTTP JSON-RPC endpoint of a node of the participant's chain.
	#[arg(long, value_name = "URL", default_value = "http://127.0.0.1:9944")]
	pub rpc: String,

	/// The participant's secret key URI (`//Eve` on the development chains); `status` also
	/// takes `--account` instead.
	#[arg(long, value_name = "SURI")]
	pub key: Option<String>,

	/// What to do.
	#[command(subcommand)]
	pub action: Action,
}

/// A participant's action.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
	/// Apply as a provider: a generator that sells energy.
	ApplyProvider {
		/// The application's details.
		#[command(flatten)]
		application: ApplicationArgs,
		/// How it generates.
		#[arg(long, value_enum)]
		kind: Kind,
		/// Its nameplate power, in watts.
		#[arg(long, value_name = "W")]
		rated_power_w: u64,
	},
	/// Apply as a user: a household or business that buys energy.
	ApplyUser {
		/// The application's details.
		#[command(flatten)]
		application: ApplicationArgs,
	},
	/// Withdraw a pending application (the deposit returns).
	WithdrawApplication,
	/// Offer this period's energy: a price and a capacity.
	Offer {
		/// The price, in milli-GRID per kWh (decimals allowed).
		#[arg(long, value_name = "mGRID")]
		price: String,
		/// The capacity, in Wh.
		#[arg(long, value_name = "WH")]
		capacity_wh: u64,
	},
	/// Withdraw this period's offer.
	WithdrawOffer,
	/// Request energy this period; its escrow is held until the adoption.
	Request {
		/// The energy, in Wh.
		#[arg(long, value_name = "WH")]
		energy_wh: u64,
		/// The highest price paid, in milli-GRID per kWh; without it, any price.
		#[arg(long, value_name = "mGRID")]
		limit: Option<String>,
	},
	/// Cancel one of this period's requests.
	CancelRequest {
		/// The request's id in the period (`status` lists them).
		#[arg(long)]
		id: u32,
	},
	/// As an order's provider, apply for its settlement after its delivery window; without
	/// `--order`, for every own order whose window has ended and whose meters both reported.
	Settle {
		/// The order's id.
		#[arg(long)]
		order: Option<u64>,
	},
	/// As an order's user, dispute its settlement (holds the dispute bond).
	Dispute {
		/// The order's id.
		#[arg(long)]
		order: u64,
	},
	/// Claim a settled order's payout once payable (the chain also pays it by itself).
	ClaimPayout {
		/// The order's id.
		#[arg(long)]
		order: u64,
	},
	/// Wait for a moment of the market, printing where it stands now and then (for scripts).
	Wait {
		/// The moment.
		#[arg(long, value_enum)]
		until: Moment,
		/// Give up after this many seconds.
		#[arg(long, value_name = "SECONDS", default_value_t = 600)]
		timeout: u64,
	},
	/// Show the participant's record, balance, escrow, orders, recent payouts and reputation.
	Status {
		/// The account to show (SS58), instead of `--key`'s.
		#[arg(long, value_name = "SS58")]
		account: Option<String>,
		/// How many recent blocks to search for payouts.
		#[arg(long, value_name = "BLOCKS", default_value_t = 600)]
		history_blocks: u32,
	},
}

/// The details every application carries.
#[derive(Debug, Clone, clap::Args)]
pub struct ApplicationArgs {
	/// The participant's name.
	#[arg(long)]
	pub name: String,
	/// The meter's ID, as on its plate.
	#[arg(long)]
	pub meter_id: String,
	/// The meter's secret key URI: it signs the proof that the applicant holds the meter.
	#[arg(long, value_name = "SURI")]
	pub meter_key: String,
	/// The connection point, as the grid company writes it.
	#[arg(long)]
	pub point: String,
	/// The connection's voltage level.
	#[arg(long, value_enum, default_value = "low")]
	pub voltage: Voltage,
	/// The region applied for.
	#[arg(long, default_value_t = 1)]
	pub region: gridshard_primitives::RegionId,
	/// The settlement account's details (bank account), of which only a hash goes on chain.
	#[arg(long, default_value = "")]
	pub settlement_details: String,
}

/// A moment of the market to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Moment {
	/// An open phase with at least a third of its blocks left: time to offer and request.
	Open,
	/// The adoption of the period current when the wait began (or of the next one, if its
	/// solution window has begun).
	Adoption,
	/// Every order of the participant has both meters' final readings and its window ended:
	/// time for its provider to settle.
	Delivered,
	/// The participant has no open order left: every order is paid out.
	PaidOut,
}

/// How a provider generates.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
	/// Solar panels.
	Photovoltaic,
	/// Wind turbines.
	Wind,
	/// Hydro.
	Hydro,
	/// A battery or other store.
	Storage,
	/// Anything else.
	Other,
}

/// A connection's voltage level.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Voltage {
	/// Up to 1 kV.
	Low,
	/// 1 kV to 35 kV.
	Medium,
	/// 35 kV to 220 kV.
	High,
	/// Above 220 kV.
	ExtraHigh,
}

/// An amount in milli-GRID (`"200"`, `"0.5"`) in the smallest unit.
pub fn milli_grid(text: &str) -> Result<Balance, String> {
	let bad = || format!("`{text}` is not an amount of milli-GRID (for example 200 or 0.5)");
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	let digits = MILLI_GRID.ilog10() as usize;
	if whole.is_empty() && fraction.is_empty()
		|| fraction.len() > digits
		|| !(whole.chars().chain(fraction.chars())).all(|c| c.is_ascii_digit())
	{
		return Err(bad());
	}
	let whole: Balance = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let fraction: Balance = format!("{fraction:0<digits$}").parse().map_err(|_| bad())?;
	whole.checked_mul(MILLI_GRID).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)
}

/// An amount in the smallest unit, in GRID: `1.44 GRID`.
pub fn grid(amount: Balance) -> String {
	let fraction = format!("{:012}", amount % GRID);
	let fraction = fraction.trim_end_matches('0');
	if fraction.is_empty() {
		format!("{} GRID", amount / GRID)
	} else {
		format!("{}.{fraction} GRID", amount / GRID)
	}
}

fn key(suri: &str) -> Result<sr25519::Pair, String> {
	sr25519::Pair::from_string(suri, None).map_err(|e| format!("`{suri}` is not a key URI: {e:?}"))
}

impl ParticipantCmd {
	/// Runs the action; `Err` with the message to print on a refusal or bad input.
	pub fn run(&self) -> Result<(), String> {
		let rpc = RpcClient::new(&self.rpc)?;
		let signer =
			|| key(self.key.as_deref().ok_or("give the participant's key with --key SURI")?);
		let call = match &self.action {
			Action::Status { account, history_blocks } => {
				let account = match account {
					Some(ss58) => AccountId::from_ss58check(ss58)
						.map_err(|e| format!("`{ss58}` is not an SS58 account: {e:?}"))?,
					None => AccountId::from(signer()?.public()),
				};
				return status(&rpc, &account, *history_blocks);
			}
			Action::ApplyProvider { application, kind, rated_power_w } => {
				let role = Role::Provider {
					kind: match kind {
						Kind::Photovoltaic => GenerationKind::Photovoltaic,
						Kind::Wind => GenerationKind::Wind,
						Kind::Hydro => GenerationKind::Hydro,
						Kind::Storage => GenerationKind::Storage,
						Kind::Other => GenerationKind::Other,
					},
					rated_power_w: *rated_power_w,
					connection: connection(application),
				};
				apply(&rpc, &signer()?, application, role)?
			}
			Action::ApplyUser { application } => {
				let role = Role::User { connection: connection(application) };
				apply(&rpc, &signer()?, application, role)?
			}
			Action::WithdrawApplication => RuntimeCall::Registration(RegistrationCall::withdraw {}),
			Action::Offer { price, capacity_wh } => {
				RuntimeCall::Matching(MatchingCall::post_offer {
					price: milli_grid(price)?,
					capacity: *capacity_wh,
				})
			}
			Action::WithdrawOffer => RuntimeCall::Matching(MatchingCall::withdraw_offer {}),
			Action::Request { energy_wh, limit } => {
				RuntimeCall::Matching(MatchingCall::post_request {
					energy: *energy_wh,
					limit: limit.as_deref().map(milli_grid).transpose()?,
				})
			}
			Action::CancelRequest { id } => {
				RuntimeCall::Matching(MatchingCall::cancel_request { id: *id })
			}
			Action::Settle { order: Some(order) } => {
				RuntimeCall::Settlement(SettlementCall::apply_for_settlement { order: *order })
			}
			Action::Settle { order: None } => return settle_all(&rpc, &signer()?),
			Action::Wait { until, timeout } => {
				let account = AccountId::from(signer()?.public());
				return wait(&rpc, &account, *until, Duration::from_secs(*timeout));
			}
			Action::Dispute { order } => {
				RuntimeCall::Settlement(SettlementCall::dispute { order: *order })
			}
			Action::ClaimPayout { order } => {
				RuntimeCall::Settlement(SettlementCall::claim_payout { order: *order })
			}
		};
		send(&rpc, &signer()?, call)
	}
}

/// Sends `call` signed by `signer` and prints what it did; the fee's bookkeeping left out.
fn send(rpc: &RpcClient, signer: &sr25519::Pair, call: RuntimeCall) -> Result<(), String> {
	for event in submit_and_watch(rpc, signer, call)? {
		if !matches!(
			event,
			RuntimeEvent::System(_)
				| RuntimeEvent::TransactionPayment(_)
				| RuntimeEvent::Balances(_)
		) {
			println!("{event:?}");
		}
	}
	Ok(())
}

/// The participant's open orders, as `settlement_ordersOf` answers them.
fn orders_of(rpc: &RpcClient, account: &AccountId) -> Result<Vec<Value>, String> {
	let orders = rpc.call("settlement_ordersOf", json!([account.to_ss58check()]))?;
	Ok(orders.as_array().cloned().unwrap_or_default())
}

/// Whether `order` is delivered: both final readings in and its window ended at `best`.
fn delivered(order: &Value, best: u32) -> bool {
	order["providerMeter"]["isFinal"] == json!(true)
		&& order["userMeter"]["isFinal"] == json!(true)
		&& order["window"][1].as_u64().is_some_and(|end| u64::from(best) >= end)
}

/// Applies for the settlement of every order `signer` provides that is delivered.
fn settle_all(rpc: &RpcClient, signer: &sr25519::Pair) -> Result<(), String> {
	let account = AccountId::from(signer.public());
	let best = rpc.best_number()?;
	let due: Vec<u64> = orders_of(rpc, &account)?
		.iter()
		.filter(|order| order["provider"] == json!(account.to_ss58check()))
		.filter(|order| order["status"] == json!("delivering") && delivered(order, best))
		.filter_map(|order| order["id"].as_u64())
		.collect();
	if due.is_empty() {
		println!("no order of this account is delivered and waiting for its settlement");
	}
	for order in due {
		println!("order {order}: applying for its settlement");
		send(rpc, signer, RuntimeCall::Settlement(SettlementCall::apply_for_settlement { order }))?;
	}
	Ok(())
}

/// Waits for `moment`, printing where the market stands whenever that changes.
fn wait(
	rpc: &RpcClient,
	account: &AccountId,
	moment: Moment,
	timeout: Duration,
) -> Result<(), String> {
	let start = Instant::now();
	let first = rpc.call("matching_phase", json!([]))?;
	let first_period = first["period"].as_u64().unwrap_or_default();
	// The period whose adoption counts: this one, or the next if its book has closed.
	let adopting = if first["phase"] == json!("open") { first_period } else { first_period + 1 };
	let mut said = String::new();
	loop {
		let best = rpc.best_number()?;
		let phase = rpc.call("matching_phase", json!([]))?;
		let period = phase["period"].as_u64().unwrap_or_default();
		let phase_name = phase["phase"].as_str().unwrap_or_default().to_string();
		let (reached, standing) = match moment {
			Moment::Open => {
				let length = u64::from(gridshard_runtime::PERIOD_BLOCKS);
				let close = (period + 1) * length - u64::from(gridshard_runtime::SOLUTION_BLOCKS);
				let left = close.saturating_sub(u64::from(best));
				(
					phase_name == "open" && left * 3 >= length,
					format!("period {period}, {phase_name} phase"),
				)
			}
			Moment::Adoption => {
				let adopted = rpc.call("matching_lastAdopted", json!([]))?;
				let reached = adopted["period"].as_u64().is_some_and(|last| last >= adopting);
				let standing = format!(
					"period {period}, {phase_name} phase; waiting for period {adopting}'s adoption"
				);
				(reached, standing)
			}
			Moment::Delivered | Moment::PaidOut => {
				let orders = orders_of(rpc, account)?;
				let reached = if moment == Moment::Delivered {
					!orders.is_empty() && orders.iter().all(|order| delivered(order, best))
				} else {
					orders.is_empty()
				};
				let statuses: Vec<String> = orders
					.iter()
					.map(|order| {
						format!(
							"order {} {}",
							order["id"],
							order["status"].as_str().unwrap_or_default()
						)
					})
					.collect();
				let standing = if orders.is_empty() {
					"no open orders".to_string()
				} else {
					format!("open orders: {}", statuses.join(", "))
				};
				(reached, standing)
			}
		};
		if reached {
			println!("block #{best}: {standing}: reached");
			return Ok(());
		}
		if standing != said {
			eprintln!("block #{best}: {standing}");
			said = standing;
		}
		if start.elapsed() > timeout {
			return Err(format!(
				"gave up after {} s at block #{best}: {said}\nwhat to do: is the node mining? \
				 `status` shows where this account stands",
				timeout.as_secs()
			));
		}
		std::thread::sleep(Duration::from_millis(500));
	}
}

fn connection(application: &ApplicationArgs) -> GridConnection<Vec<u8>> {
	GridConnection {
		point: application.point.as_bytes().to_vec(),
		voltage: match application.voltage {
			Voltage::Low => VoltageLevel::Low,
			Voltage::Medium => VoltageLevel::Medium,
			Voltage::High => VoltageLevel::High,
			Voltage::ExtraHigh => VoltageLevel::ExtraHigh,
		},
	}
}

/// The `apply` call of an application, its meter key's proof signed for this chain.
fn apply(
	rpc: &RpcClient,
	signer: &sr25519::Pair,
	args: &ApplicationArgs,
	role: Role<Vec<u8>>,
) -> Result<RuntimeCall, String> {
	let meter = key(&args.meter_key)?;
	let genesis: Hash = serde_json::from_value(rpc.call("chain_getBlockHash", json!([0]))?)
		.map_err(|e| format!("genesis hash: {e}"))?;
	let account = AccountId::from(signer.public());
	let meter_id = args.meter_id.as_bytes().to_vec();
	let proof = meter.sign(&pallet_registration::Pallet::<Runtime>::meter_key_proof_payload(
		&genesis, &account, &meter_id,
	));
	let application = Application {
		role,
		region: args.region,
		name: args.name.as_bytes().to_vec(),
		meter_id,
		meter_key: meter.public(),
		meter_key_proof: proof,
		settlement_commitment: H256(sp_crypto_hashing::blake2_256(
			args.settlement_details.as_bytes(),
		)),
	};
	Ok(RuntimeCall::Registration(RegistrationCall::apply { application: Box::new(application) }))
}

/// The events of block `hash`.
fn events(rpc: &RpcClient, hash: &str) -> Result<Vec<EventRecord>, String> {
	let key = frame_support::storage::storage_prefix(b"System", b"Events");
	let value = rpc.call("state_getStorage", json!([hex(&key), hash]))?;
	let Some(value) = value.as_str() else { return Ok(Vec::new()) };
	Vec::<EventRecord>::decode(&mut &unhex(value)?[..]).map_err(|e| format!("events: {e}"))
}

/// Signs and submits `call`, waits until a block holds it, and answers its events, or the
/// refusal's message.
fn submit_and_watch(
	rpc: &RpcClient,
	signer: &sr25519::Pair,
	call: RuntimeCall,
) -> Result<Vec<RuntimeEvent>, String> {
	let from = rpc.best_number().map_err(|e| refusal::pool_message(&e))?;
	let extrinsic = rpc.submit_signed(signer, call).map_err(|e| refusal::pool_message(&e))?;
	let extrinsic = hex(&extrinsic);
	eprintln!("sent {}; waiting for a block to hold it", &extrinsic[..18]);
	let start = Instant::now();
	let mut next = from.saturating_sub(1);
	loop {
		let best = rpc.best_number()?;
		while next <= best {
			let hash = rpc.call("chain_getBlockHash", json!([next]))?;
			let hash = hash.as_str().ok_or("no such block")?.to_string();
			let block = rpc.call("chain_getBlock", json!([hash]))?;
			let extrinsics = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
			if let Some(index) = extrinsics.iter().position(|x| x.as_str() == Some(&extrinsic)) {
				eprintln!("in block #{next} ({hash})");
				let mine: Vec<RuntimeEvent> = events(rpc, &hash)?
					.into_iter()
					.filter(|record| {
						record.phase == frame_system::Phase::ApplyExtrinsic(index as u32)
					})
					.map(|record| record.event)
					.collect();
				for event in &mine {
					if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
						dispatch_error,
						..
					}) = event
					{
						return Err(refusal::dispatch_message(*dispatch_error));
					}
				}
				return Ok(mine);
			}
			next += 1;
		}
		if start.elapsed() > INCLUSION_TIMEOUT {
			return Err(format!(
				"no block holds the transaction after {} s: it may still come; `status` shows \
				 whether it took effect",
				INCLUSION_TIMEOUT.as_secs()
			));
		}
		std::thread::sleep(Duration::from_millis(500));
	}
}

/// Prints `account`'s record, balance, escrow, orders, recent payouts and reputation.
fn status(rpc: &RpcClient, account: &AccountId, history_blocks: u32) -> Result<(), String> {
	let ss58 = account.to_ss58check();
	let record = rpc.call("registration_participant", json!([ss58]))?;
	match record.as_object() {
		None => println!("{ss58}: not registered"),
		Some(record) => {
			let role = record.get("role").and_then(Value::as_object);
			let role = role.and_then(|role| role.keys().next().cloned()).unwrap_or_default();
			println!(
				"{ss58}: {} ({role}, region {}), {}",
				record.get("name").and_then(Value::as_str).unwrap_or_default(),
				record.get("region").cloned().unwrap_or_default(),
				record.get("status").and_then(Value::as_str).unwrap_or_default()
			);
		}
	}
	let info = rpc.call(
		"state_getStorage",
		json!([hex(&frame_system::Account::<Runtime>::hashed_key_for(account))]),
	)?;
	let info = match info.as_str() {
		Some(bytes) => {
			frame_system::AccountInfo::<
				gridshard_primitives::Nonce,
				pallet_balances::AccountData<Balance>,
			>::decode(&mut &unhex(bytes)?[..])
			.map_err(|e| format!("account: {e}"))?
			.data
		}
		None => Default::default(),
	};
	let escrow = rpc.call("settlement_uncommittedEscrow", json!([ss58]))?;
	let escrow: Balance =
		escrow.as_str().and_then(|amount| amount.parse().ok()).unwrap_or_default();
	println!(
		"balance: {} free, {} reserved; escrow not committed to an order: {}",
		grid(info.free),
		grid(info.reserved),
		grid(escrow)
	);
	let phase = rpc.call("matching_phase", json!([]))?;
	let book = rpc.call("matching_book", json!([phase["period"]]))?;
	for offer in book["offers"].as_array().into_iter().flatten() {
		if offer["provider"] == json!(ss58) {
			println!(
				"period {}: offer of {} Wh at {} per kWh",
				phase["period"],
				offer["capacity"],
				price(&offer["price"])
			);
		}
	}
	for request in book["requests"].as_array().into_iter().flatten() {
		if request["user"] == json!(ss58) {
			println!(
				"period {}: request {} of {} Wh, limit {}, escrow {}",
				phase["period"],
				request["id"],
				request["energy"],
				price(&request["limit"]),
				amount(&request["escrow"])
			);
		}
	}
	let orders = rpc.call("settlement_ordersOf", json!([ss58]))?;
	for order in orders.as_array().into_iter().flatten() {
		let side = if order["provider"] == json!(ss58) { "selling" } else { "buying" };
		println!(
			"order {}: {side} {} Wh at {} per kWh, window #{}-#{}, {}; meters: provider {}, user {}{}",
			order["id"],
			order["agreed"],
			price(&order["price"]),
			order["window"][0],
			order["window"][1],
			order["status"].as_str().unwrap_or_default(),
			meter(&order["providerMeter"]),
			meter(&order["userMeter"]),
			match order["payableAt"].as_u64() {
				Some(at) => format!("; payable at #{at}"),
				None => String::new(),
			}
		);
	}
	for (block, order, outcome) in payouts(rpc, account, history_blocks)? {
		println!(
			"order {order}: paid out in block #{block}: {} to the provider, {} refunded, \
			 {} grid fee, {} reward, {} penalty",
			grid(outcome.provider),
			grid(outcome.refund),
			grid(outcome.grid_fee),
			grid(outcome.reward),
			grid(outcome.penalty)
		);
	}
	let standing = rpc.call("reputation_standing", json!([ss58]))?;
	if !standing.is_null() {
		println!(
			"reputation: {} after {} settled orders",
			standing["comprehensive"].as_str().unwrap_or_default(),
			standing["lifetimeTrades"]
		);
	}
	Ok(())
}

/// The payouts of `account`'s orders opened and paid in the last `blocks` blocks.
fn payouts(
	rpc: &RpcClient,
	account: &AccountId,
	blocks: u32,
) -> Result<Vec<(u32, u64, pallet_settlement::Outcome<Balance>)>, String> {
	let best = rpc.best_number()?;
	let mut mine = std::collections::BTreeSet::new();
	let mut paid = Vec::new();
	for number in best.saturating_sub(blocks)..=best {
		let hash = rpc.call("chain_getBlockHash", json!([number]))?;
		let Some(hash) = hash.as_str() else { continue };
		for record in events(rpc, hash)? {
			match record.event {
				RuntimeEvent::Settlement(pallet_settlement::Event::OrderOpened {
					order,
					user,
					provider,
					..
				}) if user == *account || provider == *account => {
					mine.insert(order);
				}
				RuntimeEvent::Settlement(pallet_settlement::Event::PaidOut { order, outcome })
					if mine.contains(&order) =>
				{
					paid.push((number, order, outcome))
				}
				_ => {}
			}
		}
	}
	Ok(paid)
}

fn amount(value: &Value) -> String {
	value.as_str().and_then(|amount| amount.parse().ok()).map(grid).unwrap_or_default()
}

fn price(value: &Value) -> String {
	match value.as_str().and_then(|amount| amount.parse::<Balance>().ok()) {
		Some(amount) => {
			let milli = grid(amount * 1_000);
			format!("{} mGRID", milli.trim_end_matches(" GRID"))
		}
		None => "none".into(),
	}
}

fn meter(reading: &Value) -> String {
	if reading["sequence"].as_u64().unwrap_or_default() == 0 {
		return "none".into();
	}
	let kind = if reading["isFinal"] == json!(true) { "final" } else { "interim" };
	format!("{} Wh ({kind})", reading["energy"])
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_read_and_print_in_the_markets_units() {
		assert_eq!(milli_grid("200"), Ok(200 * MILLI_GRID));
		assert_eq!(milli_grid("0.5"), Ok(MILLI_GRID / 2));
		assert_eq!(milli_grid(".000000001"), Ok(1));
		for bad in ["", ".", "1.0000000001", "-1", "2e3", "one"] {
			assert!(
				milli_grid(bad).unwrap_err().contains("is not an amount of milli-GRID"),
				"{bad}"
			);
		}
		assert_eq!(grid(1_440_000_000_000), "1.44 GRID");
		assert_eq!(grid(2 * GRID), "2 GRID");
		assert_eq!(price(&json!("250000000000")), "250 mGRID");
		assert_eq!(price(&Value::Null), "none");
	}
}
