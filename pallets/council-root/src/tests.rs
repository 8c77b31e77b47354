//! Tests: the council's origin acts as Root, everyone else is refused, and the call's own
//! failure is reported, not raised.

use crate::{mock::*, Event};
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo, weights::Weight};
use sp_runtime::{traits::Dispatchable, DispatchError};

/// A call only Root may make, with an effect to look for.
fn set_storage() -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::set_storage {
		items: vec![(b"key".to_vec(), b"value".to_vec())],
	}))
}

#[test]
fn the_council_acts_as_root() {
	new_test_ext().execute_with(|| {
		assert_ok!(CouncilRoot::dispatch_as_root(RuntimeOrigin::signed(1), set_storage()));
		assert_eq!(sp_io::storage::get(b"key").as_deref(), Some(&b"value"[..]));
		System::assert_last_event(Event::Dispatched { result: Ok(()) }.into());
	});
}

#[test]
fn anyone_else_is_refused_and_nothing_happens() {
	new_test_ext().execute_with(|| {
		for origin in [RuntimeOrigin::signed(2), RuntimeOrigin::none()] {
			assert_noop!(
				CouncilRoot::dispatch_as_root(origin, set_storage()),
				DispatchError::BadOrigin
			);
		}
		assert_eq!(sp_io::storage::get(b"key"), None);
	});
}

#[test]
fn the_calls_own_failure_is_reported_in_the_event() {
	new_test_ext().execute_with(|| {
		// `remark_with_event` needs a signed origin: as Root it fails inside the call.
		let call = Box::new(RuntimeCall::System(frame_system::Call::remark_with_event {
			remark: b"hello".to_vec(),
		}));
		assert_ok!(CouncilRoot::dispatch_as_root(RuntimeOrigin::signed(1), call));
		System::assert_last_event(
			Event::Dispatched { result: Err(DispatchError::BadOrigin) }.into(),
		);
	});
}

#[test]
fn the_weight_is_the_calls_plus_the_pallets_own() {
	new_test_ext().execute_with(|| {
		let inner = set_storage().get_dispatch_info().call_weight;
		let outer = RuntimeCall::CouncilRoot(crate::Call::dispatch_as_root { call: set_storage() });
		let own = <() as crate::WeightInfo>::dispatch_as_root();
		assert_ne!(inner, Weight::zero());
		assert_eq!(outer.get_dispatch_info().call_weight, inner + own);
		let post = outer.dispatch(RuntimeOrigin::signed(1)).expect("dispatched");
		assert_eq!(post.actual_weight, Some(inner + own));
	});
}
