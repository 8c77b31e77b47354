#!/usr/bin/env bash
# The solver in wasm (as the off-chain worker runs it) against the native command line, with the
# pallet's node budget (or the first argument). Installs the `wasmtime` Python package if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
python3 -c 'import wasmtime' 2>/dev/null || python3 -m pip install --quiet wasmtime
cargo build --release -p gridshard-solve
(cd solver/wasm-bench && cargo build --release --target wasm32v1-none)
python3 scripts/solver-wasm-bench.py "$@"
