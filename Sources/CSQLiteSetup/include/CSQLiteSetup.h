#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Process-wide SQLite settings that only C can make (sqlite3_config is variadic). Call before the first connection
/// opens; returns 0 (SQLITE_OK) or SQLite's error code (SQLITE_MISUSE once SQLite is already initialized).
int tributary_sqlite_configure(void);

#endif
