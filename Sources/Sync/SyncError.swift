/// Why a sync failed: one line for a user that says what to change, never a password or a session id.
public enum SyncError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The configuration is incomplete or the password cannot be had (EX_CONFIG).
    case configuration(String)
    /// The server could not be reached, or answered with an HTTP error (try again later: marks stay queued).
    case unreachable(String)
    /// The server refused the login or the API (what to change is in the text).
    case refused(String)
    /// The server answered with something that is not the API's JSON, or an error it should not give.
    case protocolError(String)
    /// The store failed.
    case store(String)
    case cancelled

    public var description: String {
        switch self {
        case .configuration(let text), .unreachable(let text), .refused(let text), .protocolError(let text),
             .store(let text):
            return text
        case .cancelled: return "sync cancelled"
        }
    }
}
