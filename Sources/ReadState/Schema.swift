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
        Migration(version: 3, sql: """
            -- Subscriptions (issue 12): one row per fetched feed, with what its last fetches taught. Times in
            -- milliseconds; `error_since` is the first failure after the last success (NULL while it succeeds).
            CREATE TABLE feed (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                url           TEXT NOT NULL UNIQUE,
                title         TEXT,
                site_link     TEXT,
                etag          TEXT,
                last_modified TEXT,
                fetched_at    INTEGER,
                succeeded_at  INTEGER,
                status        INTEGER,
                error         TEXT,
                error_since   INTEGER,
                not_before    INTEGER,
                gone          INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
                backfill      TEXT,
                added_at      INTEGER NOT NULL
            );
            -- Every item ever fetched (an archive: an item that leaves its feed stays), keyed by its post id
            -- (post_id, as in read_mark, so a mark survives any change of the item). Rows are numbered in the
            -- order they were stored (id): new items of a fetch are appended to the table's end instead of being
            -- spread over random pages by their post ids (with post_id as the key, storing 100 feeds of 100
            -- items took three times as long, and filling 100,000 items more than twice as long). sort_time,
            -- published and updated are in SECONDS (feed dates): sort_time is published, else updated, else
            -- first_seen; first_seen and changed_at are milliseconds. `read` mirrors read_mark (the triggers below)
            -- so that unread counts come from an index alone. The list's columns come first and the body last:
            -- reading a row's head never touches the overflow pages of a long content.
            CREATE TABLE item (
                id           INTEGER PRIMARY KEY,
                post_id      INTEGER NOT NULL UNIQUE,
                feed_id      INTEGER NOT NULL,
                sort_time    INTEGER NOT NULL,
                read         INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
                title        TEXT NOT NULL,
                author       TEXT,
                published    INTEGER,
                updated      INTEGER,
                first_seen   INTEGER NOT NULL,
                changed_at   INTEGER NOT NULL,
                guid         TEXT,
                link         TEXT,
                content_type INTEGER NOT NULL,
                content_base TEXT,
                extra        BLOB NOT NULL,
                content      TEXT NOT NULL
            );
            -- The list, newest first: a covering index, so that ORDER BY sort_time DESC, post_id DESC LIMIT n
            -- reads n index entries and no table row, without a sort.
            CREATE INDEX item_order ON item (sort_time, post_id, feed_id, title, author);
            -- A feed's items and their read flags: counts per feed without touching the table; removal.
            CREATE INDEX item_feed ON item (feed_id, read);
            -- item.read follows every change of read_mark, whoever writes it (a mark for a post that is not an
            -- item, such as an archive's, finds no row and costs one index probe).
            CREATE TRIGGER read_mark_inserted AFTER INSERT ON read_mark BEGIN
                UPDATE item SET read = NEW.read WHERE post_id = NEW.post_id;
            END;
            CREATE TRIGGER read_mark_updated AFTER UPDATE ON read_mark BEGIN
                UPDATE item SET read = 0 WHERE post_id = OLD.post_id AND OLD.post_id IS NOT NEW.post_id;
                UPDATE item SET read = NEW.read WHERE post_id = NEW.post_id;
            END;
            CREATE TRIGGER read_mark_deleted AFTER DELETE ON read_mark BEGIN
                UPDATE item SET read = 0 WHERE post_id = OLD.post_id;
            END;
            """),
        Migration(version: 4, sql: """
            -- A counter of read-mark changes, kept by triggers whoever writes: a reader that sees the file change
            -- (PRAGMA data_version) reloads the marks only when they changed, not after every write of a fetch.
            CREATE TABLE mark_version (
                id      INTEGER PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL
            );
            INSERT INTO mark_version VALUES (1, 0);
            CREATE TRIGGER mark_version_inserted AFTER INSERT ON read_mark BEGIN
                UPDATE mark_version SET version = version + 1;
            END;
            CREATE TRIGGER mark_version_updated AFTER UPDATE ON read_mark BEGIN
                UPDATE mark_version SET version = version + 1;
            END;
            CREATE TRIGGER mark_version_deleted AFTER DELETE ON read_mark BEGIN
                UPDATE mark_version SET version = version + 1;
            END;
            """),
        Migration(version: 5, sql: """
            -- A feed's items by their own id (guid): an item stored under another post id (an import from
            -- newsboat, a feed whose self link changed) is found again and updated instead of stored twice.
            CREATE INDEX item_guid ON item (feed_id, guid);
            """),
        Migration(version: 6, sql: """
            -- Sync with a feed server (issue 15, Tiny Tiny RSS). One server per store: `sync_server` says which
            -- (its URL and login; never a password or a session id), how far the last sync got (the highest
            -- article id stored) and how the last attempt ended. `applying` is 1 only inside the sync's own
            -- transaction, while it writes the server's marks: the triggers below then queue nothing.
            CREATE TABLE sync_server (
                id              INTEGER PRIMARY KEY CHECK (id = 1),
                url             TEXT NOT NULL,
                login           TEXT NOT NULL,
                last_article_id INTEGER NOT NULL DEFAULT 0,
                synced_at       INTEGER,
                attempted_at    INTEGER,
                error           TEXT,
                applying        INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))
            );
            -- The server's categories (their titles are the tags of its feeds) and feeds (each a row of `feed`).
            CREATE TABLE sync_category (
                remote_id INTEGER PRIMARY KEY,
                title     TEXT NOT NULL
            );
            CREATE TABLE sync_feed (
                remote_id   INTEGER PRIMARY KEY,
                feed_id     INTEGER NOT NULL UNIQUE,
                category_id INTEGER,
                feed_url    TEXT
            );
            -- Every article stored: its post id, its feed, and whether the server had it unread at the last sync
            -- (what a change on the server is told by).
            CREATE TABLE sync_article (
                article_id     INTEGER PRIMARY KEY,
                post_id        INTEGER NOT NULL UNIQUE,
                remote_feed_id INTEGER NOT NULL,
                server_unread  INTEGER NOT NULL CHECK (server_unread IN (0, 1))
            );
            CREATE INDEX sync_article_feed ON sync_article (remote_feed_id, server_unread);
            -- Marks made in Gazette on synced posts, in the order they were made, until the server took them. Fed
            -- by triggers on read_mark, whoever writes it (the reader, `gazette mark`, an undo, an import); made_at
            -- is when the change was made (an undo restores an older changed_at: the queue keeps the undo's time).
            CREATE TABLE sync_queue (
                seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                article_id INTEGER NOT NULL,
                read       INTEGER NOT NULL CHECK (read IN (0, 1)),
                made_at    INTEGER NOT NULL
            );
            CREATE TRIGGER sync_queue_mark_inserted AFTER INSERT ON read_mark
            WHEN coalesce((SELECT applying FROM sync_server WHERE id = 1), 1) = 0 BEGIN
                INSERT INTO sync_queue (article_id, read, made_at)
                SELECT article_id, NEW.read, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
                FROM sync_article WHERE post_id = NEW.post_id;
            END;
            CREATE TRIGGER sync_queue_mark_updated AFTER UPDATE ON read_mark
            WHEN OLD.read IS NOT NEW.read AND coalesce((SELECT applying FROM sync_server WHERE id = 1), 1) = 0 BEGIN
                INSERT INTO sync_queue (article_id, read, made_at)
                SELECT article_id, NEW.read, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
                FROM sync_article WHERE post_id = NEW.post_id;
            END;
            CREATE TRIGGER sync_queue_mark_deleted AFTER DELETE ON read_mark
            WHEN OLD.read = 1 AND coalesce((SELECT applying FROM sync_server WHERE id = 1), 1) = 0 BEGIN
                INSERT INTO sync_queue (article_id, read, made_at)
                SELECT article_id, 0, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
                FROM sync_article WHERE post_id = OLD.post_id;
            END;
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
