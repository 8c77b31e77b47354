//! Benchmarks of the light client's calls, each in its worst case.

use super::*;
use crate::mining::mine_header;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use gridshard_primitives::difficulty::TARGET_BLOCK_TIME_MS;

const REGION: RegionId = 1;
/// The timestamp of the stored chain's first header (ms).
const START: Moment = 1_000_000;

/// A stored header of the fake chain below the benchmark's real headers: any hash will do, since
/// the light client never checks a stored header again.
fn fake_hash(number: BlockNumber, fork: u32) -> Hash {
	let mut bytes = [0u8; 32];
	bytes[..4].copy_from_slice(&number.to_le_bytes());
	bytes[4..8].copy_from_slice(&fork.to_le_bytes());
	bytes[31] = 0xfe;
	Hash::from(bytes)
}

/// Stores a region whose best chain is `length` headers above a genesis checkpoint, one block
/// every target time at the smallest difficulty, confirmed `Confirmations` under the best, with
/// `forks` extra headers at every height that the next `prune` confirmations will prune. Answers
/// the best header's hash.
fn store_region<T: Config>(length: u32, forks: u32, prune: u32) -> Hash {
	let min = ADJUSTMENT.min_difficulty;
	let confirmed_number = length.saturating_sub(T::Confirmations::get());
	let keep_from = confirmed_number.saturating_sub(T::HeadersToKeep::get());
	let mut headers = 0u32;
	let mut parent = Hash::zero();
	for number in 0..=length {
		let hash = fake_hash(number, 0);
		let difficulty = if number == 0 { Difficulty::zero() } else { min };
		Headers::<T>::insert(
			REGION,
			hash,
			StoredHeader {
				number,
				parent,
				state_root: Hash::repeat_byte(1),
				timestamp: START + number as Moment * TARGET_BLOCK_TIME_MS,
				difficulty: min,
				total_difficulty: difficulty.saturating_mul(number.into()),
			},
		);
		let mut hashes = alloc::vec![hash];
		if number >= keep_from && number < keep_from + prune {
			for fork in 1..=forks {
				let fork_hash = fake_hash(number, fork);
				Headers::<T>::insert(
					REGION,
					fork_hash,
					StoredHeader {
						number,
						parent,
						state_root: Hash::repeat_byte(2),
						timestamp: START,
						difficulty: min,
						total_difficulty: Difficulty::zero(),
					},
				);
				hashes.push(fork_hash);
			}
		}
		headers += hashes.len() as u32;
		HeadersByNumber::<T>::insert(REGION, number, BoundedVec::truncate_from(hashes));
		if number <= confirmed_number {
			Canonical::<T>::insert(REGION, number, hash);
		}
		parent = hash;
	}
	let checkpoint = HeaderId { hash: fake_hash(0, 0), number: 0 };
	let best = HeaderId { hash: parent, number: length };
	CheckpointWindows::<T>::insert(REGION, (DifficultyWindow::default(), min));
	Regions::<T>::insert(
		REGION,
		RegionStatus {
			checkpoint,
			best,
			best_total_difficulty: min.saturating_mul(length.into()),
			best_tie_key: Hash::repeat_byte(0xff),
			confirmed: HeaderId { hash: fake_hash(confirmed_number, 0), number: confirmed_number },
			lowest: keep_from,
			headers,
		},
	);
	parent
}

/// `n` real headers on top of the stored best chain of `length` headers, on target at the
/// smallest difficulty (what the adjustment gives after a window on target at the minimum).
fn mine_on_top(best: Hash, length: u32, n: u32) -> Vec<Header> {
	let miner = AccountId::new([7; 32]);
	let mut parent = best;
	(1..=n)
		.map(|i| {
			let number = length + i;
			let header = mine_header(
				parent,
				number,
				Hash::repeat_byte(3),
				START + number as Moment * TARGET_BLOCK_TIME_MS,
				ADJUSTMENT.min_difficulty,
				&miner,
				0,
			);
			parent = header.hash();
			header
		})
		.collect()
}

#[benchmarks(where T::AccountId: From<AccountId>)]
mod benchmarks {
	use super::*;

	/// A region followed from a later checkpoint: a full difficulty window to check.
	#[benchmark]
	fn register_region() -> Result<(), BenchmarkError> {
		let window: Vec<(Moment, Difficulty)> = (0..WINDOW_LENGTH)
			.map(|i| (START + i as Moment * TARGET_BLOCK_TIME_MS, ADJUSTMENT.min_difficulty))
			.collect();
		let (timestamp, difficulty) = *window.last().expect("a full window");
		let next_difficulty = next_difficulty(&window, difficulty, &ADJUSTMENT);
		let miner = AccountId::new([7; 32]);
		let header = mine_header(Hash::zero(), 100, Hash::zero(), timestamp, difficulty, &miner, 0);
		let checkpoint =
			Checkpoint { header, window: BoundedVec::truncate_from(window), next_difficulty };
		let origin =
			T::RegionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, REGION, Box::new(checkpoint));

		assert!(Regions::<T>::contains_key(REGION));
		Ok(())
	}

	/// A batch of `n` new headers extending the best chain. Worst case: the first header's
	/// ancestry (a full difficulty window) is read from storage, every header confirms a height
	/// and prunes one that holds `MaxForksPerHeight` headers.
	#[benchmark]
	fn submit_headers(n: Linear<1, { T::MaxHeadersPerBatch::get() }>) {
		let length = T::HeadersToKeep::get() + T::Confirmations::get() + WINDOW_LENGTH;
		let best = store_region::<T>(length, T::MaxForksPerHeight::get() - 1, n);
		let headers = mine_on_top(best, length, n);
		T::BenchmarkHelper::set_clock(START + (length + n) as Moment * TARGET_BLOCK_TIME_MS);
		let last = headers.last().expect("n >= 1").hash();
		let relayer: T::AccountId = AccountId::new([8; 32]).into();

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), REGION, headers);

		assert_eq!(Regions::<T>::get(REGION).expect("registered").best.hash, last);
	}

	/// Removing a region that stores `h` headers.
	#[benchmark]
	fn remove_region(
		h: Linear<1, { Pallet::<T>::max_headers_per_region() }>,
	) -> Result<(), BenchmarkError> {
		let forks = T::MaxForksPerHeight::get();
		let length = h.div_ceil(forks).saturating_sub(1);
		store_region::<T>(length, forks - 1, length + 1);
		let origin =
			T::RegionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, REGION);

		assert!(!Regions::<T>::contains_key(REGION));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
