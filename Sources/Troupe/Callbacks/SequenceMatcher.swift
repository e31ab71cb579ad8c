/// Line matching with the same results as Python's `difflib.SequenceMatcher` (no junk
/// function, auto-junk heuristic on), so `--diff` hunks are identical to ansible's.
/// Finds the longest matching block, then recurses on both sides of it.
struct SequenceMatcher {
    /// One edit operation: `tag` is "equal", "replace", "delete" or "insert"; ranges are half-open.
    struct Opcode: Equatable {
        var tag: String
        var a1: Int, a2: Int, b1: Int, b2: Int
    }

    private let a: [String]
    private let b: [String]
    /// For each line of `b` (minus over-popular lines), where it occurs.
    private var positions: [String: [Int]] = [:]

    init(_ a: [String], _ b: [String]) {
        self.a = a
        self.b = b
        for (index, line) in b.enumerated() {
            positions[line, default: []].append(index)
        }
        // Auto-junk: in long sequences, lines occurring in more than 1% of positions are ignored as anchors.
        if b.count >= 200 {
            let threshold = b.count / 100 + 1
            positions = positions.filter { $0.value.count <= threshold }
        }
    }

    /// The longest block a[i..<i+k] == b[j..<j+k] inside the given ranges; the earliest in `a`,
    /// then in `b`, on ties.
    private func longestMatch(_ alo: Int, _ ahi: Int, _ blo: Int, _ bhi: Int) -> (Int, Int, Int) {
        var bestI = alo, bestJ = blo, bestSize = 0
        var runLengths: [Int: Int] = [:]
        for i in alo..<ahi {
            var next: [Int: Int] = [:]
            for j in positions[a[i]] ?? [] {
                if j < blo { continue }
                if j >= bhi { break }
                let k = (runLengths[j - 1] ?? 0) + 1
                next[j] = k
                if k > bestSize {
                    bestI = i - k + 1
                    bestJ = j - k + 1
                    bestSize = k
                }
            }
            runLengths = next
        }
        // Popular lines were left out of the index; grow the match over equal neighbours.
        while bestI > alo, bestJ > blo, a[bestI - 1] == b[bestJ - 1] {
            bestI -= 1
            bestJ -= 1
            bestSize += 1
        }
        while bestI + bestSize < ahi, bestJ + bestSize < bhi, a[bestI + bestSize] == b[bestJ + bestSize] {
            bestSize += 1
        }
        return (bestI, bestJ, bestSize)
    }

    /// Matching blocks in order, adjacent ones merged, ending with the (len a, len b, 0) sentinel.
    func matchingBlocks() -> [(Int, Int, Int)] {
        var pending = [(0, a.count, 0, b.count)]
        var blocks: [(Int, Int, Int)] = []
        while let (alo, ahi, blo, bhi) = pending.popLast() {
            let (i, j, k) = longestMatch(alo, ahi, blo, bhi)
            guard k > 0 else { continue }
            blocks.append((i, j, k))
            if alo < i && blo < j { pending.append((alo, i, blo, j)) }
            if i + k < ahi && j + k < bhi { pending.append((i + k, ahi, j + k, bhi)) }
        }
        blocks.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var merged: [(Int, Int, Int)] = []
        for block in blocks {
            if let last = merged.last, last.0 + last.2 == block.0, last.1 + last.2 == block.1 {
                merged[merged.count - 1].2 += block.2
            } else {
                merged.append(block)
            }
        }
        merged.append((a.count, b.count, 0))
        return merged
    }

    /// The edit script turning `a` into `b`.
    func opcodes() -> [Opcode] {
        var i = 0, j = 0
        var result: [Opcode] = []
        for (ai, bj, size) in matchingBlocks() {
            let tag: String?
            if i < ai && j < bj { tag = "replace" } else if i < ai { tag = "delete" } else if j < bj { tag = "insert" } else { tag = nil }
            if let tag { result.append(Opcode(tag: tag, a1: i, a2: ai, b1: j, b2: bj)) }
            i = ai + size
            j = bj + size
            if size > 0 { result.append(Opcode(tag: "equal", a1: ai, a2: i, b1: bj, b2: j)) }
        }
        return result
    }

