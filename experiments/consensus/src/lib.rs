//! The paper's consensus experiment (Fig. 5) on real nodes.
//!
//! Two topologies of the same total mining power and the same target block time: one chain of
//! twelve mining nodes, and three regional chains of four. Every two nodes of a chain talk
//! through a link that delays each direction by a time drawn from the paper's 0-20 ms
//! ([`delay`]). The miners are simulated Poisson miners (`--simulated-mining-mean-ms`), so that
//! the block rate does not depend on how the nodes share this machine's cores. The load
//! generator ([`load`]) pre-signs N trades, submits them to every node of the chains at once
//! (a third to each region on the sharded side) and a [`follow::Follower`] per chain records
//! when each block holding them entered the best chain and when it was `k` deep.
//!
//! `consensus-experiment` (`src/main.rs`) runs both topologies over a range of N and writes a
//! CSV and an SVG chart; `tests/paper.rs` runs a smaller setting and asserts the paper's
//! findings.

pub mod capacity;
pub mod chart;
pub mod delay;
pub mod follow;
pub mod load;
pub mod market;
pub mod network;
pub mod rpc;
pub mod throughput;

use follow::{Confirmation, Follower};
use gridshard_primitives::RegionId;
use gridshard_runtime::PERIOD_BLOCKS;
use load::{submit, transaction_hash, Senders};
use network::{Network, Settings, Topology};
use rpc::Rpc;
use serde_json::json;
use sp_core::H256;
use std::{
	collections::HashSet,
	path::PathBuf,
	sync::atomic::{AtomicBool, Ordering},
	time::{Duration, Instant},
};

/// How often the followers read their node's best chain.
const POLL: Duration = Duration::from_millis(100);

/// One measurement: `trades` trades submitted at once to a topology.
#[derive(Clone, Debug)]
pub struct Point {
	/// `single` or `sharded`.
	pub topology: String,
	/// Trades submitted.
	pub trades: usize,
	/// The run's index at this size.
	pub run: usize,
	/// Seconds from the first submission until the nodes had taken the last.
	pub submitted_s: f64,
	/// Seconds until the last block holding a trade entered the best chain (of the slowest
	/// chain, on the sharded side).
	pub included_s: f64,
	/// Seconds until that block was `k` deep.
	pub confirmed_s: f64,
	/// Blocks holding the trades (the most of any one chain).
	pub blocks: usize,
	/// The most trades in one block.
	pub fullest: usize,
	/// Blocks mined from the first submission up to the last block holding a trade (the most
	/// of any one chain): the rounds of consensus the trades took.
	pub rounds: u64,
	/// With a coordinator: seconds until its light client of every region had confirmed the
	/// region's last block holding a trade.
	pub anchored_s: Option<f64>,
	/// With a coordinator: seconds until it held, verified, every region's record of the
	/// trading period of that block.
	pub verified_s: Option<f64>,
}

/// One side of the experiment, running: its network and its chains' senders.
pub struct Side {
	/// The running network.
	pub network: Network,
	/// Trades submitted per second over the whole network; `None`: all at once.
	pub rate: Option<f64>,
	senders: Vec<Senders>,
}

/// `total` split over `parts` as evenly as can be.
pub fn split(total: usize, parts: usize) -> Vec<usize> {
	(0..parts).map(|i| total / parts + usize::from(i < total % parts)).collect()
}

impl Side {
	/// Starts `topology`.
	pub fn start(topology: &Topology, settings: &Settings) -> Result<Self, String> {
		let network = Network::start(topology, settings)?;
		let senders = network.chains.iter().map(|_| Senders::new(settings.senders)).collect();
		Ok(Self { network, rate: None, senders })
	}

