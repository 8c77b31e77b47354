//! Benchmarks of every call and of both halves of the hook. Orders are between freshly
//! approved participants whose meter keys live in the benchmark keystore. The worst case of a
//! payout is a full delivery: the provider's pay, the grid fee and the reward all move, and
//! reputation folds the delivery in.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Inspect, Authorize};
use gridshard_primitives::MeterKey;
use sp_core::crypto::KeyTypeId;
use sp_runtime::transaction_validity::TransactionSource;

/// The key type under which benchmarks keep meter keys.
const METER: KeyTypeId = KeyTypeId(*b"metr");

/// `R` of the benchmarks, in Wh.
const AGREED: gridshard_primitives::Energy = 10_000;

/// An order's parties and their meter keys.
struct Parties<T: Config> {
	user: T::AccountId,
	provider: T::AccountId,
	user_meter: MeterKey,
	provider_meter: MeterKey,
}

/// The `index`-th pair of approved participants.
fn parties<T: Config>(index: u32) -> Parties<T> {
	let user: T::AccountId = account("user", index, 0);
	let provider: T::AccountId = account("provider", index, 0);
	let user_meter = sp_io::crypto::sr25519_generate(METER, None);
	let provider_meter = sp_io::crypto::sr25519_generate(METER, None);
	T::BenchmarkHelper::approve(&user, false, user_meter);
	T::BenchmarkHelper::approve(&provider, true, provider_meter);
	Parties { user, provider, user_meter, provider_meter }
}

/// The price of the benchmarks' orders: one native token per kWh.
fn price<T: Config>() -> gridshard_primitives::Price {
	T::Currency::minimum_balance().saturating_mul(1_000)
}

/// An order between `parties` whose window ends 10 blocks from now.
fn order<T: Config>(parties: &Parties<T>) -> OrderId {
	let now = frame_system::Pallet::<T>::block_number();
	let price = price::<T>();
	let escrow = Pallet::<T>::rules().cost(AGREED, price).expect("no overflow");
	<Pallet<T> as Escrow<_, _>>::hold(&parties.user, escrow).expect("funded");
	Pallet::<T>::open_order(OrderTerms {
		user: parties.user.clone(),
		provider: parties.provider.clone(),
		agreed: AGREED,
		price,
		grid_fee: T::Currency::minimum_balance(),
		period: 0,
		window_start: now,
		window_end: now + 10u32.into(),
	})
	.expect("a valid order")
}

/// A reading signed by `meter`.
fn signed<T: Config>(reading: Reading, meter: &MeterKey) -> MeterSignature {
	sp_io::crypto::sr25519_sign(
		METER,
		meter,
		&reading_payload(&Pallet::<T>::genesis_hash(), &reading),
	)
	.expect("a keystore key")
}

/// Both meters' final readings of full delivery.
fn full_readings<T: Config>(id: OrderId, parties: &Parties<T>) {
	for (side, meter) in
		[(Side::Provider, &parties.provider_meter), (Side::User, &parties.user_meter)]
	{
		let reading = Reading { order: id, side, energy: AGREED, sequence: 1, is_final: true };
		let signature = signed::<T>(reading, meter);
		Pallet::<T>::submit_reading(frame_system::RawOrigin::Authorized.into(), reading, signature)
			.expect("a valid reading");
	}
}

/// Moves the chain `blocks` blocks on.
fn advance<T: Config>(blocks: u32) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + blocks.into());
}

/// An order with full readings, settled by its provider.
fn settled<T: Config>(parties: &Parties<T>) -> OrderId {
	let id = order::<T>(parties);
	full_readings::<T>(id, parties);
	advance::<T>(10);
	Pallet::<T>::apply_for_settlement(
		frame_system::RawOrigin::Signed(parties.provider.clone()).into(),
		id,
	)
	.expect("settles");
	id
}

/// Funds the reward pot for many rewards.
fn fund_pot<T: Config>() {
	let _ = T::Currency::set_balance(
		&T::RewardPot::get(),
		T::RewardToken::get().saturating_mul(10_000),
	);
}

