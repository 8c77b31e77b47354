//! The runtime fuzzer in the test suite: a fixed set of generated inputs, every property checked
//! (see the crate's documentation). The long run is `runtime-fuzz SECONDS`.

use gridshard_runtime_fuzz::{generated_inputs, run, Stats};

#[test]
fn generated_inputs_keep_every_invariant() {
	let mut total = Stats::default();
	for input in generated_inputs(2026, 32, 4_096) {
		total.add(&run(&input));
	}
	println!("[runtime-fuzz] {total:?}");
	// The inputs reach the market: blocks pass, calls are refused and accepted, solutions
	// are adopted and orders paid.
	assert_eq!(total.runs, 32);
	assert!(total.blocks > 32 * 20, "{total:?}");
	assert!(total.refused > 0 && total.refused < total.calls, "{total:?}");
	assert!(total.solutions > 0 && total.payouts > 0, "{total:?}");
}
