//! Tests of every call's success path and of each bad input, which must change nothing, and
//! random walks over every call with the invariants checked after each.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect as _};
use sp_core::{Pair, H256};
use sp_runtime::DispatchError::BadOrigin;

type Reg = Registration;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn council() -> RuntimeOrigin {
	RuntimeOrigin::signed(COUNCIL)
}

fn free(who: u64) -> u128 {
	Balances::balance(&who)
}

fn status(who: u64) -> Option<Status> {
	Participants::<Test>::get(who).map(|p| p.status)
}

/// Account 1 applies as a provider with meter 1 and is approved.
fn approved_provider() {
	assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
	assert_ok!(Reg::approve(council(), 1));
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Registration(event) => Some(event),
			_ => None,
		})
		.next_back()
		.expect("the pallet emitted an event")
}

mod apply {
	use super::*;

	#[test]
	fn holds_the_deposit_and_records_a_pending_provider() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));

			let record = Participants::<Test>::get(1).unwrap();
			assert_eq!(record.status, Status::Pending);
			assert_eq!(record.deposit, DEPOSIT);
			assert_eq!(record.meter_id.to_vec(), b"M-1".to_vec());
			assert_eq!(record.meter_key, meter_pair(1).public());
			assert_eq!(record.applied_at, 1);
			assert_eq!(record.role.kind(), RoleKind::Provider);
			assert_eq!(free(1), 1_000 - DEPOSIT);
			assert_eq!(total_held(), DEPOSIT);
			assert_eq!(MeterOwners::<Test>::get(record.meter_id), Some(1));
			assert!(PendingApplications::<Test>::contains_key(1));
			assert_eq!(
				last_event(),
				Event::Applied { who: 1, role: RoleKind::Provider, region: 1, deposit: DEPOSIT }
			);
		});
	}

	#[test]
	fn records_a_pending_user() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(2), Box::new(user_application(2, 2))));
			assert_eq!(Participants::<Test>::get(2).unwrap().role.kind(), RoleKind::User);
			assert_eq!(status(2), Some(Status::Pending));
		});
	}

	#[test]
	fn refuses_a_second_registration() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_noop!(
				Reg::apply(signed(1), Box::new(provider_application(1, 2))),
				Error::<Test>::AlreadyRegistered
			);
			assert_ok!(Reg::approve(council(), 1));
			assert_noop!(
				Reg::apply(signed(1), Box::new(user_application(1, 3))),
				Error::<Test>::AlreadyRegistered
			);
		});
	}

	#[test]
	fn refuses_a_meter_id_registered_by_another() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			// Account 2 holds a key of its own, but names meter `M-1`.
			let mut application = user_application(2, 2);
			application.meter_id = b"M-1".to_vec();
			application.meter_key_proof = sign_proof(&meter_pair(2), 2, b"M-1");
			assert_noop!(Reg::apply(signed(2), Box::new(application)), Error::<Test>::MeterIdInUse);
		});
	}

	#[test]
	fn refuses_oversized_fields() {
		new_test_ext().execute_with(|| {
			let too_long = vec![b'x'; MAX_FIELD as usize + 1];

			let mut application = provider_application(1, 1);
			application.name = too_long.clone();
			assert_noop!(Reg::apply(signed(1), Box::new(application)), Error::<Test>::NameTooLong);

			let mut application = provider_application(1, 1);
			application.meter_id = too_long.clone();
			application.meter_key_proof = sign_proof(&meter_pair(1), 1, &too_long);
			assert_noop!(
				Reg::apply(signed(1), Box::new(application)),
				Error::<Test>::MeterIdTooLong
			);

			let role = Role::User {
				connection: GridConnection { point: too_long, voltage: VoltageLevel::Medium },
			};
			assert_noop!(
				Reg::apply(signed(1), Box::new(signed_application(1, 1, role))),
				Error::<Test>::ConnectionPointTooLong
			);
		});
	}

	#[test]
	fn accepts_fields_of_the_maximum_length() {
		new_test_ext().execute_with(|| {
			let longest = vec![b'x'; MAX_FIELD as usize];
			let role = Role::User {
				connection: GridConnection { point: longest.clone(), voltage: VoltageLevel::High },
			};
			let mut application = signed_application(1, 1, role);
			application.name = longest.clone();
			application.meter_id = longest.clone();
			application.meter_key_proof = sign_proof(&meter_pair(1), 1, &longest);
			assert_ok!(Reg::apply(signed(1), Box::new(application)));
		});
	}

	#[test]
	fn refuses_empty_fields_and_zero_power() {
		new_test_ext().execute_with(|| {
			let mut application = provider_application(1, 1);
			application.name = Vec::new();
			assert_noop!(Reg::apply(signed(1), Box::new(application)), Error::<Test>::EmptyName);

			let mut application = provider_application(1, 1);
			application.meter_id = Vec::new();
			application.meter_key_proof = sign_proof(&meter_pair(1), 1, b"");
			assert_noop!(Reg::apply(signed(1), Box::new(application)), Error::<Test>::EmptyMeterId);

			let role = Role::User {
				connection: GridConnection { point: Vec::new(), voltage: VoltageLevel::Low },
			};
			assert_noop!(
				Reg::apply(signed(1), Box::new(signed_application(1, 1, role))),
				Error::<Test>::EmptyConnectionPoint
			);

			let role = Role::Provider {
				kind: GenerationKind::Wind,
				rated_power_w: 0,
				connection: GridConnection { point: b"p".to_vec(), voltage: VoltageLevel::Low },
			};
			assert_noop!(
				Reg::apply(signed(1), Box::new(signed_application(1, 1, role))),
				Error::<Test>::ZeroRatedPower
			);
		});
	}

	#[test]
	fn refuses_a_malformed_meter_key() {
		new_test_ext().execute_with(|| {
			// Not the encoding of a Ristretto point: no signature verifies under it.
			let mut application = provider_application(1, 1);
			application.meter_key = sp_core::sr25519::Public::from_raw([0xff; 32]);
			assert_noop!(
				Reg::apply(signed(1), Box::new(application)),
				Error::<Test>::BadMeterKeyProof
			);
		});
	}

	#[test]
	fn refuses_a_proof_signed_by_another_key() {
		new_test_ext().execute_with(|| {
			let mut application = provider_application(1, 1);
			application.meter_key_proof = sign_proof(&meter_pair(9), 1, b"M-1");
			assert_noop!(
				Reg::apply(signed(1), Box::new(application)),
				Error::<Test>::BadMeterKeyProof
			);
		});
	}

	#[test]
	fn refuses_a_proof_made_for_another_applicant_or_meter() {
		new_test_ext().execute_with(|| {
			// Account 2 replays account 1's application.
			assert_noop!(
				Reg::apply(signed(2), Box::new(provider_application(1, 1))),
				Error::<Test>::BadMeterKeyProof
			);
			// A proof for meter `M-1` presented with meter ID `M-2`.
			let mut application = provider_application(1, 1);
			application.meter_id = b"M-2".to_vec();
			assert_noop!(
				Reg::apply(signed(1), Box::new(application)),
				Error::<Test>::BadMeterKeyProof
			);
		});
	}

	#[test]
	fn refuses_a_proof_made_for_another_chain() {
		new_test_ext().execute_with(|| {
			// The same applicant, meter key and meter ID, signed for another region's chain.
			let mut application = provider_application(1, 1);
			let other_chain = H256::repeat_byte(2);
			assert_ne!(Reg::genesis_hash(), other_chain);
			let payload = Reg::meter_key_proof_payload(&other_chain, &1, &application.meter_id);
			application.meter_key_proof = meter_pair(1).sign(&payload);
			assert_noop!(
				Reg::apply(signed(1), Box::new(application)),
				Error::<Test>::BadMeterKeyProof
			);
		});
	}

	#[test]
	fn refuses_an_applicant_who_cannot_pay_the_deposit() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Reg::apply(signed(6), Box::new(user_application(6, 6))),
				Error::<Test>::InsufficientFundsForDeposit
			);
		});
	}

	#[test]
	fn needs_a_signed_origin() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Reg::apply(RuntimeOrigin::none(), Box::new(provider_application(1, 1))),
				BadOrigin
			);
		});
	}
}

