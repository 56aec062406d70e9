"""Shared data on S3 (issue 13) against a real S3-protocol server (moto_server with signatures checked): seed 001's
storage-volume walkthrough verbatim, volume statements and their refusals, fe.conf's builtin volume, a remote
tributary-cn with its own directory, the cache rebuilt from the bucket, and an object store that goes away."""
import json
import random
import shutil
import signal
import subprocess
import time

import pytest
from kafka import KafkaProducer

from conftest import FE, free_port, mysql
from s3_server import S3Server
from test_load_execution import CN, mock, query, show_job, statistic, wait_until  # noqa: F401 (fixture)
from test_routine_load import vertical

BUCKET = "my-starrocks-bucket"
SITES = ["https://www.starrocks.io/", "https://www.starrocks.io/blog", "https://docs.starrocks.io/",
         "https://www.starrocks.io/product/community"]


@pytest.fixture
def s3(tmp_path):
    server = S3Server(tmp_path)
    server.s3.create_bucket(Bucket=BUCKET)
    yield server
    server.close()


def shared_data_fe(tmp_path, name="meta", extra=""):
    return FE(tmp_path / name, config="routine_load_scheduler_interval_second = 1\nrun_mode = shared_data\n"
                                      "cloud_native_storage_type = S3\n" + extra).start()


def create_volume_sql(s3, name="s3_volume", location=f"s3://{BUCKET}/", secret=None):
    """Seed 001's statement, with the endpoint pointed at the test's S3 server and its credentials."""
    return f"""CREATE STORAGE VOLUME {name}
    TYPE = S3
    LOCATIONS = ("{location}")
    PROPERTIES
    (
         "enabled" = "true",
         "aws.s3.endpoint" = "{s3.endpoint}",
         "aws.s3.access_key" = "{s3.access_key}",
         "aws.s3.secret_key" = "{secret or s3.secret_key}",
         "aws.s3.use_instance_profile" = "false",
         "aws.s3.use_aws_sdk_default_behavior" = "false"
     );"""


def gen(producer, topic, n, start=0):
    """seed 001's gen.py: n JSON click rows (uid, site, vtime)."""
    for i in range(n):
        row = {"uid": start + i, "site": random.choice(SITES), "vtime": 1718031441 + start + i}
        producer.send(topic, json.dumps(row).encode())
    producer.flush()


def ok(fe, sql, db=None):
    rc, out, err = mysql(fe.port, sql, db=db)
    assert rc == 0, err
    return out


