/// A real nginx for the tests and the benchmark (issue 12): Debian's nginx serving a folder on a free 127.0.0.1 port
/// from a configuration generated in a temporary folder, with gzip, ETag and Last-Modified as any web server has
/// them, optionally TLS with a certificate signed by a private CA made here with openssl, and an access log the
/// tests read back to see what a client sent (conditional GETs, Accept-Encoding, User-Agent) and what it got.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One line of the server's access log.
public struct AccessLogEntry: Hashable, Sendable {
    public var method: String
    /// The request's URI as the client sent it, with its query.
    public var uri: String
    public var status: Int
    /// Body bytes sent: 0 for a 304; when nginx compressed on the fly, the compressed bytes and the chunked
    /// encoding's framing.
    public var bytes: Int
    public var ifNoneMatch: String?
    public var ifModifiedSince: String?
    public var acceptEncoding: String?
    public var userAgent: String?
    /// nginx's serial number of the connection the request came on: requests with the same number shared one.
    public var connection: Int
    /// Whether the request came on the TLS port.
    public var tls: Bool

    public init(method: String, uri: String, status: Int, bytes: Int, ifNoneMatch: String? = nil,
                ifModifiedSince: String? = nil, acceptEncoding: String? = nil, userAgent: String? = nil,
                connection: Int = 0, tls: Bool = false) {
        self.method = method
        self.uri = uri
        self.status = status
        self.bytes = bytes
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.acceptEncoding = acceptEncoding
        self.userAgent = userAgent
        self.connection = connection
        self.tls = tls
    }
}

/// nginx serving the files under a folder. Started by `init`, which returns once it accepts connections; stopped by
/// `stop()` or when released. It runs as a child process in the foreground (`daemon off`, one process), so stopping
/// it is signalling and reaping that child; nothing is left behind (the temporary folder is removed too).
public final class NginxServer: @unchecked Sendable {
    /// The plain HTTP port on 127.0.0.1.
    public let port: Int
    /// The TLS port on 127.0.0.1, when started with `tls: true`.
    public let tlsPort: Int?
    /// The PEM of the CA that signed the server's certificate, when started with `tls: true` (inside `directory`,
    /// so gone after `stop()`).
    public let caFile: String?
    /// The temporary folder with nginx.conf, the logs, the pid file, nginx's temp folders and the TLS files.
    public let directory: String
    /// The nginx process.
    public let processIdentifier: Int32

    private let process: Process
    private let state = Locked(State())

    private struct State {
        var stopped = false
        var syncs = 0
        var finalLog: [AccessLogEntry] = []
        var finalErrorLog = ""
    }

    /// Where the log marker requests go: answered 204 by nginx and left out of `accessLog()`.
    private static let syncPrefix = "/.gazette-log-sync/"

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `https://127.0.0.1:TLSPORT` (the certificate is also good for `https://localhost:TLSPORT`).
    public var tlsBaseURL: String? { tlsPort.map { "https://127.0.0.1:\($0)" } }

    /// `baseURL` + `path` (which starts with "/").
    public func url(_ path: String) -> String { baseURL + path }

    /// nginx's executable: /usr/sbin/nginx (Debian), else `nginx` in PATH.
    public static let executable: String? = Tool.find("nginx", candidates: ["/usr/sbin/nginx"])

    public static var isInstalled: Bool { executable != nil }

