"""A JDBC program on Debian's MariaDB Connector/J (client-side and server-side prepares), a Go program on
Debian's go-sql-driver/mysql (server-side prepares), and mycli in non-interactive mode."""
import os
import pathlib
import subprocess

import pytest

from conftest import SEEDS_DDL, mysql

HERE = pathlib.Path(__file__).parent
JAR = "/usr/share/java/mariadb-java-client.jar"


@pytest.fixture(scope="module")
def jdbc_classes(tmp_path_factory):
    out = tmp_path_factory.mktemp("jdbc")
    subprocess.run(["javac", "-d", str(out), str(HERE / "jdbc" / "JdbcSmoke.java")], check=True)
    return out


@pytest.mark.parametrize("server_prepare", ["false", "true"])
def test_jdbc_metadata_and_prepared_statements(fe, jdbc_classes, server_prepare):
    p = subprocess.run(["java", "-cp", f"{JAR}:{jdbc_classes}", "JdbcSmoke", str(fe.port), server_prepare],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.strip().endswith("JDBC OK")
    assert "ok getColumns returns 4 columns" in p.stdout and "ok decimal column" in p.stdout


def test_mycli_execute(fe, tmp_path):
    mysql(fe.port, SEEDS_DDL)
    env = dict(os.environ, HOME=str(tmp_path))
    p = subprocess.run(["mycli", "-h", "127.0.0.1", "-P", str(fe.port), "-u", "root", "-D", "quickstart",
                        "-e", "show tables; select @@version_comment; desc site_clicks"],
                       capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stderr
    assert "site_clicks" in p.stdout and "Tributary 0.1.0" in p.stdout and "varchar(65533)" in p.stdout


def test_go_sql_driver_prepared_statements(fe, tmp_path):
    """go-sql-driver runs every query with arguments as COM_STMT_PREPARE / EXECUTE / CLOSE."""
    env = dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode", GOCACHE=str(tmp_path / "gocache"))
    p = subprocess.run(["go", "run", str(HERE / "go" / "gosmoke.go"), str(fe.port)],
                       capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.strip().endswith("GO OK")
