import GRDB

/// The catalog schema, as append-only migrations. A shipped migration is never edited: add a new one.
/// Migrations use literal SQL, never application types.
enum CatalogMigrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("2026-11-create-databases-tables-users") { db in
            try db.execute(sql: """
                CREATE TABLE databases (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    properties TEXT NOT NULL DEFAULT '[]',
                    created_at REAL NOT NULL
                );
                CREATE TABLE tables (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    database_id INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    definition TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE (database_id, name)
                );
                CREATE TABLE users (
                    name TEXT NOT NULL,
                    host TEXT NOT NULL DEFAULT '%',
                    native_hash BLOB,
                    sha2_hash BLOB,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (name, host)
                );
                INSERT INTO users (name, host, created_at) VALUES ('root', '%', CAST(strftime('%s', 'now') AS REAL));
                -- StarRocks-like ids: user objects start above 10000.
                INSERT INTO sqlite_sequence (name, seq) VALUES ('databases', 10000), ('tables', 10000);
                """)
        }
        m.registerMigration("2026-11-transactions-manifest") { db in
            try db.execute(sql: """
                ALTER TABLE tables ADD COLUMN data_epoch INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE tables ADD COLUMN next_auto_increment INTEGER NOT NULL DEFAULT 1;
                CREATE TABLE transactions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    table_id INTEGER NOT NULL,
                    label TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('PREPARE', 'VISIBLE', 'ABORTED')),
                    segment TEXT,
                    row_count INTEGER NOT NULL DEFAULT 0,
                    reason TEXT,
                    created_at REAL NOT NULL,
                    finished_at REAL
                );
                CREATE INDEX transactions_state ON transactions(state);
                CREATE TABLE manifest (
                    table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
                    version INTEGER NOT NULL,
                    txn_id INTEGER NOT NULL REFERENCES transactions(id),
                    segment TEXT NOT NULL,
                    row_count INTEGER NOT NULL,
                    PRIMARY KEY (table_id, version)
                );
                INSERT INTO sqlite_sequence (name, seq) VALUES ('transactions', 1000);
                """)
        }
        m.registerMigration("2026-11-user-plugins-and-grants") { db in
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN plugin TEXT NOT NULL DEFAULT 'mysql_native_password';
                CREATE TABLE grants (
                    user TEXT NOT NULL,
                    host TEXT NOT NULL,
                    privilege TEXT NOT NULL,
                    scope TEXT NOT NULL CHECK (scope IN ('GLOBAL', 'DATABASE', 'TABLE')),
                    db TEXT NOT NULL DEFAULT '',
                    tbl TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (user, host, privilege, scope, db, tbl),
                    FOREIGN KEY (user, host) REFERENCES users(name, host) ON DELETE CASCADE
                );
                """)
        }
        m.registerMigration("2026-11-routine-load-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE routine_load_jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    database_name TEXT NOT NULL,
                    name TEXT NOT NULL,
                    state TEXT NOT NULL,
                    document TEXT NOT NULL
                );
                CREATE INDEX routine_load_jobs_db_name ON routine_load_jobs(database_name, name);
                INSERT INTO sqlite_sequence (name, seq) VALUES ('routine_load_jobs', 10000);
                """)
        }
        m.registerMigration("2026-11-compute-nodes") { db in
            try db.execute(sql: """
                CREATE TABLE compute_nodes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('COMPUTE NODE', 'BACKEND')),
                    host TEXT NOT NULL,
                    heartbeat_port INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE (host, heartbeat_port)
                );
                -- 10001 is the FE's embedded compute node.
                INSERT INTO sqlite_sequence (name, seq) VALUES ('compute_nodes', 10001);
                """)
        }
        m.registerMigration("2026-12-storage-volumes") { db in
            try db.execute(sql: """
                CREATE TABLE storage_volumes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    locations TEXT NOT NULL,
                    params TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    comment TEXT NOT NULL,
                    is_default INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );
                """)
        }
        m.registerMigration("2026-12-cluster-identity") { db in
            try db.execute(sql: "CREATE TABLE cluster_identity (id INTEGER PRIMARY KEY CHECK (id = 1), cluster_id TEXT NOT NULL)")
        }
        return m
    }
}
