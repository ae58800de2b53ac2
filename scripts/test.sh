#!/usr/bin/env bash
# Runs every test of Thi Đua on this machine: installs what the tests need when it is missing and
# starts a local PostgreSQL with the test role and database (scripts/install-test-deps; needs
# root or sudo for that), then runs the whole workspace's test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps
export THIDUA_TEST_DATABASE_URL="${THIDUA_TEST_DATABASE_URL:-postgres://thidua:thidua-test@127.0.0.1:5432/thidua_test}"

cargo test --workspace --locked

# Every benchmark runs once, unoptimised, as a smoke test (criterion's test mode): a bench that
# no longer builds or whose set-up the domain now refuses fails here, not in the next
# measurement. Figures come from `cargo bench`, never from this.
cargo test --workspace --locked --bench '*'
