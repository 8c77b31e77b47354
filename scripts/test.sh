#!/usr/bin/env bash
# The whole test suite: installs what is missing, runs every crate's tests in the release
# profile (the same build the dev node uses, so nothing compiles twice), the JavaScript client's
# period test and the dashboard's browser test against that node, then the solver's fuzz
# targets and the zombienet multi-node scenarios (the four-node local network, then the three
# regions with their coordinator and relays).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh

start=$(date +%s)
# Build the node binary first: the zombienet scenarios run it.
cargo build --release --locked -p gridshard-node
cargo test --release --locked --workspace
# The pallets' benchmarks, run once each as tests (they need the `runtime-benchmarks` feature).
cargo test --release --locked -p pallet-difficulty -p pallet-block-reward -p pallet-registration \
	-p pallet-reputation -p pallet-settlement -p pallet-matching -p pallet-shard-proxy \
	--features runtime-benchmarks
echo "[test] cargo tests done in $(($(date +%s) - start)) s" >&2
# The JavaScript client's tests: a whole period on a dev node through @gridshard/api.
(cd clients/js && npm test --silent)
echo "[test] JavaScript client done in $(($(date +%s) - start)) s" >&2
# The dashboard in headless Chromium against a dev node running a period.
(cd dashboard && npm test --silent)
echo "[test] dashboard done in $(($(date +%s) - start)) s" >&2
# The solver's fuzz targets, 30 s each from an empty corpus (a line each; a crash fails the
# suite). Longer runs that keep their corpus: `scripts/fuzz-solver.sh 600`.
FUZZ_FRESH=1 bash scripts/fuzz-solver.sh 30

failed=0
for scenario in local-4; do
	bash scripts/zombienet.sh "$scenario" || failed=1
done
# Three regions of four miners, the coordinator's four, a relay per region (one line per chain).
bash scripts/zombienet-regions.sh || failed=1
echo "[test] suite done in $(($(date +%s) - start)) s" >&2
exit $failed
