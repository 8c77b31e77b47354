//! A test runtime where account 1 stands for the council that may act as Root.

use crate as pallet_council_root;
use frame_support::{derive_impl, ord_parameter_types};
use frame_system::EnsureSignedBy;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		CouncilRoot: pallet_council_root,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

ord_parameter_types! {
	/// The account that stands for the council in these tests.
	pub const Council: u64 = 1;
}

impl pallet_council_root::Config for Test {
	type RuntimeCall = RuntimeCall;
	type RootOrigin = EnsureSignedBy<Council, u64>;
	type WeightInfo = ();
}

/// Externalities at block 1, so that events are kept.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut ext = sp_io::TestExternalities::new(Default::default());
	ext.execute_with(|| frame_system::Pallet::<Test>::set_block_number(1));
	ext
}