mod withdraw {
	use super::*;

	#[test]
	fn returns_the_deposit_and_frees_the_meter_id() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_ok!(Reg::withdraw(signed(1)));

			assert_eq!(status(1), None);
			assert_eq!(free(1), 1_000);
			assert_eq!(PendingApplications::<Test>::count(), 0);
			assert_eq!(last_event(), Event::Withdrawn { who: 1, refunded: DEPOSIT });
			// The meter ID is free for another applicant.
			let mut application = provider_application(2, 2);
			application.meter_id = b"M-1".to_vec();
			application.meter_key_proof = sign_proof(&meter_pair(2), 2, b"M-1");
			assert_ok!(Reg::apply(signed(2), Box::new(application)));
		});
	}

	#[test]
	fn is_refused_after_approval_and_without_a_record() {
		new_test_ext().execute_with(|| {
			assert_noop!(Reg::withdraw(signed(1)), Error::<Test>::NotRegistered);
			approved_provider();
			assert_noop!(Reg::withdraw(signed(1)), Error::<Test>::NotPending);
		});
	}
}

mod review {
	use super::*;

	#[test]
	fn approve_makes_an_applicant_a_participant() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_eq!(Reg::approved_provider(&1), None);
			assert_ok!(Reg::approve(council(), 1));