def test_seed_001_walkthrough_on_s3_and_the_bucket_is_the_truth(s3, mock, tmp_path):
    broker = mock("test2:1")
    fe = shared_data_fe(tmp_path)
    try:
        assert ok(fe, "SHOW STORAGE VOLUMES;") == ""                         # "Empty set"
        ok(fe, create_volume_sql(s3))
        assert ok(fe, "SHOW STORAGE VOLUMES;") == "Storage Volume\ns3_volume\n"
        params = ('{"aws.s3.access_key":"******","aws.s3.secret_key":"******","aws.s3.endpoint":"%s","aws.s3.region":"us-east-1",'
                  '"aws.s3.use_instance_profile":"false","aws.s3.use_web_identity_token_file":"false",'
                  '"aws.s3.use_aws_sdk_default_behavior":"false"}') % s3.endpoint
        [row] = vertical(ok(fe, "DESC STORAGE VOLUME s3_volume\\G"))
        assert row == {"Name": "s3_volume", "Type": "S3", "IsDefault": "false", "Location": f"s3://{BUCKET}/", "Params": params,
                       "Enabled": "true", "Comment": ""}
        ok(fe, "SET s3_volume AS DEFAULT STORAGE VOLUME;")
        assert vertical(ok(fe, "DESC STORAGE VOLUME s3_volume\\G"))[0]["IsDefault"] == "true"
        ok(fe, "CREATE DATABASE IF NOT EXISTS quickstart;")
        out = ok(fe, "SHOW CREATE DATABASE quickstart \\G")
        assert "Create Database: CREATE DATABASE `quickstart`\nPROPERTIES (\"storage_volume\" = \"s3_volume\")" in out
        ok(fe, """USE quickstart;
CREATE TABLE site_clicks (
    `uid` bigint NOT NULL COMMENT "uid",
    `site` string NOT NULL COMMENT "site url",
    `vtime` bigint NOT NULL COMMENT "vtime"
)
DISTRIBUTED BY HASH(`uid`)
PROPERTIES("replication_num"="1");""")
        producer = KafkaProducer(bootstrap_servers=broker)
        gen(producer, "test2", 5)
        ok(fe, f"""CREATE ROUTINE LOAD quickstart.clicks ON site_clicks
PROPERTIES
(
    "format" = "JSON",
    "jsonpaths" ="[\\"$.uid\\",\\"$.site\\",\\"$.vtime\\"]"
)
FROM KAFKA
(
    "kafka_broker_list" = "{broker}",
    "kafka_topic" = "test2",
    "kafka_partitions" = "0",
    "kafka_offsets" = "OFFSET_BEGINNING"
);""")
        wait_until(lambda: query(fe, "SELECT count(*) FROM quickstart.site_clicks") == [["5"]], timeout=30)
        segments = s3.keys(BUCKET)
        cluster = segments[0].split("/")[0] if segments else ""
        assert segments and all(k.endswith(".seg") and k.startswith(cluster + "/db") for k in segments), segments
        gen(producer, "test2", 5, start=5)
        wait_until(lambda: query(fe, "SELECT count(*) FROM quickstart.site_clicks") == [["10"]], timeout=30)
        # The FE keeps no copy of an S3 table's segments once its cache has them.
        assert not list((fe.meta_dir / "storage").rglob("*.seg"))

        # The cache and local directory lost (or a new FE on an empty disk with this catalog): rebuilt from the bucket.
        fe.stop(signal.SIGKILL)
        for f in fe.meta_dir.glob("cache.sqlite*"):
            f.unlink()
        shutil.rmtree(fe.meta_dir / "storage", ignore_errors=True)
        fe.start()
        assert query(fe, "SELECT count(*), count(DISTINCT uid) FROM quickstart.site_clicks") == [["10", "10"]]

        # The object store goes away mid-load: tasks fail and are retried, the job says why and keeps running.
        s3.relay.stop()
        gen(producer, "test2", 5, start=10)
        row = wait_until(lambda: (r := show_job(fe, "clicks", "quickstart")) and f"s3://{BUCKET}/" in r["OtherMsg"] and r, timeout=60)
        assert row["State"] == "RUNNING", row
        assert "failed" in row["OtherMsg"] and s3.secret_key not in row["OtherMsg"]
        assert query(fe, "SELECT count(*) FROM quickstart.site_clicks") == [["10"]]
        s3.relay.start()
        wait_until(lambda: query(fe, "SELECT count(*) FROM quickstart.site_clicks") == [["15"]], timeout=60)
        assert query(fe, "SELECT count(DISTINCT uid), min(uid), max(uid) FROM quickstart.site_clicks") == [["15", "0", "14"]]
        assert s3.secret_key not in fe.logs()
    finally:
        fe.stop(signal.SIGKILL)


