import Catalog
import Configuration
import Controller
import CursesTerminal
import Foundation
import Posts
import ReadState
import Sync
import TerminalUI
import TextCells

/// The interactive reader: loads the archives, opens the store, takes over the terminal and runs the loop.
///
/// Everything that can fail for a reason the user can fix (no terminal, a bad path, a damaged store) is
/// reported before curses starts, so the message lands on a normal screen.
/// The configuration file's settings apply where the command line says nothing (`policy` is `nil` without
/// `--mark-read`, `paths` empty without paths).
func runInteractiveReader(paths: [String], statePath: String?, policy: ReadPolicy?,
                          configuration loaded: LoadedConfiguration = LoadedConfiguration()) throws {
    let settings = loaded.value
    let readsStandardInput = paths.contains(StandardInput.path)
    guard readsStandardInput || isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw CommandLineError(problem: "the reader needs a terminal on standard input and output",
                               advice: "in scripts use 'gazette list' or 'gazette show'",
                               status: .unavailable)
    }
    // Start-up phases go to GAZETTE_TRACE (nothing is measured without it).
    let trace = ReaderTrace.fromEnvironment(start: processStart)
    trace?.note("reader-start")
    // The first posts now, the rest on another thread once the first frame is up (see `BackgroundIndexer`).
    let sourcePaths = paths.isEmpty ? settings.archives : paths
    // A feed server and nothing read from it yet (the first run): sync in the foreground, with its progress line,
    // before there is anything to show; a failure is one line and its exit status, as `gazette sync`'s.
    if paths.isEmpty, settings.archives.isEmpty, settings.sync.service == .ttrss,
       let location = try? StoreLocation.resolve(explicitPath: statePath, environment: ProcessInfo.processInfo.environment),
       ((try? SyncStore.syncedFeeds(path: location.path)) ?? []).isEmpty {
        try location.createDirectoryIfNeeded()
        try SyncCommand.sync(settings, storePath: location.path)
    }
    let setup = paths.isEmpty ? try DefaultSources.setup(statePath: statePath, makeRows: true) : nil
    let stored = setup?.library
    trace?.note("subscriptions")
    let (loader, firstRead, warnings) = try ArchivePaths.startLoading(sourcePaths, usage: "PATH", stored: stored)
    // Several files: the first screen is already newest first (all of it when everything was read by now; the
    // background indexer merges the rest when it is done).
    let first = loader.fileCount > 1 ? PostOrder.newestFirst(firstRead) : firstRead
    let indexing = loader.isFinished ? nil : Double(loader.bytesRead) / Double(max(1, loader.totalBytes))
    trace?.note("first-posts \(first.count)")
    // `-` read the archive from standard input: the keys come from the terminal, as less does.
    if readsStandardInput, !StandardInput.takeKeysFromTerminal() {
        throw CommandLineError(problem: "no terminal to read keys from (/dev/tty cannot be opened)",
                               advice: "in scripts use 'gazette list -' or 'gazette show ID -'", status: .unavailable)
    }
    let bodies = CurrentBodies(loader.bodies)
    let session = ReaderSession.open(statePath: statePath, bodies: bodies)
    trace?.note("store-open")
    var state = session.initialState(title: loader.title, posts: first, indexing: indexing,
                                     policy: policy ?? settings.effectiveReadPolicy, adjustLayout: settings.applyLayout)
    trace?.note("state")
    state.confirmBulkMarks = settings.confirmMarkAll
    state.sourceNames = loader.sourceNames
    state.sources = SourceSummaries.make(sources: loader.sourcesBySlot, subscriptions: setup?.subscriptions ?? [],
                                         states: setup?.states ?? [:])
    if let note = loaded.statusNote { _ = state.reduce(.showStatus(StatusMessage(note, isError: true))) }
    // A broken feed read before the first frame: its line and what is wrong, in the status bar too.
    if let warning = warnings.last { _ = state.reduce(.showStatus(StatusMessage(warning, isError: true))) }

    let terminal: CursesTerminal
    do {
        var options = CursesOptions.fromEnvironment()
        options.theme = settings.theme
        options.mouse = settings.mouse
        terminal = try CursesTerminal(options: options)
    } catch let error as CursesError {
        throw CommandLineError(problem: error.description, advice: "Gazette draws in a full-screen terminal",
                               status: .unavailable)
    }
    defer { terminal.shutdown() }
    trace?.note("curses-start")

    session.external = ExternalPrograms(terminal: terminal, settings: settings,
                                        environment: ProcessInfo.processInfo.environment)
    let renderer = Renderer(keymap: settings.keymap, glyphs: terminal.unicode ? .unicode : .ascii,
                            measure: settings.measure) { bodies.body(of: $0) }
    // TestCrashTrigger: the terminal itself unless GAZETTE_TEST_CRASH_KEY is set (tests only).
    let loop = ReaderLoop(state: state, terminal: TestCrashTrigger.wrap(terminal), renderer: renderer,
                          keymap: settings.keymap, perform: session.perform, beforeKey: session.refresh)
    session.posts = { [unowned loop] in loop.state.posts }
    session.post = { [unowned loop] id in loop.state.index(of: id).map { loop.state.posts[$0] } }
    session.sources = { [unowned loop] in loop.state.sources }
    session.configPath = loaded.path
        ?? ConfigurationLocation.defaultPath(environment: ProcessInfo.processInfo.environment)
    if !settings.savedSearches.isEmpty {
        loop.send(.savedSearches(settings.savedSearches.map { SavedQuery(name: $0.name, query: $0.query) }))
    }
    loop.trace = trace
    // The rest of the archives, and which posts are new, on another thread once the first frame is up.
    let readStored: (@Sendable () throws -> DefaultSources.Setup?)?
    if paths.isEmpty {
        readStored = { try DefaultSources.setup(statePath: statePath, quiet: true, makeRows: true) }
    } else {
        readStored = nil
    }
    let reloader = Reloader(paths: sourcePaths, stored: readStored, bodies: bodies)
    session.reloader = reloader
    // The search index: brought up to date on its own thread once the archives are read.
    let searchIndex = SearchIndexWork(indexPath: try? SearchCatalog.indexPath(statePath: statePath),
                                      storePath: setup?.library.storePath, bodies: bodies) { [unowned loop] in
        loop.state.indexing == nil ? (loop.state.posts, loop.state.sources) : nil
    }
    searchIndex.quietWhenUnavailable = session.readOnlyReason != nil
    if !settings.savedSearches.isEmpty { searchIndex.wanted = true }
    session.searching = { [weak searchIndex] in searchIndex?.wanted = true }
    session.searches.indexPath = try? SearchCatalog.indexPath(statePath: statePath)
    session.searches.coverage = searchIndex.coverage
    var works: [BackgroundWork] = [BackgroundIndexer(loader: loader, first: first, session: session, trace: trace),
                                   session.searches, reloader, searchIndex]
    // Subscriptions: fetched on another thread (`r`, `R`, `B`, fetch-on-start), new posts merged as they come.
    if let setup {
        let fetcher = ReaderFetcher(storePath: setup.library.storePath, settings: settings.fetching,
                                    slots: SourceSummaries.slots(stored: loader.storedSlots, sources: loader.sourcesBySlot,
                                                                 subscriptions: setup.subscriptions),
                                    summaries: state.sources)
        fetcher.fetchOnStart = settings.fetching.fetchOnStart
        fetcher.reload = { [unowned reloader] in reloader.reload() }
        session.fetcher = fetcher
        works.append(fetcher)
    }
    // A feed server (set sync ttrss): synced on R, on r over one of its feeds, and after the first frame with
    // sync-on-start; never before the first frame.
    if settings.sync.service == .ttrss,
       let storePath = setup?.library.storePath
        ?? (try? StoreLocation.resolve(explicitPath: statePath, environment: ProcessInfo.processInfo.environment).path) {
        let account: Result<TTRSSAccount, SyncError>
        do throws(SyncError) { account = .success(try SyncCommand.account(settings.sync)) } catch { account = .failure(error) }
        var options = TTRSSClient.defaultOptions
        options.caFile = settings.fetching.caFile
        options.connectTimeout = Double(settings.fetching.connectTimeout)
        let sync = ReaderSync(storePath: storePath, account: account, options: options)
        sync.syncOnStart = settings.sync.syncOnStart
        sync.reload = { [unowned reloader] then in reloader.reload(then: then) }
        sync.refreshMarks = { [unowned session] in session.refresh() }
        session.sync = sync
        session.syncedSources = { [unowned loop] in
            Set(loop.state.sources.filter { DefaultSources.isSynced($0.location) }.map(\.index))
        }
        works.append(sync)
    }
    reloader.onReloaded = { [weak session, weak searchIndex] reloaded in
        // Files read again may have changed with the same first and last posts: the index pass checks them all.
        searchIndex?.postsChanged()
        let subscriptions = reloaded.setup?.subscriptions ?? []
        let summaries = SourceSummaries.make(sources: reloaded.sourcesBySlot, subscriptions: subscriptions,
                                             states: reloaded.setup?.states ?? [:])
        session?.fetcher?.replaceSlots(SourceSummaries.slots(stored: reloaded.storedSlots, sources: reloaded.sourcesBySlot,
                                                             subscriptions: subscriptions))
        session?.fetcher?.replaceSummaries(summaries)
        return [.sourcesChanged(summaries)]
    }
    loop.background = BackgroundWorks(works)
    loop.run()
}

/// When the process started (monotonic nanoseconds), for `GAZETTE_TRACE`: set first thing in `main`.
nonisolated(unsafe) var processStart: UInt64 = ReaderTrace.now()
