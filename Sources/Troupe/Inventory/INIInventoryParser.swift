import Foundation
import Jinja

/// Reads INI inventory files the way Ansible's `ini` inventory plugin does: hosts before
/// any section are ungrouped, `[g]` lists hosts with inline `k=v` vars, `[g:vars]` sets
/// group vars, `[g:children]` nests groups; values are typed with ``PythonLiteral``.
struct INIInventoryParser {
    let path: String

    private enum SectionState: String { case hosts, children, vars }

    private struct Pending {
        var line: Int
        var state: SectionState
        var parents: [String]
    }

    /// Parses `text` into `data`; throws a `.parse` TroupeError naming file:line:column.
    func parse(_ text: String, into data: inout InventoryData) throws {
        var pending: [String: Pending] = [:]
        var pendingOrder: [String] = []
        var group = "ungrouped"
        var state = SectionState.hosts
        var lineNumber = 0
        var column = 1

        func fail(_ message: String) -> TroupeError {
            TroupeError(.parse, "Failed to parse inventory: \(message)",
                        location: SourceLocation(file: path, line: lineNumber, column: column))
        }
        func location() -> SourceLocation { SourceLocation(file: path, line: lineNumber, column: column) }

        for rawLine in Self.lines(of: text) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            column = (rawLine.firstIndex { !$0.isWhitespace }).map { rawLine.distance(from: rawLine.startIndex, to: $0) + 1 } ?? 1
            guard let first = line.first, first != "#", first != ";" else { continue }

            if let (name, tag) = Self.sectionHeader(line) {
                let newState: SectionState
                if let tag {
                    guard let known = SectionState(rawValue: tag) else {
                        throw fail("Section [\(name):\(tag)] has unknown type: \(tag)")
                    }
                    newState = known
                } else {
                    newState = .hosts
                }
                group = name
                state = newState
                if data.groups[name] == nil {
                    if state == .vars && pending[name] == nil {
                        pending[name] = Pending(line: lineNumber, state: .vars, parents: [])
                        pendingOrder.append(name)
                    }
                    data.addGroup(name, location: location())
                }
                if let declaration = pending[name], state != .vars {
                    if declaration.state == .children {
                        try addPendingChildren(name, &pending, &data, fail)
                    } else {
                        pending[name] = nil
                    }
                }
                continue
            } else if line.hasPrefix("[") && line.hasSuffix("]") {
                throw fail("Invalid section entry: '\(line)'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters")
            }

            switch state {
            case .hosts:
                let words: [String]
                do { words = try ShellWords.split(line, comments: true) } catch {
                    throw fail("Error parsing host definition '\(line)': \(error)")
                }
                guard let pattern = words.first else { throw fail("Error parsing host definition '\(line)': list index out of range") }
                let (names, port) = try expandHostPattern(pattern, fail: fail)
                var variables: [(String, Value)] = []
                for word in words.dropFirst() {
                    guard let eq = word.firstIndex(of: "=") else {
                        throw fail("Expected key=value host variable assignment, got: \(word)")
                    }
                    variables.append((String(word[..<eq]), PythonLiteral.typedValue(String(word[word.index(after: eq)...]))))
                }
                for name in names {
                    do {
                        try data.addHost(name, group: group, port: port, location: location())
                        for (key, value) in variables { try data.setVariable(name, key, value) }
                    } catch let error as InventoryBuildError {
                        throw fail(error.description)
                    }
                }
            case .vars:
                guard let eq = line.firstIndex(of: "=") else { throw fail("Expected key=value, got: \(line)") }
                let key = line[..<eq].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                do { try data.setVariable(group, key, PythonLiteral.typedValue(value)) } catch let error as InventoryBuildError {
                    throw fail(error.description)
                }
            case .children:
                guard let child = Self.groupName(line) else { throw fail("Expected group name, got: \(line)") }
                if data.groups[child] == nil {
                    if pending[child] == nil {
                        pending[child] = Pending(line: lineNumber, state: .children, parents: [group])
                        pendingOrder.append(child)
                    } else {
                        pending[child]?.parents.append(group)
                    }
                } else {
                    do { try data.addChild(group, child) } catch let error as InventoryBuildError { throw fail(error.description) }
                }
            }
        }
        for name in pendingOrder {
            guard let declaration = pending[name] else { continue }
            lineNumber = declaration.line
            column = 1
            if declaration.state == .vars {
                throw fail("Section [\(name):vars] not valid for undefined group '\(name)'.")
            } else {
                throw fail("Section [\(declaration.parents.last ?? name):children] includes undefined group '\(name)'.")
            }
        }
    }

    private func addPendingChildren(_ group: String, _ pending: inout [String: Pending], _ data: inout InventoryData,
                                    _ fail: (String) -> TroupeError) throws {
        guard let declaration = pending[group] else { return }
        for parent in declaration.parents {
            do { try data.addChild(parent, group) } catch let error as InventoryBuildError { throw fail(error.description) }
            if let parentDeclaration = pending[parent], parentDeclaration.state == .children {
                try addPendingChildren(parent, &pending, &data, fail)
            }
        }
        pending[group] = nil
    }

    /// The base plugin's host pattern expansion plus the INI plugin's extra checks.
    private func expandHostPattern(_ pattern: String, fail: (String) -> TroupeError) throws -> ([String], Int?) {
        let (names, port) = try Self.expandHostPattern(pattern, fail: fail)
        if pattern.trimmingCharacters(in: .whitespaces).hasSuffix(":") && port == nil {
            throw fail("Invalid host pattern '\(pattern)' supplied, ending in ':' is not allowed, this character is reserved to provide a port.")
        }
        if names.contains(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) {
            throw fail("Invalid host pattern '\(pattern)' supplied, '---' is normally a sign this is a YAML file.")
        }
        return (names, port)
    }

    /// Splits an optional port off `pattern` and expands its ranges.
    static func expandHostPattern(_ pattern: String, fail: (String) -> TroupeError) throws -> ([String], Int?) {
        var host = pattern
        var port: Int?
        if let parsed = HostAddress.parse(pattern, allowRanges: true) {
            host = parsed.host
            port = parsed.port
        }
        do {
            return (try HostRangeExpander.expand(host), port)
        } catch {
            throw fail("\(error)")
        }
    }

    /// Lines as Python's `str.splitlines()` splits them.
    static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0.isNewline }.dropLastIfEmpty(text)
    }

    /// `[name]` or `[name:tag]`, optionally followed by whitespace and a `#` comment.
    static func sectionHeader(_ line: String) -> (String, String?)? {
        guard line.hasPrefix("[") else { return nil }
        var rest = line.dropFirst()
        let name = rest.prefix { $0 != ":" && $0 != "]" && !$0.isWhitespace }
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var tag: Substring?
        if rest.first == ":" {
            let word = rest.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !word.isEmpty else { return nil }
            tag = word
            rest = rest.dropFirst(1 + word.count)
        }
        guard rest.first == "]" else { return nil }
        guard trailingIsComment(rest.dropFirst()) else { return nil }
        return (String(name), tag.map(String.init))
    }

    /// A child group line: a name, optionally followed by whitespace and a `#` comment.
    static func groupName(_ line: String) -> String? {
        let name = line.prefix { $0 != ":" && $0 != "]" && !$0.isWhitespace }
        guard !name.isEmpty, trailingIsComment(line.dropFirst(name.count)) else { return nil }
        return String(name)
    }

    private static func trailingIsComment(_ rest: Substring) -> Bool {
        let trimmed = rest.drop { $0.isWhitespace }
        return trimmed.isEmpty || trimmed.first == "#"
    }
}

private extension Array where Element == Substring {
    /// `splitlines()` drops the empty piece after a final newline.
    func dropLastIfEmpty(_ text: String) -> [Substring] {
        if let last, last.isEmpty, text.last?.isNewline == true { return Array(dropLast()) }
        return self
    }
}
