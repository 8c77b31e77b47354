//! Benchmarks of the light client's calls, each in its worst case.

use super::*;
use crate::mining::mine_header;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Mutate as _, MutateHold as _};
use frame_system::RawOrigin;
use gridshard_primitives::{
	difficulty::TARGET_BLOCK_TIME_MS,
	proof,
	record::{ProxyNomination, RegionalStorageKeys},
};
use sp_runtime::traits::Zero;

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

/// A region state in which `key` holds `value` behind `levels` branch nodes of sixteen children
/// each (the largest a state trie has): its root, and the proof of `key`, of `levels` + 2 nodes
/// (the branches, the leaf and the value).
fn fat_state(key: &[u8], value: Vec<u8>, levels: u32) -> (Hash, Vec<Vec<u8>>) {
	let nibble =
		|key: &[u8], i: usize| (key[i / 2] >> if i.is_multiple_of(2) { 4 } else { 0 }) & 0x0f;
	let mut entries = alloc::vec![(key.to_vec(), value)];
	for depth in 0..levels as usize {
		for other in (0u8..16).filter(|v| *v != nibble(key, depth)) {
			let mut sibling = key.to_vec();
			let shift = if depth.is_multiple_of(2) { 4 } else { 0 };
			sibling[depth / 2] = (sibling[depth / 2] & !(0x0f << shift)) | (other << shift);
			entries.push((sibling, alloc::vec![other; 40]));
		}
	}
	proof::prove_in_trie(&entries, key)
}

/// Follows `REGION` from a genesis checkpoint whose state root is `root`: the checkpoint is
/// confirmed at once. Answers its hash.
fn follow<T: Config>(root: Hash) -> Result<Hash, BenchmarkError> {
	let header = Header::new(0, Hash::zero(), root, Hash::zero(), Default::default());
	let hash = header.hash();
	let checkpoint = Checkpoint {
		header,
		window: Default::default(),
		next_difficulty: ADJUSTMENT.min_difficulty,
	};
	let origin =
		T::RegionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	Pallet::<T>::register_region(origin, REGION, Box::new(checkpoint))
		.map_err(|_| BenchmarkError::Stop("the region registers"))?;
	Ok(hash)
}

/// A funded account.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let _ = T::Currency::set_balance(&who, T::ProxyBond::get().saturating_mul(100));
	who
}

/// Makes `who` the region's bonded proxy, with the bond really held.
fn bonded<T: Config>(who: &T::AccountId, term: u32) {
	let amount = T::ProxyBond::get();
	T::Currency::hold(&HoldReason::ProxyBond.into(), who, amount).expect("funded");
	Bonds::<T>::insert(who, ProxyBond { region: REGION, amount, outstanding: 0 });
	Proxies::<T>::insert(REGION, ActiveProxy { account: who.clone(), term, suspended: false });
}

/// A record of `period` of the benchmark's region, its numbers set by `paid`.
fn sample_record(period: PeriodIndex, paid: Balance) -> PeriodRecord {
	PeriodRecord { region: REGION, period, orders: 1_000, paid, ..Default::default() }
}

/// Fills the history of slashes, so that a new one shifts it.
fn full_slash_history<T: Config>(proxy: &T::AccountId) {
	let entry = SlashEntry {
		region: REGION,
		period: 0,
		proxy: proxy.clone(),
		reason: SlashReason::Unverified,
		amount: 1,
		to_prover: 0,
		at: Zero::zero(),
	};
	Slashes::<T>::put(BoundedVec::truncate_from(alloc::vec![entry; SLASH_HISTORY as usize]));
}

