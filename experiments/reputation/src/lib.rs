//! # The paper's reputation experiment, through GridShard's runtime
//!
//! Section 5.1.2 of the paper follows four providers over ten trading cycles with `alpha = 0.4`:
//! provider 1 is honest and able to supply more than asked, provider 2 is dishonest (always
//! supplies less than agreed), providers 3 and 4 are honest or not at random. This crate runs
//! that experiment on the real runtime (native, from the `development` preset), block by
//! block, the way the chain would:
//!
//! 1. Providers 1 and 2 are the preset's Eve and Ferdie; providers 3 and 4 (the Charlie and
//!    Dave stash accounts) apply through `pallet-registration` and Root approves them. The
//!    preset's two households buy.
//! 2. Each cycle is one trading period (20 blocks). At its first block every provider gets
//!    [`TRADES`] orders of [`AGREED`] Wh: the household's escrow is held and the order opened
//!    through settlement's `Escrow` and `OrderBook`, as matching will do.
//! 3. When the delivery window ends both meters send their final reading, signed by their
//!    development meter keys (`<account seed>//meter`), as `submit_reading` dispatched with the
//!    authorised origin; the provider applies for settlement.
//! 4. Twenty blocks later (dispute window, confirmation depth) the settlement hook pays out and
//!    reports `v = min(rho, gamma) / R` to `pallet-reputation`, which folds the period with
//!    eq. 1 and 2.
//!
//! A delivery's ratio `v` is drawn from the seeded generator: provider 1 in `[1.10, 1.30]`,
//! provider 2 in `[0.30, 0.80]`; providers 3 and 4 are, each cycle, honest with probability
//! 70 % (`v` in `[1.00, 1.05]`) or dishonest for the whole cycle (`v` in `[0.30, 0.80]`).
//!
//! [`run`] returns each cycle's comprehensive reputations as the chain computed them; [`csv`]
//! and [`svg`] write them out (`cargo run --release -p gridshard-reputation-experiment`).

use frame_support::{dispatch::RawOrigin, traits::UnfilteredDispatchable};
use gridshard_primitives::{
	traits::{Escrow, OrderBook, OrderTerms, ReputationProvider},
	AccountId, Balance, Energy, Price, MILLI_GRID,
};
use gridshard_runtime::{
	genesis_config_presets::{development_meter, preset_storage},
	testing, Registration, RegistrationCall, Reputation, Runtime, RuntimeCall, RuntimeOrigin,
	Settlement, SettlementCall, System, PERIOD_BLOCKS, TARGET_BLOCK_TIME_MS,
};
use gridshard_solver::generate::SplitMix;
use pallet_registration::{Application, GridConnection, Role, VoltageLevel};
use pallet_settlement::{reading_payload, Reading, Side};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{FixedPointNumber, FixedU128};

/// The genesis the experiment starts from: the development chain's.
pub const PRESET: &str = "development";

/// Trading cycles, one period each.
pub const CYCLES: u32 = 10;
/// Orders per provider and cycle.
pub const TRADES: u32 = 10;
/// `R` of every order: 10 kWh.
pub const AGREED: Energy = 10_000;
/// `r` of every order: 0.2 GRID per kWh.
pub const PRICE: Price = 200 * MILLI_GRID;
/// Blocks from a cycle's first block to the end of its delivery window.
pub const DELIVERY_BLOCKS: u32 = 5;

/// How a provider of the experiment delivers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
	/// Always delivers more than agreed: `v` in `[1.10, 1.30]`.
	OverSupplier,
	/// Always delivers less than agreed: `v` in `[0.30, 0.80]`.
	Dishonest,
	/// Each cycle honest (`v` in `[1.00, 1.05]`) with probability 70 %, else dishonest for the
	/// whole cycle.
	Random,
}

/// A provider of the experiment.
#[derive(Clone, Copy, Debug)]
pub struct Provider {
	/// Its label in the CSV and the chart.
	pub label: &'static str,
	/// Its development account.
	pub keyring: Sr25519Keyring,
	/// How it delivers.
	pub behaviour: Behaviour,
}

