"""fe.conf is read at start: StarRocks keys, warnings for ignored and unknown keys, overrides."""
from conftest import FE, mysql


def test_fe_conf_warnings_and_values(tmp_path):
    conf = "# StarRocks style\npriority_networks = 10.0.0.0/8\nno_such_key = 1\nsys_log_level = INFO\nmysql_server_version = 8.0.33\n"
    fe = FE(tmp_path / "meta", config=conf).start()
    try:
        assert mysql(fe.port, "select 1")[0] == 0
        logs = fe.logs()
        assert "priority_networks is ignored" in logs
        assert "unknown key 'no_such_key' ignored" in logs
        assert f"listening on 0.0.0.0:{fe.port}" in logs
        assert (tmp_path / "meta" / "catalog.sqlite").exists()
    finally:
        fe.stop()
