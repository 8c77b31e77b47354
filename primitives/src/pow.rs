//! The proof-of-work puzzle of every GridShard chain.
//!
//! A block's **work** is `blake2b_256(pre_hash ++ nonce)`, where `pre_hash` is the hash of the
//! header without its seal and `nonce` is the seal's 8-byte little-endian nonce. Blake2b-256 was
//! chosen because it is fast on CPUs, already a host function of every Substrate runtime (so a
//! coordinating chain can check shard seals on chain cheaply), and it is the hash of the rest of
//! the chain.
//!
//! The work meets a difficulty `d` when `work * d` does not overflow 256 bits, read as a
//! big-endian number: the chance of one hash meeting `d` is about `1 / d`, so `d` is the expected
//! number of hashes per block.
//!
//! The seal is versioned ([`Seal`]): its first byte names the format, so that a later puzzle can
//! be introduced at a fork block without ambiguity.

use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_core::{H256, U256};

pub use sp_core::U256 as Difficulty;

/// The consensus engine id of GridShard's proof of work (the one `sc-consensus-pow` uses): the
/// seal digest and the miner's pre-runtime digest both carry it.
pub const POW_ENGINE_ID: [u8; 4] = *b"pow_";

/// A block seal: the answer to the puzzle of one block.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum Seal {
	/// Version 1: Blake2b-256 over `(pre_hash, nonce)`.
	#[codec(index = 1)]
	V1 {
		/// The nonce the miner found.
		nonce: u64,
	},
}

impl Seal {
	/// The work of this seal for a header with the given pre-hash.
	pub fn work(&self, pre_hash: &H256) -> H256 {
		match self {
			Seal::V1 { nonce } => work_v1(pre_hash, *nonce),
		}
	}
}

/// The work of a version-1 seal: `blake2b_256(pre_hash ++ nonce.to_le_bytes())`.
pub fn work_v1(pre_hash: &H256, nonce: u64) -> H256 {
	let mut input = [0u8; 40];
	input[..32].copy_from_slice(pre_hash.as_bytes());
	input[32..].copy_from_slice(&nonce.to_le_bytes());
	H256(sp_crypto_hashing::blake2_256(&input))
}

/// Whether `work` meets `difficulty`: `work * difficulty` fits in 256 bits.
///
/// A difficulty of zero is treated as one (every hash meets it).
pub fn meets_difficulty(work: &H256, difficulty: U256) -> bool {
	let work = U256::from_big_endian(work.as_bytes());
	!work.overflowing_mul(difficulty.max(U256::one())).1
}

/// Checks an encoded seal against a pre-hash and a difficulty: the seal decodes as a known
/// version and its work meets the difficulty.
pub fn verify_seal(pre_hash: &H256, encoded_seal: &[u8], difficulty: U256) -> bool {
	match Seal::decode(&mut &encoded_seal[..]) {
		Ok(seal) => meets_difficulty(&seal.work(pre_hash), difficulty),
		Err(_) => false,
	}
}

/// The tie-breaking key of a block where both its pre-hash and its seal are known (a light
/// client of a region): the seal's work, `None` if the seal does not decode. Comparing these
/// keys gives every observer the same choice between two blocks of equal total difficulty,
/// whichever it saw first, which takes away the advantage of withholding blocks (selfish
/// mining); and a miner cannot choose its key apart from the work: a key was once the hash of
/// the seal alone, the version byte and the nonce, so that a miner could keep to nonces whose
/// key was low and win every tie in advance.
pub fn tie_break_key(pre_hash: &H256, encoded_seal: &[u8]) -> Option<H256> {
	Seal::decode(&mut &encoded_seal[..]).ok().map(|seal| seal.work(pre_hash))
}