/// The four providers, in the paper's order.
pub const PROVIDERS: [Provider; 4] = [
	Provider {
		label: "provider 1 (honest, over-supplies)",
		keyring: Sr25519Keyring::Eve,
		behaviour: Behaviour::OverSupplier,
	},
	Provider {
		label: "provider 2 (dishonest)",
		keyring: Sr25519Keyring::Ferdie,
		behaviour: Behaviour::Dishonest,
	},
	Provider {
		label: "provider 3 (random)",
		keyring: Sr25519Keyring::CharlieStash,
		behaviour: Behaviour::Random,
	},
	Provider {
		label: "provider 4 (random)",
		keyring: Sr25519Keyring::DaveStash,
		behaviour: Behaviour::Random,
	},
];

/// The households that buy.
pub const USERS: [Sr25519Keyring; 2] = [Sr25519Keyring::AliceStash, Sr25519Keyring::BobStash];

/// What one cycle left on chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
	/// The cycle, from 1.
	pub cycle: u32,
	/// Each provider's comprehensive reputation `RC_j` after the cycle, as the chain holds it.
	pub reputation: [FixedU128; 4],
	/// Each provider's delivery ratios in the cycle, as drawn (thousandths of `R`).
	pub ratios: [Vec<u64>; 4],
	/// Whether the provider was dishonest in the cycle.
	pub dishonest: [bool; 4],
}

/// Draws the cycle's ratios (thousandths) and whether each provider is dishonest in it.
fn draw(rng: &mut SplitMix) -> ([Vec<u64>; 4], [bool; 4]) {
	let mut ratios: [Vec<u64>; 4] = Default::default();
	let mut dishonest = [false; 4];
	for (index, provider) in PROVIDERS.iter().enumerate() {
		let (low, high) = match provider.behaviour {
			Behaviour::OverSupplier => (1_100, 1_300),
			Behaviour::Dishonest => (300, 800),
			Behaviour::Random => {
				if rng.chance(70) {
					(1_000, 1_050)
				} else {
					(300, 800)
				}
			}
		};
		dishonest[index] = high < 1_000;
		ratios[index] = (0..TRADES).map(|_| rng.range(low, high)).collect();
	}
	(ratios, dishonest)
}

/// Runs one block as a miner would build it (Alice mining, a timestamp inherent), with `body`
/// between the inherent and the end of the block, and checks the pallets' invariants.
fn block(body: impl FnOnce()) {
	let n = System::block_number() + 1;
	let alice = Sr25519Keyring::Alice.to_account_id();
	testing::run_block(n, &alice, TARGET_BLOCK_TIME_MS * u64::from(n), body);
	testing::check_invariants();
}

/// Dispatches `call` from `origin`, which must succeed.
fn dispatch(call: RuntimeCall, origin: RuntimeOrigin) {
	call.dispatch_bypass_filter(origin).expect("the call succeeds");
}

/// Registers provider `keyring` (a photovoltaic roof) and has Root approve it.
fn register(keyring: Sr25519Keyring, index: usize) {
	let account = keyring.to_account_id();
	let meter = development_meter(keyring);
	let meter_id = format!("MTR-EXP-{index}").into_bytes();
	let proof = meter.sign(&Registration::meter_key_proof_payload(
		&Registration::genesis_hash(),
		&account,
		&meter_id,
	));
	let application = Application {
		role: Role::Provider {
			kind: pallet_registration::GenerationKind::Photovoltaic,
			rated_power_w: 100_000,
			connection: GridConnection { point: b"feeder-9".to_vec(), voltage: VoltageLevel::Low },
		},
		region: 1,
		name: format!("Experiment provider {}", index + 1).into_bytes(),
		meter_id,
		meter_key: meter.public(),
		meter_key_proof: proof,
		settlement_commitment: H256::repeat_byte(index as u8),
	};
	let apply = RegistrationCall::apply { application: Box::new(application) };
	dispatch(RuntimeCall::Registration(apply), RuntimeOrigin::signed(account.clone()));
	dispatch(
		RuntimeCall::Registration(RegistrationCall::approve { who: account }),
		RawOrigin::Root.into(),
	);
}

