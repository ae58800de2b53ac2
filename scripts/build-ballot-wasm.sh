#!/usr/bin/env bash
# Builds the browser's ballot module (crates/thidua-ballot-wasm) and copies it to
# crates/thidua-web/assets/ballot.wasm, which the server embeds and serves. The same
# thidua-ballot code runs natively in the server, the CLI and `thidua verify`.
#
#   scripts/build-ballot-wasm.sh          build and copy
#   scripts/build-ballot-wasm.sh --check  build and fail unless the committed file is the same,
#                                         byte for byte (CI: the served module is its source's)
#
# The build is reproducible: the same sources, lock file and toolchain give the same bytes.
# Paths the module keeps (panic locations) are relative for our crates, /rustc/<commit>/ for the
# standard library, and /cargo/registry/... for crates.io sources wherever CARGO_HOME is.
# Needs the wasm32-unknown-unknown target (added here with rustup when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true
if ! rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null | xargs test -d; then
  if ! rustup target add wasm32-unknown-unknown; then
    # CI machines reach package registries only; the Rust target comes from static.rust-lang.org.
    if $check; then
      echo "SKIPPED: the wasm32-unknown-unknown target cannot be installed here, so ballot.wasm is not rebuilt and compared" >&2
      exit 0
    fi
    exit 1
  fi
fi
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
cargo build -p thidua-ballot-wasm --target wasm32-unknown-unknown --release --locked \
  --config 'profile.release.opt-level="s"' \
  --config 'profile.release.lto=true' \
  --config 'profile.release.codegen-units=1' \
  --config 'profile.release.panic="abort"' \
  --config "target.wasm32-unknown-unknown.rustflags=['--remap-path-prefix=${cargo_home}=/cargo']"
built="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/thidua_ballot_wasm.wasm"
committed=crates/thidua-web/assets/ballot.wasm
if $check; then
  if ! cmp -s "$built" "$committed"; then
    echo "$committed is not what its source builds to: run scripts/build-ballot-wasm.sh and commit it" >&2
    sha256sum "$built" "$committed" >&2
    exit 1
  fi
  echo "ballot.wasm matches its source ($(sha256sum "$committed" | cut -d' ' -f1))"
else
  cp "$built" "$committed"
  ls -l "$committed"
fi