    /// Serves the files under `root` (an absolute path). `locations`: directives inserted into the server block as
    /// they are, such as `location = /old.xml { return 301 /new.xml; }`, `location = /gone.xml { return 410; }` or
    /// `add_header Link '<...>; rel="next"';`. `tls`: also listen with TLS on a second port (see `caFile`).
    public init(root: String, locations: String = "", tls: Bool = false) throws {
        guard let executable = Self.executable else {
            throw TestServerError("nginx is not installed (Debian: apt-get install nginx-light)")
        }
        let directory = try Temporary.folder("gazette-nginx")
        do {
            let manager = FileManager.default
            try manager.createDirectory(atPath: "\(directory)/temp", withIntermediateDirectories: true)
            let certificates = tls ? try Certificates.make(in: "\(directory)/tls") : nil
            let started = try Self.start(executable: executable, directory: directory, root: root, locations: locations,
                                         certificates: certificates)
            self.directory = directory
            self.process = started.process
            self.processIdentifier = started.process.processIdentifier
            self.port = started.port
            self.tlsPort = started.tlsPort
            self.caFile = certificates?.caFile
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    deinit {
        stop()
    }

    /// Every request nginx answered so far, in order (the log is unbuffered, and a marker request makes sure that
    /// every answer a client has seen is in it). After `stop()`, the log as it was then.
    public func accessLog() -> [AccessLogEntry] {
        state.withLock { state in
            if state.stopped { return state.finalLog }
            state.syncs += 1
            return syncedLog(marker: "\(Self.syncPrefix)\(state.syncs)")
        }
    }

    /// nginx's error log (warnings and errors), for a failing test's message.
    public func errorLog() -> String {
        state.withLock { state in
            state.stopped ? state.finalErrorLog : Self.read("\(directory)/error.log")
        }
    }

    /// Stops nginx (SIGTERM, then SIGKILL if it has not exited within 3 s), waits for it, and removes the temporary
    /// folder. Idempotent; also done when the server is released.
    public func stop() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            state.syncs += 1
            state.finalLog = syncedLog(marker: "\(Self.syncPrefix)\(state.syncs)", timeout: 1)
            Self.terminate(process)
            state.finalErrorLog = Self.read("\(directory)/error.log")
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    // MARK: - Starting

    private struct Started {
        var process: Process
        var port: Int
        var tlsPort: Int?
    }

    private static func start(executable: String, directory: String, root: String, locations: String,
                              certificates: Certificates?) throws -> Started {
        let errorLog = "\(directory)/error.log"
        var lastError = ""
        // The ports were free when picked, but another process may take one before nginx binds it: then try others.
        for _ in 0..<5 {
            let port = try Loopback.freePort()
            let tlsPort = certificates == nil ? nil : try Loopback.freePort(excluding: [port])
            let configuration = makeConfiguration(directory: directory, root: root, locations: locations, port: port,
                                                  tlsPort: tlsPort, certificates: certificates)
            try configuration.write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(atPath: errorLog)
            try? FileManager.default.removeItem(atPath: "\(directory)/nginx.pid")

            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-p", "\(directory)/", "-c", "\(directory)/nginx.conf", "-e", errorLog,
                                 "-g", "daemon off;"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            // What nginx says before it opens its error log (a bad configuration) goes to stderr.log.
            let stderrPath = "\(directory)/stderr.log"
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            let stderrFile = FileHandle(forWritingAtPath: stderrPath)
            process.standardError = stderrFile ?? FileHandle.nullDevice
            defer { try? stderrFile?.close() }
            try process.run()
            Children.add(process.processIdentifier)

            // Ready when the pid file names our child (nginx writes it after binding its sockets) and both ports
            // accept connections.
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                if !process.isRunning { break }
                if let pid = Int32(read("\(directory)/nginx.pid").trimmingCharacters(in: .whitespacesAndNewlines)),
                   pid == process.processIdentifier, Loopback.canConnect(port: port),
                   tlsPort.map({ Loopback.canConnect(port: $0) }) ?? true {
                    return Started(process: process, port: port, tlsPort: tlsPort)
                }
                usleep(5_000)
            }
            let running = process.isRunning
            terminate(process)
            lastError = read("\(directory)/stderr.log") + read(errorLog)
            if running {
                throw TestServerError("nginx did not accept connections on 127.0.0.1:\(port) within 5 s; its error log:\n\(lastError)")
            }
            if !lastError.contains("Address already in use") { break }
        }
        throw TestServerError("nginx did not start; its error log:\n\(lastError)")
    }

    private static func makeConfiguration(directory: String, root: String, locations: String, port: Int, tlsPort: Int?,
                                          certificates: Certificates?) -> String {
        func quoted(_ path: String) -> String {
            "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let temp = "\(directory)/temp"
        var tlsLines = ""
        if let tlsPort, let certificates {
            tlsLines = """
                    listen 127.0.0.1:\(tlsPort) ssl;
                    ssl_certificate \(quoted(certificates.certificateFile));
                    ssl_certificate_key \(quoted(certificates.keyFile));
                    ssl_protocols TLSv1.2 TLSv1.3;

            """
        }
        // escape=json: header values are escaped, and a missing header logs as "" (not "-").
        return """
        # Generated by TestServers.NginxServer for a test; removed when the server stops.
        master_process off;
        worker_processes 1;
        pid \(quoted("\(directory)/nginx.pid"));
        error_log \(quoted("\(directory)/error.log")) warn;

        events {
            worker_connections 1024;
        }

        http {
            types {
                text/html html htm;
                text/plain txt;
                text/css css;
                application/javascript js;
                application/xml xml xsl;
                application/rss+xml rss;
                application/atom+xml atom;
                application/rdf+xml rdf;
                application/json json;
                application/feed+json jsonfeed;
                image/svg+xml svg;
                image/png png;
                image/jpeg jpg jpeg;
                image/gif gif;
            }
            default_type application/octet-stream;

            log_format gazette escape=json '{"method":"$request_method","uri":"$request_uri","status":"$status",'
                '"bytes":"$body_bytes_sent","inm":"$http_if_none_match","ims":"$http_if_modified_since",'
                '"ae":"$http_accept_encoding","ua":"$http_user_agent","conn":"$connection","https":"$https"}';
            access_log \(quoted("\(directory)/access.log")) gazette;

            client_body_temp_path \(quoted("\(temp)/body"));
            proxy_temp_path \(quoted("\(temp)/proxy"));
            fastcgi_temp_path \(quoted("\(temp)/fastcgi"));
            uwsgi_temp_path \(quoted("\(temp)/uwsgi"));
            scgi_temp_path \(quoted("\(temp)/scgi"));

            sendfile on;
            tcp_nodelay on;
            keepalive_timeout 30s;
            keepalive_requests 10000;
            server_tokens off;
            etag on;

            gzip on;
            gzip_min_length 20;
            gzip_http_version 1.0;
            gzip_proxied any;
            gzip_vary on;
            gzip_types text/plain text/css text/xml application/xml application/rss+xml application/atom+xml
                       application/rdf+xml application/json application/feed+json application/javascript image/svg+xml;

            server {
                listen 127.0.0.1:\(port);
        \(tlsLines)
                server_name localhost 127.0.0.1;
                root \(quoted(root));
                index index.html;

                location ^~ \(syncPrefix) {
                    return 204;
                }

        \(locations)
            }
        }

        """
    }

    // MARK: - Stopping and reading

    private static func terminate(_ process: Process) {
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning, Date() < deadline { usleep(2_000) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
        process.waitUntilExit()
        Children.remove(pid)
    }

    private static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Asks nginx for `marker` and reads the log until the marker's line is in it: nginx answers on one thread, so
    /// every request answered before the marker was logged before it.
    private func syncedLog(marker: String, timeout: Double = 3) -> [AccessLogEntry] {
        let request = "GET \(marker) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = Loopback.exchange(port: port, request: request, timeout: timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var entries: [AccessLogEntry] = []
        repeat {
            entries = Self.parse(Self.read("\(directory)/access.log"))
            if entries.contains(where: { $0.uri == marker }) { break }
            usleep(2_000)
        } while Date() < deadline
        return entries.filter { !$0.uri.hasPrefix(Self.syncPrefix) }
    }

    static func parse(_ log: String) -> [AccessLogEntry] {
        log.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
                  let fields = object as? [String: String] else { return nil }
            func optional(_ key: String) -> String? {
                guard let value = fields[key], !value.isEmpty else { return nil }
                return value
            }
            return AccessLogEntry(method: fields["method"] ?? "", uri: fields["uri"] ?? "",
                                  status: Int(fields["status"] ?? "") ?? 0, bytes: Int(fields["bytes"] ?? "") ?? 0,
                                  ifNoneMatch: optional("inm"), ifModifiedSince: optional("ims"),
                                  acceptEncoding: optional("ae"), userAgent: optional("ua"),
                                  connection: Int(fields["conn"] ?? "") ?? 0, tls: fields["https"] == "on")
        }
    }
}

/// A private CA and a server certificate it signed, for 127.0.0.1 and localhost, made with openssl (arguments, no
/// shell). Elliptic-curve keys: made in milliseconds.
struct Certificates {
    var caFile: String
    var certificateFile: String
    var keyFile: String

    static func make(in folder: String) throws -> Certificates {
        guard let openssl = Tool.find("openssl", candidates: ["/usr/bin/openssl"]) else {
            throw TestServerError("openssl is not installed (Debian: apt-get install openssl)")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let configuration = "\(folder)/openssl.cnf"
        // Our own configuration, so that the system's (its default extensions) does not matter.
        try """
        [req]
        distinguished_name = dn
        prompt = no

        [dn]
        CN = Gazette Test CA

        [ca_ext]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash

        [server_ext]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1, DNS:localhost
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """.write(toFile: configuration, atomically: true, encoding: .utf8)

        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let result = Certificates(caFile: "\(folder)/ca.pem", certificateFile: "\(folder)/server.pem",
                                  keyFile: "\(folder)/server.key")
        try Tool.check(openssl, ["req", "-x509", "-config", configuration, "-extensions", "ca_ext"] + curve
                       + ["-keyout", "\(folder)/ca.key", "-out", result.caFile, "-days", "30",
                          "-subj", "/CN=Gazette Test CA"])
        try Tool.check(openssl, ["req", "-new", "-config", configuration] + curve
                       + ["-keyout", result.keyFile, "-out", "\(folder)/server.csr", "-subj", "/CN=localhost"])
        try Tool.check(openssl, ["x509", "-req", "-in", "\(folder)/server.csr", "-CA", result.caFile,
                                 "-CAkey", "\(folder)/ca.key", "-set_serial", "\(UInt32.random(in: 1...UInt32.max))",
                                 "-days", "30", "-extfile", configuration, "-extensions", "server_ext",
                                 "-out", result.certificateFile])
        return result
    }
}
