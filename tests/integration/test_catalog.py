"""Databases and tables through the real mysql CLI: the seeds' DDL verbatim, DESC, SHOW CREATE,
StarRocks errors, and the catalog surviving restarts (including kill -9)."""
import signal

from conftest import SEEDS_DDL, mysql


def test_seed_ddl_runs_verbatim_and_tables_are_listed(fe):
    rc, out, err = mysql(fe.port, SEEDS_DDL)
    assert rc == 0, err
    rc, out, _ = mysql(fe.port, "SHOW DATABASES; SHOW TABLES FROM example_db;")
    assert out.split("\n") == ["Database", "automq_db", "example_db", "information_schema", "quickstart",
                               "Tables_in_example_db", "example_tbl1", "example_tbl2", "sensor_log", ""]


def test_show_create_database_and_table_match_starrocks_layout(fe):
    mysql(fe.port, SEEDS_DDL)
    rc, out, err = mysql(fe.port, "SHOW CREATE DATABASE quickstart \\G", extra=["--vertical"])
    assert rc == 0, err
    assert "Create Database: CREATE DATABASE `quickstart`" in out
    rc, out, _ = mysql(fe.port, "SHOW CREATE TABLE example_tbl2\\G", db="example_db")
    assert "  `price` double SUM NULL COMMENT \"支払金額\"" in out
    assert "AGGREGATE KEY(`commodity_id`, `customer_name`, `country`, `pay_time`, `pay_dt`)" in out
    assert "DISTRIBUTED BY HASH(`commodity_id`)" in out
    rc, out, _ = mysql(fe.port, "SHOW CREATE TABLE automq_db.users\\G")
    assert "PRIMARY KEY(`id`)" in out and '"enable_persistent_index" = "true"' in out


def test_desc_shows_starrocks_columns(fe):
    mysql(fe.port, SEEDS_DDL)
    rc, out, _ = mysql(fe.port, "DESC example_db.example_tbl2")
    lines = [l.split("\t") for l in out.strip().split("\n")]
    assert lines[0] == ["Field", "Type", "Null", "Key", "Default", "Extra"]
    assert lines[1] == ["commodity_id", "varchar(26)", "YES", "true", "NULL", ""]
    assert lines[4] == ["pay_time", "bigint", "YES", "true", "NULL", ""]
    assert lines[6] == ["price", "double", "YES", "false", "NULL", "SUM"]


def test_ddl_errors_have_starrocks_codes_and_texts(fe):
    mysql(fe.port, SEEDS_DDL)
    cases = [
        ("create database quickstart", "ERROR 1064 (HY000) at line 1: Can't create database 'quickstart'; database exists"),
        ("drop database nosuch", "ERROR 1064 (HY000) at line 1: Can't drop database 'nosuch'; database doesn't exist"),
        ("use nosuch", "ERROR 5501 (3F000) at line 1: Unknown database 'nosuch'"),
        ("create table quickstart.site_clicks (a int)", "ERROR 1050 (42S01) at line 1: Table 'site_clicks' already exists"),
        ("create table nosuch.t (a int)", "ERROR 1064 (HY000) at line 1: Getting analyzing error. Detail message: Unknown database 'nosuch'."),
        ("create table quickstart.t (a int, b int) duplicate key(b)",
         "ERROR 1064 (HY000) at line 1: Getting analyzing error. Detail message: Key columns should be a ordered prefix of the schema."),
        ("create table quickstart.t (a int, b int sum) aggregate key(a) distributed by hash(a)", None),
        ("create table quickstart.t2 (a int sum, b int) aggregate key(a)",
         "ERROR 1064 (HY000) at line 1: Getting analyzing error. Detail message: Key column[a] should not specify aggregate type."),
        ("create table quickstart.t3 (a int, a int)", "ERROR 1060 (42S21) at line 1: Duplicate column name 'a'"),
        ("show tables", "ERROR 1046 (3D000) at line 1: No database selected"),
        ("desc quickstart.nosuch", "ERROR 5502 (42602) at line 1: Unknown table 'quickstart.nosuch'"),
        ("drop table quickstart.nosuch", "ERROR 5502 (42602) at line 1: Unknown table 'quickstart.nosuch'"),
        ("select 1 from", "ERROR 1064 (HY000) at line 1: Getting syntax error at line 1, column 13. Detail message: Unexpected input '<EOF>', the most similar input is {a legal identifier}."),
    ]
    for sql, expected in cases:
        rc, out, err = mysql(fe.port, sql + ";")
        if expected is None:
            assert rc == 0, (sql, err)
        else:
            assert err.strip().splitlines()[-1] == expected, sql


def test_if_exists_and_if_not_exists_are_quiet(fe):
    rc, _, err = mysql(fe.port, "CREATE DATABASE IF NOT EXISTS d; CREATE DATABASE IF NOT EXISTS d; "
                                "CREATE TABLE IF NOT EXISTS d.t (a int); CREATE TABLE IF NOT EXISTS d.t (a int); "
                                "DROP TABLE IF EXISTS d.nope; DROP DATABASE IF EXISTS nope; DROP TABLE d.t; DROP DATABASE d;")
    assert rc == 0, err
    assert mysql(fe.port, "SHOW DATABASES")[1].split() == ["Database", "information_schema"]


def test_catalog_survives_restart_and_kill_minus_9(fe):
    mysql(fe.port, SEEDS_DDL)
    fe.restart(signal.SIGTERM)
    assert "site_clicks" in mysql(fe.port, "SHOW TABLES FROM quickstart")[1]
    mysql(fe.port, "CREATE DATABASE after_restart; CREATE TABLE after_restart.t (k bigint NOT NULL, v string) PRIMARY KEY (k) DISTRIBUTED BY HASH(k);")
    fe.restart(signal.SIGKILL)
    rc, out, _ = mysql(fe.port, "SHOW DATABASES; DESC after_restart.t")
    assert "after_restart" in out and "k\tbigint\tNO\ttrue" in out
    rc, out, _ = mysql(fe.port, "SHOW CREATE TABLE example_db.sensor_log\\G")
    assert '`checked` boolean NOT NULL COMMENT "チェック済み"' in out


def test_information_schema_answers_browsing_queries(fe):
    mysql(fe.port, SEEDS_DDL)
    rc, out, err = mysql(fe.port, "SELECT TABLE_NAME, TABLE_TYPE, ENGINE FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = 'quickstart'")
    assert rc == 0, err
    assert out.split("\n")[1] == "site_clicks\tBASE TABLE\tStarRocks"
    rc, out, _ = mysql(fe.port, "SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY, COLUMN_COMMENT "
                                "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='quickstart' AND TABLE_NAME='site_clicks' ORDER BY ORDINAL_POSITION")
    assert out.split("\n")[1:4] == ["uid\t1\tbigint\tbigint(20)\tNO\tDUP\tuid", "site\t2\tvarchar\tvarchar(65533)\tNO\t\tsite url",
                                    "vtime\t3\tbigint\tbigint(20)\tNO\t\tvtime"]
    rc, out, _ = mysql(fe.port, "SELECT * FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='quickstart'")
    assert "def\tquickstart\tutf8mb4" in out
    rc, out, err = mysql(fe.port, "SHOW FULL TABLES FROM information_schema; USE information_schema; SHOW TABLES; DESC COLUMNS;")
    assert rc == 0, err
    assert "COLUMNS\tSYSTEM VIEW" in out
