#ifndef GAZETTE_CSQLITE_SHIM_H
#define GAZETTE_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast expression Swift cannot import. */
static inline sqlite3_destructor_type gazette_sqlite_transient(void) { return SQLITE_TRANSIENT; }

/* Extended result codes are (code | n<<8) expressions, which Swift does not import. */
static inline int gazette_sqlite_ioerr_short_read(void) { return SQLITE_IOERR_SHORT_READ; }
#endif
