//! Where a meter's cumulative energy comes from: a file that grows (one reading per line, CSV or
//! JSON lines), standard input (the same lines), or a simulated meter of constant power.
//!
//! A line is the cumulative energy in Wh, alone (`1250`), as the last field of a CSV line
//! (`2026-12-06T10:00:00Z,1250`), or as a JSON object with `wh` or `energy_wh`
//! (`{"time": "...", "wh": 1250}`). Empty lines and lines starting with `#` are skipped; a CSV
//! header (a last field that is not a number, on the first line) is skipped too. Any other line
//! is refused with [`BadLine`], and the meter keeps its last good value.

use std::{
	fs::File,
	io::{BufRead, BufReader, Seek, SeekFrom},
	path::PathBuf,
	sync::mpsc::Receiver,
	time::Instant,
};

/// A line that is not a reading.
#[derive(Debug, PartialEq, Eq)]
pub struct BadLine {
	/// The line, as read.
	pub line: String,
	/// Why it is refused.
	pub reason: &'static str,
}

impl std::fmt::Display for BadLine {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "`{}` is not a reading: {}", self.line, self.reason)
	}
}

/// The cumulative energy (Wh) a line carries; `None` for a line to skip.
pub fn parse_line(line: &str, first: bool) -> Result<Option<u64>, BadLine> {
	let trimmed = line.trim();
	if trimmed.is_empty() || trimmed.starts_with('#') {
		return Ok(None);
	}
	let bad = |reason| BadLine { line: trimmed.to_string(), reason };
	if trimmed.starts_with('{') {
		let value: serde_json::Value =
			serde_json::from_str(trimmed).map_err(|_| bad("not a JSON object"))?;
		let energy = value.get("wh").or_else(|| value.get("energy_wh"));
		return energy
			.ok_or(bad("no `wh` or `energy_wh` field"))?
			.as_u64()
			.map(Some)
			.ok_or(bad("the energy is not a whole number of Wh"));
	}
	let last = trimmed.rsplit(',').next().unwrap_or(trimmed).trim();
	match last.parse::<u64>() {
		Ok(energy) => Ok(Some(energy)),
		// A CSV header names its columns.
		Err(_) if first && last.chars().all(|c| c.is_alphanumeric() || c == '_') => Ok(None),
		Err(_) => Err(bad("the last field is not a whole number of Wh")),
	}
}

/// A meter's source of cumulative energy.
pub enum Source {
	/// A file read from where the last read stopped.
	File {
		/// Its path.
		path: PathBuf,
		/// Bytes read so far.
		offset: u64,
		/// Whether no line was read yet.
		first: bool,
		/// The latest good reading.
		latest: Option<u64>,
	},
	/// Lines from standard input, read by a thread.
	Lines {
		/// The lines.
		lines: Receiver<String>,
		/// Whether no line was read yet.
		first: bool,
		/// The latest good reading.
		latest: Option<u64>,
	},
	/// Constant power from the start: `watts` times the hours since `since`.
	Simulated {
		/// The power, W.
		watts: u64,
		/// When the meter started.
		since: Instant,
	},
}

impl Source {
	/// A file source (`-`: standard input).
	pub fn file(path: PathBuf) -> Self {
		if path.as_os_str() == "-" {
			let (sender, lines) = std::sync::mpsc::channel();
			std::thread::spawn(move || {
				for line in std::io::stdin().lock().lines().map_while(Result::ok) {
					if sender.send(line).is_err() {
						break;
					}
				}
			});
			return Source::Lines { lines, first: true, latest: None };
		}
		Source::File { path, offset: 0, first: true, latest: None }
	}

	/// A simulated meter of `watts`, counting from now.
	pub fn simulated(watts: u64) -> Self {
		Source::Simulated { watts, since: Instant::now() }
	}