			assert_eq!(status(1), Some(Status::Approved));
			assert!(!PendingApplications::<Test>::contains_key(1));
			assert_eq!(last_event(), Event::Approved { who: 1 });
			assert_eq!(free(1), 1_000 - DEPOSIT);
		});
	}

	#[test]
	fn approve_is_refused_to_others_twice_and_for_strangers() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_noop!(Reg::approve(signed(1), 1), BadOrigin);
			assert_noop!(Reg::approve(signed(2), 1), BadOrigin);
			assert_noop!(Reg::approve(council(), 2), Error::<Test>::NotRegistered);
			assert_ok!(Reg::approve(council(), 1));
			assert_noop!(Reg::approve(council(), 1), Error::<Test>::NotPending);
		});
	}

	#[test]
	fn reject_returns_the_deposit_with_a_reason() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_ok!(Reg::reject(council(), 1, RejectionReason::MeterNotCertified));

			assert_eq!(status(1), None);
			assert_eq!(free(1), 1_000);
			assert!(MeterOwners::<Test>::iter().next().is_none());
			assert_eq!(
				last_event(),
				Event::Rejected {
					who: 1,
					reason: RejectionReason::MeterNotCertified,
					refunded: DEPOSIT
				}
			);
		});
	}

	#[test]
	fn reject_is_refused_to_others_and_after_approval() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_noop!(Reg::reject(signed(2), 1, RejectionReason::Other), BadOrigin);
			assert_ok!(Reg::approve(council(), 1));
			assert_noop!(
				Reg::reject(council(), 1, RejectionReason::Other),
				Error::<Test>::NotPending
			);
			assert_noop!(
				Reg::reject(council(), 3, RejectionReason::Other),
				Error::<Test>::NotRegistered
			);
		});
	}

	#[test]
	fn suspension_for_misconduct_forfeits_the_configured_share() {
		new_test_ext().execute_with(|| {
			approved_provider();
			let pot_before = free(POT);
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Misconduct));

			let forfeited = DEPOSIT / 2;
			assert_eq!(status(1), Some(Status::Suspended(SuspensionReason::Misconduct)));
			assert_eq!(Participants::<Test>::get(1).unwrap().deposit, DEPOSIT - forfeited);
			assert_eq!(free(POT), pot_before + forfeited);
			assert_eq!(free(1), 1_000 - DEPOSIT);
			assert_eq!(Reg::approved_provider(&1), None);
			assert_eq!(Reg::meter_key(&1), None);
			assert_eq!(
				last_event(),
				Event::Suspended { who: 1, reason: SuspensionReason::Misconduct, forfeited }
			);
		});
	}

	#[test]
	fn suspension_for_inspection_forfeits_nothing() {
		new_test_ext().execute_with(|| {
			approved_provider();
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Inspection));
			assert_eq!(Participants::<Test>::get(1).unwrap().deposit, DEPOSIT);
			assert_eq!(
				last_event(),
				Event::Suspended { who: 1, reason: SuspensionReason::Inspection, forfeited: 0 }
			);
		});
	}

	#[test]
	fn suspend_is_refused_to_others_and_for_the_unapproved() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_noop!(
				Reg::suspend(council(), 1, SuspensionReason::Misconduct),
				Error::<Test>::NotApproved
			);
			assert_ok!(Reg::approve(council(), 1));
			assert_noop!(Reg::suspend(signed(1), 1, SuspensionReason::Misconduct), BadOrigin);
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Inspection));
			assert_noop!(
				Reg::suspend(council(), 1, SuspensionReason::Misconduct),
				Error::<Test>::NotApproved
			);
		});
	}

	#[test]
	fn reinstate_tops_the_deposit_up() {
		new_test_ext().execute_with(|| {
			approved_provider();
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Misconduct));
			assert_ok!(Reg::reinstate(council(), 1));

			assert_eq!(status(1), Some(Status::Approved));
			assert_eq!(Participants::<Test>::get(1).unwrap().deposit, DEPOSIT);
			assert_eq!(free(1), 1_000 - DEPOSIT - DEPOSIT / 2);
			assert_eq!(Reg::approved_provider(&1), Some(1));
			assert_eq!(last_event(), Event::Reinstated { who: 1, topped_up: DEPOSIT / 2 });
		});
	}

	#[test]
	fn reinstate_is_refused_when_the_top_up_cannot_be_paid() {
		new_test_ext().execute_with(|| {
			approved_provider();
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Misconduct));
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 1, 10));
			assert_noop!(Reg::reinstate(council(), 1), Error::<Test>::InsufficientFundsForDeposit);
		});
	}

	#[test]
	fn reinstate_is_refused_to_others_and_for_the_unsuspended() {
		new_test_ext().execute_with(|| {
			assert_noop!(Reg::reinstate(council(), 1), Error::<Test>::NotRegistered);
			approved_provider();
			assert_noop!(Reg::reinstate(council(), 1), Error::<Test>::NotSuspended);
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Inspection));
			assert_noop!(Reg::reinstate(signed(2), 1), BadOrigin);
		});
	}
}

