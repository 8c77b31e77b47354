//! # The runtime fuzzer
//!
//! Drives GridShard's whole runtime, natively, with arbitrary sequences of what its users,
//! meters, council, miners and off-chain workers do, and checks after every step what must
//! always hold.
//!
//! A run starts from the `dev` preset (the council Alice, Bob, Charlie and Dave; providers Eve
//! and Ferdie and households Alice-stash and Bob-stash approved, with their development meters;
//! Charlie-stash and Dave-stash funded but not registered; `//One`, which holds nothing). The
//! input ([`Input`]) then picks, one step at a time, among:
//!
//! - the calls of every pallet, from the right account or any other: offers and requests,
//!   grid fees, settlement applications, disputes and their rulings, payouts, applications
//!   for registration (with a true or a borrowed meter-key proof), withdrawals and
//!   deregistration, transfers, the light client's and the records' calls with what a region
//!   never sent, the region's proxy nomination;
//! - the council's motions (approve, reject, suspend, reinstate, and acting as Root through
//!   `CouncilRoot`) carried by two, three or four members;
//! - meter readings, signed by the order's meter or another, and solutions (the solver's, the
//!   greedy fallback's, or pairs drawn at random, with their score or a forged one), both as
//!   the feeless general transactions the pool and blocks see, through `Executive`;
//! - the matching pallet's off-chain worker, its transactions applied in the next block;
//! - the end of the block, or of several, so that periods close, adopt, settle and pay out.
//!
//! Checked after every call: a dispatch never panics (a panic fails the run), a call's actual
//! weight never exceeds its declared weight, and a call that fails leaves the state as it was.
//! Checked after every block: every pallet's `try_state`, and total issuance grown by exactly
//! the block rewards. The tests run a fixed number of generated inputs; `runtime-fuzz` runs for
//! as long as it is asked and prints the executions (see the crate's README).

pub mod input;

pub use input::Input;

use codec::Encode;
use frame_support::{dispatch::GetDispatchInfo, traits::Hooks};
use frame_system::offchain::CreateAuthorizedTransaction;
use gridshard_primitives::{AccountId, Balance, BlockNumber, Hash, Header};
use gridshard_runtime::{
	genesis_config_presets::{development_meter, preset_storage},
	testing, Balances, BalancesCall, CouncilRootCall, Executive, Matching, MatchingCall,
	PeriodRecordsCall, QualificationCouncilCall, Registration, RegistrationCall, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeOrigin, SettlementCall, ShardProxyCall, System,
	TimestampCall, UncheckedExtrinsic, BLOCK_REWARD, GRID, TARGET_BLOCK_TIME_MS,
};
use pallet_registration::{Application, GridConnection, Role, VoltageLevel};
use pallet_settlement::{reading_payload, Reading, Side};
use sp_core::{
	offchain::{
		testing::{PoolState, TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
	Pair, H256,
};
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::{
	traits::{Dispatchable, Hash as _, Header as _},
	StateVersion,
};
use std::sync::Arc;

/// The qualification council's members on `dev`.
const COUNCIL: [Keyring; 4] = [Keyring::Alice, Keyring::Bob, Keyring::Charlie, Keyring::Dave];

/// Everyone who acts: the council, the providers, the households, two funded strangers who
/// may apply, and one account that holds nothing.
const EVERYONE: [Keyring; 11] = [
	Keyring::Alice,
	Keyring::Bob,
	Keyring::Charlie,
	Keyring::Dave,
	Keyring::Eve,
	Keyring::Ferdie,
	Keyring::AliceStash,
	Keyring::BobStash,
	Keyring::CharlieStash,
	Keyring::DaveStash,
	Keyring::One,
];

/// Prices per kWh an offer or a limit may name, up to past the maximum (10 GRID).
const PRICES: [Balance; 6] = [0, GRID / 100, GRID / 5, GRID / 4, 10 * GRID, 10 * GRID + 1];

/// Energies in Wh a request, an offer or a reading may name.
const ENERGIES: [u64; 8] = [0, 1, 100, 2_000, 6_000, 10_000, 100_000, u64::MAX];

/// What runs did, for the progress line and the note.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
	/// Inputs run.
	pub runs: u64,
	/// Blocks built.
	pub blocks: u64,
	/// Calls dispatched (and general transactions applied).
	pub calls: u64,
	/// Of those, the ones refused, by the call or before it.
	pub refused: u64,
	/// Solutions accepted.
	pub solutions: u64,
	/// Orders paid out.
	pub payouts: u64,
}

impl Stats {
	/// Adds `other`'s counts to these.
	pub fn add(&mut self, other: &Stats) {
		self.runs += other.runs;
		self.blocks += other.blocks;
		self.calls += other.calls;
		self.refused += other.refused;
		self.solutions += other.solutions;
		self.payouts += other.payouts;
	}
}

/// Runs one input on a fresh `dev` chain; panics, naming the property, where one does not hold.
pub fn run(data: &[u8]) -> Stats {
	let mut ext = sp_io::TestExternalities::new(preset_storage("development"));
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		let mut run = Run {
			input: Input::new(data),
			stats: Stats { runs: 1, ..Default::default() },
			issuance: Balances::total_issuance(),
			pool: pool_state,
		};
		run.begin_block();
		while !run.input.is_empty() {
			run.step();
		}
		run.end_block();
		run.stats
	})
}

