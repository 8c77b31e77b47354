//! What the command-line tests share: running `gridshard-solve`, reading its answer, and
//! checking a refusal.

use serde_json::Value;
use std::process::{Command, Output};

/// Runs `gridshard-solve` with `args`.
pub fn run(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_gridshard-solve")).args(args).output().unwrap()
}

/// The answer of a run that succeeded.
pub fn answer(output: &Output) -> Value {
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).unwrap()
}

/// Checks that a run was refused with exit `code`, a message containing `reason` and no answer.
pub fn assert_refused(output: &Output, code: i32, reason: &str) {
	assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
	let message = String::from_utf8_lossy(&output.stderr);
	assert!(message.contains(reason), "{message}");
	assert!(output.stdout.is_empty());
}
