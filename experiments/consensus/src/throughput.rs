//! The most transactions one mining node includes per second over a minute, and the limit that
//! ends each of its blocks.
//!
//! A batch of signed transactions is submitted to one node (a simulated Poisson miner, 6-s
//! blocks on average) all at once; once the node has taken the whole batch, every block that
//! enters its best chain counts, until the batch is all in or the window has passed (what
//! blocks included while the node was still taking the batch is reported apart: the pool's
//! intake and the proposer share the node's cores). The proposer logs why it
//! stopped filling each block (`end: HitBlockWeightLimit`, `HitDeadline`, `HitBlockSizeLimit`,
//! `NoMoreTransactions`); the last proposal logged for each counted height is taken as the one
//! mined. [`transfers`] gives a node a backlog of transfers larger than a minute of blocks can
//! hold; the `market` module measures the market's own transactions the same way.

use crate::{
	follow::Follower,
	load::{submit, transaction_hash, Senders},
	network::Node,
};
use std::{
	collections::{BTreeMap, HashSet},
	time::{Duration, Instant},
};

/// What one node included of a batch.
#[derive(Clone, Debug)]
pub struct Throughput {
	/// Transactions submitted.
	pub submitted: usize,
	/// Seconds the node took to take the whole batch into its pool.
	pub submit_seconds: f64,
	/// Transactions included in blocks that entered the best chain during the submission.
	pub while_submitting: usize,
	/// Transactions included in the counted blocks: those that entered the best chain after
	/// the submission, within the window.
	pub included: usize,
	/// Seconds from the end of the submission to the last counted block (the whole window when
	/// the batch was not all included).
	pub seconds: f64,
	/// Transactions of the batch in each counted block.
	pub blocks: Vec<usize>,
	/// How many counted blocks ended for each reason the proposer gave.
	pub ends: BTreeMap<String, usize>,
}

impl Throughput {
	/// Transactions per second in the counted blocks.
	pub fn per_second(&self) -> f64 {
		self.included as f64 / self.seconds.max(f64::EPSILON)
	}
}

/// The proposer's reason for ending its last proposal at `height`, from the node's log.
fn end_reason(log: &str, height: u64) -> Option<String> {
	let marker = format!("Prepared block for proposing at {height} (");
	let line = log.lines().rev().find(|line| line.contains(&marker))?;
	let reason = line.split("end: ").nth(1)?.split(';').next()?;
	Some(reason.trim().to_string())
}

/// Submits `transactions` (encoded) to `node` at once and, from the end of the submission,
/// counts what its best chain includes of them until all are in or `window` has passed.
pub fn include(
	node: &Node,
	transactions: &[Vec<u8>],
	window: Duration,
) -> Result<Throughput, String> {
	let wanted: HashSet<_> = transactions.iter().map(|tx| transaction_hash(tx)).collect();
	let mut follower = Follower::new(node.rpc.clone())?;
	let start = Instant::now();
	submit(&node.rpc, transactions, None)?;
	let submitted = Instant::now();
	let mut all_in = false;
	while submitted.elapsed() < window && !all_in {
		std::thread::sleep(Duration::from_millis(100));
		follower.poll()?;
		let holding = follower.holding(&wanted);
		all_in = holding.iter().map(|(_, _, n)| n).sum::<usize>() == wanted.len();
	}
	let holding = follower.holding(&wanted);
	let while_submitting = holding.iter().filter(|(_, at, _)| *at <= submitted).map(|b| b.2).sum();
	let counted: Vec<_> = holding
		.into_iter()
		.filter(|(_, at, _)| *at > submitted && *at <= submitted + window)
		.collect();
	let log = std::fs::read_to_string(&node.log).map_err(|e| format!("{e}"))?;
	let mut ends = BTreeMap::new();
	for (height, _, _) in &counted {
		let reason = end_reason(&log, *height).unwrap_or_else(|| "unknown".into());
		*ends.entry(reason).or_insert(0) += 1;
	}
	let seconds = match counted.iter().map(|(_, at, _)| *at).max() {
		Some(last) if all_in => (last - submitted).as_secs_f64(),
		_ => window.as_secs_f64(),
	};
	Ok(Throughput {
		submitted: transactions.len(),
		submit_seconds: (submitted - start).as_secs_f64(),
		while_submitting,
		included: counted.iter().map(|(_, _, n)| n).sum(),
		seconds,
		blocks: counted.iter().map(|(_, _, n)| *n).collect(),
		ends,
	})
}

/// Gives `node` of the chain of `genesis` a backlog of `backlog` transfers from `senders`
/// and counts what it includes in `window`.
pub fn transfers(
	node: &Node,
	genesis: gridshard_primitives::Hash,
	senders: u32,
	backlog: usize,
	window: Duration,
) -> Result<Throughput, String> {
	let transactions = Senders::new(senders).sign(backlog, genesis, 1).remove(0);
	include(node, &transactions, window)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_last_proposal_at_a_height_names_the_reason() {
		let log = "\
2026-12-06 04:23:48 🎁 Prepared block for proposing at 4 (37 ms) hash: 0x37; parent_hash: 0x5d7f…c8ed; end: NoMoreTransactions; extrinsics_count: 1
2026-12-06 04:23:53 🎁 Prepared block for proposing at 4 (2001 ms) hash: 0x38; parent_hash: 0x5d7f…c8ed; end: HitDeadline; extrinsics_count: 1300
2026-12-06 04:23:58 🎁 Prepared block for proposing at 5 (900 ms) hash: 0x39; parent_hash: 0x11; end: HitBlockWeightLimit; extrinsics_count: 1974";
		assert_eq!(end_reason(log, 4).as_deref(), Some("HitDeadline"));
		assert_eq!(end_reason(log, 5).as_deref(), Some("HitBlockWeightLimit"));
		assert_eq!(end_reason(log, 6), None);
	}
}
