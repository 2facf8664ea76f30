import TextCells

/// Word wrapping of styled text: `TextWrapper.wrap` on the text of the spans, each piece keeping its span's style.
///
/// Input must already be sanitized and hold no line breaks. As with `TextWrapper`, only spaces are dropped (runs
/// collapse, breaks consume them); a space between two styles takes the style of the span it came from.
enum StyledWrapper {
    static func wrap(_ spans: [Span], width: Int, firstWidth: Int? = nil) -> [[Span]] {
        let spans = spans.filter { !$0.text.isEmpty }
        if spans.count <= 1 {
            let style = spans.first?.style ?? .plain
            return TextWrapper.wrap(spans.first?.text ?? "", width: width, firstWidth: firstWidth)
                .map { $0.isEmpty ? [] : [Span($0, style)] }
        }
        let lines = TextWrapper.wrap(spans.map(\.text).joined(), width: width, firstWidth: firstWidth)
        var source = Cursor(spans: spans)
        var result: [[Span]] = []
        result.reserveCapacity(lines.count)
        for line in lines {
            var pieces: [Span] = []
            var text = String.UnicodeScalarView()
            var current = -1
            for scalar in line.unicodeScalars {
                let index: Int
                if scalar == " " {
                    index = source.next()?.span ?? current
                    while source.peek()?.scalar == " " { _ = source.next() }
                } else {
                    while source.peek()?.scalar == " " { _ = source.next() }
                    index = source.next()?.span ?? current
                }
                if index != current, !text.isEmpty {
                    pieces.append(Span(String(text), spans[max(0, current)].style))
                    text = String.UnicodeScalarView()
                }
                current = index
                text.append(scalar)
            }
            if !text.isEmpty { pieces.append(Span(String(text), spans[max(0, current)].style)) }
            result.append(pieces)
        }
        return result
    }

    /// The scalars of the spans in order, each with the index of its span.
    private struct Cursor {
        let spans: [Span]
        var spanIndex = 0
        var scalars: String.UnicodeScalarView.Iterator
        var peeked: (scalar: Unicode.Scalar, span: Int)?

        init(spans: [Span]) {
            self.spans = spans
            scalars = spans[0].text.unicodeScalars.makeIterator()
        }

        mutating func peek() -> (scalar: Unicode.Scalar, span: Int)? {
            if peeked == nil { peeked = advance() }
            return peeked
        }

        mutating func next() -> (scalar: Unicode.Scalar, span: Int)? {
            let value = peek()
            peeked = nil
            return value
        }

        private mutating func advance() -> (scalar: Unicode.Scalar, span: Int)? {
            while spanIndex < spans.count {
                if let scalar = scalars.next() { return (scalar, spanIndex) }
                spanIndex += 1
                if spanIndex < spans.count { scalars = spans[spanIndex].text.unicodeScalars.makeIterator() }
            }
            return nil
        }
    }
}