	/// The latest cumulative energy, Wh (`None` before the first reading), after reading what
	/// arrived; each refused line is passed to `refused`.
	pub fn latest(&mut self, mut refused: impl FnMut(BadLine)) -> Result<Option<u64>, String> {
		let mut take = |line: &str, first: &mut bool, latest: &mut Option<u64>| {
			match parse_line(line, *first) {
				Ok(Some(energy)) => *latest = Some(energy),
				Ok(None) => {}
				Err(bad) => refused(bad),
			}
			if !line.trim().is_empty() {
				*first = false;
			}
		};
		match self {
			Source::File { path, offset, first, latest } => {
				let mut file =
					File::open(&*path).map_err(|e| format!("{}: {e}", path.display()))?;
				file.seek(SeekFrom::Start(*offset)).map_err(|e| format!("{e}"))?;
				let mut reader = BufReader::new(file);
				let mut line = String::new();
				// Whole lines only: a line still being written is read next time.
				while reader.read_line(&mut line).map_err(|e| format!("{e}"))? > 0
					&& line.ends_with('\n')
				{
					*offset += line.len() as u64;
					take(&line, first, latest);
					line.clear();
				}
				Ok(*latest)
			}
			Source::Lines { lines, first, latest } => {
				while let Ok(line) = lines.try_recv() {
					take(&line, first, latest);
				}
				Ok(*latest)
			}
			Source::Simulated { watts, since } => {
				let millis = since.elapsed().as_millis() as u64;
				Ok(Some(watts.saturating_mul(millis) / 3_600_000))
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::io::Write;

	#[test]
	fn lines_carry_energy_as_number_csv_or_json() {
		assert_eq!(parse_line("1250", false), Ok(Some(1250)));
		assert_eq!(parse_line("2026-12-06T10:00:00Z, 1250\n", false), Ok(Some(1250)));
		assert_eq!(parse_line(r#"{"time": "x", "wh": 7}"#, false), Ok(Some(7)));
		assert_eq!(parse_line(r#"{"energy_wh": 9}"#, false), Ok(Some(9)));
		assert_eq!(parse_line("", false), Ok(None));
		assert_eq!(parse_line("# a comment", false), Ok(None));
		assert_eq!(parse_line("time,energy_wh", true), Ok(None));
	}

	#[test]
	fn bad_lines_are_refused_with_their_reason() {
		let refused = |line: &str| parse_line(line, false).unwrap_err().reason;
		assert_eq!(refused("time,energy_wh"), "the last field is not a whole number of Wh");
		assert_eq!(refused("12.5"), "the last field is not a whole number of Wh");
		assert_eq!(refused("-3"), "the last field is not a whole number of Wh");
		assert_eq!(refused(r#"{"kwh": 1}"#), "no `wh` or `energy_wh` field");
		assert_eq!(refused(r#"{"wh": 1.5}"#), "the energy is not a whole number of Wh");
		assert_eq!(refused("{not json"), "not a JSON object");
	}

	#[test]
	fn a_growing_file_is_read_line_by_line_and_keeps_the_last_good_value() {
		let path = std::env::temp_dir().join(format!("meter-source-{}.csv", std::process::id()));
		std::fs::write(&path, "time,energy_wh\n").unwrap();
		let mut source = Source::file(path.clone());
		let mut refusals = Vec::new();
		assert_eq!(source.latest(|bad| refusals.push(bad)).unwrap(), None);
		let mut file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
		write!(file, "t1,100\nt2,250\nt3,oops\nt4,3").unwrap();
		assert_eq!(source.latest(|bad| refusals.push(bad)).unwrap(), Some(250));
		assert_eq!(refusals.len(), 1, "{refusals:?}");
		// The half-written line is read once it ends.
		writeln!(file, "00").unwrap();
		assert_eq!(source.latest(|bad| refusals.push(bad)).unwrap(), Some(300));
		let _ = std::fs::remove_file(&path);
	}

	#[test]
	fn a_simulated_meter_counts_its_power_over_time() {
		let mut source = Source::Simulated {
			watts: 3_600_000,
			since: Instant::now() - std::time::Duration::from_secs(2),
		};
		let energy = source.latest(|_| {}).unwrap().unwrap();
		assert!((2_000..2_100).contains(&energy), "{energy}");
	}
}
