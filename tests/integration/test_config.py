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


import os
import socket
import subprocess
import time

from conftest import BINARY, free_port

CN_BINARY = os.path.join(os.path.dirname(BINARY), "tributary-cn")


def start_and_fail(args, timeout=8):
    """Runs a binary that must refuse to start: returns (exit code, seconds taken, its output)."""
    t0 = time.time()
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, time.time() - t0, p.stdout + p.stderr


def test_an_http_port_in_use_stops_the_start_at_once_with_one_clear_line(tmp_path):
    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    taken.listen()
    port = taken.getsockname()[1]
    rc, took, out = start_and_fail([BINARY, "--meta-dir", str(tmp_path / "m"), "--query-port", str(free_port()), "--http-port", str(port)])
    assert rc != 0 and took < 3, (rc, took)
    assert f"cannot listen on http_port 0.0.0.0:{port}" in out and "Address already in use" in out, out
    taken.close()


def test_http_port_listens_on_bind_address_only(tmp_path):
    http = free_port()
    fe = FE(tmp_path / "meta", config=f"bind_address = 127.0.0.1\n")
    fe.http_port = http
    fe.config.write_text(FE.DEFAULT_CONFIG + f"http_port = {http}\nbind_address = 127.0.0.1\n")
    fe.start()
    try:
        socket.create_connection(("127.0.0.1", http), timeout=2).close()
        others = [a for a in subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split() if ":" not in a]
        for other in others[:1]:
            try:
                socket.create_connection((other, http), timeout=2).close()
                raise AssertionError(f"http_port answered on {other}")
            except OSError:
                pass
    finally:
        fe.stop()


def test_an_unwritable_meta_dir_is_named_in_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    args = [BINARY, "--meta-dir", str(locked / "meta"), "--query-port", str(free_port()), "--http-port", str(free_port())]
    if os.getuid() == 0:                                                     # root ignores modes: run as nobody
        args = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + args
        os.chmod(tmp_path, 0o755)
    rc, took, out = start_and_fail(args)
    assert rc != 0, out
    assert f"cannot create meta_dir {locked / 'meta'}: Permission denied" in out, out
    assert "SQLite error" not in out and "NSCocoaErrorDomain" not in out


def test_invalid_config_values_refuse_to_start(tmp_path):
    for line, message in [("query_port = abc", "query_port must be an integer from 0 to 65535, got 'abc'"),
                          ("enable_ssl = maybe", "enable_ssl must be true or false, got 'maybe'"),
                          ("max_failed_login_attempts = -1", "max_failed_login_attempts must be an integer")]:
        conf = tmp_path / "bad.conf"
        conf.write_text(f"# comment\n{line}\n")
        rc, _, out = start_and_fail([BINARY, "--config", str(conf), "--meta-dir", str(tmp_path / "m")])
        assert rc != 0 and f"fe.conf line 2: {message}" in out, out


def test_a_compute_node_without_the_cluster_token_refuses_to_start(tmp_path):
    rc, _, out = start_and_fail([CN_BINARY, "--port", str(free_port())], timeout=5)
    assert rc != 0 and "cluster_token is not set" in out, out
    conf = tmp_path / "cn.conf"
    conf.write_text("heartbeat_service_port = 0\n")
    rc, _, out = start_and_fail([CN_BINARY, "--config", str(conf)], timeout=5)
    assert rc != 0 and "cn.conf line 1: heartbeat_service_port must be a port number" in out, out
