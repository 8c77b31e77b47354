#!/usr/bin/env bash
# The market dashboard: installs what is missing, builds the page (`dashboard/dist/`) and serves
# it on http://127.0.0.1:${PORT:-8080}. Open it with `?rpc=ws://HOST:PORT` naming the node
# (default ws://127.0.0.1:9944, the dev node of `scripts/dev-node.sh`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT/dashboard"
npm run --silent build
exec npm run --silent serve
