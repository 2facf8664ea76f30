import SeededRandom

/// One synthetic post, before it is written in either format.
struct SyntheticPost {
    enum Block {
        case paragraph(String)
        case bullet(level: Int, String)
    }

    var title: String
    /// `April 14, 2020` and the author, or nil for `Posted on by`.
    var byline: (date: String, month: Int, day: Int, year: Int, author: String)?
    var blocks: [Block]
    var source: String?
}

/// Synthetic archives in the format of `seeds/` (an "Author Archives" page dumped to text), deterministic: the
/// same seed and count give the same bytes on every machine and every run.
///
/// Shape, per post (about 3.3 KB on average): a title of 4 to 12 words; a `Posted on` line, half of them
/// `Posted on April 14, 2020 by NAME`, the rest `Posted on by`; 3 to 12 paragraphs of 30 to 90 words; in about a
/// quarter of the posts a list of `  • ` bullets, some of them `  • – ` sub-items; a `[Source]` line in about
/// 40%; typographic quotes, apostrophes and dashes, no-break spaces, and some Hangul. Posts are separated by two
/// blank lines, blocks by one, as in the sample.
struct ArchiveGenerator {
    static let archiveAuthor = "Grant Montgomery"

    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func post() -> SyntheticPost {
        let title = sentence(words: random.int(4...12), title: true)
        var byline: (String, Int, Int, Int, String)?
        if random.chance(50) {
            let month = random.int(1...12)
            let day = random.int(1...28)
            let year = random.int(2012...2021)
            byline = ("\(Self.months[month - 1]) \(day), \(year)", month, day, year, random.pick(Self.authors))
        }
        var blocks: [SyntheticPost.Block] = []
        let paragraphs = random.int(3...12)
        let listAt = random.chance(25) ? random.int(1...(paragraphs - 1)) : -1
        for index in 0..<paragraphs {
            if index == listAt {
                blocks.append(.paragraph(sentence(words: random.int(4...9), title: false, end: ":")))
                for _ in 0..<random.int(2...6) {
                    let level = random.chance(25) ? 2 : 1
                    blocks.append(.bullet(level: level, sentence(words: random.int(5...16), title: false, end: "")))
                }
            }
            blocks.append(.paragraph(paragraph(words: random.int(30...90))))
        }
        let source = random.chance(40) ? random.pick(Self.sources) : nil
        return SyntheticPost(title: title, byline: byline, blocks: blocks, source: source)
    }

    // MARK: Text

    private mutating func word() -> String {
        let roll = random.int(0...999)
        if roll < 8 { return random.pick(Self.hangul) }
        if roll < 60 { return random.pick(Self.names) }
        if roll < 75 { return random.pick(Self.numbers) }
        if roll < 330 { return random.pick(Self.short) }
        return random.pick(Self.words)
    }

    /// Words with an initial capital, an optional quoted phrase and a final mark.
    private mutating func sentence(words count: Int, title: Bool, end: String = ".") -> String {
        var parts: [String] = []
        var quoteOpen = false
        var i = 0
        while i < count {
            var w = word()
            // A name counts as its words: the budget is in words as a reader counts them.
            let words = w.utf8.reduce(1) { $1 == 0x20 ? $0 + 1 : $0 }
            if words > 1 && i + words > count { continue }
            defer { i += words }
            if i == 0 { w = capitalized(w) }
            if !title && i > 0 && i < count - 1 && random.chance(4) {
                w += random.chance(50) ? "," : "’s"
            }
            if !quoteOpen && i < count - 2 && random.chance(title ? 6 : 3) {
                w = "“" + w
                quoteOpen = true
            } else if quoteOpen && random.chance(30) {
                w += "”"
                quoteOpen = false
            }
            if !title && i > 1 && i < count - 2 && random.chance(2) {
                parts.append(w)
                parts.append(random.chance(70) ? "—" : "–")
                continue
            }
            if !title && i > 0 && random.chance(1) {
                parts.append(w + "\u{A0}")
                continue
            }
            parts.append(w)
        }
        var text = ""
        for part in parts {
            if !text.isEmpty && !text.hasSuffix("\u{A0}") { text += " " }
            text += part
        }
        if quoteOpen { text += "”" }
        return title ? text : text + end
    }

    /// `count` words in sentences of 6 to 22 words.
    private mutating func paragraph(words count: Int) -> String {
        var left = count
        var sentences: [String] = []
        while left > 0 {
            var n = min(left, random.int(6...22))
            if left - n < 4 { n = left }
            sentences.append(sentence(words: n, title: false))
            left -= n
        }
        return sentences.joined(separator: " ")
    }

