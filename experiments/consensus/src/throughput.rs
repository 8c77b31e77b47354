//! The most transfers one mining node includes per second over a minute, and the limit that
//! ends each of its blocks.
//!
//! One node (a simulated Poisson miner, 6-s blocks on average) is given a backlog of signed
//! transfers larger than a minute of blocks can hold; once the last is submitted, every block
//! that enters its best chain in the next `window` counts. The proposer logs why it stopped
//! filling each block (`end: HitBlockWeightLimit`, `HitDeadline`, `HitBlockSizeLimit`,
//! `NoMoreTransactions`); the last proposal logged for each counted height is taken as the one
//! mined.

use crate::{
	follow::Follower,
	load::{submit, transaction_hash, Senders},
	network::{Network, Settings, Topology},
};
use std::{
	collections::{BTreeMap, HashSet},
	time::{Duration, Instant},
};

/// What one node included over the window.
#[derive(Clone, Debug)]
pub struct Throughput {
	/// Transfers included in the window's blocks.
	pub included: usize,
	/// The window, in seconds (from the end of the submission to the last counted block).
	pub seconds: f64,
	/// Transfers in each counted block.
	pub blocks: Vec<usize>,
	/// How many counted blocks ended for each reason the proposer gave.
	pub ends: BTreeMap<String, usize>,
}

impl Throughput {
	/// Transfers per second.
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

/// Starts one mining node, gives it `backlog` transfers and counts what it includes in the
/// `window` after the last was submitted.
pub fn measure(
	settings: &Settings,
	backlog: usize,
	window: Duration,
) -> Result<Throughput, String> {
	let mut topology = Topology::single_chain(1);
	topology.name = "throughput".into();
	let network = Network::start(&topology, settings)?;
	let chain = &network.chains[0];
	let node = &chain.nodes[0];
	let transactions = Senders::new(settings.senders).sign(backlog, chain.genesis, 1).remove(0);
	let wanted: HashSet<_> = transactions.iter().map(|tx| transaction_hash(tx)).collect();
	let mut follower = Follower::new(node.rpc.clone())?;
	submit(&node.rpc, &transactions, None)?;
	let start = Instant::now();
	while start.elapsed() < window {
		follower.poll()?;
		std::thread::sleep(Duration::from_millis(100));
	}
	follower.poll()?;
	let counted: Vec<(u64, Instant, usize)> = follower
		.holding(&wanted)
		.into_iter()
		.filter(|(_, at, _)| *at > start && *at <= start + window)
		.collect();
	let log = std::fs::read_to_string(&node.log).map_err(|e| format!("{e}"))?;
	let mut ends = BTreeMap::new();
	for (height, _, _) in &counted {
		let reason = end_reason(&log, *height).unwrap_or_else(|| "unknown".into());
		*ends.entry(reason).or_insert(0) += 1;
	}
	let last = counted.iter().map(|(_, at, _)| *at).max().unwrap_or(start);
	Ok(Throughput {
		included: counted.iter().map(|(_, _, n)| n).sum(),
		seconds: (last - start).as_secs_f64(),
		blocks: counted.iter().map(|(_, _, n)| *n).collect(),
		ends,
	})
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