mod deregister {
	use super::*;

	use gridshard_primitives::traits::ParticipantRegistry;

	#[test]
	fn returns_the_deposit_after_the_unbonding_period() {
		new_test_ext().execute_with(|| {
			approved_provider();
			assert_ok!(Reg::deregister(signed(1)));
			let until = 1 + UNBONDING;
			assert_eq!(last_event(), Event::Leaving { who: 1, unbonding_until: until });
			assert_eq!(status(1), Some(Status::Leaving));
			assert_eq!(Reg::approved_provider(&1), None, "a leaving participant no longer trades");
			assert_eq!(Reg::meter_key(&1), None);
			assert_eq!(free(1), 1_000 - DEPOSIT);

			System::set_block_number(until - 1);
			assert_noop!(Reg::complete_deregistration(signed(1)), Error::<Test>::StillUnbonding);
			System::set_block_number(until);
			assert_ok!(Reg::complete_deregistration(signed(1)));
			assert_eq!(status(1), None);
			assert_eq!(free(1), 1_000);
			assert_eq!(last_event(), Event::Deregistered { who: 1, refunded: DEPOSIT });
			// The meter ID is free again.
			assert_ok!(Reg::apply(signed(2), Box::new(provider_application(2, 1))));
		});
	}

	#[test]
	fn a_suspension_voted_while_leaving_still_reaches_the_deposit() {
		new_test_ext().execute_with(|| {
			approved_provider();
			// The council's motion is open when the participant asks to leave; it passes
			// within the unbonding period.
			assert_ok!(Reg::deregister(signed(1)));
			System::set_block_number(UNBONDING / 2);
			let pot = free(POT);
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Misconduct));
			assert_eq!(free(POT) - pot, DEPOSIT / 2, "the forfeit was taken");
			System::set_block_number(1 + UNBONDING);
			assert_noop!(Reg::complete_deregistration(signed(1)), Error::<Test>::NotLeaving);
			assert_eq!(status(1), Some(Status::Suspended(SuspensionReason::Misconduct)));
		});
	}

	#[test]
	fn a_suspended_participants_deposit_waits_for_the_council() {
		new_test_ext().execute_with(|| {
			approved_provider();
			assert_ok!(Reg::suspend(council(), 1, SuspensionReason::Misconduct));
			assert_noop!(Reg::deregister(signed(1)), Error::<Test>::SuspendedAwaitsCouncil);
			// Reinstated (its deposit topped up), it leaves as anyone does.
			assert_ok!(Reg::reinstate(council(), 1));
			assert_ok!(Reg::deregister(signed(1)));
			System::set_block_number(1 + UNBONDING);
			assert_ok!(Reg::complete_deregistration(signed(1)));
			assert_eq!(free(1), 1_000 - DEPOSIT / 2, "the forfeit stays forfeited");
		});
	}

	#[test]
	fn is_refused_with_open_obligations() {
		new_test_ext().execute_with(|| {
			approved_provider();
			Busy::set(vec![1]);
			assert_noop!(Reg::deregister(signed(1)), Error::<Test>::OpenObligations);
			Busy::set(Vec::new());
			assert_ok!(Reg::deregister(signed(1)));
		});
	}

	#[test]
	fn is_refused_while_pending_and_without_a_record() {
		new_test_ext().execute_with(|| {
			assert_noop!(Reg::deregister(signed(1)), Error::<Test>::NotRegistered);
			assert_noop!(Reg::complete_deregistration(signed(1)), Error::<Test>::NotRegistered);
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_noop!(Reg::deregister(signed(1)), Error::<Test>::NotApproved);
			assert_noop!(Reg::complete_deregistration(signed(1)), Error::<Test>::NotLeaving);
		});
	}

	#[test]
	fn is_refused_twice_and_completes_only_when_leaving() {
		new_test_ext().execute_with(|| {
			approved_provider();
			assert_noop!(Reg::complete_deregistration(signed(1)), Error::<Test>::NotLeaving);
			assert_ok!(Reg::deregister(signed(1)));
			assert_noop!(Reg::deregister(signed(1)), Error::<Test>::NotApproved);
			assert_noop!(Reg::reinstate(council(), 1), Error::<Test>::NotSuspended);
		});
	}
}

