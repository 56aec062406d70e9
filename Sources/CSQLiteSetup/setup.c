// CSQLiteSetup: process-wide SQLite configuration for the daemons (see Storage's SQLiteTuning).
#include <sqlite3.h>
#include "CSQLiteSetup.h"

int tributary_sqlite_configure(void) {
    // Without memory statistics, SQLite's allocator takes no process-wide mutex on every malloc and free; nothing here
    // reads sqlite3_memory_used, and the query memory budget is counted by the query engine itself.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
