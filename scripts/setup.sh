#!/usr/bin/env bash
# Installs everything GridShard needs on a fresh Debian machine, without any step by hand.
#
# - a Rust toolchain that can build the `wasm32v1-none` runtime blob: the rustup route first
#   (`rustup target add wasm32v1-none`, `rustup component add rust-src`), and where rustup
#   cannot download, Debian's `rustc-web` with the `core`/`alloc`/`compiler_builtins` rlibs for
#   `wasm32v1-none` built from `rust-web-src` and linked in as the rustup toolchain `gridshard-web`;
# - `protobuf-compiler`, `clang`, `libclang-dev` (libp2p and bindgen need them);
# - the zombienet CLI under `zombienet/node_modules` (npm, pinned in `zombienet/package.json`);
# - the JavaScript client's and the dashboard's packages (npm, pinned), and Chromium for the
#   dashboard's browser test.
#
# Idempotent: every step checks first and is skipped when its result is already there, so a
# second run takes seconds. Progress goes to stderr, one line per step.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_TARGET=wasm32v1-none
WEB_TOOLCHAIN=gridshard-web
SYSROOT_LIB=/usr/lib/rustlib/$WASM_TARGET/lib

step() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_ensure() {
	local missing=()
	for p in "$@"; do apt_installed "$p" || missing+=("$p"); done
	if [ ${#missing[@]} -gt 0 ]; then
		step "apt-get install ${missing[*]}"
		as_root apt-get update -qq
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
}

# 1. System packages that every route needs.
# coinor-libcbc-dev: the independent MILP solver (CBC) the solver benchmark compares against.
apt_ensure protobuf-compiler clang libclang-dev build-essential pkg-config coinor-libcbc-dev

# 2. A toolchain that knows the wasm target and has the library sources.
wasm_ready() {
	local sysroot
	sysroot="$(rustc --print sysroot 2>/dev/null)" || return 1
	ls "$sysroot/lib/rustlib/$WASM_TARGET/lib/"libcore-*.rlib >/dev/null 2>&1
}

if ! command -v rustup >/dev/null 2>&1; then
	step "installing rustup's toolchain is not possible offline: using Debian's rustc-web"
fi

if wasm_ready; then
	step "toolchain $(rustc --version) already builds $WASM_TARGET"
else
	if command -v rustup >/dev/null 2>&1 &&
		timeout 60 rustup target add "$WASM_TARGET" >/dev/null 2>&1 &&
		timeout 60 rustup component add rust-src >/dev/null 2>&1; then
		step "rustup added $WASM_TARGET and rust-src"
	else
		step "rustup cannot download here: building the $WASM_TARGET sysroot from Debian's rust-web-src"
		apt_ensure rustc-web cargo-web rust-web-src lld-22
		if ! ls "$SYSROOT_LIB"/libcore-*.rlib >/dev/null 2>&1; then
			work="$(mktemp -d)"
			mkdir -p "$work/src"
			cat >"$work/Cargo.toml" <<-'TOML'
				[package]
				name = "wasm-sysroot"
				version = "0.0.0"
				edition = "2021"
				[lib]
				path = "src/lib.rs"
				[profile.release]
				panic = "abort"
			TOML
			printf '#![no_std]\n' >"$work/src/lib.rs"
			(
				cd "$work"
				RUSTFLAGS="-C embed-bitcode=yes" RUSTC_BOOTSTRAP=1 \
					/usr/bin/cargo build -q -Zbuild-std=core,alloc \
					--target "$WASM_TARGET" --release
			)
			as_root mkdir -p "$SYSROOT_LIB"
			for lib in core alloc compiler_builtins; do
				as_root cp "$work"/target/"$WASM_TARGET"/release/deps/lib"$lib"-*.rlib "$SYSROOT_LIB"/
			done
			rm -rf "$work"
			# Blobs built against an older sysroot fail with E0463: drop them.
			rm -rf "${CARGO_TARGET_DIR:-$ROOT/target}"/*/wbuild/*/target 2>/dev/null || true
			step "installed core, alloc, compiler_builtins for $WASM_TARGET into $SYSROOT_LIB"
		fi
		if command -v rustup >/dev/null 2>&1; then
			if ! rustup toolchain list | grep -q "^$WEB_TOOLCHAIN"; then
				rustup toolchain link "$WEB_TOOLCHAIN" /usr
			fi
			rustup default "$WEB_TOOLCHAIN" >/dev/null
			step "rustup default is now $WEB_TOOLCHAIN ($(rustc --version))"
		fi
	fi
fi

# 3. Zombienet (the JS CLI; its `toml` fork is overridden to the registry's toml 3.0.0).
if [ -x "$ROOT/zombienet/node_modules/.bin/zombienet" ]; then
	step "zombienet $("$ROOT/zombienet/node_modules/.bin/zombienet" version 2>/dev/null) already installed"
else
	command -v npm >/dev/null 2>&1 || apt_ensure nodejs npm
	step "npm install zombienet"
	(cd "$ROOT/zombienet" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

# 4. The JavaScript client's packages (@polkadot/api, pinned in `clients/js/package-lock.json`).
if [ -d "$ROOT/clients/js/node_modules/@polkadot/api" ]; then
	step "the JavaScript client's packages already installed"
else
	command -v npm >/dev/null 2>&1 || apt_ensure nodejs npm
	step "npm ci the JavaScript client (clients/js)"
	(cd "$ROOT/clients/js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# 5. The dashboard's packages (pinned in `dashboard/package-lock.json`) and the headless browser
#    its test drives (Debian's Chromium).
apt_ensure chromium
if [ -d "$ROOT/dashboard/node_modules/esbuild" ]; then
	step "the dashboard's packages already installed"
else
	step "npm ci the dashboard (dashboard)"
	(cd "$ROOT/dashboard" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

step "ready"
