//! Orders, meter readings and the settlement rules (paper eq. 6 and 7) as pure functions.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use gridshard_primitives::{
	traits::{OrderId, OrderTerms},
	Energy, MeterKey, Price,
};
use scale_info::TypeInfo;
use sp_runtime::{FixedPointNumber, FixedU128, Permill, Perquintill};

/// Which end of the line a meter measures.
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
)]
pub enum Side {
	/// The provider's meter: energy fed in, `rho`.
	Provider,
	/// The user's meter: energy received, `gamma`.
	User,
}

/// A meter reading: the energy the meter counted for the order so far (cumulative, in Wh),
/// with a sequence number that must grow with each reading of that meter for that order.
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
)]
pub struct Reading {
	/// The order it belongs to.
	pub order: OrderId,
	/// The meter's side.
	pub side: Side,
	/// Energy counted for the order so far, in Wh.
	pub energy: Energy,
	/// Greater than the sequence number of the previous reading of this meter for this order
	/// (the first reading may use 1).
	pub sequence: u32,
	/// Whether this is the meter's final reading for the order.
	pub is_final: bool,
}

/// What the chain knows from one meter of an order.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct MeterState {
	/// The latest reading's energy (zero before any).
	pub energy: Energy,
	/// The latest reading's sequence number (zero before any).
	pub sequence: u32,
	/// Interim readings accepted.
	pub interim: u32,
	/// Whether the final reading arrived.
	pub is_final: bool,
}

/// The money an order's settlement moves, all out of the user's escrow but the reward.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Outcome<Balance> {
	/// The provider's meter reading used, `rho`.
	pub rho: Energy,
	/// The user's meter reading used, `gamma`.
	pub gamma: Energy,
	/// Paid to the provider: `R r` less the penalty and the grid fee.
	pub provider: Balance,
	/// Paid to the grid operator: the grid fee, at most what the provider earned.
	pub grid_fee: Balance,
	/// Returned to the user: the penalty (eq. 7), which is the part of `R r` not delivered.
	pub refund: Balance,
	/// The penalty deducted from the provider's pay, `r (R - gamma)` when `rho < R` (eq. 7) or
	/// the meters are contested ([`Rules::contested`]).
	pub penalty: Balance,
	/// The reward the provider earned (eq. 6), paid from the reward pot.
	pub reward: Balance,
}

/// Where an order stands.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum OrderStatus<Balance, BlockNumber> {
	/// The delivery window is open, or readings are still coming.
	Delivering,
	/// Settled; paid out at `payable_at` or later, unless disputed before.
	Settled {
		/// The computed payments.
		outcome: Outcome<Balance>,
		/// When it was settled.
		settled_at: BlockNumber,
		/// The first block at which it may be paid out.
		payable_at: BlockNumber,
	},
	/// The user disputed the settlement, holding a bond; the trading centre resolves it before
	/// `deadline`, or the hook pays the settlement as it stood.
	Disputed {
		/// The payments as settled before the dispute.
		outcome: Outcome<Balance>,
		/// The user's bond, held under settlement's dispute-bond reason.
		bond: Balance,
		/// The block from which the hook ends the dispute unresolved.
		deadline: BlockNumber,
	},
}

/// An order between a user and a provider, from matching to payout.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Order<AccountId, Balance, BlockNumber> {
	/// What matching agreed: the buyer (whose escrow pays), the seller, the energy, the price,
	/// the grid fee, the period and the delivery window.
	pub terms: OrderTerms<AccountId, Balance, BlockNumber>,
	/// The user's escrow committed to the order, `R r t`.
	pub escrow: Balance,
	/// The key of the provider's meter, as registered when the order opened.
	pub provider_meter: MeterKey,
	/// The key of the user's meter, as registered when the order opened.
	pub user_meter: MeterKey,
	/// What the provider's meter reported.
	pub provider_reading: MeterState,
	/// What the user's meter reported.
	pub user_reading: MeterState,
	/// Where it stands.
	pub status: OrderStatus<Balance, BlockNumber>,
}

impl<AccountId, Balance, BlockNumber> Order<AccountId, Balance, BlockNumber> {
	/// The state of `side`'s meter.
	pub fn meter(&self, side: Side) -> &MeterState {
		match side {
			Side::Provider => &self.provider_reading,
			Side::User => &self.user_reading,
		}
	}

	/// The state of `side`'s meter, to update.
	pub fn meter_mut(&mut self, side: Side) -> &mut MeterState {
		match side {
			Side::Provider => &mut self.provider_reading,
			Side::User => &mut self.user_reading,
		}
	}

	/// The key that must sign `side`'s readings.
	pub fn meter_key(&self, side: Side) -> &MeterKey {
		match side {
			Side::Provider => &self.provider_meter,
			Side::User => &self.user_meter,
		}
	}
}

