/// The store's schema, as a list of migrations. `PRAGMA user_version` holds the number of migrations applied;
/// `PRAGMA application_id` marks the file as Gazette's.
///
/// To grow the schema, append a migration (never edit a shipped one). Each runs in its own transaction with
/// the `user_version` bump, so a crash leaves the file at the old or the new version, never in between.
///
/// Encodings: a post id is its 64 bits as a signed INTEGER (`Int64(bitPattern:)`; SQLite's
/// `printf('%016x', post_id)` shows the id `gazette list` prints); times are INTEGER milliseconds since 1970.
enum Schema {
    /// "Gazt": tells a Gazette store from other SQLite files.
    static let applicationID: Int32 = 0x4761_7A74

    struct Migration: Sendable {
        var version: Int
        var sql: String
    }

    static let migrations: [Migration] = [
        Migration(version: 1, sql: """
            -- Read marks: one row per post ever marked. read = 0 keeps the time it was marked unread.
            CREATE TABLE read_mark (
                post_id    INTEGER PRIMARY KEY,
                read       INTEGER NOT NULL CHECK (read IN (0, 1)),
                changed_at INTEGER NOT NULL
            );
            -- Undo journal: one group per setRead call that changed something ...
            CREATE TABLE undo_group (
                id      INTEGER PRIMARY KEY,
                made_at INTEGER NOT NULL
            );
            -- ... and the state each changed post had before it (prev_read NULL: it had no mark).
            CREATE TABLE undo_entry (
                group_id        INTEGER NOT NULL REFERENCES undo_group (id),
                seq             INTEGER NOT NULL,
                post_id         INTEGER NOT NULL,
                prev_read       INTEGER CHECK (prev_read IN (0, 1)),
                prev_changed_at INTEGER,
                PRIMARY KEY (group_id, seq)
            ) WITHOUT ROWID;
            -- Where the reader left each post.
            CREATE TABLE reading_position (
                post_id    INTEGER PRIMARY KEY,
                block      INTEGER NOT NULL,
                line       INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            -- Session settings: last selection, layout, ...
            CREATE TABLE setting (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        Migration(version: 2, sql: """
            -- The ids of every post seen in earlier sessions, as one blob of sorted little-endian UInt64s
            -- (800 KB for 100,000 posts: one read and one write per session, no per-post rows).
            CREATE TABLE seen_posts (
                id  INTEGER PRIMARY KEY CHECK (id = 1),
                ids BLOB NOT NULL
            );
            """),
    ]

    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Brings `database` from its `user_version` to the last of `migrations`, one transaction per migration.
    ///
    /// The version is read again inside each transaction: another process may have migrated in between.
    static func migrate(_ database: Database, migrations: [Migration] = Schema.migrations) throws {
        for migration in migrations {
            try database.writeTransaction {
                let current = Int(try database.scalarInt("PRAGMA user_version") ?? 0)
                guard current < migration.version else { return }
                try database.execute(migration.sql)
                try database.execute("PRAGMA application_id = \(applicationID)")
                try database.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
