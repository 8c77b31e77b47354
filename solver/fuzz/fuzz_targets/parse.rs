//! The OR-Library reader on any text: it never panics; what it reads, written back in the same
//! format, reads back the same; and every instance read either builds a model or is refused with
//! a named error.

#![no_main]

use gridshard_solver::orlib::{self, OrLibInstance};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	let Ok(text) = core::str::from_utf8(data) else { return };
	let Ok(instances) = orlib::parse(text) else { return };
	assert_eq!(orlib::parse(&write(&instances)), Ok(instances.clone()), "round trip");
	for instance in &instances {
		for maximise in [true, false] {
			if let Ok(model) = instance.model(maximise) {
				assert_eq!(model.problem.items(), instance.values[0].len());
				assert_eq!(model.problem.agents(), instance.capacities.len());
			}
		}
	}
});

/// `instances` in the OR-Library layout.
fn write(instances: &[OrLibInstance]) -> String {
	let row = |numbers: &[u64]| numbers.iter().map(u64::to_string).collect::<Vec<_>>().join(" ");
	let mut text = format!("{}\n", instances.len());
	for instance in instances {
		let (m, n) = (instance.capacities.len(), instance.values[0].len());
		text += &format!("{m} {n}\n");
		for matrix in [&instance.values, &instance.loads] {
			for line in matrix {
				text += &row(line);
				text.push('\n');
			}
		}
		text += &row(&instance.capacities);
		text.push('\n');
	}
	text
}