def test_volume_statements_refusals_and_masking(s3, tmp_path):
    fe = shared_data_fe(tmp_path)
    try:
        def err(sql):
            rc, _, e = mysql(fe.port, sql)
            assert rc != 0, sql
            return e.strip().splitlines()[-1]                                  # the server's answer (the CLI echoes the statement)
        # Validation texts (reference §1.4).
        assert "ERROR 1064 (HY000) at line 1: builtin_storage_volume can not be created by SQL" in err(create_volume_sql(s3, name="builtin_storage_volume"))
        assert "ERROR 5063 (42000) at line 1: Incorrect storage volume name '_'" in err(create_volume_sql(s3, name="`_`"))
        assert "Invalid location hdfs://x" in err(create_volume_sql(s3, location="hdfs://x"))
        assert "Unknown storage volume type: FTP" in err("CREATE STORAGE VOLUME v TYPE = FTP LOCATIONS = ('s3://b')")
        assert "not supported" in err("CREATE STORAGE VOLUME v TYPE = HDFS LOCATIONS = ('hdfs://nn:8020/x')")
        assert "Invalid properties aws.s3.nope" in err("CREATE STORAGE VOLUME v TYPE = S3 LOCATIONS = ('s3://b') PROPERTIES ('aws.s3.nope' = '1')")
        masked = err("CREATE STORAGE VOLUME v TYPE = S3 LOCATIONS = ('s3://bkt') PROPERTIES ('aws.s3.secret_key' = 'TOPSECRET')")
        assert masked.startswith("ERROR 1064 (HY000) at line 1: Storage params is not valid {") and "TOPSECRET" not in masked
        assert '"aws.s3.secret_key":"******"' in masked
        # The bucket is checked: a wrong secret (moto checks signatures) and a missing bucket are refused now.
        wrong = err(create_volume_sql(s3, secret="not-the-secret"))
        assert "cannot be used" in wrong and "SignatureDoesNotMatch" in wrong and "not-the-secret" not in wrong
        assert "NoSuchBucket" in err(create_volume_sql(s3, location="s3://no-such-bucket"))

        ok(fe, create_volume_sql(s3))
        assert "Storage volume 's3_volume' already exists" in err(create_volume_sql(s3))
        ok(fe, create_volume_sql(s3).replace("CREATE STORAGE VOLUME", "CREATE STORAGE VOLUME IF NOT EXISTS"))
        ok(fe, create_volume_sql(s3, name="second", location=f"s3://{BUCKET}/second"))
        assert ok(fe, "SHOW STORAGE VOLUMES LIKE 's3%'") == "Storage Volume\ns3_volume\n"
        # SET DEFAULT, DROP and ALTER refusals (§1.5–1.7).
        assert "Storage volume 'nope' does not exist" in err("SET nope AS DEFAULT STORAGE VOLUME")
        ok(fe, "SET s3_volume AS DEFAULT STORAGE VOLUME")
        assert "default storage volume can not be removed" in err("DROP STORAGE VOLUME s3_volume")
        assert "Default volume can not be disabled" in err("ALTER STORAGE VOLUME s3_volume SET ('enabled' = 'false')")
        assert "is immutable!" in err("ALTER STORAGE VOLUME s3_volume SET ('aws.s3.enable_partitioned_prefix' = 'true')")
        assert "Storage volume 'nope' does not exist" in err("ALTER STORAGE VOLUME nope COMMENT = 'x'")
        ok(fe, "ALTER STORAGE VOLUME IF EXISTS nope COMMENT = 'x'")
        ok(fe, "ALTER STORAGE VOLUME second COMMENT = 'for tests', SET ('enabled' = 'false')")
        [row] = vertical(ok(fe, "DESC STORAGE VOLUME second\\G"))
        assert row["Enabled"] == "false" and row["Comment"] == "for tests" and s3.secret_key not in row["Params"]
        assert "Storage volume 'second' is disabled" in err("SET second AS DEFAULT STORAGE VOLUME")
        assert 'Storage volume second is disabled' in err("CREATE DATABASE d2 PROPERTIES ('storage_volume' = 'second')")
        assert 'Unknown storage volume "ghost"' in err("CREATE DATABASE d2 PROPERTIES ('storage_volume' = 'ghost')")
        ok(fe, "ALTER STORAGE VOLUME second SET ('enabled' = 'true')")
        ok(fe, "CREATE DATABASE d2 PROPERTIES ('storage_volume' = 'second'); CREATE DATABASE d3;"
               "CREATE TABLE d3.t (a INT) DUPLICATE KEY(a) DISTRIBUTED BY HASH(a) PROPERTIES ('storage_volume' = 'second')")
        assert 'PROPERTIES ("storage_volume" = "s3_volume")' in ok(fe, "SHOW CREATE DATABASE d3")
        refused = err("DROP STORAGE VOLUME second")
        assert "Storage volume 'second' is referenced by dbs or tables, dbs: [" in refused and "tables: [" in refused
        ok(fe, "DROP DATABASE d2; DROP DATABASE d3; DROP STORAGE VOLUME second; DROP STORAGE VOLUME IF EXISTS second")
        assert "Storage volume 'second' does not exist" in err("DROP STORAGE VOLUME second")
        # A table on the volume: INSERT puts its segment in the bucket, DROP TABLE deletes it.
        ok(fe, "CREATE DATABASE d; CREATE TABLE d.t (a INT) DUPLICATE KEY(a) DISTRIBUTED BY HASH(a); INSERT INTO d.t VALUES (1), (2)")
        assert query(fe, "SELECT count(*) FROM d.t") == [["2"]] and len(s3.keys(BUCKET)) == 1
        ok(fe, "DROP TABLE d.t")
        assert s3.keys(BUCKET) == []
        assert "cannot collect" not in fe.logs()                              # the garbage pass (listings, uploads) worked
        # Users without the privilege see no volume and change none.
        ok(fe, "CREATE USER 'u'@'%' IDENTIFIED BY 'pw'")
        rc, out, _ = mysql(fe.port, "SHOW STORAGE VOLUMES", user="u", password="pw")
        assert rc == 0 and out == ""
        rc, _, e = mysql(fe.port, "DESC STORAGE VOLUME s3_volume", user="u", password="pw")
        assert rc != 0 and "Access denied" in e
        assert s3.secret_key not in fe.logs()
    finally:
        fe.stop(signal.SIGKILL)