mod registry {
	use super::*;
	use gridshard_primitives::traits::ParticipantRegistry;

	#[test]
	fn answers_only_for_approved_participants_in_their_role() {
		new_test_ext().execute_with(|| {
			assert_ok!(Reg::apply(signed(1), Box::new(provider_application(1, 1))));
			assert_ok!(Reg::apply(signed(2), Box::new(user_application(2, 2))));
			for who in [1, 2, 3] {
				assert_eq!(Reg::approved_provider(&who), None);
				assert_eq!(Reg::approved_user(&who), None);
				assert_eq!(Reg::meter_key(&who), None);
			}
			assert_ok!(Reg::approve(council(), 1));
			assert_ok!(Reg::approve(council(), 2));

			assert_eq!(Reg::approved_provider(&1), Some(1));
			assert_eq!(Reg::approved_user(&1), None);
			assert_eq!(Reg::approved_user(&2), Some(1));
			assert_eq!(Reg::approved_provider(&2), None);
			assert_eq!(Reg::meter_key(&1), Some(meter_pair(1).public()));
			assert_eq!(Reg::meter_key(&2), Some(meter_pair(2).public()));
		});
	}

	#[test]
	fn pages_through_pending_applications() {
		new_test_ext().execute_with(|| {
			for who in 1..=5 {
				assert_ok!(Reg::apply(signed(who), Box::new(user_application(who, who as u8))));
			}
			assert_ok!(Reg::approve(council(), 3));

			let mut seen = Vec::new();
			let mut start_after = None;
			loop {
				// Asking for more than `MaxPageSize` (3) gets 3.
				let page = Reg::pending_applications(start_after, 10);
				assert!(page.len() <= 3);
				let Some((last, _)) = page.last() else { break };
				start_after = Some(*last);
				seen.extend(page.iter().map(|(who, record)| {
					assert_eq!(record.status, Status::Pending);
					*who
				}));
			}
			seen.sort();
			assert_eq!(seen, vec![1, 2, 4, 5]);
			assert_eq!(Reg::pending_applications(None, 2).len(), 2);
		});
	}
}

