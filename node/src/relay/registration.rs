//! Registering a region on the coordinator from the region's genesis, through a motion of the
//! coordinator's qualification council: the networks have no sudo key, and registering a region
//! is the council's decision (three of its four members).
//!
//! The relay holds the keys of the members who agreed (`--register-with-council`): the first
//! proposes `ShardProxy::register_region` with a threshold of all of them, each votes aye, and
//! the first closes the motion. Each step is taken only where the coordinator's state shows it
//! is not done yet, so a round that fails half-way (a nonce taken by another relay signing with
//! the same member's key, a slow block) resumes where it stopped.

use super::{unhex, Relay, INCLUSION_TIMEOUT, LOG_TARGET};
use codec::{Decode, Encode};
use frame_support::dispatch::GetDispatchInfo;
use gridshard_primitives::{AccountId, Hash};
use gridshard_runtime::{QualificationCouncilCall, Runtime, RuntimeCall, ShardProxyCall};
use pallet_shard_proxy::Checkpoint;
use serde_json::json;
use sp_core::{sr25519, Pair, U256};
use sp_runtime::traits::Hash as _;
use std::time::{Duration, Instant};

/// A motion's votes as `pallet-collective` stores them: index, threshold, ayes, nays, end.
type Votes = (u32, u32, Vec<AccountId>, Vec<AccountId>, u32);

impl Relay {
	/// Registers the region through a council motion carried by `members`; returns once the
	/// coordinator follows the region.
	pub(super) fn register_through_council(&self, members: &[sr25519::Pair]) -> Result<(), String> {
		let first = members.first().ok_or("--register-with-council names no member")?;
		let call = self.registration_call()?;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let length = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let council = |call| RuntimeCall::QualificationCouncil(call);

		if self.motion(hash)?.is_none() {
			let threshold = members.len() as u32;
			let propose = QualificationCouncilCall::propose {
				threshold,
				proposal: Box::new(call.clone()),
				length_bound: length,
			};
			self.submit_signed(first, council(propose))?;
			self.wait_for("the motion", || Ok(self.motion(hash)?.is_some()))?;
		}
		let (index, ..) = self.motion(hash)?.ok_or("the motion ended before its votes")?;
		for member in members {
			let account = AccountId::from(member.public());
			let voted = |votes: &Votes| votes.2.contains(&account);
			if self.motion(hash)?.is_some_and(|votes| voted(&votes)) {
				continue;
			}
			let vote = QualificationCouncilCall::vote { proposal: hash, index, approve: true };
			self.submit_signed(member, council(vote))?;
			self.wait_for("a vote", || Ok(self.motion(hash)?.is_none_or(|votes| voted(&votes))))?;
		}
		let close = QualificationCouncilCall::close {
			proposal_hash: hash,
			index,
			proposal_weight_bound: weight,
			length_bound: length,
		};
		self.submit_signed(first, council(close))?;
		self.wait_for("the registration", || Ok(self.coordinator_status()?.is_some()))?;
		log::info!(
			target: LOG_TARGET,
			"region {}: registered on the coordinator from its genesis by a motion of {} council \
			 members",
			self.region,
			members.len()
		);
		Ok(())
	}

	/// `ShardProxy::register_region` from the region's genesis header and difficulty.
	fn registration_call(&self) -> Result<RuntimeCall, String> {
		let genesis = self.region_header(0)?;
		let key = frame_support::storage::storage_prefix(b"Difficulty", b"CurrentDifficulty");
		let next_difficulty: U256 = self
			.region_value(&key, Some(genesis.hash()))?
			.ok_or("the region's genesis has no difficulty")?;
		let checkpoint =
			Checkpoint { header: genesis, window: Default::default(), next_difficulty };
		Ok(RuntimeCall::ShardProxy(ShardProxyCall::register_region {
			region: self.region,
			checkpoint: Box::new(checkpoint),
		}))
	}

	/// The open motion of `hash` on the coordinator, if any.
	fn motion(&self, hash: Hash) -> Result<Option<Votes>, String> {
		let mut key =
			frame_support::storage::storage_prefix(b"QualificationCouncil", b"Voting").to_vec();
		key.extend_from_slice(hash.as_ref());
		let raw = self.target.call("state_getStorage", json!([super::hex(&key)]))?;
		let Some(raw) = raw.as_str() else { return Ok(None) };
		Votes::decode(&mut &unhex(raw)?[..]).map(Some).map_err(|e| format!("votes: {e}"))
	}

	/// Polls `done` until it holds, for at most the inclusion timeout.
	fn wait_for(
		&self,
		what: &str,
		mut done: impl FnMut() -> Result<bool, String>,
	) -> Result<(), String> {
		let started = Instant::now();
		while started.elapsed() < INCLUSION_TIMEOUT {
			std::thread::sleep(Duration::from_millis(500));
			if done()? {
				return Ok(());
			}
		}
		Err(format!("{what} was not imported within {INCLUSION_TIMEOUT:?}"))
	}
}