    private func capitalized(_ word: String) -> String {
        guard let first = word.unicodeScalars.first, first.value >= 0x61, first.value <= 0x7A else { return word }
        return String(Character(first).uppercased()) + String(word.unicodeScalars.dropFirst())
    }

    // MARK: Vocabulary

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]
    static let authors = ["Grant Montgomery", "Jiyoung Park", "Daniel O’Connor", "Mina Cho", "Robert Hale",
                          "Eun-ji Lee", "Sarah Whitfield", "Tae-ho Kang"]
    static let sources = ["NK News", "ABC News", "Fox News", "Various News Agencies", "Reuters", "Yonhap",
                          "Associated Press", "Daily NK", "The Korea Herald", "38 North"]
    static let hangul = ["평양", "조선중앙통신", "김정은", "북한", "서울", "통일부", "노동신문", "한국", "개성", "신의주"]
    static let names = ["North Korea", "South Korea", "Pyongyang", "Seoul", "Kim Jong Un", "Moon Jae-in", "China",
                        "Beijing", "the United States", "Washington", "KCNA", "UNICEF", "the United Nations",
                        "Kaesong", "Chongjin", "the DMZ", "Japan", "Russia", "the Workers’ Party", "Choi",
                        "Thae Yong Ho", "Sinuiju", "the Red Cross", "the State Department"]
    static let numbers = ["two", "three", "five", "ten", "dozens", "hundreds", "2020", "2019", "1,500", "$5 million",
                          "40%", "108th", "4.4", "163K", "12", "thousands", "several", "many"]
    static let short = ["the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "on", "with", "as", "by",
                        "at", "it", "its", "has", "be", "are", "not", "but", "or", "an", "this", "he", "she", "they"]
    static let words = """
        the of and to a in that is was for on with as by at from it its has have had been be are were said says \
        officials government country state media report reported according experts analysts sources people \
        leader regime missile missiles launch launched test tests nuclear program sanctions border trade \
        economy economic aid food shortage health virus coronavirus pandemic outbreak cases hospital doctors \
        medical supplies equipment masks gloves shipment delivery week month year years day days time recent \
        latest new former senior deputy director minister ministry foreign defense military army troops \
        soldiers navy coast east west north south waters sea fired projectile cruise ballistic range short \
        long statement meeting talks negotiations diplomat diplomats envoy ambassador embassy relations \
        summit agreement deal pressure threat warning warned claimed claims denied confirmed believed likely \
        unlikely possible potential significant major minor international global regional local national \
        public private official unofficial defector defectors refugees rights human campaign election \
        lawmaker party ruling opposition conservative liberal vote votes seat district residents citizens \
        workers farmers factories construction building project projects plan plans policy policies \
        measures steps efforts response support help offered received sent shipped smuggling markets prices \
        rice fuel electricity power satellite images imagery analysis researchers security cyber hackers \
        hacking attack attacks operations funds banks cryptocurrency exchanges networks servers victims \
        companies entities assets seizure agency agencies committee commission council resolution adopted \
        quarantine school schools students children families wife sons daughters life lives safety freedom \
        democracy society future history first second third highest ranking known also still already never \
        often again however while although because despite during after before since until without within \
        across through between against around about over under more most less least very much many few \
        some any every each other another such same different important crucial strict thorough stable \
        vulnerable weak strong severe basic rapid explosive unusual unspecified presumed reportedly \
        officially independently directly indirectly
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
}

// MARK: - Output formats

extension ArchiveGenerator {
    /// The archive as text, in the sample's layout.
    static func archiveText(posts: Int, seed: UInt64, into sink: (String) -> Void) {
        var generator = ArchiveGenerator(seed: seed)
        sink("Author Archives for \(archiveAuthor)\n")
        for _ in 0..<posts {
            let post = generator.post()
            var out = "\n\(post.title)\n\n"
            if let b = post.byline {
                out += "Posted on \(b.date) by \(b.author)\n"
            } else {
                out += "Posted on by\n"
            }
            var previousWasBullet = false
            for block in post.blocks {
                switch block {
                case .paragraph(let text):
                    out += "\n" + text + "\n"
                    previousWasBullet = false
                case .bullet(let level, let text):
                    if !previousWasBullet { out += "\n" }
                    out += (level == 1 ? "  • " : "  • – ") + text + "\n"
                    previousWasBullet = true
                }
            }
            if let source = post.source { out += "\n[\(source)]\n" }
            out += "\n"
            sink(out)
        }
    }

    /// A post's body as HTML (paragraphs, one `ul` per run of bullets, the attribution line last).
    private static func html(_ post: SyntheticPost) -> String {
        var html = ""
        var inList = false
        for block in post.blocks {
            switch block {
            case .paragraph(let text):
                if inList { html += "</ul>"; inList = false }
                html += "<p>\(text)</p>"
            case .bullet(_, let text):
                if !inList { html += "<ul>"; inList = true }
                html += "<li>\(text)</li>"
            }
        }
        if inList { html += "</ul>" }
        if let source = post.source { html += "<p>[\(source)]</p>" }
        return html
    }

    /// `2020-04-14T12:00:00Z` for a byline's day.
    private static func rfc3339(_ b: (date: String, month: Int, day: Int, year: Int, author: String)) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(b.year)-\(two(b.month))-\(two(b.day))T12:00:00Z"
    }

    /// The same posts as an Atom 1.0 feed, bodies as escaped HTML (`type="html"`).
    static func atomText(posts: Int, seed: UInt64, into sink: (String) -> Void) {
        var generator = ArchiveGenerator(seed: seed)
        sink("""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Author Archives for \(archiveAuthor)</title>\
            <id>tag:archive.invalid,2020:feed</id><updated>2021-12-31T12:00:00Z</updated>\
            <link rel="alternate" href="http://archive.invalid/"/>

            """)
        for index in 0..<posts {
            let post = generator.post()
            var out = "<entry><title>\(escape(post.title))</title>"
            out += "<link rel=\"alternate\" href=\"http://archive.invalid/p/\(index)\"/>"
            out += "<id>tag:archive.invalid,2020:gazette-bench-\(seed)-\(index)</id>"
            if let b = post.byline {
                out += "<published>\(rfc3339(b))</published><updated>\(rfc3339(b))</updated>"
                out += "<author><name>\(escape(b.author))</name></author>"
            } else {
                out += "<updated>2021-12-31T12:00:00Z</updated>"
            }
            out += "<content type=\"html\">\(escape(html(post)))</content></entry>\n"
            sink(out)
        }
        sink("</feed>\n")
    }

    /// The same posts as a JSON Feed 1.1, bodies as `content_html`.
    static func jsonText(posts: Int, seed: UInt64, into sink: (String) -> Void) {
        var generator = ArchiveGenerator(seed: seed)
        sink("""
            {"version":"https://jsonfeed.org/version/1.1","title":"Author Archives for \(archiveAuthor)",\
            "home_page_url":"http://archive.invalid/","items":[

            """)
        for index in 0..<posts {
            let post = generator.post()
            var out = index == 0 ? "" : ",\n"
            out += "{\"id\":\"gazette-bench-\(seed)-\(index)\",\"url\":\"http://archive.invalid/p/\(index)\","
            out += "\"title\":\(json(post.title)),"
            if let b = post.byline {
                out += "\"date_published\":\"\(rfc3339(b))\",\"authors\":[{\"name\":\(json(b.author))}],"
            }
            out += "\"content_html\":\(json(html(post)))}"
            sink(out)
        }
        sink("\n]}\n")
    }

    /// A JSON string literal.
    private static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The same posts as an RSS 2.0 feed (for newsboat, through `file://`), bodies as escaped HTML.
    static func rssText(posts: Int, seed: UInt64, into sink: (String) -> Void) {
        var generator = ArchiveGenerator(seed: seed)
        sink("""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Author Archives for \(archiveAuthor)</title>\
            <link>http://archive.invalid/</link><description>Gazette benchmark feed</description>

            """)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for index in 0..<posts {
            let post = generator.post()
            var out = "<item><title>\(escape(post.title))</title><link>http://archive.invalid/p/\(index)</link>"
            out += "<guid isPermaLink=\"false\">gazette-bench-\(seed)-\(index)</guid>"
            if let b = post.byline {
                // Zeller-free weekday: days since 1970-01-01 (a Thursday).
                let weekday = days[(daysSinceEpoch(year: b.year, month: b.month, day: b.day) + 4) % 7]
                let day = b.day < 10 ? "0\(b.day)" : "\(b.day)"
                out += "<pubDate>\(weekday), \(day) \(shortMonths[b.month - 1]) \(b.year) 12:00:00 +0000</pubDate>"
                out += "<author>\(escape(b.author))</author>"
            }
            out += "<description>\(escape(html(post)))</description></item>\n"
            sink(out)
        }
        sink("</channel></rss>\n")
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