	/// Restarts the nodes (so that every pool starts empty), submits `trades` trades, split
	/// evenly over the chains and over each chain's nodes (at [`Side::rate`], or all at once),
	/// and waits until every one is in a block `k` deep (or `timeout` passes).
	///
	/// The node's fork-aware pool keeps each transaction until a block finalises it, and no
	/// block of a proof-of-work chain is ever final: without the restart, each run would submit
	/// into the pools the runs before it filled, and take longer for it.
	pub fn measure(
		&mut self,
		trades: usize,
		run: usize,
		k: u64,
		timeout: Duration,
	) -> Result<Point, String> {
		self.network.restart()?;
		let chains = &self.network.chains;
		let shares = split(trades, chains.len());
		let mut loads = Vec::new();
		for ((chain, senders), share) in chains.iter().zip(&mut self.senders).zip(shares) {
			if share == 0 {
				continue;
			}
			let groups = senders.sign(share, chain.genesis, chain.nodes.len());
			let wanted: HashSet<H256> =
				groups.iter().flatten().map(|tx| transaction_hash(tx)).collect();
			let follower = Follower::new(chain.nodes[0].rpc.clone())?;
			loads.push((chain, groups, wanted, follower));
		}
		let abort = AtomicBool::new(false);
		let threads: usize = loads.iter().map(|(chain, ..)| chain.nodes.len()).sum();
		let rate = self.rate.map(|rate| rate / threads.max(1) as f64);
		let start = Instant::now();
		let (submitted, confirmations) = std::thread::scope(|scope| {
			let mut submissions = Vec::new();
			let mut followers = Vec::new();
			for (chain, groups, wanted, mut follower) in loads {
				for (node, group) in chain.nodes.iter().zip(groups) {
					let abort = &abort;
					submissions.push(scope.spawn(move || {
						submit(&node.rpc, &group, rate)
							.map(|()| Instant::now())
							.inspect_err(|_| abort.store(true, Ordering::Relaxed))
							.map_err(|e| format!("{}: {e}", node.name))
					}));
				}
				let abort = &abort;
				followers.push(scope.spawn(move || -> Result<Confirmation, String> {
					loop {
						follower.poll().map_err(|e| format!("{}: {e}", chain.name))?;
						if let Some(confirmation) = follower.confirmation(&wanted, k) {
							return Ok(confirmation);
						}
						if abort.load(Ordering::Relaxed) {
							return Err(format!("{}: stopped", chain.name));
						}
						if start.elapsed() > timeout {
							return Err(format!(
								"{}: {trades} trades not confirmed in {timeout:?}",
								chain.name
							));
						}
						std::thread::sleep(POLL);
					}
				}));
			}
			let submitted: Result<Vec<Instant>, String> =
				submissions.into_iter().map(join).collect();
			let confirmations: Result<Vec<Confirmation>, String> =
				followers.into_iter().map(join).collect();
			(submitted, confirmations)
		});
		let (submitted, confirmations) = (submitted?, confirmations?);
		let seconds = |at: Option<Instant>| at.map_or(0.0, |at| (at - start).as_secs_f64());
		let (anchored, verified) = match &self.network.coordinator {
			Some(coordinator) => {
				let lasts: Vec<(RegionId, u64)> = (1..)
					.zip(&confirmations)
					.map(|(region, confirmation)| (region, confirmation.last))
					.collect();
				let (anchored, verified) =
					coordinated(&coordinator.nodes[0].rpc, &lasts, start, timeout)?;
				(Some(seconds(Some(anchored))), Some(seconds(Some(verified))))
			}
			None => (None, None),
		};
		let point = Point {
			topology: self.network.name.clone(),
			trades,
			run,
			submitted_s: seconds(submitted.into_iter().max()),
			included_s: seconds(confirmations.iter().map(|c| c.included).max()),
			confirmed_s: seconds(confirmations.iter().map(|c| c.confirmed).max()),
			blocks: confirmations.iter().map(|c| c.blocks).max().unwrap_or(0),
			fullest: confirmations.iter().map(|c| c.fullest).max().unwrap_or(0),
			rounds: confirmations.iter().map(|c| c.rounds).max().unwrap_or(0),
			anchored_s: anchored,
			verified_s: verified,
		};
		let direct = self.network.direct_connections()?;
		if !direct.is_empty() {
			return Err(format!("nodes connected past the links: {}", direct.join(", ")));
		}
		Ok(point)
	}
}

/// Waits until the coordinator at `coordinator` has confirmed block `last` of each region of
/// `lasts` (its light client's confirmed header at or above it), then until it holds each
/// region's record of that block's trading period verified; answers both instants.
fn coordinated(
	coordinator: &Rpc,
	lasts: &[(RegionId, u64)],
	start: Instant,
	timeout: Duration,
) -> Result<(Instant, Instant), String> {
	let left = || timeout.saturating_sub(start.elapsed());
	network::wait_for("the coordinator to confirm the regions' blocks", left(), || {
		let regions = coordinator.call("shardProxy_regions", json!([])).ok()?;
		let confirmed = |region: RegionId| {
			let view = regions.as_array()?.iter().find(|r| r["region"] == json!(region))?;
			view["confirmed"]["number"].as_u64()
		};
		lasts
			.iter()
			.all(|(region, last)| confirmed(*region).is_some_and(|number| number >= *last))
			.then_some(())
	})?;
	let anchored = Instant::now();
	network::wait_for("the coordinator to verify the regions' records", left(), || {
		lasts
			.iter()
			.all(|(region, last)| {
				let period = *last as u32 / PERIOD_BLOCKS;
				let records =
					coordinator.call("shardProxy_records", json!([region, period, 1])).ok();
				records.as_ref().and_then(|r| r.get(0)).is_some_and(|record| {
					record["record"]["period"] == json!(period) && record["status"] == "verified"
				})
			})
			.then_some(())
	})?;
	Ok((anchored, Instant::now()))
}

/// A scoped thread's answer; a panic in it as an error.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, Result<T, String>>) -> Result<T, String> {
	handle.join().unwrap_or_else(|_| Err("a thread panicked".to_string()))
}

/// The median of `values` (the mean of the middle two for an even count); 0 if empty.
pub fn median(values: &[f64]) -> f64 {
	let mut sorted = values.to_vec();
	sorted.sort_by(f64::total_cmp);
	match sorted.len() {
		0 => 0.0,
		n if n % 2 == 1 => sorted[n / 2],
		n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
	}
}

/// The median confirmation time of `topology` at each size, in the order of `sizes`.
pub fn medians(points: &[Point], topology: &str, sizes: &[usize]) -> Vec<(usize, f64)> {
	sizes
		.iter()
		.map(|size| {
			let times: Vec<f64> = points
				.iter()
				.filter(|p| p.topology == topology && p.trades == *size)
				.map(|p| p.confirmed_s)
				.collect();
			(*size, median(&times))
		})
		.collect()
}

/// The node binary: `$GRIDSHARD_NODE`, or `gridshard-node` in the release directory this
/// program or test was built into.
pub fn node_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("GRIDSHARD_NODE") {
		return PathBuf::from(path);
	}
	let exe = std::env::current_exe().unwrap_or_default();
	exe.ancestors()
		.skip(1)
		.map(|dir| dir.join("gridshard-node"))
		.find(|candidate| candidate.is_file())
		.unwrap_or_else(|| PathBuf::from("gridshard-node"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn split_deals_the_remainder_to_the_first_parts() {
		assert_eq!(split(10, 3), vec![4, 3, 3]);
		assert_eq!(split(2, 3), vec![1, 1, 0]);
		assert_eq!(split(9, 1), vec![9]);
	}

	#[test]
	fn median_of_odd_and_even_counts() {
		assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
		assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
		assert_eq!(median(&[]), 0.0);
	}
}