    /// Opcodes split into hunks with at most `context` unchanged lines around each change.
    func groupedOpcodes(context n: Int) -> [[Opcode]] {
        var codes = opcodes()
        if codes.isEmpty { codes = [Opcode(tag: "equal", a1: 0, a2: 1, b1: 0, b2: 1)] }
        if codes[0].tag == "equal" {
            let c = codes[0]
            codes[0] = Opcode(tag: "equal", a1: max(c.a1, c.a2 - n), a2: c.a2, b1: max(c.b1, c.b2 - n), b2: c.b2)
        }
        if codes[codes.count - 1].tag == "equal" {
            let c = codes[codes.count - 1]
            codes[codes.count - 1] = Opcode(tag: "equal", a1: c.a1, a2: min(c.a2, c.a1 + n), b1: c.b1, b2: min(c.b2, c.b1 + n))
        }
        var groups: [[Opcode]] = []
        var group: [Opcode] = []
        for var code in codes {
            if code.tag == "equal" && code.a2 - code.a1 > 2 * n {
                group.append(Opcode(tag: "equal", a1: code.a1, a2: min(code.a2, code.a1 + n), b1: code.b1, b2: min(code.b2, code.b1 + n)))
                groups.append(group)
                group = []
                code.a1 = max(code.a1, code.a2 - n)
                code.b1 = max(code.b1, code.b2 - n)
            }
            group.append(code)
        }
        if !group.isEmpty && !(group.count == 1 && group[0].tag == "equal") { groups.append(group) }
        return groups
    }
}

/// `difflib.unified_diff` over lines that keep their line endings.
enum UnifiedDiff {
    /// The diff lines (each ending as its source line does; headers end with "\n").
    static func lines(_ a: [String], _ b: [String], fromFile: String, toFile: String, context: Int) -> [String] {
        var out: [String] = []
        for group in SequenceMatcher(a, b).groupedOpcodes(context: context) {
            if out.isEmpty {
                out.append("--- \(fromFile)\n")
                out.append("+++ \(toFile)\n")
            }
            let first = group[0], last = group[group.count - 1]
            out.append("@@ -\(range(first.a1, last.a2)) +\(range(first.b1, last.b2)) @@\n")
            for code in group {
                if code.tag == "equal" {
                    out += a[code.a1..<code.a2].map { " " + $0 }
                    continue
                }
                if code.tag == "replace" || code.tag == "delete" { out += a[code.a1..<code.a2].map { "-" + $0 } }
                if code.tag == "replace" || code.tag == "insert" { out += b[code.b1..<code.b2].map { "+" + $0 } }
            }
        }
        return out
    }

    /// `start,length` as unified diff hunk headers write it (`1` for one line, `0,0` for none).
    static func range(_ start: Int, _ stop: Int) -> String {
        let length = stop - start
        if length == 1 { return "\(start + 1)" }
        if length == 0 { return "\(start),0" }
        return "\(start + 1),\(length)"
    }

    /// Splits like Python's `str.splitlines(True)` for "\n", "\r\n" and "\r" endings.
    static func splitLinesKeepingEnds(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var iterator = text.unicodeScalars.makeIterator()
        var pendingCR = false
        while let scalar = iterator.next() {
            if pendingCR {
                pendingCR = false
                if scalar == "\n" {
                    current.unicodeScalars.append(scalar)
                    lines.append(current)
                    current = ""
                    continue
                }
                lines.append(current)
                current = ""
            }
            current.unicodeScalars.append(scalar)
            switch scalar {
            case "\r": pendingCR = true
            case "\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}":
                lines.append(current)
                current = ""
            default: break
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