/// What the two meters of an order measured, as settlement uses it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Delivery {
	/// `rho`: the energy the provider's meter fed in, in Wh.
	pub rho: Energy,
	/// `gamma`: the energy the user's meter received, in Wh.
	pub gamma: Energy,
	/// Whether `gamma` is the user's meter's final reading (a meter that never sent one cannot
	/// contest the provider's).
	pub user_final: bool,
}

/// The parameters of eq. 6 and of pricing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Rules {
	/// `Token`: the full reward of eq. 6, earned by an order of at least `reward_energy`.
	pub reward: u128,
	/// The agreed energy (Wh) that earns the whole `Token`; a smaller order earns `Token` pro
	/// rata, so that splitting a trade into many small orders earns no more than the trade.
	pub reward_energy: Energy,
	/// `tau`: the line loss tolerated, as a share of the agreed energy `R`.
	pub tolerance: Permill,
	/// `t`: the token price, one when prices are quoted in the native token.
	pub token_price: FixedU128,
}

impl Rules {
	/// The price of `energy` Wh at `price` per kWh, in tokens: `energy * price / 1000 * t`,
	/// rounded down; `None` on overflow.
	pub fn cost(&self, energy: Energy, price: Price) -> Option<u128> {
		let native = u128::from(energy).checked_mul(price)? / 1_000;
		self.token_price.checked_mul_int(native)
	}

	/// `tau` for an order of `agreed` Wh: the tolerated line loss, in Wh, rounded down.
	pub fn line_loss(&self, agreed: Energy) -> Energy {
		self.tolerance.mul_floor(agreed)
	}

	/// The full reward of an order of `agreed` Wh: `Token * min(R, reward_energy) /
	/// reward_energy`, rounded down.
	pub fn full_reward(&self, agreed: Energy) -> u128 {
		if agreed >= self.reward_energy {
			return self.reward;
		}
		Perquintill::from_rational(agreed, self.reward_energy).mul_floor(self.reward)
	}

	/// The reward of eq. 6, scaled by the order's size ([`Rules::full_reward`]): all of it if
	/// `gamma >= R`; half if `rho >= R` and `gamma >= R - tau`; nothing otherwise.
	pub fn reward(&self, agreed: Energy, rho: Energy, gamma: Energy) -> u128 {
		if gamma >= agreed {
			self.full_reward(agreed)
		} else if rho >= agreed && gamma.saturating_add(self.line_loss(agreed)) >= agreed {
			self.full_reward(agreed) / 2
		} else {
			0
		}
	}

	/// Whether the two meters contradict each other: the provider's meter shows full delivery,
	/// while the user's meter, in its final reading, shows less than `R - tau`. Neither word
	/// alone decides such an order: it settles on what the user received and goes to the
	/// trading centre.
	pub fn contested(&self, agreed: Energy, rho: Energy, gamma: Energy, user_final: bool) -> bool {
		user_final && rho >= agreed && gamma.saturating_add(self.line_loss(agreed)) < agreed
	}

	/// The settlement of an order of `agreed` Wh at `price` with grid fee `grid_fee` and escrow
	/// `escrow` (its cost), given what the meters measured (`delivery`):
	///
	/// - penalty (eq. 7): `r (R - gamma)` when `rho < R` (`gamma` counted up to `R`), and also
	///   when the meters are [contested](Rules::contested), else 0;
	/// - the provider earns `R r` less the penalty, and pays the grid fee out of it (eq. 3 nets
	///   the fee from the provider's revenue), at most all it earned;
	/// - the user gets the penalty back: it paid for energy it did not receive;
	/// - the reward follows eq. 6, scaled by the order's size ([`Rules::reward`]).
	///
	/// `None` on overflow (which the escrow's own computation rules out).
	pub fn settle(
		&self,
		agreed: Energy,
		price: Price,
		grid_fee: u128,
		escrow: u128,
		delivery: Delivery,
	) -> Option<Outcome<u128>> {
		let Delivery { rho, gamma, user_final } = delivery;
		let short = rho < agreed || self.contested(agreed, rho, gamma, user_final);
		let penalty = if short { self.cost(agreed - gamma.min(agreed), price)? } else { 0 };
		let earned = escrow.checked_sub(penalty)?;
		let fee = grid_fee.min(earned);
		Some(Outcome {
			rho,
			gamma,
			provider: earned - fee,
			grid_fee: fee,
			refund: penalty,
			penalty,
			reward: self.reward(agreed, rho, gamma),
		})
	}
}

/// The bytes a meter signs for a reading on the chain of genesis hash `genesis_hash`
/// (`chain_getBlockHash(0)`): `(READING_CONTEXT, genesis_hash, reading)`, SCALE-encoded. The
/// genesis hash names the chain, so a reading signed for one region's order is refused by
/// another region's order of the same number.
pub fn reading_payload(genesis_hash: &impl Encode, reading: &Reading) -> alloc::vec::Vec<u8> {
	(crate::READING_CONTEXT, genesis_hash, reading).encode()
}
