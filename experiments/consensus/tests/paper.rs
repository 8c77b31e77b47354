//! The paper's findings on its Fig. 5, on a smaller setting of the experiment that fits the test
//! suite: one chain of six mining nodes against three regions of two, the same total mining
//! power and the same six-second blocks, links of 0-20 ms.
//!
//! - At a few trades, each chain takes them in one or two blocks, and both sides need the same
//!   few rounds of consensus (blocks mined until the last trade's block), give or take one.
//! - Past the single chain's block capacity, its rounds grow faster than the regions': it
//!   spreads the trades over more blocks than any region, and takes longer to confirm them.
//!
//! Block intervals are exponential, so one run's time says little: the findings are asserted
//! on rounds, which do not depend on how long each block took, and the time on the sum of the
//! runs at many trades; every run's figures are printed.

use gridshard_consensus_experiment::{
	median,
	network::{processes_in, ChainPlan, Network, Settings, Topology},
	node_binary, Point, Side,
};
use std::{path::PathBuf, time::Duration};

/// A handful of trades: one block's worth on every chain.
const FEW: usize = 30;
/// Past the single chain's capacity: several of its blocks, one or two of each region's.
const MANY: usize = 4_000;
/// Runs at each size.
const RUNS: usize = 2;
/// Confirmations awaited.
const K: u64 = 1;

fn settings(name: &str) -> Settings {
	Settings {
		node_binary: node_binary(),
		work: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name),
		block_time: Duration::from_millis(gridshard_primitives::difficulty::TARGET_BLOCK_TIME_MS),
		delay_ms: (0, 20),
		seed: 5,
		senders: 200,
	}
}

fn of<'a>(points: &'a [Point], topology: &str, trades: usize) -> Vec<&'a Point> {
	points.iter().filter(|p| p.topology == topology && p.trades == trades).collect()
}

fn median_of(points: &[&Point], value: impl Fn(&Point) -> f64) -> f64 {
	median(&points.iter().map(|p| value(p)).collect::<Vec<_>>())
}

#[test]
fn past_its_block_capacity_the_single_chain_falls_behind_the_regions() {
	let settings = settings("consensus-paper");
	let mut points = Vec::new();
	for topology in [Topology::single_chain(6), Topology::regions(3, 2)] {
		let mut side = Side::start(&topology, &settings).expect("the network starts");
		for trades in [FEW, MANY] {
			for run in 0..RUNS {
				let point = side.measure(trades, run, K, Duration::from_secs(600)).unwrap();
				eprintln!(
					"[consensus] {} {trades} trades: {:.1} s to {K}-deep, {} round(s), {} block(s), fullest {}",
					point.topology, point.confirmed_s, point.rounds, point.blocks, point.fullest
				);
				points.push(point);
			}
		}
		drop(side);
		assert_eq!(processes_in(&settings.work), Vec::new(), "nodes outlived their network");
	}

	// A few trades: one or two blocks per chain, and the same rounds on both sides, give or
	// take one.
	for point in points.iter().filter(|p| p.trades == FEW) {
		assert!(point.blocks <= 2, "{point:?}");
	}
	let rounds = |topology, trades| median_of(&of(&points, topology, trades), |p| p.rounds as f64);
	assert!((rounds("single", FEW) - rounds("sharded", FEW)).abs() <= 1.0, "{points:#?}");

	// Many trades: the single chain needs more blocks than any region, its rounds grow faster,
	// and it takes longer to confirm them.
	let blocks = |topology| median_of(&of(&points, topology, MANY), |p| p.blocks as f64);
	assert!(blocks("single") > blocks("sharded"), "{points:#?}");
	let growth = |topology| rounds(topology, MANY) - rounds(topology, FEW);
	assert!(growth("single") > growth("sharded"), "{points:#?}");
	let seconds = |topology| of(&points, topology, MANY).iter().map(|p| p.confirmed_s).sum::<f64>();
	assert!(seconds("single") > seconds("sharded"), "{points:#?}");
	let _ = std::fs::remove_dir_all(&settings.work);
}

#[test]
fn a_network_that_fails_to_start_leaves_nothing_running() {
	let settings = settings("consensus-failed-start");
	// The first chain starts; the second has no preset, so the start fails after the first
	// chain's nodes run.
	let topology = Topology {
		name: "broken".into(),
		chains: vec![
			ChainPlan::new("region-1", "region-1", 2),
			ChainPlan::new("nowhere", "region-9", 2),
		],
		coordinator: None,
	};
	let error = Network::start(&topology, &settings).err().expect("no preset region-9");
	assert!(error.contains("region-9"), "{error}");
	assert_eq!(processes_in(&settings.work), Vec::new());
	let _ = std::fs::remove_dir_all(&settings.work);
}
