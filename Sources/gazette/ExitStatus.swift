/// Exit statuses, from BSD's sysexits.h, so that scripts can tell failures apart.
enum ExitStatus: Int32 {
    case success = 0
    /// `gazette search` found nothing (as grep does).
    case noMatch = 1
    /// The command line is wrong (EX_USAGE).
    case usage = 64
    /// An archive cannot be parsed, or a post id is not in the archives (EX_DATAERR).
    case dataError = 65
    /// An input path is missing, unreadable or not a file or directory (EX_NOINPUT).
    case noInput = 66
    /// Something needed is not available, such as a terminal (EX_UNAVAILABLE).
    case unavailable = 69
    /// The state database or the output failed (EX_IOERR).
    case ioError = 74
    /// Some feeds could not be fetched: try again later (EX_TEMPFAIL).
    case tempFail = 75
}

