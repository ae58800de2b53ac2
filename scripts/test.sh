#!/usr/bin/env bash
# Runs every test of Thi Đua on this machine: installs what the tests need when it is missing
# (Debian packages: PostgreSQL, Chromium and its driver, LibreOffice Calc and Writer, poppler,
# Python 3 and openssl for the independent checkers), starts a local
# PostgreSQL with the test role and database, then runs the whole workspace's test suite.
# Needs root (or sudo) only for the installs and for starting PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=()
command -v pg_ctlcluster >/dev/null 2>&1 || packages+=(postgresql)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-calc-nogui)
# Documents: LibreOffice Writer opens our DOCX files; poppler reads and pictures our PDFs.
dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
# The assignment's test vectors and the log are also checked by independent Python scripts
# (the log's signatures through the openssl command).
command -v python3 >/dev/null 2>&1 || packages+=(python3)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
if [ "${#packages[@]}" -gt 0 ]; then
  echo "Installing: ${packages[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

sudo_if_needed .ci/postgres-up
export THIDUA_TEST_DATABASE_URL="${THIDUA_TEST_DATABASE_URL:-postgres://thidua:thidua-test@127.0.0.1:5432/thidua_test}"

cargo test --workspace --locked

# Every benchmark runs once, unoptimised, as a smoke test (criterion's test mode): a bench that
# no longer builds or whose set-up the domain now refuses fails here, not in the next
# measurement. Figures come from `cargo bench`, never from this.
cargo test --workspace --locked --bench '*'
