//! The paper's findings (section 5.1.2), as assertions on the experiment run through the
//! runtime, for several seeds.

use gridshard_reputation_experiment::{run, to_f64, Cycle, CYCLES};
use gridshard_runtime::BLOCK_REWARD;

const SEEDS: [u64; 3] = [7, 11, 2026];

/// `RC` after each cycle, recomputed here in floating point from the drawn ratios with eq. 1
/// and 2 (`alpha = 0.4`, `RC(0) = 0`).
fn expected(cycles: &[Cycle], provider: usize) -> Vec<f64> {
	let mut rc = 0.0;
	cycles
		.iter()
		.map(|cycle| {
			let ratios = &cycle.ratios[provider];
			let mean =
				ratios.iter().map(|v| *v as f64 / 1_000.0).sum::<f64>() / ratios.len() as f64;
			rc = 0.4 * mean + 0.6 * rc;
			rc
		})
		.collect()
}

#[test]
fn the_chain_computes_eq_1_and_2_on_the_deliveries() {
	let (cycles, ledger) = run(SEEDS[0]);
	assert_eq!(cycles.len(), CYCLES as usize);
	for provider in 0..4 {
		for (cycle, want) in cycles.iter().zip(expected(&cycles, provider)) {
			let got = to_f64(cycle.reputation[provider]);
			assert!(
				(got - want).abs() < 1e-9,
				"provider {} cycle {}: {got} vs {want}",
				provider + 1,
				cycle.cycle
			);
		}
	}
	assert_eq!(ledger.open_orders, 0, "every order was paid out");
}

#[test]
fn money_is_neither_created_nor_lost() {
	let (_, ledger) = run(SEEDS[1]);
	let (before, after) = ledger.issuance;
	assert_eq!(
		after,
		before + BLOCK_REWARD * ledger.blocks as u128,
		"only block rewards are minted"
	);
	assert!(ledger.rewards > 0);
	assert_eq!(ledger.pot.0 - ledger.pot.1, ledger.rewards, "the pot paid exactly the rewards");
}

#[test]
fn the_papers_findings_hold() {
	let mut dishonest_cycles = 0;
	for seed in SEEDS {
		let (cycles, _) = run(seed);
		let rc = |cycle: &Cycle, provider: usize| to_f64(cycle.reputation[provider]);

		// Provider 1 stays above 1 and highest once warmed up (from the fifth cycle).
		for cycle in &cycles[4..] {
			assert!(rc(cycle, 0) > 1.0, "seed {seed}: provider 1 in cycle {}", cycle.cycle);
			for other in 1..4 {
				assert!(rc(cycle, 0) > rc(cycle, other), "seed {seed}: cycle {}", cycle.cycle);
			}
		}

		// Provider 2 ends far below providers 3 and 4.
		let last = cycles.last().unwrap();
		for other in [2, 3] {
			assert!(
				rc(last, 1) + 0.2 < rc(last, other),
				"seed {seed}: provider 2 vs {}",
				other + 1
			);
		}

		// A dishonest cycle visibly drops providers 3 and 4: at least 0.1 below where an honest
		// cycle would have left them, and below the previous value once that was 0.8 or more.
		for provider in [2, 3] {
			for pair in cycles.windows(2) {
				let (before, cycle) = (&pair[0], &pair[1]);
				if !cycle.dishonest[provider] {
					continue;
				}
				dishonest_cycles += 1;
				let honest = 0.4 * 1.0 + 0.6 * rc(before, provider);
				assert!(
					rc(cycle, provider) < honest - 0.1,
					"seed {seed}: provider {} cycle {}",
					provider + 1,
					cycle.cycle
				);
				if rc(before, provider) >= 0.8 {
					assert!(rc(cycle, provider) < rc(before, provider) - 0.05);
				}
			}
		}
	}
	assert!(dishonest_cycles >= 3, "the seeds exercise dishonest cycles of providers 3 and 4");
}
