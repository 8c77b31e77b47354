//! The command line.

use gridshard_primitives::AccountId;
use sp_core::crypto::Ss58Codec;

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (used by zombienet; see also `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Sub-commands concerned with benchmarking (needs the `runtime-benchmarks` feature).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Db meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Relay a region's headers to the coordinating chain's light client.
	Relay(crate::relay::RelayCmd),

	/// Run a meter's client: send the signed readings of its participant's orders.
	Meter(crate::meter::MeterCmd),

	/// A participant's command line: apply, offer, request, settle, dispute, show the status.
	Participant(crate::participant::ParticipantCmd),
}

/// How this node mines.
#[derive(Debug, Clone, clap::Args)]
pub struct MiningParams {
	/// Number of CPU threads that mine. Only authority nodes (`--validator`, implied by `--dev`)
	/// mine; 0 turns mining off.
	#[arg(long, value_name = "N", default_value_t = 1)]
	pub mining_threads: usize,

	/// The share of each mining thread's time spent hashing, in percent (1 to 100): the thread
	/// sleeps the rest. Lets many mining nodes share a few cores in test networks; the network's
	/// hashrate, and so its difficulty, scales down by the same factor.
	#[arg(long, value_name = "PERCENT", default_value_t = 100,
		value_parser = clap::value_parser!(u8).range(1..=100))]
	pub mining_duty_cycle: u8,

	/// Simulate the miner instead, for experiments where many miners share a few cores: for
	/// each piece of work, wait a time drawn from an exponential distribution of this mean
	/// (milliseconds), then search the seal at full speed. Blocks then arrive at rate
	/// `1 / mean` per thread whatever the CPU; give `n` such miners of one chain a mean of `n`
	/// times the target block time, and a low difficulty so that the seal costs little.
	/// Replaces `--mining-duty-cycle`.
	#[arg(long, value_name = "MS", conflicts_with = "mining_duty_cycle",
		value_parser = clap::value_parser!(u64).range(1..))]
	pub simulated_mining_mean_ms: Option<u64>,

	/// The account (SS58) that block rewards are paid to. Required on a mining node, except on
	/// development chains, where it defaults to Alice.
	#[arg(long, value_name = "SS58", value_parser = parse_account)]
	pub author: Option<AccountId>,
}

fn parse_account(s: &str) -> Result<AccountId, String> {
	AccountId::from_ss58check(s).map_err(|e| format!("`{s}` is not an SS58 account: {e:?}"))
}

/// The node's command line.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Running the node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Mining.
	#[clap(flatten)]
	pub mining: MiningParams,
}

impl MiningParams {
	/// How the mining threads spend their time.
	pub fn pace(&self) -> crate::miner::Pace {
		match self.simulated_mining_mean_ms {
			Some(mean) => {
				crate::miner::Pace::Poisson { mean: std::time::Duration::from_millis(mean) }
			}
			None => crate::miner::Pace::DutyCycle(self.mining_duty_cycle),
		}
	}
}
