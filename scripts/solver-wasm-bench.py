#!/usr/bin/env python3
"""Times the solver in wasm, as the matching pallet's off-chain worker runs it, against the
native command line, on generated markets with the pallet's node budget.

Run by scripts/solver-wasm-bench.sh, which builds solver/wasm-bench for wasm32v1-none first.
Needs the `wasmtime` Python package (the engine Substrate's executor uses).
"""
import json
import os
import subprocess
import sys
import time

import wasmtime

TARGET = os.environ["CARGO_TARGET_DIR"]
WASM = f"{TARGET}/wasm32v1-none/release/gridshard_solver_wasm_bench.wasm"
NATIVE = f"{TARGET}/release/gridshard-solve"
BUDGET = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
# (requests, providers, tightness %, density %, seed, weights): the benchmark's first instances,
# its one market short of energy (where the restarted fillings run all their restarts), its 50x5
# tight market that takes the search over exact fillings longest, the 60x6 one with the most exact
# fillings (322 560: the largest tables the solver lists), markets with capacity equal to
# demand, where the knapsack bound runs at most search nodes, and markets weighted as the chain
# weighs them (eq. 4), where the search runs its neighbourhoods.
MARKETS = [
    (50, 5, 70, 60, 50_076, "uniform"),
    (50, 5, 130, 60, 50_135, "uniform"),
    (60, 6, 70, 60, 60_078, "uniform"),
    (200, 20, 70, 60, 200_090, "uniform"),
    (200, 20, 130, 60, 200_150, "uniform"),
    (200, 20, 100, 60, 1, "uniform"),
    (1000, 50, 70, 60, 1_000_120, "uniform"),
    (1000, 50, 130, 60, 1_000_180, "uniform"),
    (1000, 50, 100, 60, 1, "uniform"),
    (200, 20, 70, 60, 200_090, "degree"),
    (200, 20, 130, 60, 200_150, "degree"),
    (1000, 50, 70, 60, 1_000_120, "degree"),
    (1000, 50, 130, 60, 1_000_180, "degree"),
]


def capacity(tightness):
    return "tight" if tightness < 100 else "balanced" if tightness == 100 else "loose"


engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, WASM)
print(f"node budget {BUDGET}; wasm under wasmtime (Python package) vs native")
for *market, weights in MARKETS:
    store = wasmtime.Store(engine)
    solve = wasmtime.Instance(store, module, []).exports(store)["solve_generated"]
    start = time.perf_counter()
    nodes = solve(store, *market, int(weights == "degree"), BUDGET)
    wasm_ms = (time.perf_counter() - start) * 1e3
    spec = ",".join(str(v) for v in market)
    native = json.loads(subprocess.run(
        [NATIVE, "--generate", spec, "--weights", weights, "--max-nodes", str(BUDGET)],
        check=True, capture_output=True, text=True).stdout)
    print(f"{market[0]}x{market[1]} {capacity(market[2])} {weights}: "
          f"wasm {wasm_ms:.0f} ms, native {native['millis']} ms, {nodes} nodes "
          f"(x{wasm_ms / max(native['millis'], 1):.1f})")
