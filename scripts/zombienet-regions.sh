#!/usr/bin/env bash
# The regions under zombienet: three regional chains of four mining nodes each and the
# coordinating chain of the four main service nodes, one `zombienet spawn` per chain (the JS
# DSL runs one network per .zndsl), a relay per region signed by the region's genesis proxy
# (region 2's lies: `--falsify-records`) and a challenger relay for region 2, then each chain's
# checks against its running network; prints one line per chain and tears everything down.
#
#   scripts/zombienet-regions.sh          # after the node is built (scripts/test.sh builds it)
#
# Every miner hashes 5 % of the time (`--mining-duty-cycle=5`), so that sixteen miners share two
# cores; logs go to $CARGO_TARGET_DIR/zombienet-regions/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
work="$CARGO_TARGET_DIR/zombienet-regions"
rm -rf "$work"
mkdir -p "$work"
networks=(region-1 region-2 region-3 coordinator)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		pkill -P "$pid" 2>/dev/null || true
		kill "$pid" 2>/dev/null || true
	done
	pkill -f "$work/" 2>/dev/null || true
}
trap cleanup EXIT
if [ ! -x "$GRIDSHARD_NODE" ]; then
	echo "zombienet regions: FAILED ($GRIDSHARD_NODE is not built)"
	exit 1
fi
start=$(date +%s)
cd "$ROOT/zombienet"
for net in "${networks[@]}"; do
	npx --no-install zombienet -p native -l text spawn --dir "$work/$net" "$net.toml" \
		>"$work/$net-spawn.log" 2>&1 &
	pids+=($!)
done
for net in "${networks[@]}"; do
	for _ in $(seq 300); do
		[ -f "$work/$net/zombie.json" ] && break
		sleep 1
	done
	if [ ! -f "$work/$net/zombie.json" ]; then
		tail -n 40 "$work/$net-spawn.log"
		echo "zombienet regions: FAILED ($net did not start; log: $work/$net-spawn.log)"
		exit 1
	fi
done
echo "[regions] four networks spawned in $(($(date +%s) - start)) s" >&2
# Each region's genesis proxy (runtime presets: Eve, Ferdie, Charlie) relays, bonds, announces
# and proves; region 2's proxy lies, and Bob proves its records as a challenger. The networks
# have no sudo key: each relay registers its region through a motion of three of the
# coordinator's four council members (a different proposer each, so that their nonces rarely meet).
signers=(//Eve //Ferdie //Charlie)
councils=(//Alice,//Bob,//Charlie //Bob,//Charlie,//Dave //Charlie,//Dave,//Alice)
for r in 1 2 3; do
	lie=()
	[ "$r" = 2 ] && lie=(--falsify-records)
	"$GRIDSHARD_NODE" relay --region "$r" --region-rpc "http://127.0.0.1:99${r}0" \
		--coordinator-rpc http://127.0.0.1:9940 --signer "${signers[$((r - 1))]}" \
		--register-with-council "${councils[$((r - 1))]}" "${lie[@]}" >"$work/relay-$r.log" 2>&1 &
	pids+=($!)
done
"$GRIDSHARD_NODE" relay --region 2 --region-rpc http://127.0.0.1:9921 \
	--coordinator-rpc http://127.0.0.1:9941 --signer //Bob >"$work/relay-2-challenger.log" 2>&1 &
pids+=($!)
failed=0
for net in "${networks[@]}"; do
	t0=$(date +%s)
	description="$(sed -n 's/^Description: //p' "$net.zndsl")"
	if npx --no-install zombienet -p native -l text test "$net.zndsl" "$work/$net/zombie.json" \
		>"$work/$net-test.log" 2>&1; then
		echo "zombienet regions/$net: passed in $(($(date +%s) - t0)) s: $description"
	else
		tail -n 40 "$work/$net-test.log"
		echo "zombienet regions/$net: FAILED (log: $work/$net-test.log): $description"
		failed=1
	fi
done
echo "[regions] done in $(($(date +%s) - start)) s" >&2
exit $failed
