#!/usr/bin/env bash
# The decomposition bound and dive of scripts/decomposition-bound.py against the solver, on the
# markets given (REQUESTS,PROVIDERS,TIGHTNESS,DENSITY,SEED or a market file such as a
# matching_snapshot, FILE.json); by default the benchmark's three 200x20 markets short of capacity
# (append :degree to a generated market for the chain's weights; begin with --tolerance F to need
# only (1 - F) of the most energy, with --dive-out FILE to keep one market's dive, with --no-dive
# for the bound alone). Installs NumPy and SciPy if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
python3 -c 'import numpy, scipy' 2>/dev/null || python3 -m pip install --quiet numpy scipy
cargo build --release -p gridshard-solve
python3 scripts/decomposition-bound.py "$@"
