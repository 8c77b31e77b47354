#!/usr/bin/env bash
# Writes the named networks' chain spec files from the built node (see chain-specs/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
cargo build --release --locked -p gridshard-node
for chain in dev local region-1 region-2 region-3 coordinator; do
	"$GRIDSHARD_NODE" export-chain-spec --chain "$chain" --output "chain-specs/$chain.json" >/dev/null
	"$GRIDSHARD_NODE" export-chain-spec --chain "$chain" --raw --output "chain-specs/$chain-raw.json" >/dev/null
	echo "chain-specs/$chain.json, chain-specs/$chain-raw.json"
done