/// Keeps `count` verified records of the region, periods `0..count`.
fn verified_records<T: Config>(count: u32) {
	for period in 0..count {
		Records::<T>::insert(
			REGION,
			period,
			RecordEntry {
				record: sample_record(period, 1),
				status: RecordStatus::Verified,
				announced_by: None,
				proven_by: None,
				anchor: Some(HeaderId { hash: Hash::zero(), number: 0 }),
			},
		);
	}
	RecordPeriods::<T>::insert(REGION, BoundedVec::truncate_from((0..count).collect::<Vec<_>>()));
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

	/// Removing a region that stores `h` headers and `r` proven records (sent back to
	/// announced).
	#[benchmark]
	fn remove_region(
		h: Linear<1, { Pallet::<T>::max_headers_per_region() }>,
		r: Linear<0, { T::RecordsToKeep::get() }>,
	) -> Result<(), BenchmarkError> {
		let forks = T::MaxForksPerHeight::get();
		let length = h.div_ceil(forks).saturating_sub(1);
		store_region::<T>(length, forks - 1, length + 1);
		verified_records::<T>(r);
		let origin =
			T::RegionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, REGION);

		assert!(!Regions::<T>::contains_key(REGION));
		Ok(())
	}

	/// A named proxy bonding on a proof of `n` nodes, replacing a proxy of an older term.
	#[benchmark]
	fn bond(n: Linear<3, { T::MaxProofNodes::get() }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("proxy", 0);
		let former = funded::<T>("former", 0);
		bonded::<T>(&former, 1);
		let nomination = ProxyNomination { account: caller.clone(), term: 2 };
		let (root, proof) = fat_state(&T::RegionalKeys::proxy_key(), nomination.encode(), n - 2);
		assert_eq!(proof.len() as u32, n, "the proof has n nodes");
		let anchor = follow::<T>(root)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), REGION, anchor, proof);

		assert_eq!(Proxies::<T>::get(REGION).map(|proxy| proxy.account), Some(caller));
		Ok(())
	}

	/// A replaced proxy leaving with its bond.
	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("former", 0);
		bonded::<T>(&caller, 1);
		let proxy = funded::<T>("proxy", 0);
		bonded::<T>(&proxy, 2);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!Bonds::<T>::contains_key(&caller));
		Ok(())
	}

	/// An announcement into a full history, whose oldest record is pruned.
	#[benchmark]
	fn announce() -> Result<(), BenchmarkError> {
		follow::<T>(Hash::repeat_byte(1))?;
		let caller = funded::<T>("proxy", 0);
		bonded::<T>(&caller, 1);
		let keep = T::RecordsToKeep::get();
		verified_records::<T>(keep);
		let record = sample_record(keep, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), REGION, keep, record);

		assert!(Records::<T>::contains_key(REGION, keep));
		assert!(!Records::<T>::contains_key(REGION, 0));
		Ok(())
	}

	/// A proof of `n` nodes correcting a false announcement: the proxy's bond slashed to the
	/// prover and the pot, the proxy suspended, the slash history shifted.
	#[benchmark]
	fn prove(n: Linear<3, { T::MaxProofNodes::get() }>) -> Result<(), BenchmarkError> {
		let period = 7;
		let truth = sample_record(period, 1_000);
		let (root, proof) = fat_state(&T::RegionalKeys::record_key(period), truth.encode(), n - 2);
		assert_eq!(proof.len() as u32, n, "the proof has n nodes");
		let anchor = follow::<T>(root)?;
		let proxy = funded::<T>("proxy", 0);
		bonded::<T>(&proxy, 1);
		full_slash_history::<T>(&proxy);
		Pallet::<T>::announce(
			RawOrigin::Signed(proxy.clone()).into(),
			REGION,
			period,
			sample_record(period, 2_000),
		)
		.map_err(|_| BenchmarkError::Stop("the proxy announces"))?;
		let caller = funded::<T>("prover", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), REGION, period, anchor, proof);

		let entry = Records::<T>::get(REGION, period).expect("kept");
		assert_eq!(entry.status, RecordStatus::Corrected);
		assert!(Proxies::<T>::get(REGION).is_some_and(|proxy| proxy.suspended));
		Ok(())
	}

	/// The hook expiring `e` announcements, each slashing its proxy into a full history.
	#[benchmark]
	fn expire(e: Linear<0, { T::MaxExpiriesPerBlock::get() }>) -> Result<(), BenchmarkError> {
		follow::<T>(Hash::repeat_byte(1))?;
		let proxy = funded::<T>("proxy", 0);
		bonded::<T>(&proxy, 1);
		full_slash_history::<T>(&proxy);
		for period in 0..e {
			Pallet::<T>::announce(
				RawOrigin::Signed(proxy.clone()).into(),
				REGION,
				period,
				sample_record(period, 1),
			)
			.map_err(|_| BenchmarkError::Stop("the proxy announces"))?;
		}
		let due = frame_system::Pallet::<T>::block_number() + T::VerificationDeadline::get();

		#[block]
		{
			Pallet::<T>::expire_due(due);
		}

		for period in 0..e {
			assert_eq!(
				Records::<T>::get(REGION, period).map(|r| r.status),
				Some(RecordStatus::Unverified)
			);
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
