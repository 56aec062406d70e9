#!/usr/bin/env bash
# The docker compose lab (docs/lab.md) without Docker: kafka-mock stands in for Redpanda, moto_server for MinIO, and
# tributary-fe plus one tributary-cn (the FE's embedded node off, so the CN does the loading) run on loopback. Seed
# 001's SQL (lab/seed-001.sql) and the AutoMQ example (lab/automq.sql) are replayed with the mysql CLI, with the lab's
# host names swapped for the local addresses; lab/gen.py publishes the clicks. Exits 0 when every row arrived once.
#   scripts/lab-local.sh            # the newer of .build/release (make run) and .build/debug (make build); or TRIBUTARY_BIN=dir
# Needs: mysql CLI, moto[server], boto3, kafka-python==2.0.2 (scripts/install-deps.sh --test installs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TRIBUTARY_BIN:-}
if [ -z "$bin" ]; then                     # the newer of the release and debug builds
  bin="$root/.build/debug"
  if [ -x "$root/.build/release/tributary-fe" ] && { [ ! -x "$bin/tributary-fe" ] || [ "$root/.build/release/tributary-fe" -nt "$bin/tributary-fe" ]; }; then
    bin="$root/.build/release"
  fi
fi
work=$(mktemp -d -t tributary-lab.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
say() { printf '\n== %s\n' "$*"; }
fail() { echo "lab-local: $*" >&2; for f in "$work"/*.log; do echo "--- $f"; tail -20 "$f"; done >&2; exit 1; }

say "kafka-mock (Redpanda's place)"
"$bin/kafka-mock" --topic test2:1 --topic example_topic:1 > "$work/kafka.out" 2> "$work/kafka.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "bootstrap" "$work/kafka.out" 2>/dev/null && break; sleep 0.1; done
kafka=$(sed -n 's/^bootstrap: //p' "$work/kafka.out")
[ -n "$kafka" ] || fail "kafka-mock did not start"
echo "bootstrap $kafka"

say "moto_server (MinIO's place) with bucket my-starrocks-bucket"
s3_port=$(free_port)
moto_server -H 127.0.0.1 -p "$s3_port" > "$work/moto.log" 2>&1 &
pids+=($!)
python3 - "$s3_port" <<'PY' || fail "moto_server did not start"
import sys, time, boto3
for _ in range(100):
    try:
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                          aws_access_key_id="AAAAAAAAAAAAAAAAAAAA", aws_secret_access_key="BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")
        s3.create_bucket(Bucket="my-starrocks-bucket")
        break
    except Exception:
        time.sleep(0.2)
else:
    sys.exit(1)
PY

say "tributary-fe with seed 001's shared-data fe.conf lines"
qp=$(free_port); hp=$(free_port)
cat > "$work/fe.conf" <<CONF
query_port = $qp
http_port = $hp
bind_address = 127.0.0.1
meta_dir = $work/meta
embedded_compute_node = false
heartbeat_timeout_second = 1
# enable shared data, set storage type
run_mode = shared_data
cloud_native_storage_type = S3
CONF
"$bin/tributary-fe" --config "$work/fe.conf" > "$work/fe.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$hp/api/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$hp/api/health/ready" >/dev/null || fail "tributary-fe did not become ready"
sql() { mysql -h 127.0.0.1 -P "$qp" -u root "$@"; }

say "tributary-cn, registered as the compose lab's starrocks-cn registers itself"
cp=$(free_port)
printf 'heartbeat_service_port = %s\nstorage_root_path = %s\nbind_address = 127.0.0.1\n' "$cp" "$work/cn" > "$work/cn.conf"
TRIBUTARY_CLUSTER_TOKEN=$(cat "$work/meta/cluster_token") "$bin/tributary-cn" --config "$work/cn.conf" > "$work/cn.out" 2> "$work/cn.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "ready" "$work/cn.out" 2>/dev/null && break; sleep 0.1; done
sql -e "ALTER SYSTEM ADD COMPUTE NODE \"127.0.0.1:$cp\""
for _ in $(seq 100); do sql -N -e "SHOW COMPUTE NODES" | grep -q $'\ttrue\t' && break; sleep 0.2; done
sql -e "SHOW COMPUTE NODES\G" | grep -E "IP|Alive"

local_sql() { sed -e "s/minio:9000/127.0.0.1:$s3_port/g" -e "s/redpanda:29092/$kafka/g" "$1"; }

say "seed 001: storage volume, database, table, routine load"
local_sql "$root/lab/seed-001.sql" | sql --table || fail "seed 001's SQL failed"

count() { sql -N -e "SELECT count(*) FROM quickstart.site_clicks"; }
wait_rows() {
  for _ in $(seq 150); do [ "$(count)" = "$1" ] && return 0; sleep 0.2; done
  fail "expected $1 rows in site_clicks, have $(count)"
}
say "python3 lab/gen.py 5"
python3 "$root/lab/gen.py" 5 "$kafka"
wait_rows 5
sql --table -e "USE quickstart; SELECT * FROM site_clicks;"
say "python3 lab/gen.py 5 (again)"
python3 "$root/lab/gen.py" 5 "$kafka"
wait_rows 10
sql --table -e "USE quickstart; SELECT * FROM site_clicks;"
sql -e "SHOW ROUTINE LOAD FOR quickstart.clicks\G" | grep -E "State|Statistic|Progress|LatestSourcePosition"
python3 - "$s3_port" <<'PY' || fail "no segment in the bucket"
import sys, boto3
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                  aws_access_key_id="AAAAAAAAAAAAAAAAAAAA", aws_secret_access_key="BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")
keys = [o["Key"] for o in s3.list_objects_v2(Bucket="my-starrocks-bucket").get("Contents", [])]
print(f"{len(keys)} segments in s3://my-starrocks-bucket/:", *keys[:3], sep="\n  ")
sys.exit(0 if any(k.endswith(".seg") for k in keys) else 1)
PY

say "AutoMQ seed: PRIMARY KEY users"
local_sql "$root/lab/automq.sql" | sql || fail "the AutoMQ example's SQL failed"
python3 - "$kafka" <<'PY'
import sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1])
for i in (1, 2):
    p.send("example_topic", ('{"id": %d, "name": "testuser", "timestamp": "2023-11-10T12:00:00", "status": "active"}' % i).encode())
p.flush()
PY
for _ in $(seq 150); do [ "$(sql -N -e 'SELECT count(*) FROM automq_db.users')" = 2 ] && break; sleep 0.2; done
sql --table -e "USE automq_db; select * from users;"
[ "$(sql -N -e 'SELECT count(*) FROM automq_db.users')" = 2 ] || fail "expected 2 users"

say "metrics and dashboard on http://127.0.0.1:$hp"
curl -fsS "http://127.0.0.1:$hp/metrics" | grep -E '^starrocks_fe_routine_load_(jobs\{state="RUNNING"\}|rows) '
echo
echo "lab OK"