#[test]
fn a_regions_chain_admits_only_its_own_region() {
	use gridshard_primitives::region::ChainRole;
	new_test_ext().execute_with(|| {
		// Region 2's chain: an application to trade in region 1 is refused and holds nothing.
		TestRole::set(&ChainRole::Region(2));
		let application = provider_application(1, 1);
		assert_eq!(application.region, 1);
		let before = free(1);
		assert_noop!(
			Reg::apply(signed(1), Box::new(application.clone())),
			Error::<Test>::RegionNotServed
		);
		assert_eq!(free(1), before);
		// The coordinator runs no market.
		TestRole::set(&ChainRole::Coordinator);
		assert_noop!(
			Reg::apply(signed(1), Box::new(application.clone())),
			Error::<Test>::RegionNotServed
		);
		// Region 1's chain admits it.
		TestRole::set(&ChainRole::Region(1));
		assert_ok!(Reg::apply(signed(1), Box::new(application)));
		assert_eq!(status(1), Some(Status::Pending));
	});
}

mod genesis {
	use super::*;
	use sp_core::H256;
	use sp_runtime::BuildStorage;

	fn participant(account: u64, meter_id: &str) -> GenesisParticipant<u64> {
		GenesisParticipant {
			account,
			role: Role::Provider {
				kind: GenerationKind::Hydro,
				rated_power_w: 1_000_000,
				connection: GridConnection { point: "dam".into(), voltage: VoltageLevel::High },
			},
			region: 2,
			name: "River Power".into(),
			meter_id: meter_id.into(),
			meter_key: meter_pair(4).public(),
			settlement_commitment: H256::repeat_byte(1),
		}
	}

	fn build(participants: Vec<GenesisParticipant<u64>>) -> sp_io::TestExternalities {
		RuntimeGenesisConfig {
			balances: pallet_balances::GenesisConfig {
				balances: vec![(4, 1_000), (5, 1_000)],
				..Default::default()
			},
			registration: crate::GenesisConfig { participants },
			..Default::default()
		}
		.build_storage()
		.unwrap()
		.into()
	}

	#[test]
	fn approves_its_participants_and_holds_their_deposits() {
		build(vec![participant(4, "M-4"), participant(5, "M-5")]).execute_with(|| {
			assert_eq!(Reg::approved_provider(&4), Some(2));
			assert_eq!(Reg::approved_provider(&5), Some(2));
			assert_eq!(Balances::balance(&4), 1_000 - DEPOSIT);
			assert_eq!(total_held(), 2 * DEPOSIT);
			Reg::do_try_state().unwrap();
		});
	}

	#[test]
	#[should_panic(expected = "meter ID in use")]
	fn refuses_a_meter_id_twice() {
		build(vec![participant(4, "M-4"), participant(5, "M-4")]);
	}
}

/// Random interleavings of every call, from every account and with arguments good and bad,
/// checked after every step; then everyone leaves.
mod random_operations {
	use super::*;
	use gridshard_solver::generate::SplitMix as Choices;
	use sp_runtime::StateVersion;

	/// Funded applicants (6 cannot pay the deposit), the pot, the council, a stranger.
	const ACCOUNTS: [u64; 9] = [1, 2, 3, 4, 5, 6, POT, COUNCIL, 42];

