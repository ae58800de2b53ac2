#!/usr/bin/env bash
# Builds the browser's ballot module (crates/thidua-ballot-wasm) and copies it to
# crates/thidua-web/assets/ballot.wasm, which the server embeds and serves. The same
# thidua-ballot code runs natively in the server, the CLI and `thidua verify`.
# Needs the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p thidua-ballot-wasm --target wasm32-unknown-unknown --release \
  --config 'profile.release.opt-level="s"' \
  --config 'profile.release.lto=true' \
  --config 'profile.release.codegen-units=1' \
  --config 'profile.release.panic="abort"'
cp target/wasm32-unknown-unknown/release/thidua_ballot_wasm.wasm crates/thidua-web/assets/ballot.wasm
ls -l crates/thidua-web/assets/ballot.wasm
