//! Running blocks natively, as a miner builds them: the miner's account in the pre-runtime
//! digest, a timestamp inherent, then the block's body. For the runtime's tests and for tools
//! that drive the runtime block by block (the reputation experiment); `std` only, inside
//! externalities the caller provides. Also the transactions that tests and tools send to a
//! node: signed, or general for the calls that authorise themselves.

use crate::{
	AccountId, BlockNumber, BlockReward, Difficulty, Executive, Hash, Header, Matching,
	PeriodRecords, Registration, Reputation, RuntimeCall, Settlement, ShardProxy, System,
	TimestampCall, UncheckedExtrinsic,
};
use codec::Encode;
use frame_system::offchain::CreateAuthorizedTransaction;
use gridshard_primitives::{pow::POW_ENGINE_ID, Nonce};
use sp_core::{sr25519, Pair};
use sp_runtime::{traits::Header as _, Digest, DigestItem, MultiAddress, MultiSignature};

/// The header of block `number` on top of `parent`, mined by `miner` (its account in the
/// pre-runtime digest, which the runtime requires).
pub fn mined_header(number: BlockNumber, parent: Hash, miner: &AccountId) -> Header {
	let mut digest = Digest::default();
	digest.push(DigestItem::PreRuntime(POW_ENGINE_ID, miner.encode()));
	Header::new(number, Default::default(), Default::default(), parent, digest)
}

/// Runs block `number` mined by `miner`: its timestamp inherent at `now` (milliseconds), then
/// `body` (extrinsics applied, calls dispatched), then the end of the block.
pub fn run_block(number: BlockNumber, miner: &AccountId, now: u64, body: impl FnOnce()) {
	Executive::initialize_block(&mined_header(number, System::parent_hash(), miner));
	let inherent = UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(TimestampCall::set { now }));
	Executive::apply_extrinsic(inherent).expect("the timestamp applies").expect("and succeeds");
	body();
	Executive::finalize_block();
}

/// Every pallet's `try_state`: panics naming the first invariant that does not hold.
pub fn check_invariants() {
	Difficulty::do_try_state().expect("difficulty invariants");
	BlockReward::do_try_state().expect("block reward invariants");
	Registration::do_try_state().expect("registration invariants");
	Reputation::do_try_state().expect("reputation invariants");
	Settlement::do_try_state().expect("settlement invariants");
	Matching::do_try_state().expect("matching invariants");
	ShardProxy::do_try_state().expect("shard proxy invariants");
	PeriodRecords::do_try_state().expect("period records invariants");
}

/// The runtime's transaction extensions: immortal, no tip, nonce 0 (what it gives the general
/// transactions of authorised calls).
fn extensions() -> crate::TxExtension {
	<crate::Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension()
}

/// `call` signed by `from` with `nonce`, immortal, no tip, for the chain of `genesis`.
pub fn signed(
	from: &sr25519::Pair,
	call: RuntimeCall,
	nonce: Nonce,
	genesis: Hash,
) -> UncheckedExtrinsic {
	let mut extension = extensions();
	extension.6 = frame_system::CheckNonce::from(nonce);
	let implicit = (
		(),
		(),
		crate::VERSION.spec_version,
		crate::VERSION.transaction_version,
		genesis,
		genesis,
		(),
		(),
		(),
		(),
	);
	let payload = crate::SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| from.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(AccountId::from(from.public())),
		MultiSignature::Sr25519(signature),
		extension,
	)
}

/// `call` as a general transaction without signer, as meters and off-chain workers send:
/// valid only if the call authorises itself (`#[pallet::authorize]`).
pub fn general(call: RuntimeCall) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_transaction(call, extensions())
}