def test_fe_conf_builtin_volume(s3, tmp_path):
    s3.s3.create_bucket(Bucket="starrocks")
    conf = (f"aws_s3_path = starrocks/lab\naws_s3_endpoint = {s3.endpoint}\naws_s3_access_key = {s3.access_key}\n"
            f"aws_s3_secret_key = {s3.secret_key}\naws_s3_use_instance_profile = false\naws_s3_use_aws_sdk_default_behavior = false\n"
            "enable_load_volume_from_conf = true\ncloud_native_meta_port = 6090\n")
    fe = shared_data_fe(tmp_path, extra=conf)
    try:
        assert ok(fe, "SHOW STORAGE VOLUMES") == "Storage Volume\nbuiltin_storage_volume\n"
        [row] = vertical(ok(fe, "DESC STORAGE VOLUME builtin_storage_volume\\G"))
        assert row["IsDefault"] == "true" and row["Location"] == "s3://starrocks/lab" and s3.secret_key not in row["Params"]
        ok(fe, "CREATE DATABASE d; CREATE TABLE d.t (a INT) DUPLICATE KEY(a) DISTRIBUTED BY HASH(a); INSERT INTO d.t VALUES (7)")
        assert 'PROPERTIES ("storage_volume" = "builtin_storage_volume")' in ok(fe, "SHOW CREATE DATABASE d")
        keys = s3.keys("starrocks")
        assert len(keys) == 1 and keys[0].startswith("lab/") and "/db" in keys[0] and keys[0].endswith(".seg"), keys
        fe.restart()                                                           # the builtin volume is updated, not duplicated
        assert ok(fe, "SHOW STORAGE VOLUMES") == "Storage Volume\nbuiltin_storage_volume\n"
        assert query(fe, "SELECT a FROM d.t") == [["7"]]
        # A second FE (its own catalog) on the same bucket and prefix: its garbage collection leaves the first's data.
        other = shared_data_fe(tmp_path, name="other", extra=conf)
        try:
            ok(other, "CREATE DATABASE d; CREATE TABLE d.t (a INT) DUPLICATE KEY(a) DISTRIBUTED BY HASH(a); INSERT INTO d.t VALUES (8); DROP TABLE d.t")
            assert keys[0] in s3.keys("starrocks")
            other.restart()
            assert keys[0] in s3.keys("starrocks")
        finally:
            other.stop(signal.SIGKILL)
        for f in fe.meta_dir.glob("cache.sqlite*"):
            f.unlink()
        fe.restart(signal.SIGKILL)
        assert query(fe, "SELECT a FROM d.t") == [["7"]]
        assert "cannot collect" not in fe.logs() + other.logs()
    finally:
        fe.stop(signal.SIGKILL)
    bad = FE(tmp_path / "bad", config="run_mode = shared_data\naws_s3_path = s3://starrocks\naws_s3_endpoint = x\n")
    with pytest.raises(RuntimeError) as refused:
        bad.start()
    assert 'The configuration item "Config.aws_s3_path = s3://starrocks" is invalid.' in str(refused.value)


