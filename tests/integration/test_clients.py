"""What real clients send at connect time and while browsing: the mysql CLI (batch and interactive),
mysqladmin, PyMySQL and mysql-connector-python (pure and C extension)."""
import subprocess

import mysql.connector
import pexpect
import pymysql
import pytest

from conftest import SEEDS_DDL, mysql as cli


def test_cli_banner_query_and_session_functions(fe):
    rc, out, err = cli(fe.port, "select @@version_comment limit 1; select DATABASE(), USER() limit 1; SELECT CONNECTION_ID() > 0, VERSION();")
    assert rc == 0, err
    lines = out.split("\n")
    assert lines[1] == "Tributary 0.1.0"
    assert lines[3] == "NULL\t'root'@'127.0.0.1'"
    assert lines[5] == "1\t8.0.33"


def test_interactive_cli_rehashes_with_field_list_and_shows_status(fe):
    cli(fe.port, SEEDS_DDL)
    p = pexpect.spawn(f"mysql -h 127.0.0.1 -P {fe.port} -u root quickstart", encoding="utf-8", timeout=15)
    try:
        p.expect(r"Server version: 8\.0\.33 Tributary 0\.1\.0")
        p.expect(r"\]> ")
        p.sendline("use example_db")
        p.expect("Reading table information for completion")      # show tables + COM_FIELD_LIST per table
        p.expect("Database changed")
        p.expect(r"\]> ")
        p.sendline("status")
        p.expect(r"Uptime:\s+\d+")
        p.expect(r"Threads: \d+  Questions: \d+")                  # COM_STATISTICS
        p.expect(r"\]> ")
        p.sendline("select count(*) from information_schema.columns where table_schema = 'example_db';")
        p.expect(r"\|\s+16 \|")
        p.expect(r"\]> ")
        p.sendline("exit")
        p.expect(pexpect.EOF)
    finally:
        p.close(force=True)


def test_mysqladmin_ping_and_status(fe):
    out = subprocess.run(["mysqladmin", "-h", "127.0.0.1", "-P", str(fe.port), "-u", "root", "ping"], capture_output=True, text=True)
    assert out.stdout.strip() == "mysqld is alive", out.stderr
    out = subprocess.run(["mysqladmin", "-h", "127.0.0.1", "-P", str(fe.port), "-u", "root", "status"], capture_output=True, text=True)
    assert out.stdout.startswith("Uptime: "), out.stderr


def test_pymysql_connect_with_database_and_types(fe):
    cli(fe.port, SEEDS_DDL)
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", password="", database="quickstart")
    cur = c.cursor()
    cur.execute("SELECT DATABASE(), @@session.autocommit, @@max_allowed_packet, @@transaction_isolation")
    assert cur.fetchone() == ("quickstart", 0, 67108864, "REPEATABLE-READ")   # PyMySQL sets autocommit=0
    assert c.get_autocommit() is False
    cur.execute("SHOW VARIABLES WHERE Variable_name in ('max_allowed_packet','system_time_zone','time_zone','auto_increment_increment')")
    assert [r[0] for r in cur.fetchall()] == ["auto_increment_increment", "max_allowed_packet", "system_time_zone", "time_zone"]
    cur.execute("DESC site_clicks")
    assert cur.fetchall()[0] == ("uid", "bigint", "NO", "true", None, "")
    c.select_db("example_db")                                                     # COM_INIT_DB
    cur.execute("SHOW TABLES")
    assert [r[0] for r in cur.fetchall()] == ["example_tbl1", "example_tbl2", "sensor_log"]
    c.ping()
    c.close()


def test_mycli_style_completion_queries(fe):
    cli(fe.port, SEEDS_DDL)
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", autocommit=True)
    cur = c.cursor()
    cur.execute("select TABLE_NAME, COLUMN_NAME from information_schema.columns where table_schema = %s order by table_name,ordinal_position", ("example_db",))
    assert cur.fetchall()[:2] == (("example_tbl1", "order_id"), ("example_tbl1", "pay_dt"))
    cur.execute("SELECT @@version_comment, @@version")
    assert cur.fetchone() == ("Tributary 0.1.0", "8.0.33")
    cur.execute("SHOW CHARACTER SET"); assert ("utf8mb4", "UTF-8 Unicode", "utf8mb4_general_ci", "4") in cur.fetchall()
    cur.execute("SHOW COLLATION"); assert any(r[0] == "utf8mb4_0900_ai_ci" for r in cur.fetchall())


def test_wrong_password_and_unknown_database_are_refused(fe):
    with pytest.raises(pymysql.err.OperationalError) as e:
        pymysql.connect(host="127.0.0.1", port=fe.port, user="root", password="secret")
    assert e.value.args == (1045, "Access denied for user 'root'@'127.0.0.1' (using password: YES)")
    with pytest.raises(pymysql.err.OperationalError) as e:
        pymysql.connect(host="127.0.0.1", port=fe.port, user="nobody")
    assert e.value.args[0] == 1045
    with pytest.raises(pymysql.err.OperationalError) as e:
        pymysql.connect(host="127.0.0.1", port=fe.port, user="root", database="nosuch")
    assert e.value.args == (5501, "Unknown database 'nosuch'")
    rc, _, err = cli(fe.port, "select 1", password="x")
    assert "ERROR 1045 (28000): Access denied for user 'root'@'127.0.0.1' (using password: YES)" in err


