// CONTRACT (issue 15): the Sync module (Tiny Tiny RSS). The sync helper owns this module and defines its API.

/// The feed services Gazette can follow.
public enum SyncService: String, Sendable {
    case ttrss
}