/// Opens the cycle's orders: [`TRADES`] per provider, alternating households.
fn open_orders(period: u32) -> Vec<(u64, usize)> {
	let now = System::block_number();
	let cost = Settlement::rules().cost(AGREED, PRICE).expect("no overflow");
	let mut orders = Vec::new();
	for (index, provider) in PROVIDERS.iter().enumerate() {
		for trade in 0..TRADES {
			let user = USERS[trade as usize % USERS.len()].to_account_id();
			Settlement::hold(&user, cost).expect("the household can pay");
			let order = Settlement::open_order(OrderTerms {
				user,
				provider: provider.keyring.to_account_id(),
				agreed: AGREED,
				price: PRICE,
				grid_fee: MILLI_GRID,
				period,
				window_start: now,
				window_end: now + DELIVERY_BLOCKS,
			})
			.expect("a valid order");
			orders.push((order, index));
		}
	}
	orders
}

/// Both meters' final readings for `order`, delivering `ratio` thousandths of `R`, and the
/// provider's application for settlement.
fn deliver_and_settle(order: u64, provider: usize, user: Sr25519Keyring, ratio: u64) {
	let energy = AGREED * ratio / 1_000;
	for (side, keyring) in [(Side::Provider, PROVIDERS[provider].keyring), (Side::User, user)] {
		let reading = Reading { order, side, energy, sequence: 1, is_final: true };
		let signature = development_meter(keyring)
			.sign(&reading_payload(&Settlement::genesis_hash(), &reading));
		let call = SettlementCall::submit_reading { reading, signature };
		dispatch(RuntimeCall::Settlement(call), RawOrigin::Authorized.into());
	}
	let apply = SettlementCall::apply_for_settlement { order };
	let provider = PROVIDERS[provider].keyring.to_account_id();
	dispatch(RuntimeCall::Settlement(apply), RuntimeOrigin::signed(provider));
}

/// Each provider's `RC_j` as the market sees it now.
fn reputations() -> [FixedU128; 4] {
	PROVIDERS.map(|p| Reputation::comprehensive_reputation(&p.keyring.to_account_id()))
}

/// What the experiment leaves besides the reputations: checks that money was neither created
/// nor lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
	/// Total issuance before and after.
	pub issuance: (Balance, Balance),
	/// Blocks run (each mints one block reward).
	pub blocks: u32,
	/// The reward pot before and after.
	pub pot: (Balance, Balance),
	/// Rewards paid, from the settlement events.
	pub rewards: Balance,
	/// Orders still open at the end.
	pub open_orders: usize,
}

/// The orders of the cycle in delivery, with their providers' indices, and the drawn ratios.
type Delivery = (Vec<(u64, usize)>, [Vec<u64>; 4]);

/// Runs the experiment with `seed`; returns the cycles and the ledger.
pub fn run(seed: u64) -> (Vec<Cycle>, Ledger) {
	let mut ext = sp_io::TestExternalities::new(preset_storage(PRESET));
	ext.execute_with(|| {
		let mut rng = SplitMix(seed);
		let pot = gridshard_runtime::configs::RewardPot::get();
		let balance = |who: &AccountId| pallet_balances::Pallet::<Runtime>::free_balance(who);
		let issuance_before = pallet_balances::TotalIssuance::<Runtime>::get();
		let pot_before = balance(&pot);
		let mut rewards: Balance = 0;
		let mut count_rewards = || {
			for record in System::events() {
				if let gridshard_runtime::RuntimeEvent::Settlement(
					pallet_settlement::Event::PaidOut { outcome, .. },
				) = record.event
				{
					rewards += outcome.reward;
				}
			}
		};

		let mut cycles: Vec<Cycle> = Vec::new();
		let mut delivering: Option<Delivery> = None;
		let last_block = PERIOD_BLOCKS * (CYCLES + 1) + 1;
		while System::block_number() < last_block {
			let n = System::block_number() + 1;
			let period = n / PERIOD_BLOCKS;
			let offset = n % PERIOD_BLOCKS;
			block(|| {
				if n == 1 {
					register(PROVIDERS[2].keyring, 2);
					register(PROVIDERS[3].keyring, 3);
				}
				if offset == 1 && period < CYCLES {
					let (ratios, dishonest) = draw(&mut rng);
					let orders = open_orders(period);
					cycles.push(Cycle {
						cycle: period + 1,
						reputation: Default::default(),
						ratios: ratios.clone(),
						dishonest,
					});
					delivering = Some((orders, ratios));
				}
				if offset == 1 + DELIVERY_BLOCKS && period < CYCLES {
					let (orders, ratios) = delivering.take().expect("opened at the cycle's start");
					let mut next = [0usize; 4];
					for (trade, (order, provider)) in orders.into_iter().enumerate() {
						let user = USERS[trade % TRADES as usize % USERS.len()];
						deliver_and_settle(order, provider, user, ratios[provider][next[provider]]);
						next[provider] += 1;
					}
				}
				// Cycle c's deliveries are paid in period c + 1 and closed when period c + 2
				// begins.
				if offset == 1 && period >= 2 && period - 2 < CYCLES {
					cycles[(period - 2) as usize].reputation = reputations();
				}
			});
			count_rewards();
		}
		let ledger = Ledger {
			issuance: (issuance_before, pallet_balances::TotalIssuance::<Runtime>::get()),
			blocks: System::block_number(),
			pot: (pot_before, balance(&pot)),
			rewards,
			open_orders: pallet_settlement::Orders::<Runtime>::iter().count(),
		};
		(cycles, ledger)
	})
}