/// One run's state outside the runtime's storage.
struct Run<'a> {
	input: Input<'a>,
	stats: Stats,
	/// Total issuance at genesis plus every block's reward so far.
	issuance: Balance,
	/// The test pool, where the off-chain worker's transactions land.
	pool: Arc<parking_lot::RwLock<PoolState>>,
}

impl Run<'_> {
	/// One step, as the input chooses.
	fn step(&mut self) {
		match self.input.below(20) {
			0..=2 => self.matching_call(),
			3 => self.solution(),
			4..=5 => self.reading(),
			6..=7 => self.settlement_call(),
			8 => self.registration_call(),
			9 => self.motion(),
			10 => self.transfer(),
			11 => self.region_call(),
			12..=13 => self.worker(),
			14..=16 => self.next_block(),
			17 => self.matching_call(),
			18 => self.reading(),
			_ => {
				for _ in 0..self.input.below(8) + 1 {
					self.next_block();
				}
			}
		}
	}

	/// Someone of [`EVERYONE`]: mostly `likely`, sometimes anyone.
	fn someone(&mut self, likely: &[Keyring]) -> Keyring {
		if likely.is_empty() || self.input.chance(15) {
			self.input.pick(&EVERYONE)
		} else {
			self.input.pick(likely)
		}
	}

	/// The order ids a step may name: existing ones mostly, sometimes one past the last.
	fn order_id(&mut self) -> u64 {
		let next = pallet_settlement::NextOrderId::<Runtime>::get();
		if next == 0 || self.input.chance(10) {
			next
		} else {
			next - 1 - u64::from(self.input.below(next.min(16) as u32))
		}
	}

	fn matching_call(&mut self) {
		let providers = [Keyring::Eve, Keyring::Ferdie];
		let users = [Keyring::AliceStash, Keyring::BobStash];
		let (call, who) = match self.input.below(6) {
			0 | 1 => {
				let price = self.input.pick(&PRICES);
				let capacity = self.input.pick(&ENERGIES);
				(MatchingCall::post_offer { price, capacity }, self.someone(&providers))
			}
			2 => (MatchingCall::withdraw_offer {}, self.someone(&providers)),
			3 => {
				let energy = self.input.pick(&ENERGIES);
				let limit = self.input.chance(50).then(|| self.input.pick(&PRICES));
				(MatchingCall::post_request { energy, limit }, self.someone(&users))
			}
			4 => (MatchingCall::cancel_request { id: self.input.below(8) }, self.someone(&users)),
			_ => {
				let per_kwh = self.input.chance(70).then(|| self.input.pick(&PRICES));
				let call = MatchingCall::set_grid_fee { from: 1, to: 1, per_kwh };
				(call, self.someone(&[Keyring::Bob]))
			}
		};
		self.dispatch(RuntimeCall::Matching(call), RuntimeOrigin::signed(who.to_account_id()));
	}

	/// A solution for the current snapshot as a general transaction: the solver's, the
	/// greedy's or pairs at random, claimed at their score or a forged one.
	fn solution(&mut self) {
		let snapshot = pallet_matching::CurrentSnapshot::<Runtime>::get();
		let period = match (&snapshot, self.input.chance(90)) {
			(Some(snapshot), true) => snapshot.period,
			_ => Matching::current_period(),
		};
		let (pairs, score) = match (snapshot, self.input.below(3)) {
			(Some(snapshot), 0) => Matching::solve(&snapshot).unwrap_or_default(),
			(Some(snapshot), 1) => {
				let pairs = Matching::greedy(&snapshot);
				let score = Matching::score(&snapshot, &pairs).unwrap_or_default();
				(pairs, score)
			}
			_ => {
				let pairs = (0..self.input.below(6))
					.map(|_| (self.input.below(8), self.input.below(4)))
					.collect();
				(pairs, Default::default())
			}
		};
		let mut claimed = score;
		if self.input.chance(30) {
			claimed.weight ^= u128::from(self.input.byte()) + 1;
		}
		let Ok(solution) = pairs.try_into() else { return };
		let call =
			RuntimeCall::Matching(MatchingCall::submit_solution { period, solution, claimed });
		if self.apply(general(call)) {
			self.stats.solutions += 1;
		}
	}

	/// A meter reading of an order, signed by its meter or by another.
	fn reading(&mut self) {
		let id = self.order_id();
		let order = pallet_settlement::Orders::<Runtime>::get(id);
		let side = if self.input.chance(50) { Side::Provider } else { Side::User };
		let agreed = order.as_ref().map_or(1_000, |o| o.terms.agreed);
		let energy = match self.input.below(4) {
			0 => agreed,
			1 => agreed / 2,
			2 => agreed + 200,
			_ => self.input.pick(&ENERGIES),
		};
		let reading = Reading {
			order: id,
			side,
			energy,
			sequence: self.input.below(4),
			is_final: self.input.chance(60),
		};
		let owner = order.map(|o| match side {
			Side::Provider => o.terms.provider,
			Side::User => o.terms.user,
		});
		let signer = match owner.and_then(|owner| keyring_of(&owner)) {
			Some(keyring) if self.input.chance(90) => keyring,
			_ => self.input.pick(&EVERYONE),
		};
		let signature = development_meter(signer)
			.sign(&reading_payload(&gridshard_runtime::Settlement::genesis_hash(), &reading));
		let call = RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
		self.apply(general(call));
	}

	fn settlement_call(&mut self) {
		let order = self.order_id();
		let terms = pallet_settlement::Orders::<Runtime>::get(order).map(|o| o.terms);
		let (provider, user) =
			terms.map(|t| (keyring_of(&t.provider), keyring_of(&t.user))).unwrap_or_default();
		let (call, likely): (_, Vec<Keyring>) = match self.input.below(4) {
			0 => (SettlementCall::apply_for_settlement { order }, provider.into_iter().collect()),
			1 => (SettlementCall::dispute { order }, user.into_iter().collect()),
			2 => {
				let rho = self.input.pick(&ENERGIES);
				let gamma = self.input.pick(&ENERGIES);
				(SettlementCall::resolve_dispute { order, rho, gamma }, vec![Keyring::Dave])
			}
			_ => (SettlementCall::claim_payout { order }, EVERYONE.to_vec()),
		};
		let who = self.someone(&likely);
		self.dispatch(RuntimeCall::Settlement(call), RuntimeOrigin::signed(who.to_account_id()));
	}

	/// An application (with the meter key's own proof, or one made for another), a withdrawal,
	/// a deregistration, or its completion.
	fn registration_call(&mut self) {
		let who = self.someone(&[Keyring::CharlieStash, Keyring::DaveStash]);
		let call = match self.input.below(4) {
			0 => {
				let account = who.to_account_id();
				let meter = development_meter(who);
				let meter_id = format!("MTR-FUZZ-{}", self.input.below(4)).into_bytes();
				let prover = if self.input.chance(85) { who } else { self.input.pick(&EVERYONE) };
				let proof = development_meter(prover).sign(&Registration::meter_key_proof_payload(
					&Registration::genesis_hash(),
					&account,
					&meter_id,
				));
				let connection =
					GridConnection { point: b"feeder-9".to_vec(), voltage: VoltageLevel::Low };
				let role = if self.input.chance(50) {
					Role::Provider {
						kind: pallet_registration::GenerationKind::Storage,
						rated_power_w: 10_000,
						connection,
					}
				} else {
					Role::User { connection }
				};
				let application = Application {
					role,
					region: if self.input.chance(90) { 1 } else { 2 },
					name: b"Fuzzed".to_vec(),
					meter_id,
					meter_key: meter.public(),
					meter_key_proof: proof,
					settlement_commitment: H256::repeat_byte(9),
				};
				RegistrationCall::apply { application: Box::new(application) }
			}
			1 => RegistrationCall::withdraw {},
			2 => RegistrationCall::deregister {},
			_ => RegistrationCall::complete_deregistration {},
		};
		self.dispatch(RuntimeCall::Registration(call), RuntimeOrigin::signed(who.to_account_id()));
	}

	/// A council motion carried by two, three or all four members.
	fn motion(&mut self) {
		let who = self.input.pick(&EVERYONE).to_account_id();
		let proposal = match self.input.below(5) {
			0 => RuntimeCall::Registration(RegistrationCall::approve { who }),
			1 => RuntimeCall::Registration(RegistrationCall::reject {
				who,
				reason: pallet_registration::RejectionReason::IdentityNotVerified,
			}),
			2 => RuntimeCall::Registration(RegistrationCall::suspend {
				who,
				reason: if self.input.chance(50) {
					pallet_registration::SuspensionReason::Misconduct
				} else {
					pallet_registration::SuspensionReason::Inspection
				},
			}),
			3 => RuntimeCall::Registration(RegistrationCall::reinstate { who }),
			_ => RuntimeCall::CouncilRoot(CouncilRootCall::dispatch_as_root {
				call: Box::new(RuntimeCall::System(frame_system::Call::set_storage {
					items: vec![(b"gridshard:fuzz".to_vec(), vec![self.input.byte()])],
				})),
			}),
		};
		let voters = &COUNCIL[..2 + self.input.below(3) as usize];
		let length = proposal.encoded_size() as u32;
		let weight = proposal.get_dispatch_info().call_weight;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&proposal);
		let index =
			pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
		let signed = |member: &Keyring| RuntimeOrigin::signed(member.to_account_id());
		let propose = QualificationCouncilCall::propose {
			threshold: voters.len() as u32,
			proposal: Box::new(proposal),
			length_bound: length,
		};
		if !self.dispatch(RuntimeCall::QualificationCouncil(propose), signed(&voters[0])) {
			return;
		}
		for voter in voters {
			let vote = QualificationCouncilCall::vote { proposal: hash, index, approve: true };
			self.dispatch(RuntimeCall::QualificationCouncil(vote), signed(voter));
		}
		let close = QualificationCouncilCall::close {
			proposal_hash: hash,
			index,
			proposal_weight_bound: weight,
			length_bound: length,
		};
		self.dispatch(RuntimeCall::QualificationCouncil(close), signed(&voters[0]));
	}

	fn transfer(&mut self) {
		let from = self.input.pick(&EVERYONE);
		let dest = self.input.pick(&EVERYONE).to_account_id().into();
		let value = self.input.pick(&[0, 1, GRID, 500 * GRID, Balance::MAX]);
		let call = if self.input.chance(50) {
			BalancesCall::transfer_keep_alive { dest, value }
		} else {
			BalancesCall::transfer_allow_death { dest, value }
		};
		self.dispatch(RuntimeCall::Balances(call), RuntimeOrigin::signed(from.to_account_id()));
	}

	/// What a region never sent: a `dev` chain follows no region and is none, so each of these
	/// must be refused by name and change nothing.
	fn region_call(&mut self) {
		let region = self.input.below(4) as u16;
		let call = match self.input.below(5) {
			0 => RuntimeCall::ShardProxy(ShardProxyCall::submit_headers {
				region,
				headers: vec![Header::new(
					self.input.below(50),
					Default::default(),
					Default::default(),
					Hash::repeat_byte(self.input.byte()),
					Default::default(),
				)],
			}),
			1 => RuntimeCall::ShardProxy(ShardProxyCall::unbond {}),
			2 => RuntimeCall::ShardProxy(ShardProxyCall::remove_region { region }),
			3 => RuntimeCall::ShardProxy(ShardProxyCall::prove {
				region,
				period: self.input.below(4),
				anchor: Hash::repeat_byte(self.input.byte()),
				proof: vec![vec![self.input.byte(); 8]],
			}),
			_ => RuntimeCall::PeriodRecords(PeriodRecordsCall::name_proxy {
				account: self.input.pick(&EVERYONE).to_account_id(),
			}),
		};
		let origin = if self.input.chance(30) {
			RuntimeOrigin::root()
		} else {
			RuntimeOrigin::signed(self.input.pick(&EVERYONE).to_account_id())
		};
		self.dispatch(call, origin);
	}

	/// The matching pallet's off-chain worker on the last block's state, then its transactions
	/// applied in the block after.
	fn worker(&mut self) {
		self.end_block();
		Matching::offchain_worker(System::block_number());
		self.begin_block();
		let submitted = std::mem::take(&mut self.pool.write().transactions);
		for bytes in submitted {
			let extrinsic = codec::Decode::decode(&mut &bytes[..]).expect("the worker's encoding");
			if self.apply(extrinsic) {
				self.stats.solutions += 1;
			}
		}
	}

	/// Dispatches `call` from `origin` and checks the dispatch: its actual weight within its
	/// declared weight, and a refused call changing nothing. True if it succeeded.
	fn dispatch(&mut self, call: RuntimeCall, origin: RuntimeOrigin) -> bool {
		self.stats.calls += 1;
		let declared = call.get_dispatch_info().call_weight;
		let before = sp_io::storage::root(StateVersion::V1);
		let described = format!("{call:?}");
		let result = call.dispatch(origin);
		let post = match &result {
			Ok(post) => *post,
			Err(error) => error.post_info,
		};
		if let Some(actual) = post.actual_weight {
			assert!(
				actual.all_lte(declared),
				"{described}: actual weight {actual:?} above the declared {declared:?}"
			);
		}
		if let Err(error) = result {
			self.stats.refused += 1;
			assert_eq!(
				sp_io::storage::root(StateVersion::V1),
				before,
				"{described} failed with {error:?} and changed the state"
			);
		}
		result.is_ok()
	}

	/// Applies a general transaction as a block builder does: a transaction the runtime finds
	/// invalid is left out of the block. True if it was applied and its call succeeded.
	fn apply(&mut self, extrinsic: UncheckedExtrinsic) -> bool {
		self.stats.calls += 1;
		let applied =
			frame_support::storage::with_transaction(|| {
				match Executive::apply_extrinsic(extrinsic) {
					Ok(outcome) => sp_runtime::TransactionOutcome::Commit(Ok::<
						_,
						sp_runtime::DispatchError,
					>(outcome.is_ok())),
					Err(_) => sp_runtime::TransactionOutcome::Rollback(Ok(false)),
				}
			})
			.unwrap_or(false);
		if !applied {
			self.stats.refused += 1;
		}
		applied
	}

	/// Ends the open block, checks every invariant, and opens the next one.
	fn next_block(&mut self) {
		self.end_block();
		self.begin_block();
	}

	/// Opens the next block, mined by a council member, with its timestamp.
	fn begin_block(&mut self) {
		let number: BlockNumber = System::block_number() + 1;
		let miner = self.input.pick(&COUNCIL).to_account_id();
		Executive::initialize_block(&testing::mined_header(number, System::parent_hash(), &miner));
		let now = TARGET_BLOCK_TIME_MS * u64::from(number);
		let inherent =
			UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(TimestampCall::set { now }));
		Executive::apply_extrinsic(inherent).expect("the timestamp applies").expect("and works");
		self.issuance += BLOCK_REWARD;
		self.stats.blocks += 1;
	}

	/// Ends the open block and checks what must hold after every block.
	fn end_block(&mut self) {
		Executive::finalize_block();
		self.stats.payouts += System::events()
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::Settlement(pallet_settlement::Event::PaidOut { .. })
				)
			})
			.count() as u64;
		testing::check_invariants();
		assert_eq!(
			Balances::total_issuance(),
			self.issuance,
			"total issuance is not genesis plus the block rewards at block {}; its events: {:#?}",
			System::block_number(),
			System::events().into_iter().map(|record| record.event).collect::<Vec<_>>()
		);
	}
}

