#!/usr/bin/env bash
# Installs what Tributary needs to build and test on Debian/Ubuntu: system libraries, the MariaDB
# client tools used by the integration tests, and the Python test clients. Safe to run repeatedly.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
for pkg in pkg-config librdkafka-dev libssl-dev libsqlite3-dev mariadb-client; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  python3 -m pip install -q --disable-pip-version-check pytest pymysql mysql-connector-python pexpect 2>&1 | grep -v "Running pip as the 'root' user" || true
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift 6 toolchain (swift) is not on PATH; install it from swift.org first." >&2
  exit 1
fi
