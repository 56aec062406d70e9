"""Connect-time and browsing queries that DBeaver (Connector/J), MySQL Workbench, MariaDB Connector/J
and mycli send (reference mysql_clients.md §3), replayed verbatim: every one must succeed."""
import pymysql

from conftest import SEEDS_DDL, mysql

CONNECTOR_J = (
    "/* mysql-connector-j-9.1.0 (Revision: 0000) */SELECT  @@session.auto_increment_increment AS auto_increment_increment, "
    "@@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, "
    "@@character_set_results AS character_set_results, @@character_set_server AS character_set_server, "
    "@@collation_server AS collation_server, @@collation_connection AS collation_connection, @@init_connect AS init_connect, "
    "@@interactive_timeout AS interactive_timeout, @@license AS license, @@lower_case_table_names AS lower_case_table_names, "
    "@@max_allowed_packet AS max_allowed_packet, @@net_write_timeout AS net_write_timeout, @@performance_schema AS performance_schema, "
    "@@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, "
    "@@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout"
)

QUERIES = [
    CONNECTOR_J,
    "SET character_set_results = NULL",
    "SET autocommit=1",
    "SELECT @@session.transaction_isolation",
    "SELECT @@session.transaction_read_only",
    "/* ApplicationName=DBeaver 24.2.0 - Metadata */ SHOW ENGINES",
    "SHOW CHARSET",
    "SHOW COLLATION",
    "SELECT @@GLOBAL.character_set_server,@@GLOBAL.collation_server",
    "SHOW PLUGINS",
    "SHOW VARIABLES LIKE 'lower_case_table_names'",
    "show databases",
    "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA",
    "SELECT * FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = 'information_schema' AND t.TABLE_NAME = 'CHECK_CONSTRAINTS'",
    "SELECT DATABASE()",
    "SHOW FULL TABLES FROM `example_db`",
    "SHOW FULL TABLES FROM `example_db` WHERE `Tables_in_example_db` LIKE 'example%'",
    "SHOW TABLE STATUS FROM `example_db` LIKE 'example_tbl1'",
    "SHOW TABLE STATUS FROM `example_db`",
    "SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='example_db' AND TABLE_NAME='example_tbl1' ORDER BY ORDINAL_POSITION",
    "SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='example_db' AND TABLE_NAME='example_tbl1' ORDER BY TABLE_NAME,INDEX_NAME,SEQ_IN_INDEX",
    "SELECT kc.CONSTRAINT_NAME,kc.TABLE_NAME,kc.COLUMN_NAME,kc.ORDINAL_POSITION FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE kc "
    "WHERE kc.TABLE_SCHEMA='example_db' AND kc.REFERENCED_TABLE_NAME IS NULL AND kc.TABLE_NAME='example_tbl1' "
    "ORDER BY kc.CONSTRAINT_NAME,kc.ORDINAL_POSITION",
    "SELECT * FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='example_db'",
    "SELECT * FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='example_db'",
    "SELECT * FROM information_schema.EVENTS WHERE EVENT_SCHEMA='example_db'",
    "SELECT * FROM information_schema.VIEWS WHERE TABLE_SCHEMA='example_db'",
    "SELECT * FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='example_db'",
    "SELECT table_schema, SUM(data_length + index_length) FROM information_schema.TABLES GROUP BY table_schema",
    "SHOW CREATE TABLE `example_db`.`example_tbl1`",
    "SELECT * FROM `example_db`.`example_tbl1`\nLIMIT 0, 200",
    "SHOW GLOBAL STATUS",
    "SHOW GLOBAL VARIABLES",
    # MySQL Workbench
    "SET CHARACTER SET utf8",
    "SET NAMES utf8",
    "SET SQL_SAFE_UPDATES=1",
    "SELECT CONNECTION_ID()",
    "SHOW SESSION STATUS LIKE 'Ssl_cipher'",
    "SHOW SESSION VARIABLES LIKE 'sql_mode'",
    "SHOW SESSION VARIABLES LIKE 'version_comment'",
    "SHOW SESSION VARIABLES LIKE 'version'",
    "SHOW SESSION VARIABLES LIKE 'version_compile_os'",
    "SHOW SESSION VARIABLES LIKE 'offline_mode'",
    "SET @@SESSION.wait_timeout=3600",
    "SET @@sql_mode=concat(@@sql_mode, ',ANSI_QUOTES')",
    "SELECT current_user()",
    "SHOW FULL COLUMNS FROM `example_db`.`example_tbl1`",
    "SHOW INDEX FROM `example_db`.`example_tbl1`",
    "SHOW TRIGGERS FROM `example_db` LIKE 'example_tbl1'",
    "SHOW PROCEDURE STATUS WHERE Db='example_db'",
    "SHOW FUNCTION STATUS WHERE Db='example_db'",
    "SELECT DEFINER, SECURITY_TYPE, VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA = 'example_db' AND TABLE_NAME = 'x'",
    "SHOW CREATE SCHEMA `example_db`",
    # MariaDB Connector/J
    "set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')",
    "SELECT @@max_allowed_packet,@@system_time_zone,@@time_zone,@@auto_increment_increment",
    "SHOW VARIABLES WHERE Variable_name in ('max_allowed_packet','system_time_zone','time_zone','auto_increment_increment')",
    "select @@innodb_read_only",
    "select @@lower_case_table_names",
    # DataGrip / Django probes
    "SELECT @@default_storage_engine, @@default_tmp_storage_engine",
    "SELECT @@SQL_AUTO_IS_NULL",
    "SELECT @@event_scheduler",
    # mycli
    "SELECT DISTINCT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'example_db' AND SEQ_IN_INDEX = 1",
    "select TABLE_NAME, COLUMN_NAME, COLUMN_TYPE from information_schema.columns where table_schema = 'example_db' and data_type = 'enum'",
    "SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
    "WHERE TABLE_SCHEMA = 'example_db' AND REFERENCED_TABLE_NAME IS NOT NULL",
    "SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_TYPE=\"FUNCTION\" AND ROUTINE_SCHEMA = 'example_db'",
    "SHOW CHARACTER SET",
    "SELECT NOW()",
]


def test_every_client_query_succeeds(fe):
    assert mysql(fe.port, SEEDS_DDL)[0] == 0
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root", database="example_db")
    cur = c.cursor()
    failures = []
    for q in QUERIES:
        try:
            cur.execute(q)
            cur.fetchall()
        except pymysql.MySQLError as e:
            failures.append((q[:80], e.args))
    assert not failures


def test_connector_j_variables_have_the_types_drivers_parse(fe):
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root")
    cur = c.cursor(pymysql.cursors.DictCursor)
    cur.execute(CONNECTOR_J)
    row = cur.fetchone()
    assert row["auto_increment_increment"] == 1 and row["max_allowed_packet"] == 67108864
    assert row["transaction_isolation"] == "REPEATABLE-READ"
    assert row["character_set_client"] == "utf8mb4" and row["lower_case_table_names"] == 0
    assert "STRICT_TRANS_TABLES" in row["sql_mode"]


def test_result_columns_name_their_table_for_editors(fe):
    mysql(fe.port, SEEDS_DDL)
    c = pymysql.connect(host="127.0.0.1", port=fe.port, user="root")
    cur = c.cursor()
    cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'quickstart'")
    assert cur.fetchall() == (("site_clicks",),)
    field = cur._result.fields[0]
    db = field.db.decode() if isinstance(field.db, bytes) else field.db
    assert (db, field.table_name, field.org_table, field.org_name) == ("information_schema", "TABLES", "TABLES", "TABLE_NAME")