def test_remote_node_with_its_own_directory_loads_into_s3_exactly_once(s3, mock, tmp_path):
    broker = mock("clicks:4")
    fe = shared_data_fe(tmp_path, extra="embedded_compute_node = false\nheartbeat_timeout_second = 1\n")
    cn_dir = tmp_path / "cn-storage"
    token = (fe.meta_dir / "cluster_token").read_text().strip()
    port = free_port()
    conf = tmp_path / "cn.conf"
    conf.write_text(f"storage_root_path = {cn_dir}\ncluster_token = {token}\n")

    def start_cn():
        log = open(tmp_path / "cn.log", "ab")
        proc = subprocess.Popen([CN, "--config", str(conf), "--port", str(port)], stdout=subprocess.PIPE, stderr=log, cwd=tmp_path, text=True)
        assert proc.stdout.readline().startswith("tributary-cn ready")
        return proc
    cn = start_cn()
    try:
        ok(fe, create_volume_sql(s3) + f'SET s3_volume AS DEFAULT STORAGE VOLUME; ALTER SYSTEM ADD COMPUTE NODE "127.0.0.1:{port}";'
               "CREATE DATABASE d; CREATE TABLE d.c (uid BIGINT NOT NULL, site STRING, vtime BIGINT) DUPLICATE KEY(uid) DISTRIBUTED BY HASH(uid)")
        producer = KafkaProducer(bootstrap_servers=broker)
        ok(fe, f"""CREATE ROUTINE LOAD d.j ON c PROPERTIES ("format" = "json", "max_batch_interval" = "1")
            FROM KAFKA ("kafka_broker_list" = "{broker}", "kafka_topic" = "clicks", "property.kafka_default_offsets" = "OFFSET_BEGINNING")""")
        total = 0
        for round_ in range(6):
            for _ in range(300):
                producer.send("clicks", json.dumps({"uid": total, "site": SITES[total % 4], "vtime": total}).encode(), key=str(total).encode())
                total += 1
            producer.flush()
            if round_ == 1:
                fe.restart(signal.SIGKILL)                                     # kill -9 of the FE mid-load
            if round_ == 3:
                cn.kill()                                                      # kill -9 of the node mid-load
                cn.wait()
                cn = start_cn()
            time.sleep(0.4)
        wait_until(lambda: query(fe, "SELECT count(*) FROM d.c") == [[str(total)]], timeout=90)
        assert query(fe, "SELECT count(DISTINCT uid), min(uid), max(uid) FROM d.c") == [[str(total), "0", str(total - 1)]]
        assert statistic(show_job(fe, "j", "d"))["loadedRows"] <= total
        assert not list(cn_dir.rglob("*.seg"))                                 # the node keeps no copy after its upload
        keys = s3.keys(BUCKET)
        assert keys and all(k.endswith(".seg") for k in keys)
    finally:
        cn.kill()
        fe.stop(signal.SIGKILL)


def test_s3_client_against_the_server(s3):
    """The Swift S3 client's own suite (multipart upload, streaming download, listing, delete, a wrong secret) against
    moto with signatures checked; the suite is skipped when no server is given, so it runs here."""
    import os
    from conftest import ROOT
    env = dict(os.environ, TRIBUTARY_TEST_S3=json.dumps({"endpoint": s3.endpoint, "access_key": s3.access_key,
                                                         "secret_key": s3.secret_key, "bucket": BUCKET}))
    p = subprocess.run(["swift", "test", "--skip-build", "--filter", "S3ClientLiveTests"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and "multipartUploadStreamingDownloadListAndDelete() passed" in p.stdout, p.stdout[-3000:] + p.stderr[-2000:]
