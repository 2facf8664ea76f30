/// A real Tiny Tiny RSS for the sync tests and the benchmark (issue 15): Debian's `tt-rss` (21, API level 15) on PHP
/// 8.2's built-in server and a throwaway PostgreSQL 15 cluster, all on free 127.0.0.1 ports and in one temporary
/// folder, so nothing under /etc or /var changes and nothing is left behind.
///
/// - The cluster: `initdb -A trust` in the folder (as the `postgres` user when the tests run as root: PostgreSQL
///   refuses to run as root), its socket directory inside the cluster's own folder, fsync off (a test database).
/// - The schema: `/usr/share/tt-rss/schema/ttrss_schema_pgsql.sql`, whose user is `admin` / `password`; API access
///   enabled for it (`ENABLE_API_ACCESS` in `ttrss_user_prefs`).
/// - The web root: a copy of `/usr/share/tt-rss/www` (PHP resolves symbolic links, so a linked tree would read the
///   package's `config.php` from /etc/tt-rss) with its own `config.php`; the package's own links into /usr/share
///   (dojo, php-gettext…) are made absolute so that they still resolve from the copy.
/// - `php -S 127.0.0.1:PORT` with `PHP_CLI_SERVER_WORKERS` workers, in its own process group (Foundation's Process
///   starts every child as the leader of a new group; php's workers inherit it), stopped group and all.
///
/// Tiny Tiny RSS refuses to fetch feeds from loopback addresses by design, so feeds and articles are put into its
/// database with SQL (`addCategory`, `addFeed`, `addArticles`); the API then serves them like any others.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class TTRSSServer: @unchecked Sendable {
    /// The port `php -S` listens on (127.0.0.1); the same after `stopPHP()` / `startPHP()`.
    public let port: Int
    /// The port of the PostgreSQL cluster (127.0.0.1).
    public let databasePort: Int
    /// The temporary folder: `pg/` (the cluster), `www/` (the web root), `cache/`, `lock/`, the logs.
    public let directory: String
    /// How many workers `php -S` forks (`PHP_CLI_SERVER_WORKERS`).
    public let workers: Int
    /// Seconds `init` took, from nothing to an API that answers (for reports and the benchmark).
    public let startupSeconds: Double

    /// The schema's user and its password.
    public static let user = "admin"
    public static let defaultPassword = "password"
    /// The name of the database in the cluster.
    public static let databaseName = "ttrss"

    /// `http://127.0.0.1:PORT/` — what a user puts in `set ttrss-url`.
    public var baseURL: String { "http://127.0.0.1:\(port)/" }
    /// `http://127.0.0.1:PORT/api/` — where the JSON API is.
    public var apiURL: String { baseURL + "api/" }

    private let state = Locked(State())
    private let paths: Paths

    private struct State {
        var php: Process?
        var postgres: Process?
        var stopped = false
        var batches = 0
    }

    struct Paths {
        var cluster: String { "\(root)/pg" }
        var data: String { "\(root)/pg/data" }
        var web: String { "\(root)/www" }
        var phpLog: String { "\(root)/php.log" }
        var postgresLog: String { "\(root)/postgres.log" }
        let root: String
    }

    // MARK: - What is installed

    static let postgresBin = "/usr/lib/postgresql/15/bin"
    static let packageRoot = "/usr/share/tt-rss/www"
    static let schema = "/usr/share/tt-rss/schema/ttrss_schema_pgsql.sql"
    static let php: String? = Tool.find("php", candidates: ["/usr/bin/php8.2", "/usr/bin/php"])
    static let setpriv: String? = Tool.find("setpriv", candidates: ["/usr/bin/setpriv"])

    /// Why the server cannot run here (with the command that fixes it), or nil when everything is installed.
    public static var missing: String? {
        let manager = FileManager.default
        var packages: [String] = []
        if !manager.fileExists(atPath: "\(packageRoot)/api/index.php") || !manager.fileExists(atPath: schema) {
            packages.append("tt-rss")
        }
        if php == nil { packages.append("php-cli") }
        if !manager.isExecutableFile(atPath: "\(postgresBin)/initdb") { packages.append("postgresql-15") }
        if php != nil, !phpHasModules() { packages += ["php-pgsql", "php-intl", "php-mbstring", "php-xml"] }
        if geteuid() == 0 && setpriv == nil { packages.append("util-linux") }
        guard !packages.isEmpty else { return nil }
        return "Tiny Tiny RSS cannot run here: missing packages (Debian: apt-get install -y --no-install-recommends "
            + packages.joined(separator: " ") + ")"
    }

    /// Whether everything the server needs is installed.
    public static var isInstalled: Bool { missing == nil }

    private static func phpHasModules() -> Bool {
        guard let php, let result = try? Tool.run(php, ["-m"]), result.status == 0 else { return false }
        let modules = Set(String(decoding: result.output, as: UTF8.self).split(separator: "\n").map { $0.lowercased() })
        return ["pgsql", "pdo_pgsql", "intl", "mbstring", "xml"].allSatisfy { modules.contains($0) }
    }

    // MARK: - Starting and stopping

    /// Starts a cluster, loads the schema, writes the web root and starts `php -S`; returns once the API answers.
    /// `workers`: `PHP_CLI_SERVER_WORKERS` (requests served at a time).
    public init(workers: Int = 2) throws {
        if let missing = Self.missing { throw TestServerError(missing) }
        let started = Date()
        let root = try Temporary.folder("gazette-ttrss")
        let paths = Paths(root: root)
        self.paths = paths
        self.directory = root
        self.workers = max(1, workers)
        var postgresProcess: Process?
        var phpProcess: Process?
        do {
            // The postgres user must be able to reach its folder inside ours.
            chmod(root, 0o755)
            let postgres = try Self.startPostgres(paths: paths)
            postgresProcess = postgres.process
            try Self.loadSchema(paths: paths, databasePort: postgres.port)
            try Self.makeWebRoot(paths: paths)
            let port = try Loopback.freePort(excluding: [postgres.port])
            try Self.writeConfiguration(paths: paths, port: port, databasePort: postgres.port)
            phpProcess = try Self.launchPHP(paths: paths, port: port, workers: self.workers)
            self.port = port
            self.databasePort = postgres.port
        } catch {
            // Whatever did start is stopped, and the folder removed.
            if let phpProcess { Self.terminateGroup(phpProcess) }
            if let postgresProcess { Self.terminatePostgres(postgresProcess) }
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
        state.withLock { state in
            state.php = phpProcess
            state.postgres = postgresProcess
        }
        startupSeconds = Date().timeIntervalSince(started)
    }

    deinit {
        stop()
    }

    /// Stops PHP (its whole process group) and PostgreSQL (an immediate shutdown: it is thrown away), and removes
    /// the folder. Idempotent; also done when the server is released.
    public func stop() {
        let processes: (Process?, Process?)? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.stopped = true
            defer { state.php = nil; state.postgres = nil }
            return (state.php, state.postgres)
        }
        guard let processes else { return }
        if let php = processes.0 { Self.terminateGroup(php) }
        if let postgres = processes.1 { Self.terminatePostgres(postgres) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops `php -S` only: the API's port then refuses connections (a server that is down) while the database
    /// keeps its state. `startPHP()` brings it back on the same port.
    public func stopPHP() {
        let php: Process? = state.withLock { state in
            defer { state.php = nil }
            return state.php
        }
        if let php { Self.terminateGroup(php) }
    }

    /// Starts `php -S` on `port` (again) and returns once the API answers. Does nothing when it is running.
    public func startPHP() throws {
        try state.withLock { state in
            guard !state.stopped else { throw TestServerError("the Tiny Tiny RSS server was stopped") }
            if let php = state.php, php.isRunning { return }
            state.php = try Self.launchPHP(paths: paths, port: port, workers: workers)
        }
    }

    /// Whether `php -S` is running (between `stopPHP()` and `startPHP()` it is not).
    public var isPHPRunning: Bool {
        state.withLock { $0.php?.isRunning ?? false }
    }

    /// The pid of `php -S` (also its process group), nil while it is stopped.
    public var phpProcessIdentifier: Int32? {
        state.withLock { state in state.php.flatMap { $0.isRunning ? $0.processIdentifier : nil } }
    }

    /// The pid of the postmaster, nil once stopped.
    public var databaseProcessIdentifier: Int32? {
        state.withLock { state in state.postgres.flatMap { $0.isRunning ? $0.processIdentifier : nil } }
    }

    /// What PHP wrote (its access lines, warnings and errors), for a failing test's message.
    public func phpLog() -> String {
        (FileManager.default.contents(atPath: paths.phpLog)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    // MARK: - PostgreSQL

    private static var runsAsRoot: Bool { geteuid() == 0 }

    /// The arguments that run `command` as the postgres user when we are root (setpriv execs: the process we start
    /// is the command itself), else the command as it is.
    private static func asPostgres(_ command: [String]) -> (String, [String]) {
        if runsAsRoot, let setpriv {
            return (setpriv, ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"] + command)
        }
        return (command[0], Array(command.dropFirst()))
    }

    private static func startPostgres(paths: Paths) throws -> (process: Process, port: Int) {
        let manager = FileManager.default
        try manager.createDirectory(atPath: paths.cluster, withIntermediateDirectories: true)
        if runsAsRoot {
            guard let user = getpwnam("postgres") else {
                throw TestServerError("no postgres user (Debian: apt-get install -y postgresql-15)")
            }
            guard chown(paths.cluster, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw TestServerError("chown \(paths.cluster): \(String(cString: strerror(errno)))")
            }
        }
        chmod(paths.cluster, 0o700)
        let initdb = asPostgres(["\(postgresBin)/initdb", "-D", paths.data, "-A", "trust", "-U", "postgres",
                                 "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        try Tool.check(initdb.0, initdb.1)

        var lastError = ""
        for _ in 0..<5 {
            let port = try Loopback.freePort()
            let command = asPostgres(["\(postgresBin)/postgres", "-D", paths.data, "-k", paths.cluster,
                                      "-h", "127.0.0.1", "-p", String(port), "-c", "fsync=off",
                                      "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                                      "-c", "timezone=UTC", "-c", "max_connections=40"])
            let process = try launch(command.0, command.1, log: paths.postgresLog, environment: nil)
            Reaper.add(process.processIdentifier, group: false)
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline, process.isRunning {
                if let result = try? Tool.run("\(postgresBin)/psql", psqlArguments(port: port, database: "postgres")
                                                  + ["-c", "select 1"]), result.status == 0 {
                    return (process, port)
                }
                usleep(20_000)
            }
            terminatePostgres(process)
            lastError = (manager.contents(atPath: paths.postgresLog)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if !lastError.contains("could not bind") && !lastError.contains("already in use") { break }
        }
        throw TestServerError("PostgreSQL did not start; its log:\n\(lastError)")
    }

    private static func psqlArguments(port: Int, database: String) -> [String] {
        ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
         "-d", database]
    }

    private static func loadSchema(paths: Paths, databasePort: Int) throws {
        let psql = "\(postgresBin)/psql"
        try Tool.check(psql, psqlArguments(port: databasePort, database: "postgres")
                       + ["-c", "create database \(databaseName)"])
        try Tool.check(psql, psqlArguments(port: databasePort, database: databaseName)
                       + ["-c", "set client_min_messages = warning", "-f", schema,
                          "-c", "insert into ttrss_user_prefs (owner_uid, pref_name, value) "
                                + "values (1, 'ENABLE_API_ACCESS', 'true')"])
    }

    // MARK: - The web root and PHP

    /// Copies the package's web root: files are copied, the package's own symbolic links are made absolute (they
    /// are relative to /usr/share/tt-rss/www), `config.php` and `feed-icons` (links into /etc and /var) are left out.
    private static func makeWebRoot(paths: Paths) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: paths.web, withIntermediateDirectories: true)
        guard let walker = manager.enumerator(atPath: packageRoot) else {
            throw TestServerError("cannot read \(packageRoot)")
        }
        while let relative = walker.nextObject() as? String {
            if relative == "config.php" || relative == "feed-icons" { continue }
            let source = "\(packageRoot)/\(relative)"
            let target = "\(paths.web)/\(relative)"
            let attributes = try manager.attributesOfItem(atPath: source)
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?:
                walker.skipDescendants()
                let resolved = URL(fileURLWithPath: source).resolvingSymlinksInPath().path
                try manager.createSymbolicLink(atPath: target, withDestinationPath: resolved)
            case .typeDirectory?:
                try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
            default:
                try manager.copyItem(atPath: source, toPath: target)
            }
        }
        for folder in ["www/feed-icons", "cache/images", "cache/upload", "cache/export", "lock"] {
            try manager.createDirectory(atPath: "\(paths.root)/\(folder)", withIntermediateDirectories: true)
        }
    }

    private static func writeConfiguration(paths: Paths, port: Int, databasePort: Int) throws {
        func literal(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        // Every constant sanity_config.php requires (CONFIG_VERSION 26), as the package's config.php has them,
        // with this server's database, URL and folders.
        let configuration = """
        <?php
        // Written by TestServers.TTRSSServer for a test; removed when the server stops.
        define('DB_TYPE', 'pgsql');
        define('DB_HOST', '127.0.0.1');
        define('DB_PORT', '\(databasePort)');
        define('DB_USER', 'postgres');
        define('DB_NAME', \(literal(databaseName)));
        define('DB_PASS', '');
        define('MYSQL_CHARSET', 'UTF8');
        define('SELF_URL_PATH', 'http://127.0.0.1:\(port)/');
        define('SINGLE_USER_MODE', false);
        define('SIMPLE_UPDATE_MODE', false);
        define('PHP_EXECUTABLE', \(literal(php ?? "/usr/bin/php")));
        define('LOCK_DIRECTORY', \(literal("\(paths.root)/lock")));
        define('CACHE_DIR', \(literal("\(paths.root)/cache")));
        define('ICONS_DIR', 'feed-icons');
        define('ICONS_URL', 'feed-icons');
        define('AUTH_AUTO_CREATE', false);
        define('AUTH_AUTO_LOGIN', false);
        define('FORCE_ARTICLE_PURGE', 0);
        define('ENABLE_REGISTRATION', false);
        define('REG_NOTIFY_ADDRESS', 'user@example.org');
        define('REG_MAX_USERS', 10);
        define('SESSION_COOKIE_LIFETIME', 86400);
        define('SMTP_FROM_NAME', 'Tiny Tiny RSS');
        define('SMTP_FROM_ADDRESS', 'noreply@example.org');
        define('DIGEST_SUBJECT', '[tt-rss] New headlines for last 24 hours');
        define('CHECK_FOR_UPDATES', false);
        define('ENABLE_GZIP_OUTPUT', false);
        define('PLUGINS', 'auth_internal, note');
        define('LOG_DESTINATION', '');
        define('CONFIG_VERSION', 26);

        """
        try configuration.write(toFile: "\(paths.web)/config.php", atomically: true, encoding: .utf8)
    }

    private static func launchPHP(paths: Paths, port: Int, workers: Int) throws -> Process {
        guard let php else { throw TestServerError(missing ?? "php is not installed") }
        var environment = ProcessInfo.processInfo.environment
        environment["PHP_CLI_SERVER_WORKERS"] = String(workers)
        // Warnings go to the log, never into an answer (a production server has display_errors off too).
        let process = try launch(php, ["-d", "display_errors=stderr", "-d", "log_errors=0",
                                          "-d", "memory_limit=512M", "-d", "post_max_size=64M",
                                          "-S", "127.0.0.1:\(port)", "-t", paths.web],
                                 log: paths.phpLog, environment: environment, append: true)
        // Foundation starts it as a group leader already; make sure, since stopping kills the group.
        if getpgid(process.processIdentifier) != process.processIdentifier {
            setpgid(process.processIdentifier, process.processIdentifier)
        }
        Reaper.add(process.processIdentifier, group: true)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            if let answer = try? Self.post(port: port, body: #"{"op":"getApiLevel"}"#, timeout: 2),
               answer.status == 200, answer.body.first == UInt8(ascii: "{") {
                return process
            }
            usleep(10_000)
        }
        terminateGroup(process)
        let log = (FileManager.default.contents(atPath: paths.phpLog)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        throw TestServerError("php -S did not answer on 127.0.0.1:\(port) within 10 s; its log:\n\(log.suffix(4000))")
    }

    /// Starts a long-running child with its standard output and error appended to `log`.
    private static func launch(_ executable: String, _ arguments: [String], log: String,
                               environment: [String: String]?, append: Bool = false) throws -> Process {
        let manager = FileManager.default
        if !append || !manager.fileExists(atPath: log) { _ = manager.createFile(atPath: log, contents: nil) }
        let handle = FileHandle(forWritingAtPath: log)
        _ = try? handle?.seekToEnd()
        defer { try? handle?.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle ?? FileHandle.nullDevice
        process.standardError = handle ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGTERM to the process group (php -S and its workers), SIGKILL to what is left after 3 s; returns once the
    /// group is empty (the workers, orphaned when their parent exits, are reaped by init a moment later).
    private static func terminateGroup(_ process: Process) {
        let pid = process.processIdentifier
        func groupIsEmpty() -> Bool { kill(-pid, 0) != 0 && errno == ESRCH }
        if kill(-pid, SIGTERM) != 0 { kill(pid, SIGTERM) }
        var deadline = Date().addingTimeInterval(3)
        while !groupIsEmpty() || process.isRunning, Date() < deadline { usleep(2_000) }
        kill(-pid, SIGKILL)
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        deadline = Date().addingTimeInterval(3)
        while !groupIsEmpty(), Date() < deadline { usleep(2_000) }
        Reaper.remove(pid)
    }

    /// An immediate shutdown (SIGQUIT, as `pg_ctl stop -m immediate`): the cluster is thrown away anyway.
    private static func terminatePostgres(_ process: Process) {
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGQUIT)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(2_000) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
        process.waitUntilExit()
        Reaper.remove(pid)
    }

    // MARK: - Talking to the API (for the tests' own checks)

    /// POSTs `body` (JSON) to `api/` and returns the HTTP status and the body, or nil when nothing answered (the
    /// server is down). One request, one connection, no session of its own.
    public func post(_ body: String, timeout: Double = 30,
                     userAgent: String = TTRSSServer.userAgent) -> (status: Int, body: Data)? {
        try? Self.post(port: port, body: body, timeout: timeout, userAgent: userAgent)
    }

    /// The User-Agent of the harness's own requests. Tiny Tiny RSS binds a session to the User-Agent that logged
    /// in: the same session id with another User-Agent gets `NOT_LOGGED_IN`.
    public static let userAgent = "TTRSSServer"

    /// Logs in through the API and returns the session id.
    public func login(password: String = TTRSSServer.defaultPassword) throws -> String {
        let body = try Self.json(["op": "login", "user": Self.user, "password": password])
        guard let answer = post(body), let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
              let content = object["content"] as? [String: Any], let session = content["session_id"] as? String else {
            throw TestServerError("login failed: \(post(body).map { String(decoding: $0.body, as: UTF8.self) } ?? "no answer")")
        }
        return session
    }

    /// Calls the API (`op` and its parameters, `sid` added when given) and returns the decoded answer.
    public func call(_ op: String, sid: String?, _ parameters: [String: Any] = [:],
                     userAgent: String = TTRSSServer.userAgent) throws -> [String: Any] {
        var request = parameters
        request["op"] = op
        if let sid { request["sid"] = sid }
        guard let answer = post(try Self.json(request), userAgent: userAgent) else {
            throw TestServerError("no answer from \(apiURL)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else {
            throw TestServerError("not a JSON object (\(answer.status)): \(String(decoding: answer.body.prefix(500), as: UTF8.self))")
        }
        return object
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    private static func post(port: Int, body: String, timeout: Double,
                             userAgent: String = TTRSSServer.userAgent) throws -> (status: Int, body: Data) {
        let request = "POST /api/ HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: \(userAgent)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        guard let answer = Loopback.exchange(port: port, request: request, timeout: timeout) else {
            throw TestServerError("no answer from 127.0.0.1:\(port)")
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = answer.indices.first(where: { answer[$0...].starts(with: separator) }) else {
            throw TestServerError("not an HTTP answer")
        }
        let head = String(decoding: answer[..<end], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw TestServerError("bad status line: \(statusLine)") }
        return (status, Data(answer[(end + 4)...]))
    }

    // MARK: - SQL

    /// Runs `sql` (one or more statements, in one transaction) against the cluster's database with psql, and
    /// returns what it printed: rows one a line, columns separated by `|`, no headers.
    @discardableResult
    public func psql(_ sql: String) throws -> String {
        let file = "\(directory)/query-\(UUID().uuidString).sql"
        try ("begin;\n" + sql + "\n;\ncommit;\n").write(toFile: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try Tool.check("\(Self.postgresBin)/psql",
                                    Self.psqlArguments(port: databasePort, database: Self.databaseName) + ["-f", file])
        return String(decoding: output, as: UTF8.self)
    }

    /// `text` as an SQL string literal.
    public static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "'", with: "''") + "'"
    }

    private func integers(_ output: String) -> [Int] {
        output.split(whereSeparator: \.isNewline).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    private func integer(_ sql: String) throws -> Int {
        guard let value = integers(try psql(sql)).first else { throw TestServerError("no number from: \(sql)") }
        return value
    }

    // MARK: - Seeding (what the server's feed updater would have done)

    /// The admin user's id in the schema.
    public static let ownerID = 1

    /// A category; returns its id.
    @discardableResult
    public func addCategory(_ title: String) throws -> Int {
        try integer("insert into ttrss_feed_categories (owner_uid, title) values (\(Self.ownerID), \(Self.literal(title))) returning id")
    }

    /// A feed (in `category`, or uncategorized); returns its id.
    @discardableResult
    public func addFeed(title: String, url: String, category: Int? = nil, siteURL: String = "") throws -> Int {
        try integer("""
            insert into ttrss_feeds (owner_uid, title, feed_url, cat_id, site_url, last_updated)
            values (\(Self.ownerID), \(Self.literal(title)), \(Self.literal(url)), \(category.map(String.init) ?? "null"),
                    \(Self.literal(siteURL)), now() at time zone 'UTC') returning id
            """)
    }

    /// `count` unread articles in `feed`, in one statement: titles "`titlePrefix` N" (N from 1), links
    /// `http://example.org/feed-F/N`, about `contentBytes` of HTML content each (different in each article), authors
    /// "Author 0"…"Author 6", dates `start` + N × `interval` seconds (UTC). Returns their ids, ascending (the later
    /// the date, the higher the id).
    @discardableResult
    public func addArticles(feed: Int, count: Int, contentBytes: Int = 3_000, titlePrefix: String = "Article",
                            start: Date = Date(timeIntervalSince1970: 1_700_000_000), interval: Double = 60) throws -> [Int] {
        guard count > 0 else { return [] }
        let batch = state.withLock { state -> Int in
            state.batches += 1
            return state.batches
        }
        let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
        let repeats = max(1, contentBytes / filler.utf8.count)
        let sql = """
            with entries as (
              insert into ttrss_entries (title, guid, link, updated, content, content_hash, date_entered, date_updated,
                                         author, no_orig_date)
              select \(Self.literal(titlePrefix + " ")) || g,
                     'gazette-test:' || \(feed) || ':' || \(batch) || ':' || g,
                     'http://example.org/feed-\(feed)/' || \(batch) || '-' || g,
                     to_timestamp(\(start.timeIntervalSince1970) + g * \(interval)) at time zone 'UTC',
                     '<p>Article ' || g || ' of feed \(feed).</p><p>' || repeat(\(Self.literal(filler)), \(repeats)) || '</p>',
                     'SHA1:' || md5(\(feed) || ':' || \(batch) || ':' || g),
                     to_timestamp(\(start.timeIntervalSince1970) + g * \(interval)) at time zone 'UTC',
                     to_timestamp(\(start.timeIntervalSince1970) + g * \(interval)) at time zone 'UTC',
                     'Author ' || (g % 7), false
              from generate_series(1, \(count)) as g
              order by g
              returning id
            )
            insert into ttrss_user_entries (ref_id, uuid, feed_id, owner_uid, tag_cache, label_cache, unread)
            select id, '', \(feed), \(Self.ownerID), '', '', true from entries order by id
            returning ref_id
            """
        return integers(try psql(sql)).sorted()
    }

    /// One article with exactly this content (an article of 5 MB, markup to sanitize…); returns its id.
    @discardableResult
    public func addArticle(feed: Int, title: String, content: String, author: String = "", link: String = "",
                           date: Date = Date(), unread: Bool = true) throws -> Int {
        let batch = state.withLock { state -> Int in
            state.batches += 1
            return state.batches
        }
        let when = "to_timestamp(\(date.timeIntervalSince1970)) at time zone 'UTC'"
        return try integer("""
            with entry as (
              insert into ttrss_entries (title, guid, link, updated, content, content_hash, date_entered, date_updated,
                                         author)
              values (\(Self.literal(title)), 'gazette-test:\(feed):\(batch):single', \(Self.literal(link)), \(when),
                      \(Self.literal(content)), 'SHA1:' || md5(\(Self.literal(content))), \(when), \(when),
                      \(Self.literal(author)))
              returning id
            )
            insert into ttrss_user_entries (ref_id, uuid, feed_id, owner_uid, tag_cache, label_cache, unread)
            select id, '', \(feed), \(Self.ownerID), '', '', \(unread) from entry returning ref_id
            """)
    }

    /// Updates PostgreSQL's statistics (ANALYZE) after seeding many rows: without them the first queries on
    /// freshly seeded tables can take several times longer until autovacuum gets to them a minute later.
    public func analyze() throws {
        try psql("analyze")
    }

    /// Marks articles read or unread in the database, as another device (or the web interface) would.
    public func setUnread(articleIDs: [Int], unread: Bool) throws {
        guard !articleIDs.isEmpty else { return }
        try psql("""
            update ttrss_user_entries set unread = \(unread), last_read = now() at time zone 'UTC'
            where owner_uid = \(Self.ownerID) and ref_id in (\(articleIDs.map(String.init).joined(separator: ",")))
            """)
    }

    /// The ids of the unread articles, ascending.
    public func unreadArticleIDs() throws -> [Int] {
        integers(try psql("select ref_id from ttrss_user_entries where owner_uid = \(Self.ownerID) and unread order by ref_id"))
    }

    /// The ids of every article, ascending.
    public func articleIDs() throws -> [Int] {
        integers(try psql("select ref_id from ttrss_user_entries where owner_uid = \(Self.ownerID) order by ref_id"))
    }

    /// How many articles the user has.
    public func articleCount() throws -> Int {
        try integer("select count(*) from ttrss_user_entries where owner_uid = \(Self.ownerID)")
    }

    /// Turns the user's API access on or off (off: `login` answers `API_DISABLED`, and so does every call of a
    /// session that was logged in before).
    public func setAPIAccess(enabled: Bool) throws {
        try psql("""
            delete from ttrss_user_prefs where owner_uid = \(Self.ownerID) and pref_name = 'ENABLE_API_ACCESS';
            insert into ttrss_user_prefs (owner_uid, pref_name, value)
            values (\(Self.ownerID), 'ENABLE_API_ACCESS', '\(enabled)')
            """)
    }

    /// Changes the user's password (tt-rss's salted MODE2 hash). A wrong password then gets `LOGIN_ERROR`, and the
    /// sessions logged in with the old one are no longer valid (`NOT_LOGGED_IN`).
    public func setPassword(_ password: String) throws {
        try psql("""
            update ttrss_users set salt = 'gazette-test',
              pwd_hash = 'MODE2:' || encode(sha256(convert_to('gazette-test' || \(Self.literal(password)), 'UTF8')), 'hex')
            where id = \(Self.ownerID)
            """)
    }

    /// Ends every API session: the next call with an old session id gets `NOT_LOGGED_IN`.
    public func expireSessions() throws {
        try psql("delete from ttrss_sessions")
    }
}

/// The process groups and postmasters the TTRSS servers started, killed when the test process exits without stopping
/// them (SIGKILL to a group takes php's workers too; PostgreSQL gets SIGQUIT, an immediate shutdown).
enum Reaper {
    private static let live = Locked([pid_t: Bool]())
    private static let installed: Void = {
        atexit {
            Reaper.killAll()
        }
    }()

    static func add(_ pid: pid_t, group: Bool) {
        _ = installed
        live.withLock { $0[pid] = group }
    }

    static func remove(_ pid: pid_t) {
        live.withLock { _ = $0.removeValue(forKey: pid) }
    }

    static func killAll() {
        for (pid, group) in live.withLock({ $0 }) {
            if group { kill(-pid, SIGKILL) } else { kill(pid, SIGQUIT) }
        }
    }
}
