#!/usr/bin/env bash
# One whole trading period on a fresh `--dev` node, driven over RPC, with every step printed:
# offers and requests, the off-chain worker's solution, orders, signed meter readings,
# settlement, payout and reputation. About 80 blocks: half a minute on a fresh dev chain.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
cargo test --release --locked -p gridshard-node --test market_period -- --nocapture