/// `call` as a general transaction without signer, as meters and off-chain workers send it.
fn general(call: RuntimeCall) -> UncheckedExtrinsic {
	<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_authorized_transaction(call)
}

/// The development keyring of `account`, if it is one of [`EVERYONE`].
fn keyring_of(account: &AccountId) -> Option<Keyring> {
	EVERYONE.into_iter().find(|keyring| keyring.to_account_id() == *account)
}

/// `count` inputs of `length` bytes drawn from `seed` by the solver's SplitMix generator.
pub fn generated_inputs(seed: u64, count: usize, length: usize) -> Vec<Vec<u8>> {
	let mut draw = gridshard_solver::generate::SplitMix(seed);
	(0..count).map(|_| (0..length).map(|_| draw.next_u64() as u8).collect()).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_empty_input_builds_one_block() {
		let stats = run(&[]);
		assert_eq!((stats.runs, stats.blocks, stats.calls), (1, 1, 0));
	}

	#[test]
	fn a_known_input_runs_the_same_way_twice() {
		let input = generated_inputs(7, 1, 512).remove(0);
		assert_eq!(run(&input), run(&input));
	}

	#[test]
	fn keyrings_are_found_by_account() {
		assert_eq!(keyring_of(&Keyring::Eve.to_account_id()), Some(Keyring::Eve));
		assert_eq!(keyring_of(&Keyring::Two.to_account_id()), None);
	}
}
