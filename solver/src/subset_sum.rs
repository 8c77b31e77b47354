//! Sums of subsets of loads, as bitsets of reachable sums (bit `s` set: some subset sums to
//! `s`): the filling heuristic and the restarted fillings keep one bitset per prefix of their
//! candidates to reconstruct a subset, and the listing of exact fillings one per suffix to prune
//! its search ([`SubsetSums`]); the search's slack penalty only needs the fullest sum
//! ([`fullest_sum`]).

use alloc::{vec, vec::Vec};

/// 64-bit words of a bitset of the sums `0..=limit`.
fn words(limit: u64) -> Option<usize> {
	usize::try_from(limit / 64 + 1).ok()
}

/// Adds `load` to the reachable sums in `bits`, up to `limit` (`bits |= bits << load`, bits
/// above `limit` cleared). From the top word down, so that each word reads words not yet
/// changed.
fn add_load(bits: &mut [u64], load: u64, limit: u64) {
	let words = bits.len();
	let (shift_words, shift_bits) = ((load / 64) as usize, (load % 64) as u32);
	for w in (shift_words..words).rev() {
		let mut shifted = bits[w - shift_words] << shift_bits;
		if shift_bits > 0 && w > shift_words {
			shifted |= bits[w - shift_words - 1] >> (64 - shift_bits);
		}
		bits[w] |= shifted;
	}
	if limit % 64 != 63 {
		bits[words - 1] &= (1u64 << (limit % 64 + 1)) - 1;
	}
}

/// The largest sum reached in `bits` that is at most `at_most`, if any.
fn highest_at_most(bits: &[u64], at_most: u64) -> Option<u64> {
	let top = at_most.min(bits.len() as u64 * 64 - 1);
	let (mut word, bit) = ((top / 64) as usize, top % 64);
	let mut current = bits[word] & (u64::MAX >> (63 - bit));
	loop {
		if current != 0 {
			return Some(word as u64 * 64 + 63 - current.leading_zeros() as u64);
		}
		word = word.checked_sub(1)?;
		current = bits[word];
	}
}

/// The largest sum of a subset of `loads` that is at most `limit` (`storage` holds the bitset,
/// kept between calls so that the search allocates once).
pub(crate) fn fullest_sum(loads: &[u64], limit: u64, storage: &mut Vec<u64>) -> u64 {
	let words = words(limit).expect("a residual capacity's bitset fits in memory; qed");
	storage.clear();
	storage.resize(words, 0);
	storage[0] = 1;
	for load in loads {
		add_load(storage, *load, limit);
		if storage[words - 1] >> (limit % 64) & 1 == 1 {
			return limit;
		}
	}
	highest_at_most(storage, limit).expect("the empty subset reaches 0; qed")
}

/// The sums subsets of some loads reach, up to a limit: layer `k` of the table is the bitset of
/// the sums the first `k` loads reach.
pub(crate) struct SubsetSums {
	table: Vec<u64>,
	words: usize,
	loads: Vec<u64>,
}

impl SubsetSums {
	/// The table for `loads` up to `limit`, or `None` if it would exceed `max_words` words.
	pub(crate) fn new(loads: &[u64], limit: u64, max_words: usize) -> Option<Self> {
		let words = words(limit)?;
		let layers = loads.len() + 1;
		if layers.saturating_mul(words) > max_words {
			return None;
		}
		let mut table = vec![0u64; layers * words];
		table[0] = 1;
		for (k, load) in loads.iter().enumerate() {
			let (before, after) = table.split_at_mut((k + 1) * words);
			let next = &mut after[..words];
			next.copy_from_slice(&before[k * words..]);
			add_load(next, *load, limit);
		}
		Some(Self { table, words, loads: loads.to_vec() })
	}

	/// Whether the first `layer` loads reach `sum` (at most the limit).
	pub(crate) fn reached(&self, layer: usize, sum: u64) -> bool {
		self.table[layer * self.words + (sum / 64) as usize] >> (sum % 64) & 1 == 1
	}

	/// The largest sum reached that is at most `at_most` (and within the limit).
	pub(crate) fn fullest(&self, at_most: u64) -> Option<u64> {
		let last = self.loads.len() * self.words;
		highest_at_most(&self.table[last..last + self.words], at_most)
	}

	/// Which loads make up `sum` (which must be reached): the earliest ones it can keep.
	pub(crate) fn chosen(&self, mut sum: u64) -> Vec<bool> {
		let mut used = vec![false; self.loads.len()];
		for k in (0..self.loads.len()).rev() {
			if !self.reached(k, sum) {
				used[k] = true;
				sum -= self.loads[k];
			}
		}
		used
	}
}
