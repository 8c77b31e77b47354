//! `consensus-experiment [options]`: runs the paper's consensus experiment (Fig. 5) on real
//! nodes, one chain of twelve miners and then three regions of four, and writes
//! `consensus.csv` and `consensus.svg` into `--out` (default `docs/consensus-experiment`).
//! `--help` lists the options. `consensus-experiment capacity` prints what a block holds of each
//! market transaction, from the runtime's weights and limits; `consensus-experiment market`
//! measures what one mining node includes of transfers over a minute and then of the market's
//! own transactions, a trading period filled to the runtime's limits.

use gridshard_consensus_experiment::{
	capacity, chart, market, medians,
	network::{self, Settings, Topology},
	node_binary, Point, Side,
};
use std::{path::PathBuf, time::Duration};

const USAGE: &str = "usage: consensus-experiment [--sizes 10,100,..] [--runs N] [--k K]
	[--miners N] [--regions R] [--block-time-ms MS] [--delay-ms LOW-HIGH] [--seed N]
	[--rate TRADES_PER_S] [--timeout-s S] [--out DIR] [--node PATH]
	[--only single|sharded|none] [--with EARLIER.csv]   (--only none --with F: redraw F's chart)
	[--coordinator]   (the regions' coordinator and relays too: when it verifies their records)
       consensus-experiment capacity    (what a block holds of each market transaction)
       consensus-experiment market      (transfers, offers, requests, readings, applications
                                         included by one node)";

/// The experiment's options.
struct Options {
	sizes: Vec<usize>,
	runs: usize,
	k: u64,
	rate: Option<f64>,
	miners: usize,
	regions: usize,
	timeout: Duration,
	out: PathBuf,
	/// Run only this topology.
	only: Option<String>,
	/// Runs measured earlier, charted with this invocation's.
	with: Vec<PathBuf>,
	/// Whether the sharded side runs the coordinator and the relays.
	coordinator: bool,
	settings: Settings,
}

fn parse() -> Result<Option<Options>, String> {
	let mut options = Options {
		sizes: vec![10, 100, 1_000, 2_500, 5_000, 7_500, 10_000, 15_000, 20_000],
		runs: 3,
		k: 2,
		rate: None,
		miners: 12,
		regions: 3,
		timeout: Duration::from_secs(600),
		out: PathBuf::from("docs/consensus-experiment"),
		only: None,
		with: Vec::new(),
		coordinator: false,
		settings: Settings {
			node_binary: node_binary(),
			work: std::env::temp_dir().join(format!("gridshard-consensus-{}", std::process::id())),
			block_time: Duration::from_millis(
				gridshard_primitives::difficulty::TARGET_BLOCK_TIME_MS,
			),
			delay_ms: (0, 20),
			seed: 5,
			senders: 500,
		},
	};
	let mut args = std::env::args().skip(1);
	while let Some(arg) = args.next() {
		let mut value = || args.next().ok_or(format!("{arg} needs a value"));
		let number = |v: String| v.parse::<u64>().map_err(|e| format!("{arg}: {e}"));
		match arg.as_str() {
			"--sizes" => {
				options.sizes = value()?
					.split(',')
					.map(|s| s.trim().parse().map_err(|e| format!("--sizes: {e}")))
					.collect::<Result<_, _>>()?
			}
			"--runs" => options.runs = number(value()?)? as usize,
			"--k" => options.k = number(value()?)?,
			"--rate" => options.rate = Some(value()?.parse().map_err(|e| format!("--rate: {e}"))?),
			"--miners" => options.miners = number(value()?)? as usize,
			"--regions" => options.regions = number(value()?)? as usize,
			"--block-time-ms" => {
				options.settings.block_time = Duration::from_millis(number(value()?)?)
			}
			"--delay-ms" => {
				let range = value()?;
				let (low, high) = range.split_once('-').ok_or("--delay-ms: LOW-HIGH")?;
				let parse = |s: &str| s.parse::<u64>().map_err(|e| format!("--delay-ms: {e}"));
				options.settings.delay_ms = (parse(low)?, parse(high)?);
			}
			"--seed" => options.settings.seed = number(value()?)?,
			"--timeout-s" => options.timeout = Duration::from_secs(number(value()?)?),
			"--out" => options.out = PathBuf::from(value()?),
			"--only" => options.only = Some(value()?),
			"--with" => options.with.push(PathBuf::from(value()?)),
			"--coordinator" => options.coordinator = true,
			"--node" => options.settings.node_binary = PathBuf::from(value()?),
			"--help" | "-h" => {
				println!("{USAGE}");
				return Ok(None);
			}
			other => return Err(format!("unknown argument {other}\n{USAGE}")),
		}
	}
	let (low, high) = options.settings.delay_ms;
	if low > high || options.sizes.is_empty() || options.runs == 0 || options.regions == 0 {
		return Err(format!("empty sizes, runs, regions or delay range\n{USAGE}"));
	}
	if !options.miners.is_multiple_of(options.regions) {
		return Err(format!(
			"{} miners do not split into {} regions",
			options.miners, options.regions
		));
	}
	let largest = options.sizes.iter().max().copied().unwrap_or(0) * options.runs;
	options.settings.senders = options.settings.senders.max((largest / 100) as u32);
	Ok(Some(options))
}

/// `market`: one node, transfers for a minute, then a period filled to the market's limits.
fn run_market() -> Result<(), String> {
	let settings = Settings {
		node_binary: node_binary(),
		work: std::env::temp_dir().join(format!("gridshard-market-{}", std::process::id())),
		block_time: Duration::from_millis(gridshard_primitives::difficulty::TARGET_BLOCK_TIME_MS),
		delay_ms: (0, 0),
		seed: 5,
		senders: 600,
	};
	stop_nodes_on_signal(settings.work.clone())?;
	let started = std::time::Instant::now();
	let measured = market::measure(&settings, 30_000);
	let _ = std::fs::remove_dir_all(&settings.work);
	print!("{}", market::markdown(&measured?, started));
	Ok(())
}

/// On SIGINT, SIGTERM or SIGHUP sent to this process alone, kills the nodes started under `work`
/// (dropping the networks would, but the main thread is busy measuring) and exits.
fn stop_nodes_on_signal(work: PathBuf) -> Result<(), String> {
	use tokio::signal::unix::{signal, SignalKind};
	let runtime = tokio::runtime::Builder::new_current_thread()
		.enable_all()
		.build()
		.map_err(|e| format!("a signal handler: {e}"))?;
	let handler = |e: std::io::Error| format!("a signal handler: {e}");
	let (mut interrupt, mut terminate, mut hangup) = runtime.block_on(async {
		Ok::<_, String>((
			signal(SignalKind::interrupt()).map_err(handler)?,
			signal(SignalKind::terminate()).map_err(handler)?,
			signal(SignalKind::hangup()).map_err(handler)?,
		))
	})?;
	std::thread::spawn(move || {
		runtime.block_on(async {
			tokio::select! {
				_ = interrupt.recv() => {},
				_ = terminate.recv() => {},
				_ = hangup.recv() => {},
			}
		});
		eprintln!("stopped: killing the nodes under {}", work.display());
		network::kill_processes_in(&work);
		std::process::exit(130);
	});
	Ok(())
}

fn main() -> Result<(), String> {
	if std::env::args().nth(1).as_deref() == Some("capacity") {
		print!("{}", capacity::markdown(&capacity::market()));
		return Ok(());
	}
	if std::env::args().nth(1).as_deref() == Some("market") {
		return run_market();
	}
	let Some(options) = parse()? else { return Ok(()) };
	stop_nodes_on_signal(options.settings.work.clone())?;
	let mut points: Vec<Point> = Vec::new();
	for earlier in &options.with {
		let text =
			std::fs::read_to_string(earlier).map_err(|e| format!("{}: {e}", earlier.display()))?;
		points.extend(chart::parse(&text)?);
	}
	std::fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
	let csv_path = options.out.join("consensus.csv");
	let mut sharded = Topology::regions(options.regions, options.miners / options.regions);
	if options.coordinator {
		sharded = sharded.with_coordinator();
	}
	let topologies = [Topology::single_chain(options.miners), sharded];
	for topology in &topologies {
		if options.only.as_ref().is_some_and(|only| *only != topology.name) {
			continue;
		}
		eprintln!(
			"[{}] starting {} chain(s), {} miners in all",
			topology.name,
			topology.chains.len(),
			topology.miners()
		);
		let mut side = Side::start(topology, &options.settings)?;
		side.rate = options.rate;
		let delays = &side.network.delays_ms;
		eprintln!(
			"[{}] {} links, delay {:.1} ms on average",
			topology.name,
			delays.len(),
			delays.iter().sum::<u64>() as f64 / delays.len().max(1) as f64
		);
		for &size in &options.sizes {
			for run in 0..options.runs {
				let point = side.measure(size, run, options.k, options.timeout)?;
				eprintln!(
					"[{}] {size} trades, run {run}: submitted {:.1} s, included {:.1} s, {}-deep {:.1} s, {} block(s), fullest {}, {} round(s)",
					point.topology, point.submitted_s, point.included_s, options.k, point.confirmed_s,
					point.blocks, point.fullest, point.rounds
				);
				if let (Some(anchored), Some(verified)) = (point.anchored_s, point.verified_s) {
					eprintln!(
						"[{}] {size} trades, run {run}: the coordinator confirmed the last blocks at {anchored:.1} s and verified their periods' records at {verified:.1} s",
						point.topology
					);
				}
				points.push(point);
				// Written after every run, so that a failure later keeps what was measured.
				std::fs::write(&csv_path, chart::csv(&points))
					.map_err(|e| format!("{}: {e}", csv_path.display()))?;
			}
		}
	}
	let mut sizes: Vec<usize> = points.iter().map(|p| p.trades).collect();
	sizes.sort_unstable();
	sizes.dedup();
	let counts: Vec<usize> = ["single", "sharded"]
		.iter()
		.flat_map(|t| {
			let points = &points;
			sizes
				.iter()
				.map(move |n| points.iter().filter(|p| p.topology == *t && p.trades == *n).count())
		})
		.filter(|count| *count > 0)
		.collect();
	let (fewest, most) =
		(counts.iter().copied().min().unwrap_or(0), counts.iter().copied().max().unwrap_or(0));
	let runs = if fewest == most { format!("{most}") } else { format!("{fewest}-{most}") };
	let single = medians(&points, "single", &sizes);
	let sharded = medians(&points, "sharded", &sizes);
	println!("trades  single_s  sharded_s  ratio");
	for ((size, a), (_, b)) in single.iter().zip(&sharded) {
		println!("{size:>6}  {a:>8.1}  {b:>9.1}  {:>5.2}", b / a);
	}
	let (low, high) = options.settings.delay_ms;
	let caption = format!(
		"Time to confirm N trades ({}-deep), median of {} runs; Poisson-simulated miners, {} s blocks, links {low}-{high} ms",
		options.k,
		runs,
		options.settings.block_time.as_secs_f64()
	);
	let per_region = options.miners / options.regions;
	let labels = [
		("single", format!("one chain of {} miners", options.miners)),
		("sharded", format!("{} regions of {per_region} miners", options.regions)),
	];
	let svg_path = options.out.join("consensus.svg");
	std::fs::write(&svg_path, chart::svg(&points, &sizes, &labels, &caption)?)
		.map_err(|e| format!("{}: {e}", svg_path.display()))?;
	let _ = std::fs::remove_dir_all(&options.settings.work);
	println!("wrote {} and {}", csv_path.display(), svg_path.display());
	Ok(())
}
