//! `runtime-fuzz`: runs generated inputs through the whole runtime for a while and prints how
//! many, with a progress line every ten seconds.
//!
//! ```text
//! runtime-fuzz [SECONDS] [SEED] [INPUT_BYTES]      # defaults: 60, 1, 4096
//! ```
//!
//! A failing input panics with the property that failed, after printing its seed and index, so
//! that `runtime-fuzz` with the same arguments reproduces it.

use gridshard_runtime_fuzz::{generated_inputs, run, Stats};
use std::time::{Duration, Instant};

fn main() {
	let args: Vec<u64> = std::env::args().skip(1).map(|a| a.parse().expect("a number")).collect();
	let seconds = args.first().copied().unwrap_or(60);
	let seed = args.get(1).copied().unwrap_or(1);
	let length = args.get(2).copied().unwrap_or(4_096) as usize;
	let started = Instant::now();
	let mut last_report = started;
	let mut total = Stats::default();
	let mut batch = 0u64;
	while started.elapsed() < Duration::from_secs(seconds) {
		// A batch of 16 inputs from its own seed, so that any input is found again from
		// `(seed, batch)` alone.
		let batch_seed = seed.wrapping_mul(1_000_003).wrapping_add(batch);
		for (index, input) in generated_inputs(batch_seed, 16, length).iter().enumerate() {
			match std::panic::catch_unwind(|| run(input)) {
				Ok(stats) => total.add(&stats),
				Err(panic) => {
					eprintln!(
						"[runtime-fuzz] FAILED on input {index} of batch seed {batch_seed} \
						 ({length} bytes; `generated_inputs({batch_seed}, 16, {length})`)"
					);
					std::panic::resume_unwind(panic);
				}
			}
		}
		batch += 1;
		if last_report.elapsed() >= Duration::from_secs(10) {
			last_report = Instant::now();
			report(&total, started);
		}
	}
	report(&total, started);
}

/// One line: executions, blocks, calls, refusals, solutions and payouts so far.
fn report(total: &Stats, started: Instant) {
	println!(
		"[runtime-fuzz] {} s: {} runs, {} blocks, {} calls ({} refused), {} solutions, {} payouts",
		started.elapsed().as_secs(),
		total.runs,
		total.blocks,
		total.calls,
		total.refused,
		total.solutions,
		total.payouts,
	);
}
