#!/usr/bin/env bash
# Benchmarks one of our pallets on the runtime and writes its `weights.rs`:
#   scripts/benchmark.sh difficulty      ->  pallets/difficulty/src/weights.rs
# Builds the node with the `runtime-benchmarks` feature first (a second build beside the
# default one; see docs/architecture.md). STEPS and REPEAT may be overridden from the
# environment, and BENCH_ARGS adds arguments. Matching's weights were written with
#   STEPS=10 REPEAT=5 BENCH_ARGS="--output-analysis median-slopes" scripts/benchmark.sh matching
# (its two-component hooks set up to 1000 requests per run; the least-squares fit put a
# spurious 1.5 s into the intercept of `adopt`, the median slopes do not).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
name="${1:?usage: scripts/benchmark.sh <pallet folder name, e.g. difficulty>}"
pallet="pallet_${name//-/_}"
cargo build --release --locked -p gridshard-node --features runtime-benchmarks
"$GRIDSHARD_NODE" benchmark pallet \
	--chain dev \
	--pallet "$pallet" \
	--extrinsic '*' \
	--steps "${STEPS:-50}" \
	--repeat "${REPEAT:-20}" \
	--template scripts/pallet-weight-template.hbs \
	--header scripts/weights-header.txt \
	--output "pallets/$name/src/weights.rs" \
	${BENCH_ARGS:-}
echo "wrote pallets/$name/src/weights.rs"
