//! Benchmarks of every call. The worst case of each is the path with the most storage and the
//! most work: the longest fields, a provider (the larger role), and for suspension and
//! reinstatement the branches that move funds.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Inspect;
use frame_system::RawOrigin;
use sp_core::crypto::KeyTypeId;

/// The key type under which benchmarks keep their meter keys.
const METER: KeyTypeId = KeyTypeId(*b"metr");

/// A provider application by `who` with fields of the maximum length and a valid proof of
/// possession from a fresh meter key.
fn longest_application<T: Config>(who: &T::AccountId) -> Application {
	let longest = vec![b'x'; T::MaxFieldLength::get() as usize];
	let meter_key = sp_io::crypto::sr25519_generate(METER, None);
	let payload = Pallet::<T>::meter_key_proof_payload(&Pallet::<T>::genesis_hash(), who, &longest);
	let meter_key_proof =
		sp_io::crypto::sr25519_sign(METER, &meter_key, &payload).expect("the key was generated");
	Application {
		role: Role::Provider {
			kind: GenerationKind::Photovoltaic,
			rated_power_w: u64::MAX,
			connection: GridConnection { point: longest.clone(), voltage: VoltageLevel::ExtraHigh },
		},
		region: RegionId::MAX,
		name: longest.clone(),
		meter_id: longest,
		meter_key,
		meter_key_proof,
		settlement_commitment: sp_core::H256::repeat_byte(0xab),
	}
}

/// An account that can pay ten deposits.
fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let amount = T::Deposit::get()
		.saturating_mul(10u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, amount);
	who
}

/// `who` with a pending application of the longest fields.
fn applied<T: Config>(who: &T::AccountId) {
	Pallet::<T>::apply(
		RawOrigin::Signed(who.clone()).into(),
		Box::new(longest_application::<T>(who)),
	)
	.expect("a valid application");
}

/// The qualification origin.
fn council<T: Config>() -> T::RuntimeOrigin {
	T::QualificationOrigin::try_successful_origin().expect("the origin can be produced")
}

/// `who`, applied and approved.
fn approved<T: Config>(who: &T::AccountId) {
	applied::<T>(who);
	Pallet::<T>::approve(council::<T>(), who.clone()).expect("pending");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Longest fields; the signature check, the hold and four writes.
	#[benchmark]
	fn apply() {
		let who = funded::<T>("applicant");
		let application = longest_application::<T>(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), Box::new(application));

		assert_eq!(Participants::<T>::get(&who).map(|p| p.status), Some(Status::Pending));
	}

	#[benchmark]
	fn withdraw() {
		let who = funded::<T>("applicant");
		applied::<T>(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Participants::<T>::contains_key(&who));
	}

	#[benchmark]
	fn approve() {
		let who = funded::<T>("applicant");
		applied::<T>(&who);
		let origin = council::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert_eq!(Participants::<T>::get(&who).map(|p| p.status), Some(Status::Approved));
	}

	#[benchmark]
	fn reject() {
		let who = funded::<T>("applicant");
		applied::<T>(&who);
		let origin = council::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), RejectionReason::Other);

		assert!(!Participants::<T>::contains_key(&who));
	}

	/// Misconduct: the forfeit slashes the hold and pays the credit out.
	#[benchmark]
	fn suspend() {
		let who = funded::<T>("participant");
		approved::<T>(&who);
		let origin = council::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), SuspensionReason::Misconduct);

		assert!(matches!(
			Participants::<T>::get(&who).map(|p| p.status),
			Some(Status::Suspended(SuspensionReason::Misconduct))
		));
	}

	/// After a forfeit, so that the deposit is topped up.
	#[benchmark]
	fn reinstate() {
		let who = funded::<T>("participant");
		approved::<T>(&who);
		Pallet::<T>::suspend(council::<T>(), who.clone(), SuspensionReason::Misconduct)
			.expect("approved");
		let origin = council::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert_eq!(Participants::<T>::get(&who).map(|p| p.deposit), Some(T::Deposit::get()));
	}

	#[benchmark]
	fn deregister() {
		let who = funded::<T>("participant");
		approved::<T>(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Participants::<T>::get(&who).map(|p| p.status), Some(Status::Leaving));
	}

	#[benchmark]
	fn complete_deregistration() {
		let who = funded::<T>("participant");
		approved::<T>(&who);
		Pallet::<T>::deregister(RawOrigin::Signed(who.clone()).into()).expect("approved");
		let until = Unbonding::<T>::get(&who).expect("leaving");
		frame_system::Pallet::<T>::set_block_number(until);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Participants::<T>::contains_key(&who));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