	/// One random call, or an account taking on or clearing open obligations.
	fn step(choices: &mut Choices) -> DispatchResult {
		let who = choices.pick(&ACCOUNTS);
		let target = choices.pick(&ACCOUNTS);
		let authority = signed(choices.pick(&[COUNCIL, COUNCIL, COUNCIL, who]));
		match choices.range(0, 11) {
			0 | 1 => {
				// Meters 1 to 4 are shared out among more applicants than that.
				let meter = choices.range(1, 4) as u8;
				let mut application = if choices.chance(50) {
					provider_application(who, meter)
				} else {
					user_application(who, meter)
				};
				if choices.chance(15) {
					// Proof made for another account.
					application.meter_key_proof =
						sign_proof(&meter_pair(meter), target, &application.meter_id);
				}
				Reg::apply(signed(who), Box::new(application))
			}
			2 => Reg::withdraw(signed(who)),
			3 | 4 => Reg::approve(authority, target),
			5 => {
				let reason = choices.pick(&[RejectionReason::MeterNotCertified]);
				Reg::reject(authority, target, reason)
			}
			6 => {
				let reason =
					choices.pick(&[SuspensionReason::Misconduct, SuspensionReason::Inspection]);
				Reg::suspend(authority, target, reason)
			}
			7 => Reg::reinstate(authority, target),
			8 => Reg::deregister(signed(who)),
			9 => Reg::complete_deregistration(signed(who)),
			10 => {
				System::set_block_number(System::block_number() + choices.range(1, UNBONDING));
				Ok(())
			}
			_ => {
				Busy::mutate(|busy| {
					if !busy.contains(&who) {
						busy.push(who)
					} else {
						busy.retain(|b| *b != who)
					}
				});
				Ok(())
			}
		}
	}

	#[test]
	fn random_operations_keep_deposits_and_everyone_can_leave() {
		let (mut failed, mut approved, mut suspended) = (0, 0, 0);
		for seed in 0..200 {
			new_test_ext().execute_with(|| {
				Busy::set(Vec::new());
				let mut choices = Choices(seed);
				let issuance = Balances::total_issuance();
				for _ in 0..60 {
					let before = sp_io::storage::root(StateVersion::V1);
					if step(&mut choices).is_err() {
						failed += 1;
						let after = sp_io::storage::root(StateVersion::V1);
						assert_eq!(before, after, "seed {seed}: a failed call changed state");
					}
					Registration::do_try_state().expect("invariants hold after every step");
					let on_record: u128 =
						Participants::<Test>::iter_values().map(|p| p.deposit).sum();
					assert_eq!(total_held(), on_record, "seed {seed}: deposits off the records");
					assert_eq!(Balances::total_issuance(), issuance, "seed {seed}: money made");
				}
				for record in System::events() {
					match record.event {
						RuntimeEvent::Registration(Event::Approved { .. }) => approved += 1,
						RuntimeEvent::Registration(Event::Suspended { .. }) => suspended += 1,
						_ => {}
					}
				}
				// Everyone leaves once free of obligations: pending applications withdrawn, the
				// suspended reinstated, the rest deregistered and, after the unbonding period,
				// gone; nothing stays held.
				Busy::set(Vec::new());
				let records: Vec<(u64, Status)> =
					Participants::<Test>::iter().map(|(who, p)| (who, p.status)).collect();
				for (who, status) in records {
					match status {
						Status::Pending => {
							assert_ok!(Reg::withdraw(signed(who)));
						}
						Status::Leaving => {}
						Status::Suspended(_) => {
							assert_ok!(Reg::reinstate(council(), who));
							assert_ok!(Reg::deregister(signed(who)));
						}
						Status::Approved => {
							assert_ok!(Reg::deregister(signed(who)));
						}
					}
				}
				System::set_block_number(System::block_number() + UNBONDING);
				let leaving: Vec<u64> = Unbonding::<Test>::iter_keys().collect();
				for who in leaving {
					assert_ok!(Reg::complete_deregistration(signed(who)));
				}
				assert_eq!(Participants::<Test>::iter().count(), 0);
				assert_eq!(total_held(), 0, "seed {seed}: a deposit left held");
			});
		}
		let reached = (failed, approved, suspended);
		assert!(failed > 3_000 && approved > 100 && suspended > 20, "{reached:?}");
	}
}
