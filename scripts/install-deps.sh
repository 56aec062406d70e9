#!/usr/bin/env bash
# Installs what Tributary needs on Debian/Ubuntu: the system libraries to build, and with --test the
# clients the integration tests drive (MariaDB CLI, MariaDB Connector/J and a JDK, Go with go-sql-driver, kcat,
# kafka-python 2.0.2 (3.x fails against librdkafka's mock), PyMySQL, the starrocks SQLAlchemy dialect,
# mysql-connector-python, mycli, pexpect, moto[server] and boto3 for the S3 tests, chromium and websocket-client for
# the dashboard test, prometheus-client to parse /metrics, docker-compose to validate the lab's compose file).
# Safe to run repeatedly.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
pkgs=(pkg-config librdkafka-dev libssl-dev libsqlite3-dev libcurl4-openssl-dev libavro-dev)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(mariadb-client libmariadb-java golang-go golang-github-go-sql-driver-mysql-dev kcat chromium docker-compose)
  command -v javac >/dev/null 2>&1 || pkgs+=(default-jdk-headless)
fi
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  python3 -m pip install -q --disable-pip-version-check pytest pymysql mysql-connector-python pexpect mycli "kafka-python==2.0.2" "starrocks==1.3.4" "moto[server]" boto3 cryptography fastavro prometheus-client websocket-client pyyaml 2>&1 | grep -v "Running pip as the 'root' user" || true
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift 6 toolchain (swift) is not on PATH; install it from swift.org first." >&2
  exit 1
fi
