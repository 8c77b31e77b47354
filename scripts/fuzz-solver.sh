#!/usr/bin/env bash
# Coverage-guided fuzzing of the solver (libFuzzer through `libfuzzer-sys`, no cargo-fuzz or
# nightly needed): builds `solver/fuzz`'s targets with coverage instrumentation, overflow checks
# and debug assertions, then runs each for SECONDS (default 60).
#
#   bash scripts/fuzz-solver.sh [SECONDS] [TARGET...]     # targets: solve bounds score parse (default: all)
#
# The corpus lives in $CARGO_TARGET_DIR/fuzz/corpus/<target> and grows from run to run
# (libFuzzer replays all of it before the clock starts: minutes once `bounds` has thousands of
# inputs); with FUZZ_FRESH=1 each target starts from nothing in a temporary corpus instead, so
# that the run takes SECONDS per target (the test suite's choice). A crash leaves its input in
# $CARGO_TARGET_DIR/fuzz/artifacts/<target>/, which replays with
# `$CARGO_TARGET_DIR/fuzz/<host triple>/release/<target> <file>`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(solve bounds score parse)

# Its own target directory: the instrumented build must not replace the workspace's.
fuzz_dir="$CARGO_TARGET_DIR/fuzz"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
# An explicit target keeps those flags off the build scripts, which run uninstrumented.
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --locked --manifest-path "$ROOT/solver/fuzz/Cargo.toml" \
	--target-dir "$fuzz_dir" --target "$host" --bins

for target in "${targets[@]}"; do
	if [ "${FUZZ_FRESH:-0}" = 1 ]; then
		corpus="$(mktemp -d)"
	else
		corpus="$fuzz_dir/corpus/$target"
	fi
	artifacts="$fuzz_dir/artifacts/$target"
	mkdir -p "$corpus" "$artifacts"
	# One log per run (runs from two checkouts may share the target directory); kept on failure.
	log="$(mktemp "$fuzz_dir/$target.XXXXXX.log")"
	if "$fuzz_dir/$host/release/$target" -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "[fuzz] $target: passed, $runs inputs in $seconds s, corpus $(ls "$corpus" | wc -l) files" >&2
		rm -f "$log"
		if [ "${FUZZ_FRESH:-0}" = 1 ]; then rm -rf "$corpus"; fi
	else
		tail -n 40 "$log" >&2
		echo "[fuzz] $target: FAILED (input saved in $artifacts/, log $log)" >&2
		exit 1
	fi
done