/// The reputations as CSV: `cycle`, the four providers' `RC`, and whether providers 3 and 4
/// were dishonest in the cycle.
pub fn csv(cycles: &[Cycle]) -> String {
	let mut out =
		String::from("cycle,provider_1,provider_2,provider_3,provider_4,dishonest_3,dishonest_4\n");
	for cycle in cycles {
		let rc: Vec<String> =
			cycle.reputation.iter().map(|r| format!("{:.6}", to_f64(*r))).collect();
		out += &format!(
			"{},{},{},{}\n",
			cycle.cycle,
			rc.join(","),
			u8::from(cycle.dishonest[2]),
			u8::from(cycle.dishonest[3])
		);
	}
	out
}

/// A fixed-point reputation as a float, for output only.
pub fn to_f64(value: FixedU128) -> f64 {
	value.into_inner() as f64 / FixedU128::DIV as f64
}

/// The reputations as an SVG line chart.
pub fn svg(cycles: &[Cycle], seed: u64) -> Result<String, String> {
	use plotters::prelude::*;
	let mut out = String::new();
	{
		let root = SVGBackend::with_string(&mut out, (800, 480)).into_drawing_area();
		root.fill(&WHITE).map_err(|e| e.to_string())?;
		let top = cycles
			.iter()
			.flat_map(|c| c.reputation.iter().map(|r| to_f64(*r)))
			.fold(1.0f64, f64::max)
			* 1.1;
		let mut chart = ChartBuilder::on(&root)
			.caption(
				format!("Comprehensive reputation RC, alpha = 0.4 (seed {seed})"),
				("sans-serif", 20),
			)
			.margin(16)
			.x_label_area_size(40)
			.y_label_area_size(50)
			.build_cartesian_2d(1u32..cycles.len().max(2) as u32, 0f64..top)
			.map_err(|e| e.to_string())?;
		chart.configure_mesh().x_desc("cycle").y_desc("RC").draw().map_err(|e| e.to_string())?;
		let colours = [BLUE, RED, GREEN, MAGENTA];
		for (index, provider) in PROVIDERS.iter().enumerate() {
			let colour = colours[index];
			let points = cycles.iter().map(|c| (c.cycle, to_f64(c.reputation[index])));
			chart
				.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
				.map_err(|e| e.to_string())?
				.label(provider.label)
				.legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
			chart
				.draw_series(points.map(|p| Circle::new(p, 3, colour.filled())))
				.map_err(|e| e.to_string())?;
		}
		chart
			.configure_series_labels()
			.position(SeriesLabelPosition::LowerRight)
			.background_style(WHITE.mix(0.8))
			.border_style(BLACK)
			.draw()
			.map_err(|e| e.to_string())?;
		root.present().map_err(|e| e.to_string())?;
	}
	Ok(out)
}
