import TextCells

/// Word wrapping of styled text: `TextWrapper.wrap` on the text of the spans, each piece keeping its span's style.
///
/// Input must already be sanitized and hold no line breaks. As with `TextWrapper`, only spaces (U+0020) are dropped
/// (runs collapse, breaks consume them), so the other scalars of the lines, counted in order, say which span each
/// came from. A space between two spans is drawn plain (no underline running from a link into the text after it).
enum StyledWrapper {
    static func wrap(_ spans: [Span], width: Int, firstWidth: Int? = nil) -> [[Span]] {
        let spans = spans.filter { !$0.text.isEmpty }
        if spans.count <= 1 {
            let style = spans.first?.style ?? .plain
            return TextWrapper.wrap(spans.first?.text ?? "", width: width, firstWidth: firstWidth)
                .map { $0.isEmpty ? [] : [Span($0, style)] }
        }
        // How many scalars other than spaces end each span, counted from the start.
        var ends: [Int] = []
        var count = 0
        for span in spans {
            for b in span.text.utf8 where b != 0x20 && b & 0xC0 != 0x80 { count += 1 }
            ends.append(count)
        }
        let lines = TextWrapper.wrap(spans.map(\.text).joined(), width: width, firstWidth: firstWidth)
        var result: [[Span]] = []
        result.reserveCapacity(lines.count)
        var seen = 0  // scalars other than spaces placed so far
        var span = 0
        for line in lines {
            var pieces: [Span] = []
            let bytes = Array(line.utf8)
            var pieceStart = 0
            var pieceSpan = -1
            var spacesStart = -1  // where the spaces before the current scalar begin
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x20 {
                    if spacesStart < 0 { spacesStart = i }
                    i += 1
                    continue
                }
                while span < ends.count - 1 && ends[span] <= seen { span += 1 }
                if span != pieceSpan {
                    if pieceSpan >= 0 {
                        let cut = spacesStart >= 0 ? spacesStart : i
                        if cut > pieceStart { add(Span(text(bytes, pieceStart, cut), spans[pieceSpan].style), to: &pieces) }
                        if spacesStart >= 0 { add(Span(text(bytes, spacesStart, i)), to: &pieces) }
                    } else if i > 0 {
                        add(Span(text(bytes, 0, i)), to: &pieces)
                    }
                    pieceStart = i
                    pieceSpan = span
                }
                spacesStart = -1
                seen += 1
                i += 1
                while i < bytes.count && bytes[i] & 0xC0 == 0x80 { i += 1 }
            }
            if pieceSpan >= 0 && bytes.count > pieceStart {
                add(Span(text(bytes, pieceStart, bytes.count), spans[pieceSpan].style), to: &pieces)
            }
            result.append(pieces)
        }
        return result
    }

    /// Appends `piece`, joined to the last piece when they share a style.
    private static func add(_ piece: Span, to pieces: inout [Span]) {
        if let last = pieces.indices.last, pieces[last].style == piece.style {
            pieces[last].text += piece.text
        } else {
            pieces.append(piece)
        }
    }

    private static func text(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
