#ifndef GAZETTE_CSQLITE_SHIM_H
#define GAZETTE_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast expression Swift cannot import. */
static inline sqlite3_destructor_type gazette_sqlite_transient(void) { return SQLITE_TRANSIENT; }

/* Extended result codes are (code | n<<8) expressions, which Swift does not import. */
static inline int gazette_sqlite_ioerr_short_read(void) { return SQLITE_IOERR_SHORT_READ; }

/* sqlite3_db_config is variadic, which Swift cannot call: SQLITE_DBCONFIG_RESET_DATABASE on (1) or off (0),
   used with VACUUM to empty a damaged search index in place. */
static inline int gazette_sqlite_reset_database(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_RESET_DATABASE, on, (int *)0);
}
#endif
