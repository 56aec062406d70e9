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
        return m
    }
}
