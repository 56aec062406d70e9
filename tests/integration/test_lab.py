"""The docker compose lab (issue 15), checked without a Docker engine: the compose file validates and mirrors seed
001's services, the Dockerfile copies files that exist and builds with the README's command, the lab's SQL is the
seeds' own, and scripts/lab-local.sh runs the same lab on loopback and replays that SQL with the mysql CLI."""
import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import BINARY, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"


def compose():
    out = subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    return yaml.safe_load(out.stdout)


def test_the_compose_file_validates_and_has_seed_001s_services():
    services = compose()["services"]
    assert set(services) == {"minio", "minio_mc", "redpanda", "redpanda-console", "starrocks-fe", "starrocks-cn"}
    def published(name):                     # "127.0.0.1:9000:9000/tcp" → 9000, and only on the host's loopback
        ports = [str(p).split("/")[0].split(":") for p in services[name].get("ports", [])]
        assert all(p[0] == "127.0.0.1" for p in ports), f"{name} publishes a port beyond the host's loopback"
        return {int(p[-2]) for p in ports}
    assert {9000, 9001} <= published("minio") and {9092} <= published("redpanda") and published("redpanda-console") == {8080}
    assert published("starrocks-fe") == {9030, 8030}
    redpanda = " ".join(services["redpanda"]["command"])
    assert "internal://redpanda:29092" in redpanda and "external://localhost:9092" in redpanda
    assert services["minio"]["environment"] == {"MINIO_ROOT_USER": "miniouser", "MINIO_ROOT_PASSWORD": "miniopassword"}
    mc = " ".join(services["minio_mc"]["entrypoint"])
    assert "AAAAAAAAAAAAAAAAAAAA" in mc and "B" * 40 in mc and "my-starrocks-bucket" in mc
    fe = services["starrocks-fe"]
    assert "run_mode = shared_data" in fe["environment"]["FE_CONF_EXTRA"] and "cloud_native_storage_type = S3" in fe["environment"]["FE_CONF_EXTRA"]
    assert "--chown=tributary docker/fe.conf" in (ROOT / "Dockerfile").read_text()      # fe-entrypoint.sh appends to it as that user
    assert "/api/health/ready" in " ".join(fe["healthcheck"]["test"])
    cn = services["starrocks-cn"]
    assert cn["depends_on"]["starrocks-fe"]["condition"] == "service_healthy" and "healthcheck" in cn
    assert cn["entrypoint"] == ["/usr/local/bin/cn-entrypoint.sh"]


def test_the_dockerfile_copies_files_that_exist_and_builds_like_the_readme():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copies = [[a for a in line.split()[1:-1] if not a.startswith("--")] for line in dockerfile.splitlines()
              if line.startswith("COPY ") and "--from=" not in line]
    assert copies
    for sources in copies:
        for source in sources:
            assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is not in the repository"
    readme, makefile = (ROOT / "README.md").read_text(), (ROOT / "Makefile").read_text()
    assert "swift build -c release" in makefile and "make run" in readme
    assert re.search(r"RUN swift build -c release\b", dockerfile)
    # The packages the build stage installs are the ones install-deps.sh installs to build.
    deps = (ROOT / "scripts" / "install-deps.sh").read_text()
    build_packages = re.search(r"pkgs=\(([^)]*)\)", deps).group(1).split()
    for package in build_packages:
        assert package in dockerfile, f"{package} is installed by install-deps.sh but not by the Dockerfile"
    for script in ("docker/fe-entrypoint.sh", "docker/cn-entrypoint.sh", "scripts/lab-local.sh"):
        assert os.access(ROOT / script, os.X_OK)
        assert subprocess.run(["sh", "-n", str(ROOT / script)] if script.startswith("docker") else ["bash", "-n", str(ROOT / script)]).returncode == 0


def statements(text):
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    return [" ".join(s.split()) for s in re.split(r";|\\G", text) if s.strip()]


def seed_texts():
    """The seeds' text, whitespace-normalised, with the lab's hosts in their placeholders' place. Beside the project root
    when the workplace's shared folder is there; otherwise the copies of the seeds' statements the other tests run
    verbatim (conftest.SEEDS_DDL, test_routine_load.SEED_JOBS), which hold every CREATE but seed 001's volume statements."""
    if SEEDS.exists():
        text = " ".join(" ".join(path.read_text().split()) for path in sorted(SEEDS.glob("0*_*")))
        complete = True
    else:
        from conftest import SEEDS_DDL
        from test_routine_load import SEED_JOBS
        text = " ".join(" ".join(t.split()) for t in [SEEDS_DDL] + [job for _, job in SEED_JOBS])
        complete = False
    text = text.replace("10.0.96.4:9092", "redpanda:29092").replace("http://172.xx.xxx.xxx:8081", "http://redpanda:8081")
    return re.sub(r'"<kafka_broker1_ip>:<kafka_broker1_port>[^"]*"', '"redpanda:29092"', text), complete


def test_the_lab_sql_is_the_seeds_own():
    corpus, complete = seed_texts()
    checked = 0
    for name in ("seed-001.sql", "automq.sql", "formats.sql"):
        for statement in statements((ROOT / "lab" / name).read_text()):
            if statement in ("use automq_db", "USE example_db", "CREATE DATABASE IF NOT EXISTS example_db"):
                continue                                   # added to select the database the seed's session is in
            if not complete and not statement.upper().startswith(("CREATE TABLE", "CREATE ROUTINE LOAD")):
                continue                                   # SHOW/DESC/SET/volume statements: only in the seeds themselves
            assert statement in corpus, f"{name}: {statement}"
            checked += 1
    assert checked >= 8


def test_lab_local_replays_the_lab_without_docker():
    env = dict(os.environ, TRIBUTARY_BIN=os.path.dirname(BINARY))
    out = subprocess.run([str(ROOT / "scripts" / "lab-local.sh")], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert out.stdout.rstrip().endswith("lab OK")
    assert "IsDefault: true" in out.stdout and '"storage_volume" = "s3_volume"' in out.stdout
    assert out.stdout.count("https://") >= 15                  # 5 then 10 clicks shown by SELECT * FROM site_clicks
    assert "| testuser | 2023-11-10T12:00:00 | active |" in out.stdout
    assert shutil.which("mysql")