def test_mysql_connector_python(fe):
    cli(fe.port, SEEDS_DDL)
    c = mysql.connector.connect(host="127.0.0.1", port=fe.port, user="root", password="", database="example_db", use_pure=True)
    cur = c.cursor()
    cur.execute("SELECT @@session.autocommit, CURRENT_USER(), DATABASE()")
    assert cur.fetchall() == [(0, "'root'@'%'", "example_db")]
    cur.execute("SHOW FULL TABLES")
    assert cur.fetchall() == [("example_tbl1", "BASE TABLE"), ("example_tbl2", "BASE TABLE"), ("sensor_log", "BASE TABLE")]
    cur.execute("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s ORDER BY ORDINAL_POSITION",
                ("example_db", "sensor_log"))
    assert [r[0] for r in cur.fetchall()] == ["id", "name", "checked", "data", "sensor_type"]
    c.cmd_reset_connection()
    cur = c.cursor()
    cur.execute("SELECT 1")
    assert cur.fetchall() == [(1,)]
    c.close()


def test_caching_sha2_client_logs_in(fe):
    c = mysql.connector.connect(host="127.0.0.1", port=fe.port, user="root", password="", use_pure=True, auth_plugin="caching_sha2_password")
    cur = c.cursor()
    cur.execute("SELECT 42")
    assert cur.fetchall() == [(42,)]
    c.close()


def test_set_statements_clients_send_at_connect(fe):
    rc, out, err = cli(fe.port, """
        SET NAMES utf8mb4; SET NAMES 'utf8mb4' COLLATE 'utf8mb4_0900_ai_ci'; SET CHARACTER SET utf8;
        SET character_set_results = NULL; SET autocommit=1; SET SQL_SAFE_UPDATES=1,SQL_SELECT_LIMIT=1000,MAX_JOIN_SIZE=1000000;
        set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES');
        SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED; SET @@session.wait_timeout=100; SET sql_select_limit=DEFAULT;
        SELECT @@wait_timeout, @@sql_select_limit, @@sql_safe_updates;
        SHOW SESSION STATUS LIKE 'Ssl_cipher'; SHOW SESSION VARIABLES LIKE 'version%'; SHOW ENGINES; SHOW PLUGINS; SHOW WARNINGS;
        BEGIN; COMMIT; START TRANSACTION READ ONLY; ROLLBACK;
        SELECT @@GLOBAL.character_set_server,@@GLOBAL.collation_server;
    """)
    assert rc == 0, err
    assert "100\t18446744073709551615\t1" in out
    assert "version_comment\tTributary 0.1.0" in out


def test_the_starrocks_sqlalchemy_dialect_connects_and_reflects_without_errors(fe, caplog):
    """The official `starrocks` dialect asks for current_version(), ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode' and
    information_schema.tables_config: each answers, nothing is logged as an error, and reflection keeps the key
    model and the distribution."""
    import logging
    from sqlalchemy import create_engine, inspect, text
    rc, _, err = cli(fe.port, """CREATE DATABASE d; CREATE TABLE d.k (id BIGINT NOT NULL, v VARCHAR(10), n INT SUM)
        AGGREGATE KEY(id, v) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1");
        CREATE TABLE d.p (id INT NOT NULL, s STRING) PRIMARY KEY(id) DISTRIBUTED BY HASH(id)""")
    assert rc == 0, err
    caplog.set_level(logging.WARNING)
    engine = create_engine(f"starrocks://root:@127.0.0.1:{fe.port}/d")
    with engine.connect() as c:
        assert c.execute(text("SELECT current_version()")).scalar() == "3.3.0-tributary-0.1.0"
        assert c.execute(text("ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'")).fetchall() == [
            ("run_mode", "[]", "shared_nothing", "String", "false", "storage mode")]
    inspector = inspect(engine)
    assert sorted(inspector.get_table_names()) == ["k", "p"]
    k, p = inspector.get_table_options("k"), inspector.get_table_options("p")
    assert k["starrocks_distributed_by"] == "HASH(`id`) BUCKETS 4" and k["starrocks_aggregate_key"] == "id, v", k
    assert p["starrocks_primary_key"] == "id" and p["starrocks_engine"] == "OLAP", p
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    rc, out, _ = cli(fe.port, "SELECT TABLE_NAME, TABLE_MODEL, PRIMARY_KEY, DISTRIBUTE_KEY, DISTRIBUTE_TYPE, DISTRIBUTE_BUCKET, SORT_KEY "
                                "FROM information_schema.tables_config WHERE TABLE_SCHEMA = 'd' ORDER BY TABLE_NAME")
    assert out.splitlines()[1:] == ["k\tAGG_KEYS\t\t`id`\tHASH\t4\t`id`, `v`", "p\tPRI_KEYS\t`id`\t`id`\tHASH\t0\t`id`"]
    rc, out, err = cli(fe.port, "ADMIN SHOW FRONTEND CONFIG LIKE '%port'; ADMIN SHOW FRONTEND CONFIG LIKE 'cluster_token'")
    assert f"query_port\t[]\t{fe.port}\tint\tfalse" in out and "******" in out and (fe.meta_dir / "cluster_token").read_text().strip() not in out
    rc, _, err = cli(fe.port, "ADMIN SET FRONTEND CONFIG (\"query_port\" = \"1\")")
    assert "ERROR 5102 (HY000) at line 1: Config 'query_port' does not exist or is not mutable" in err
