#!/usr/bin/env bash
# Runs one zombienet scenario (`zombienet/<name>.zndsl`) against the built node and prints one
# line with its result. The full zombienet output goes to $CARGO_TARGET_DIR/zombienet-<name>.log
# and is shown when the scenario fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
name="${1:?usage: scripts/zombienet.sh <scenario>}"
log="$CARGO_TARGET_DIR/zombienet-$name.log"
if [ ! -x "$GRIDSHARD_NODE" ]; then
	echo "zombienet $name: FAILED ($GRIDSHARD_NODE is not built)"
	exit 1
fi
description="$(sed -n 's/^Description: //p' "$ROOT/zombienet/$name.zndsl")"
start=$(date +%s)
if (cd "$ROOT/zombienet" && npx --no-install zombienet -p native -l text test "$name.zndsl") >"$log" 2>&1; then
	echo "zombienet $name: passed in $(($(date +%s) - start)) s: $description"
else
	tail -n 60 "$log"
	echo "zombienet $name: FAILED after $(($(date +%s) - start)) s (log: $log): $description"
	exit 1
fi
