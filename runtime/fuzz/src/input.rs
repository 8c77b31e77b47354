//! The fuzzer's input as a stream of choices: each byte, or group of bytes, picks what happens
//! next. A stream that runs out ends the run; every choice has a default, so that any bytes are
//! a valid input and a shorter input is a prefix of a longer one's run.

/// A cursor over the input's bytes.
pub struct Input<'a> {
	data: &'a [u8],
	at: usize,
}

impl<'a> Input<'a> {
	/// A cursor at the start of `data`.
	pub fn new(data: &'a [u8]) -> Self {
		Input { data, at: 0 }
	}

	/// Whether every byte has been read.
	pub fn is_empty(&self) -> bool {
		self.at >= self.data.len()
	}

	/// The next byte, 0 past the end.
	pub fn byte(&mut self) -> u8 {
		let byte = self.data.get(self.at).copied().unwrap_or(0);
		self.at += 1;
		byte
	}

	/// The next four bytes as a little-endian `u32`.
	pub fn u32(&mut self) -> u32 {
		u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
	}

	/// A number in `0..n` (`n > 0`), from one byte when `n` fits in one, else four.
	pub fn below(&mut self, n: u32) -> u32 {
		if n <= 256 {
			u32::from(self.byte()) % n
		} else {
			self.u32() % n
		}
	}

	/// True with probability about `percent` in 100.
	pub fn chance(&mut self, percent: u8) -> bool {
		u32::from(self.byte()) * 100 < u32::from(percent) * 256
	}

	/// One of `items` (not empty).
	pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u32) as usize].clone()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn choices_read_bytes_in_order_and_default_to_zero_past_the_end() {
		let mut input = Input::new(&[7, 200, 1, 0, 0, 0]);
		assert_eq!(input.below(5), 2);
		assert!(!input.chance(50), "200 of 256 is above one half");
		assert_eq!(input.u32(), 1);
		assert!(input.is_empty());
		assert_eq!(input.byte(), 0);
		assert_eq!(input.pick(&['a', 'b']), 'a');
	}
}
