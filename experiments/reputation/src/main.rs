//! `reputation-experiment [--seed N] [--out DIR]`: runs the paper's reputation experiment
//! through the runtime and writes `reputation.csv` and `reputation.svg` into `DIR` (default
//! `docs/reputation-experiment`).

use gridshard_reputation_experiment::{csv, run, svg, to_f64, PROVIDERS};
use std::path::PathBuf;

/// The seed of the committed chart.
const DEFAULT_SEED: u64 = 7;

fn main() -> Result<(), String> {
	let mut seed = DEFAULT_SEED;
	let mut out = PathBuf::from("docs/reputation-experiment");
	let mut args = std::env::args().skip(1);
	while let Some(arg) = args.next() {
		let mut value = || args.next().ok_or(format!("{arg} needs a value"));
		match arg.as_str() {
			"--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
			"--out" => out = PathBuf::from(value()?),
			"--help" | "-h" => {
				println!("usage: reputation-experiment [--seed N] [--out DIR]");
				return Ok(());
			}
			other => return Err(format!("unknown argument {other}; try --help")),
		}
	}
	eprintln!("running ten cycles through the runtime (seed {seed})...");
	let (cycles, ledger) = run(seed);
	println!("cycle  {}", PROVIDERS.map(|p| format!("{:>10}", &p.label[..10])).join(" "));
	for cycle in &cycles {
		let rc = cycle.reputation.map(|r| format!("{:>10.4}", to_f64(r)));
		let marks: String = (2..4)
			.filter(|i| cycle.dishonest[*i])
			.map(|i| format!(" {} dishonest", i + 1))
			.collect();
		println!("{:>5}  {}{marks}", cycle.cycle, rc.join(" "));
	}
	println!(
		"{} blocks; rewards paid {} (pot {} -> {}); open orders left {}",
		ledger.blocks, ledger.rewards, ledger.pot.0, ledger.pot.1, ledger.open_orders
	);
	std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
	let csv_path = out.join("reputation.csv");
	std::fs::write(&csv_path, csv(&cycles)).map_err(|e| format!("{}: {e}", csv_path.display()))?;
	let svg_path = out.join("reputation.svg");
	std::fs::write(&svg_path, svg(&cycles, seed)?)
		.map_err(|e| format!("{}: {e}", svg_path.display()))?;
	println!("wrote {} and {}", csv_path.display(), svg_path.display());
	Ok(())
}