/// The tie-breaking key where only the seals are known (`sc-consensus-pow` asks the node to
/// choose between two seals without their headers): the hash of a salt each node draws at
/// random when it starts, and the seal. Each node ranks seals its own way, as Bitcoin Core's
/// first-seen rule leaves ties to each node, so no nonce wins ties everywhere; the next block
/// settles what nodes chose differently.
pub fn salted_tie_break_key(salt: &[u8; 32], encoded_seal: &[u8]) -> H256 {
	let mut input = salt.to_vec();
	input.extend_from_slice(encoded_seal);
	H256(sp_crypto_hashing::blake2_256(&input))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seal_is_versioned() {
		let seal = Seal::V1 { nonce: 0x0102_0304_0506_0708 };
		let encoded = seal.encode();
		assert_eq!(encoded, [1, 8, 7, 6, 5, 4, 3, 2, 1]);
		assert_eq!(Seal::decode(&mut &encoded[..]).unwrap(), seal);
		// An unknown version does not decode.
		assert!(Seal::decode(&mut &[2u8, 0, 0, 0, 0, 0, 0, 0, 0][..]).is_err());
	}

	#[test]
	fn work_is_blake2_of_pre_hash_and_nonce() {
		let pre_hash = H256::repeat_byte(7);
		let mut input = pre_hash.as_bytes().to_vec();
		input.extend_from_slice(&42u64.to_le_bytes());
		assert_eq!(work_v1(&pre_hash, 42), H256(sp_crypto_hashing::blake2_256(&input)));
	}

	#[test]
	fn difficulty_test_is_the_overflow_test() {
		// work = 2^255 meets difficulty 1 and 2 (2^256 overflows), not 3.
		let mut bytes = [0u8; 32];
		bytes[0] = 0x80;
		let work = H256(bytes);
		assert!(meets_difficulty(&work, U256::from(1)));
		assert!(!meets_difficulty(&work, U256::from(2)));
		// Zero difficulty counts as one.
		assert!(meets_difficulty(&H256::repeat_byte(0xff), U256::zero()));
		assert!(!meets_difficulty(&H256::repeat_byte(0xff), U256::from(2)));
		// work = 1 meets every difficulty.
		assert!(meets_difficulty(&H256::from_low_u64_be(1), U256::MAX));
	}

	#[test]
	fn a_found_nonce_verifies_and_a_wrong_one_does_not() {
		let pre_hash = H256::repeat_byte(3);
		let difficulty = U256::from(1000);
		let nonce = (0u64..)
			.find(|n| meets_difficulty(&work_v1(&pre_hash, *n), difficulty))
			.expect("a nonce exists in expectation after ~1000 tries; qed");
		assert!(verify_seal(&pre_hash, &Seal::V1 { nonce }.encode(), difficulty));
		assert!(!verify_seal(&H256::repeat_byte(4), &Seal::V1 { nonce }.encode(), U256::MAX));
		assert!(!verify_seal(&pre_hash, &[9, 9, 9], difficulty));
	}

	#[test]
	fn the_tie_break_key_is_the_work_and_refuses_an_unknown_seal() {
		let pre_hash = H256::repeat_byte(9);
		let seal = Seal::V1 { nonce: 5 };
		assert_eq!(tie_break_key(&pre_hash, &seal.encode()), Some(seal.work(&pre_hash)));
		assert_eq!(tie_break_key(&pre_hash, &[2, 0, 0, 0, 0, 0, 0, 0, 0]), None);
		let salted = |salt: u8| salted_tie_break_key(&[salt; 32], &seal.encode());
		assert_ne!(salted(1), salted(2), "each node ranks seals its own way");
	}

	/// Issue 27, finding 4: nonces a miner kept because the hash of their seal was low won
	/// every tie under the former key, whatever the block. Under the work key, and under a
	/// node's salted key, they win about half of their ties against other nonces, like any.
	#[test]
	fn a_precomputed_set_of_low_key_nonces_wins_no_more_ties_than_any() {
		let encoded = |nonce: u64| Seal::V1 { nonce }.encode();
		let former = |nonce: u64| H256(sp_crypto_hashing::blake2_256(&encoded(nonce)));
		let mut nonces: Vec<u64> = (0..4_000).collect();
		nonces.sort_by_key(|nonce| former(*nonce));
		// The 200 lowest under the former key, against 200 of the upper half.
		let (chosen, others) = (&nonces[..200], &nonces[2_000..2_200]);
		let wins = |key: &dyn Fn(u64) -> H256| {
			chosen.iter().zip(others).filter(|(c, o)| key(**c) < key(**o)).count()
		};
		assert_eq!(wins(&former), 200, "the former key: every tie won in advance");
		for byte in [1u8, 2, 3, 4] {
			let pre_hash = H256::repeat_byte(byte);
			let work = wins(&|n| tie_break_key(&pre_hash, &encoded(n)).expect("a V1 seal"));
			let salted = wins(&|n| salted_tie_break_key(&[byte; 32], &encoded(n)));
			assert!((60..=140).contains(&work), "work key: {work} of 200 ties won");
			assert!((60..=140).contains(&salted), "salted key: {salted} of 200 ties won");
		}
	}
}
