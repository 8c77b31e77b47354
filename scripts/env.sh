# Sourced by the other scripts: where cargo is and where it builds.
#
# Every build (the dev node, the test suite, CI) uses one target directory outside the
# checkout, so that a fresh clone reuses what an earlier build compiled.

if ! command -v cargo >/dev/null 2>&1 && [ -d "$HOME/.cargo/bin" ]; then
	export PATH="$HOME/.cargo/bin:$PATH"
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/gridshard-target}"
export GRIDSHARD_NODE="$CARGO_TARGET_DIR/release/gridshard-node"
# The runtime's wasm build looks for Cargo.lock from the target directory upwards: since the
# target directory is outside the checkout, tell it where the workspace is.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
# With the hint above, the wasm builder reads this workspace's metadata for every crate that
# builds a wasm blob; `frame-benchmarking-cli`'s storage-access test runtime (built only with
# the node's `runtime-benchmarks` feature) is not in it and would fail. Its blob serves only
# `benchmark storage`, which this project does not use, so it is not built.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
