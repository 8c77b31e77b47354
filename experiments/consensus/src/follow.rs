//! Following a chain's best blocks on one node: when each block entered the node's best chain
//! and which transactions it holds, re-read when a reorganisation replaces it.

use crate::{
	load::transaction_hash,
	rpc::{unhex, Rpc},
};
use serde_json::{json, Value};
use sp_core::H256;
use std::{
	collections::{BTreeMap, HashMap, HashSet},
	time::Instant,
};

/// How far below the best block a poll looks for blocks a reorganisation replaced.
const REORG_WINDOW: u64 = 12;

/// A best-chain block as the follower saw it.
struct Seen {
	hash: String,
	/// When the follower first saw it at its height.
	at: Instant,
	transactions: Vec<H256>,
}

/// The blocks that entered a node's best chain since the follower started.
pub struct Follower {
	rpc: Rpc,
	/// The first height followed.
	from: u64,
	blocks: BTreeMap<u64, Seen>,
}

/// When a set of transactions was included and confirmed on one chain.
#[derive(Clone, Copy, Debug)]
pub struct Confirmation {
	/// When the last block holding one of them entered the best chain.
	pub included: Instant,
	/// When the last of those blocks was `k` deep (the block `k` above it entered).
	pub confirmed: Instant,
	/// Blocks holding at least one of them.
	pub blocks: usize,
	/// The most of them in one block.
	pub fullest: usize,
	/// The height of the last block holding one of them.
	pub last: u64,
	/// Blocks the chain mined from the follower's start up to the last one holding them: the
	/// rounds of consensus they took.
	pub rounds: u64,
}

impl Follower {
	/// Follows the blocks above the current best of the node at `rpc`.
	pub fn new(rpc: Rpc) -> Result<Self, String> {
		let best = rpc.best_number()?;
		Ok(Self { rpc, from: best + 1, blocks: BTreeMap::new() })
	}

	/// Reads the node's best chain: the new blocks, and any replaced in the last
	/// [`REORG_WINDOW`] heights.
	pub fn poll(&mut self) -> Result<(), String> {
		let best = self.rpc.best_number()?;
		self.blocks.retain(|height, _| *height <= best);
		let unseen = self.blocks.last_key_value().map_or(self.from, |(h, _)| h + 1);
		let lowest = unseen.min(best.saturating_sub(REORG_WINDOW)).max(self.from);
		if lowest > best {
			return Ok(());
		}
		let heights: Vec<u64> = (lowest..=best).collect();
		let calls: Vec<(&str, Value)> =
			heights.iter().map(|h| ("chain_getBlockHash", json!([h]))).collect();
		let hashes = self.rpc.batch(&calls)?;
		for (height, hash) in heights.into_iter().zip(hashes) {
			let hash = hash?.as_str().ok_or("a block hash")?.to_string();
			if self.blocks.get(&height).is_some_and(|seen| seen.hash == hash) {
				continue;
			}
			let block = self.rpc.call("chain_getBlock", json!([hash]))?;
			let transactions = block["block"]["extrinsics"]
				.as_array()
				.ok_or("a block's extrinsics")?
				.iter()
				.map(|x| Ok(transaction_hash(&unhex(x.as_str().ok_or("an extrinsic")?)?)))
				.collect::<Result<_, String>>()?;
			self.blocks.insert(height, Seen { hash, at: Instant::now(), transactions });
		}
		Ok(())
	}

	/// The best-chain blocks holding any of `wanted`: height, when it entered, how many.
	pub fn holding(&self, wanted: &HashSet<H256>) -> Vec<(u64, Instant, usize)> {
		self.blocks
			.iter()
			.map(|(height, seen)| {
				let here = seen.transactions.iter().filter(|tx| wanted.contains(tx)).count();
				(*height, seen.at, here)
			})
			.filter(|(_, _, here)| *here > 0)
			.collect()
	}

	/// When all of `wanted` were included and `k` deep in the best chain, if they are.
	pub fn confirmation(&self, wanted: &HashSet<H256>, k: u64) -> Option<Confirmation> {
		let mut found = 0;
		let mut per_block: HashMap<u64, usize> = HashMap::new();
		for (height, seen) in &self.blocks {
			let here = seen.transactions.iter().filter(|tx| wanted.contains(tx)).count();
			if here > 0 {
				found += here;
				per_block.insert(*height, here);
			}
		}
		if found < wanted.len() {
			return None;
		}
		let last = per_block.keys().copied().max().unwrap_or(self.from);
		let included = per_block.keys().map(|h| self.blocks[h].at).max()?;
		let confirmed = per_block
			.keys()
			.map(|h| self.blocks.get(&(h + k)).map(|seen| seen.at))
			.collect::<Option<Vec<_>>>()?
			.into_iter()
			.max()?;
		self.blocks.get(&(last + k))?;
		Some(Confirmation {
			included,
			confirmed,
			blocks: per_block.len(),
			fullest: per_block.values().copied().max().unwrap_or(0),
			last,
			rounds: last + 1 - self.from,
		})
	}
}
