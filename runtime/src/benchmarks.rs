//! The pallets `gridshard-node benchmark pallet` measures (needs the `runtime-benchmarks`
//! feature).

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_difficulty, Difficulty]
	[pallet_block_reward, BlockReward]
	[pallet_collective, QualificationCouncil]
	[pallet_council_root, CouncilRoot]
	[pallet_registration, Registration]
	[pallet_reputation, Reputation]
	[pallet_settlement, Settlement]
	[pallet_matching, Matching]
	[pallet_shard_proxy, ShardProxy]
	[pallet_period_records, PeriodRecords]
);

impl frame_system_benchmarking::Config for crate::Runtime {}
impl frame_benchmarking::baseline::Config for crate::Runtime {}
