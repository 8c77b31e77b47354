//! The load: trades as signed transactions, pre-signed before the clock starts and submitted in
//! batches to every node of a chain at once.
//!
//! A trade costs the chain a request, an offer's share, two meter readings and a settlement
//! application. The experiment stands in for a trade with one signed transaction of the same
//! kind of cost: a `Balances::transfer_keep_alive` (the trade's payment), signed, checked for
//! its nonce and fee, and applied with one read and one write of an account. Its weight and
//! length in a block beside the market calls' are in the crate's README (`capacity`).

use crate::rpc::{hex, Answer, Rpc};
use codec::Encode;
use gridshard_primitives::{Balance, Hash, Nonce};
use gridshard_runtime::{testing::signed, RuntimeCall, UncheckedExtrinsic, GRID, MILLI_GRID};
use serde_json::json;
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;

/// What each sender holds at genesis: enough fees for any run.
pub const SENDER_ENDOWMENT: Balance = 1_000_000 * GRID;

/// Submissions in one JSON-RPC batch.
pub const BATCH: usize = 250;

/// The key of sender `index`: `//Sender//<index>`.
pub fn sender(index: u32) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//Sender//{index}"), None)
		.expect("a valid derivation path; qed")
}

/// The trade's stand-in: `from` pays Alice a milli-GRID, with `nonce`, on the chain of `genesis`.
pub fn trade(from: &sr25519::Pair, nonce: Nonce, genesis: Hash) -> UncheckedExtrinsic {
	let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: Sr25519Keyring::Alice.to_account_id().into(),
		value: MILLI_GRID,
	});
	signed(from, call, nonce, genesis)
}

/// The hash a block's extrinsic list identifies a transaction by.
pub fn transaction_hash(encoded: &[u8]) -> H256 {
	H256(sp_crypto_hashing::blake2_256(encoded))
}

/// A chain's senders and their next nonces.
pub struct Senders {
	keys: Vec<sr25519::Pair>,
	next: Vec<Nonce>,
}

impl Senders {
	/// Senders `0..count`, none of which has sent anything yet.
	pub fn new(count: u32) -> Self {
		Self { keys: (0..count).map(sender).collect(), next: vec![0; count as usize] }
	}

	/// `trades` transactions for the chain of `genesis`, dealt round-robin over the senders,
	/// and grouped for `nodes` nodes: each sender's transactions go to one node, in nonce order.
	pub fn sign(&mut self, trades: usize, genesis: Hash, nodes: usize) -> Vec<Vec<Vec<u8>>> {
		let mut groups = vec![Vec::new(); nodes];
		for index in 0..trades {
			let from = index % self.keys.len();
			let nonce = self.next[from];
			self.next[from] += 1;
			groups[from % nodes].push(trade(&self.keys[from], nonce, genesis).encode());
		}
		groups
	}
}

/// Submits `transactions` to `rpc` in batches, all at once or at `rate` per second (each batch
/// waits for its turn); fails on the first the node refuses.
pub fn submit(rpc: &Rpc, transactions: &[Vec<u8>], rate: Option<f64>) -> Result<(), String> {
	let start = std::time::Instant::now();
	for (index, batch) in transactions.chunks(BATCH).enumerate() {
		if let Some(rate) = rate.filter(|rate| *rate > 0.0) {
			let due = start + std::time::Duration::from_secs_f64((index * BATCH) as f64 / rate);
			std::thread::sleep(due.saturating_duration_since(std::time::Instant::now()));
		}
		let calls: Vec<(&str, serde_json::Value)> =
			batch.iter().map(|tx| ("author_submitExtrinsic", json!([hex(tx)]))).collect();
		let answers: Vec<Answer> = rpc.batch(&calls)?;
		if let Some(Err(refusal)) = answers.into_iter().find(Result::is_err) {
			return Err(format!("a trade was refused: {refusal}"));
		}
	}
	Ok(())
}
