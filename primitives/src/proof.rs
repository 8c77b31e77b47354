//! Storage proofs: one key of a chain's state read against a state root, as the coordinator
//! reads a region's records, and proofs of a trie of one's own for tests and benchmarks.
//!
//! A proof is the list of trie nodes a node's `state_getReadProof` answers. It is checked with
//! `sp-trie` directly (`sp-state-machine`'s checker needs `std`): no node may appear twice, and
//! every node must be used on the way to the key, so a proof cannot be padded to cost its
//! checker more than its size says.

use crate::Hash;
use alloc::vec::Vec;
use sp_runtime::traits::BlakeTwo256;
use sp_trie::{
	accessed_nodes_tracker::AccessedNodesTracker, read_trie_value, LayoutV1, Recorder, StorageProof,
};

/// Why a storage proof was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProofError {
	/// A node appears twice.
	DuplicateNodes,
	/// The nodes do not lead from the root to the key (a node is missing or the root differs).
	Incomplete,
	/// A node is not on the way to the key.
	UnusedNodes,
}

/// The value at `key` in the state whose root is `root`, from the proof's `nodes`: `Some` if
/// present, `None` if the proof shows the key absent.
pub fn read_proven(
	root: Hash,
	nodes: Vec<Vec<u8>>,
	key: &[u8],
) -> Result<Option<Vec<u8>>, ProofError> {
	let count = nodes.len();
	let proof = StorageProof::new_with_duplicate_nodes_check(nodes)
		.map_err(|_| ProofError::DuplicateNodes)?;
	let db = proof.into_memory_db::<BlakeTwo256>();
	let mut accessed = AccessedNodesTracker::new(count);
	let value =
		read_trie_value::<LayoutV1<BlakeTwo256>, _>(&db, &root, key, Some(&mut accessed), None)
			.map_err(|_| ProofError::Incomplete)?;
	accessed.ensure_no_unused_nodes().map_err(|_| ProofError::UnusedNodes)?;
	Ok(value)
}

/// The proof of `key` in a trie of `entries`, and the trie's root: for tests and benchmarks,
/// which build a state of their own.
pub fn prove_in_trie(entries: &[(Vec<u8>, Vec<u8>)], key: &[u8]) -> (Hash, Vec<Vec<u8>>) {
	use sp_trie::{TrieDBMutBuilder, TrieMut};
	// An empty database, built in a way that also works without `std`.
	let mut db = StorageProof::new(Vec::new()).into_memory_db::<BlakeTwo256>();
	let mut root = Hash::default();
	{
		let mut trie = TrieDBMutBuilder::<LayoutV1<BlakeTwo256>>::new(&mut db, &mut root).build();
		for (k, v) in entries {
			// Cannot fail on a fresh in-memory trie.
			let _ = trie.insert(k, v);
		}
	}
	let mut recorder = Recorder::<LayoutV1<BlakeTwo256>>::new();
	let _ = read_trie_value::<LayoutV1<BlakeTwo256>, _>(&db, &root, key, Some(&mut recorder), None);
	let mut nodes: Vec<Vec<u8>> = Vec::new();
	for record in recorder.drain() {
		if !nodes.contains(&record.data) {
			nodes.push(record.data);
		}
	}
	(root, nodes)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn state() -> Vec<(Vec<u8>, Vec<u8>)> {
		(0u8..40).map(|i| (alloc::vec![i; 40], alloc::vec![i; 100])).collect()
	}

	#[test]
	fn a_recorded_proof_reads_back_its_value() {
		let (root, nodes) = prove_in_trie(&state(), &[7; 40]);
		assert_eq!(read_proven(root, nodes, &[7; 40]), Ok(Some(alloc::vec![7; 100])));
	}

	#[test]
	fn a_proof_of_absence_reads_none() {
		let (root, nodes) = prove_in_trie(&state(), &[200; 40]);
		assert_eq!(read_proven(root, nodes, &[200; 40]), Ok(None));
	}

	#[test]
	fn a_tampered_proof_is_refused() {
		let (root, mut nodes) = prove_in_trie(&state(), &[7; 40]);
		let last = nodes.len() - 1;
		nodes[last][10] ^= 1;
		assert_eq!(read_proven(root, nodes, &[7; 40]), Err(ProofError::Incomplete));
	}

	#[test]
	fn a_padded_or_duplicated_proof_is_refused() {
		let (root, nodes) = prove_in_trie(&state(), &[7; 40]);
		let (_, other) = prove_in_trie(&state(), &[9; 40]);
		let mut padded = nodes.clone();
		padded.extend(other.into_iter().filter(|n| !nodes.contains(n)));
		assert_eq!(read_proven(root, padded, &[7; 40]), Err(ProofError::UnusedNodes));
		let mut doubled = nodes.clone();
		doubled.push(nodes[0].clone());
		assert_eq!(read_proven(root, doubled, &[7; 40]), Err(ProofError::DuplicateNodes));
	}

	#[test]
	fn a_proof_against_another_root_is_refused() {
		let (_, nodes) = prove_in_trie(&state(), &[7; 40]);
		assert_eq!(read_proven(Hash::repeat_byte(1), nodes, &[7; 40]), Err(ProofError::Incomplete));
	}
}
