//! The OR-Library instances gap1 to gap12 (60 problems) solve to their known optima.

use gridshard_solver::{check, orlib, solve, Value};

/// The optima of OR-Library's gapinfo, five per file.
const OPTIMA: [[i128; 5]; 12] = [
	[336, 327, 339, 341, 326],
	[434, 436, 420, 419, 428],
	[580, 564, 573, 570, 564],
	[656, 644, 673, 647, 664],
	[563, 558, 564, 568, 559],
	[761, 759, 758, 752, 747],
	[942, 949, 968, 945, 951],
	[1133, 1134, 1141, 1117, 1127],
	[709, 717, 712, 723, 706],
	[958, 963, 960, 947, 947],
	[1139, 1178, 1195, 1171, 1171],
	[1451, 1449, 1433, 1447, 1446],
];

#[test]
fn gap1_to_gap12_reach_their_optima() {
	for (file, optima) in OPTIMA.iter().enumerate() {
		// The crate's folder as cargo reports it when running the test, not as it was at
		// compile time: the build directory is shared between clones of the repository.
		let crate_dir = std::env::var("CARGO_MANIFEST_DIR")
			.unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
		let path = format!("{crate_dir}/tests/data/gap{}.txt", file + 1);
		let instances = orlib::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
		assert_eq!(instances.len(), 5);
		for (k, (instance, optimum)) in instances.iter().zip(optima).enumerate() {
			let model = instance.model(true).unwrap();
			let solution = solve(&model, u64::MAX);
			assert!(check::score(&model.problem, &solution.outcome.assignment).is_ok());
			assert_eq!(solution.value, Value::Total(*optimum), "gap{} #{}", file + 1, k + 1);
			assert!(solution.outcome.optimal, "gap{} #{}", file + 1, k + 1);
			println!("gap{} #{}: {} in {} nodes", file + 1, k + 1, optimum, solution.outcome.nodes);
		}
	}
}
