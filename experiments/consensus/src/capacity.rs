//! What a block can hold of each market transaction and of a balance transfer, from the
//! runtime's own limits and weights: the weight each costs in its class (the call, its
//! extensions and the per-transaction base), its encoded length, and how many fit by weight and
//! by length. The proposer's time, the third limit, is measured on a node, not computed here.

use crate::load::trade;
use codec::Encode;
use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
use gridshard_primitives::Hash;
use gridshard_runtime::{
	configs::{RuntimeBlockLength, RuntimeBlockWeights},
	testing::{general, signed},
	MatchingCall, RuntimeCall, SettlementCall, UncheckedExtrinsic,
};
use pallet_settlement::{Reading, Side};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;

/// One transaction's cost in a block.
#[derive(Clone, Debug)]
pub struct Capacity {
	/// The call, as `pallet.call`.
	pub call: &'static str,
	/// Its dispatch class.
	pub class: DispatchClass,
	/// Reference time it takes of its class's budget: call, extensions and base, in ps.
	pub ref_time: u64,
	/// Its encoded length, in bytes.
	pub length: usize,
	/// How many fit in a block's budget of weight for the class (after the block's base).
	pub by_weight: u64,
	/// How many fit in the class's share of the block length.
	pub by_length: u64,
}

impl Capacity {
	/// The binding limit: the fewer of the two.
	pub fn per_block(&self) -> u64 {
		self.by_weight.min(self.by_length)
	}
}

/// The cost of `extrinsic` under the runtime's limits.
pub fn capacity(call: &'static str, extrinsic: &UncheckedExtrinsic) -> Capacity {
	let info = extrinsic.get_dispatch_info();
	let weights = RuntimeBlockWeights::get();
	let class = weights.get(info.class);
	let ref_time = info.total_weight().ref_time() + class.base_extrinsic.ref_time();
	let budget = class
		.max_total
		.unwrap_or(weights.max_block)
		.ref_time()
		.saturating_sub(weights.base_block.ref_time());
	let length = extrinsic.encoded_size();
	let max_length = *RuntimeBlockLength::get().max.get(info.class);
	Capacity {
		call,
		class: info.class,
		ref_time,
		length,
		by_weight: budget / ref_time.max(1),
		by_length: u64::from(max_length) / length.max(1) as u64,
	}
}

/// The market's transactions of one trade and the experiment's stand-in, as signed by a
/// participant (a meter reading: a general transaction carrying a meter's signature, whose
/// validity does not change its cost).
pub fn market() -> Vec<Capacity> {
	let genesis = Hash::repeat_byte(1);
	let household = Sr25519Keyring::AliceStash.pair();
	let provider = Sr25519Keyring::Eve.pair();
	let meter = sr25519::Pair::from_string("//meter", None).expect("a valid path; qed");
	let reading =
		Reading { order: 1, side: Side::User, energy: 5_000, sequence: 1, is_final: true };
	let signature = meter.sign(&reading.encode());
	let calls: [(&'static str, UncheckedExtrinsic); 5] = [
		(
			"matching.post_request",
			signed(
				&household,
				RuntimeCall::Matching(MatchingCall::post_request {
					energy: 5_000,
					limit: Some(250),
				}),
				7,
				genesis,
			),
		),
		(
			"matching.post_offer",
			signed(
				&provider,
				RuntimeCall::Matching(MatchingCall::post_offer { price: 120, capacity: 50_000 }),
				7,
				genesis,
			),
		),
		(
			"settlement.submit_reading",
			general(RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature })),
		),
		(
			"settlement.apply_for_settlement",
			signed(
				&household,
				RuntimeCall::Settlement(SettlementCall::apply_for_settlement { order: 1 }),
				7,
				genesis,
			),
		),
		("balances.transfer_keep_alive", trade(&household, 7, genesis)),
	];
	calls.iter().map(|(name, extrinsic)| capacity(name, extrinsic)).collect()
}

/// The table as Markdown: class, weight, length, and how many fit by each limit.
pub fn markdown(rows: &[Capacity]) -> String {
	let mut out = String::from(
		"| transaction | class | ref time (µs) | length (B) | per block by weight | by length |\n\
		 |---|---|---:|---:|---:|---:|\n",
	);
	for row in rows {
		out += &format!(
			"| `{}` | {:?} | {:.1} | {} | {} | {} |\n",
			row.call,
			row.class,
			row.ref_time as f64 / 1e6,
			row.length,
			row.by_weight,
			row.by_length
		);
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_market_transaction_fits_a_block_and_weight_binds_before_length() {
		let rows = market();
		assert_eq!(rows.len(), 5);
		for row in &rows {
			assert!(row.per_block() >= 1, "{row:?}");
			assert!(row.by_weight < row.by_length, "{row:?}");
			// The weight counts the base of every transaction besides the call.
			let base = RuntimeBlockWeights::get().get(row.class).base_extrinsic.ref_time();
			assert!(row.ref_time > base, "{row:?}");
		}
	}
}
