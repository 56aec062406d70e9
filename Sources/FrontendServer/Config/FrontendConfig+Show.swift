/// The settings as `ADMIN SHOW FRONTEND CONFIG` lists them: every fe.conf key Tributary reads, with the value in
/// effect (secrets masked), the Java-style type StarRocks prints, and what it does. `run_mode` is shown as StarRocks
/// shows it, so clients that ask (the starrocks SQLAlchemy dialect) learn the cluster's mode.
extension FrontendConfig {
    public struct ShownEntry: Equatable, Sendable {
        public var key: String, value: String, type: String, comment: String
    }

    public var shownEntries: [ShownEntry] {
        func e(_ key: String, _ value: String, _ type: String, _ comment: String) -> ShownEntry {
            ShownEntry(key: key, value: value, type: type, comment: comment)
        }
        return [
            e("bind_address", bindAddress, "String", "address the query and HTTP ports listen on"),
            e("cluster_token", "******", "String", "secret that signs the FE's requests to compute nodes"),
            e("connect_timeout_second", String(connectTimeoutSeconds), "int", "seconds a client has to log in"),
            e("embedded_compute_node", String(embeddedComputeNode), "boolean", "run a compute node inside the FE"),
            e("enable_ssl", String(enableSSL), "boolean", "offer TLS to MySQL clients"),
            e("heartbeat_timeout_second", String(heartbeatIntervalSeconds), "int", "seconds between heartbeats to compute nodes"),
            e("http_allowed_hosts", httpAllowedHosts.joined(separator: ","), "String", "host names the dashboard answers besides IPs and localhost"),
            e("http_dashboard", String(httpDashboard), "boolean", "serve the web dashboard on http_port"),
            e("http_dashboard_operations", String(httpDashboardOperations), "boolean", "PAUSE/RESUME from the dashboard for users allowed to"),
            e("http_port", String(httpPort), "int", "HTTP port (dashboard, /metrics, /api/health, error logs)"),
            e("http_remote_basic_auth", String(httpRemoteBasicAuth), "boolean", "accept HTTP credentials from hosts other than loopback"),
            e("max_failed_login_attempts", String(maxFailedLoginAttempts), "int", "failed logins in a row before a user is locked out of a host"),
            e("max_routine_load_batch_size", String(maxRoutineLoadBatchSize), "long", "bytes one routine-load task consumes at most"),
            e("max_routine_load_task_concurrent_num", String(maxRoutineLoadTaskConcurrentNum), "int", "tasks per routine-load job at most"),
            e("max_routine_load_task_num_per_be", String(maxRoutineLoadTaskNumPerBe), "int", "task slots per compute node"),
            e("meta_dir", metaDir, "String", "catalog directory"),
            e("metrics_require_auth", String(metricsRequireAuth), "boolean", "/metrics asks for MySQL credentials"),
            e("mysql_server_version", mysqlServerVersion, "String", "version in the greeting and @@version"),
            e("password_lock_interval_seconds", String(passwordLockIntervalSeconds), "int", "seconds a locked-out user waits"),
            e("qe_max_connection", String(qeMaxConnection), "int", "client connections at most"),
            e("query_port", String(queryPort), "int", "MySQL protocol port"),
            e("routine_load_scheduler_interval_second", String(routineLoadSchedulerIntervalSeconds), "int", "seconds between scheduler rounds (partition discovery, lag refresh)"),
            e("routine_load_unstable_threshold_second", String(routineLoadUnstableThresholdSecond), "int", "RUNNING jobs lagging longer show UNSTABLE"),
            e("run_mode", sharedData.runMode, "String", "storage mode"),
            e("shutdown_grace_second", String(shutdownGraceSeconds), "int", "seconds SIGTERM waits for running tasks"),
            e("ssl_cert_path", sslCertPath, "String", "TLS certificate (empty: self-signed in meta_dir/tls)"),
            e("ssl_key_path", sslKeyPath, "String", "TLS key (empty: self-signed in meta_dir/tls)"),
            e("storage_root_path", volumeRoot, "String", "directory of the builtin storage volume"),
            e("sys_log_level", sysLogLevel, "String", "log level"),
        ]
    }
}