/// The delay between settlement and payout.
fn payout_delay<T: Config>() -> u32 {
	T::ConfirmationDepth::get().max(T::DisputeWindow::get()).saturated_into::<u32>()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_reading() {
		let parties = parties::<T>(0);
		let id = order::<T>(&parties);
		let reading = Reading {
			order: id,
			side: Side::Provider,
			energy: 4_000,
			sequence: 1,
			is_final: false,
		};
		let signature = signed::<T>(reading, &parties.provider_meter);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Authorized, reading, signature);

		assert_eq!(Orders::<T>::get(id).map(|o| o.provider_reading.energy), Some(4_000));
	}

	/// The pool's check of a reading: one order read and one signature verified.
	#[benchmark]
	fn authorize_submit_reading() -> Result<(), BenchmarkError> {
		let parties = parties::<T>(0);
		let id = order::<T>(&parties);
		let reading =
			Reading { order: id, side: Side::User, energy: 4_000, sequence: 1, is_final: true };
		let signature = signed::<T>(reading, &parties.user_meter);
		let call = Call::<T>::submit_reading { reading, signature };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("the call authorises")?
				.map_err(|_| "a valid reading")?;
		}

		Ok(())
	}

	#[benchmark]
	fn apply_for_settlement() {
		let parties = parties::<T>(0);
		let id = order::<T>(&parties);
		full_readings::<T>(id, &parties);
		advance::<T>(10);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(parties.provider.clone()), id);

		assert!(matches!(
			Orders::<T>::get(id).map(|o| o.status),
			Some(OrderStatus::Settled { .. })
		));
	}

	#[benchmark]
	fn dispute() {
		let parties = parties::<T>(0);
		let id = settled::<T>(&parties);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(parties.user.clone()), id);

		assert!(matches!(
			Orders::<T>::get(id).map(|o| o.status),
			Some(OrderStatus::Disputed { .. })
		));
	}

	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let parties = parties::<T>(0);
		let id = settled::<T>(&parties);
		Pallet::<T>::dispute(frame_system::RawOrigin::Signed(parties.user.clone()).into(), id)
			.expect("in time");
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		// The meters' figures again: the settlement stands and the bond goes to the provider.
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, AGREED, AGREED);

		assert!(matches!(
			Orders::<T>::get(id).map(|o| o.status),
			Some(OrderStatus::Settled { .. })
		));
		Ok(())
	}

	#[benchmark]
	fn claim_payout() {
		fund_pot::<T>();
		let parties = parties::<T>(0);
		let id = settled::<T>(&parties);
		advance::<T>(payout_delay::<T>());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(caller), id);

		assert!(!Orders::<T>::contains_key(id));
	}

	/// `n` orders past their deadline, each settled on its (full) readings.
	#[benchmark]
	fn settle_overdue(n: Linear<0, { T::MaxAutoSettlePerBlock::get() }>) {
		let ids: alloc::vec::Vec<_> = (0..n)
			.map(|i| {
				let parties = parties::<T>(i);
				let id = order::<T>(&parties);
				full_readings::<T>(id, &parties);
				id
			})
			.collect();
		advance::<T>(10 + T::SettlementDeadline::get().saturated_into::<u32>());
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::settle_overdue(now);
		}

		for id in ids {
			assert!(matches!(
				Orders::<T>::get(id).map(|o| o.status),
				Some(OrderStatus::Settled { .. })
			));
		}
	}

	/// `n` disputes past their deadline, each ended: its bond returned, its settlement queued.
	#[benchmark]
	fn expire_disputes(n: Linear<0, { T::MaxDisputeExpiriesPerBlock::get() }>) {
		let ids: alloc::vec::Vec<_> = (0..n)
			.map(|i| {
				let parties = parties::<T>(i);
				let id = settled::<T>(&parties);
				Pallet::<T>::dispute(frame_system::RawOrigin::Signed(parties.user).into(), id)
					.expect("in time");
				id
			})
			.collect();
		advance::<T>(T::DisputeDeadline::get().saturated_into::<u32>());
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::expire_disputes(now);
		}

		for id in ids {
			assert!(matches!(
				Orders::<T>::get(id).map(|o| o.status),
				Some(OrderStatus::Settled { .. })
			));
		}
	}

	/// `n` settled orders due, each paid in full with its reward.
	#[benchmark]
	fn pay_due(n: Linear<0, { T::MaxPayoutsPerBlock::get() }>) {
		fund_pot::<T>();
		let all: alloc::vec::Vec<_> = (0..n).map(|i| parties::<T>(i)).collect();
		let ids: alloc::vec::Vec<_> = all.iter().map(|p| order::<T>(p)).collect();
		for (id, parties) in ids.iter().zip(&all) {
			full_readings::<T>(*id, parties);
		}
		advance::<T>(10);
		for (id, parties) in ids.iter().zip(&all) {
			Pallet::<T>::apply_for_settlement(
				frame_system::RawOrigin::Signed(parties.provider.clone()).into(),
				*id,
			)
			.expect("settles");
		}
		advance::<T>(payout_delay::<T>());
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::pay_due(now);
		}

		assert_eq!(Orders::<T>::iter().count(), 0);
	}

	#[benchmark]
	fn set_roles() {
		let operator: T::AccountId = account("operator", 0, 0);
		let centre: T::AccountId = account("centre", 0, 0);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Root, operator.clone(), centre);

		assert_eq!(GridOperator::<T>::get(), Some(operator));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
