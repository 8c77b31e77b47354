#!/usr/bin/env bash
# Starts a one-node GridShard development chain that mines at once and serves RPC on
# 127.0.0.1:9944 (WebSocket and HTTP). Installs the toolchain and builds the node first when
# needed. Extra arguments go to the node, e.g. `scripts/dev-node.sh --mining-threads 2`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
echo "[dev-node] building gridshard-node (release) into $CARGO_TARGET_DIR" >&2
cargo build --release --locked -p gridshard-node
echo "[dev-node] starting: $GRIDSHARD_NODE --dev $*" >&2
exec "$GRIDSHARD_NODE" --dev "$@"
