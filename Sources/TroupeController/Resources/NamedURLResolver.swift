import Foundation
import SQLKit

/// AWX named URLs: `web1++Inv1++Org1` for a host. Each node's identifying values are
/// joined by `+`, nodes (the object, then its foreign keys depth-first, sorted) by `++`;
/// `; / ? : @ = & [ ]` are percent-encoded and a literal `+` is written `[+]`.
/// Traversal is stateless (AWX's shared-state bug, PR #15683, cannot happen here).
struct NamedURLResolver {
    let database: Database

    /// The format string shown in `settings/named-url/` (`<name>++<inventory.name>++…`).
    static func format(_ descriptor: ResourceDescriptor) -> String? {
        guard let named = descriptor.namedURL else { return nil }
        var nodes: [String] = []
        func walk(_ d: ResourceDescriptor, prefix: String) {
            guard let n = d.namedURL else { return }
            nodes.append(n.fields.map { "<\(prefix)\($0)>" }.joined(separator: "+"))
            for parent in n.parents {
                if let target = ResourceCatalog.descriptor(parent.target) { walk(target, prefix: prefix + parent.field + ".") }
            }
        }
        _ = named
        walk(descriptor, prefix: "")
        return nodes.joined(separator: "++")
    }

    /// `{fields, adj_list}` for `NAMED_URL_GRAPH_NODES`.
    static func graphNode(_ descriptor: ResourceDescriptor) -> JSON? {
        guard let named = descriptor.namedURL else { return nil }
        return ["fields": .array(named.fields.map(JSON.string)),
                "adj_list": .array(named.parents.map { [.string($0.field), .string($0.target)] })]
    }

    static func encodeValue(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case ";", "/", "?", ":", "@", "=", "&", "[", "]":
                out += String(character).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? String(character)
            default: out.append(character)
            }
        }
        return out.replacingOccurrences(of: "+", with: "[+]")
    }

    /// The object id a named URL designates, or nil.
    func resolve(_ descriptor: ResourceDescriptor, _ text: String) async throws -> Int? {
        guard descriptor.namedURL != nil, !text.contains("\u{0}") else { return nil }
        let normalized = text.replacingOccurrences(of: "[+]", with: "%2B")
        var nodes = normalized.components(separatedBy: "++")[...]
        var aliasCounter = 0
        guard let condition = try build(descriptor, nodes: &nodes, alias: "n0", counter: &aliasCounter), nodes.isEmpty else { return nil }
        var query = SQLFragment("SELECT n0.id FROM \"\(descriptor.table)\" n0 WHERE ")
        query.append(condition)
        query.append(" ORDER BY n0.id LIMIT 1")
        return try await database.all(query).first?.decode(column: "id", as: Int.self)
    }

    private func build(_ descriptor: ResourceDescriptor, nodes: inout ArraySlice<String>, alias: String, counter: inout Int) throws -> SQLFragment? {
        guard let named = descriptor.namedURL, let node = nodes.popFirst() else { return nil }
        let values = node.components(separatedBy: "+").map { $0.removingPercentEncoding ?? $0 }
        guard values.count == named.fields.count else { return nil }
        var parts: [SQLFragment] = []
        for (field, value) in zip(named.fields, values) {
            guard let column = descriptor.field(field)?.sql(alias: alias) else { return nil }
            var f = SQLFragment("\(column) = ")
            f.bind(.string(value))
            parts.append(f)
        }
        for parent in named.parents {
            guard let target = ResourceCatalog.descriptor(parent.target), let column = descriptor.field(parent.field)?.sql(alias: alias) else { return nil }
            if nodes.first == "" {
                // An empty node: the foreign key is null, and its subtree is skipped.
                nodes.removeFirst()
                parts.append(SQLFragment("\(column) IS NULL"))
                continue
            }
            counter += 1
            let inner = "n\(counter)"
            guard let sub = try build(target, nodes: &nodes, alias: inner, counter: &counter) else { return nil }
            parts.append(SQLFragment("\(column) IN (SELECT \(inner).id FROM \"\(target.table)\" \(inner) WHERE ") + sub + SQLFragment(")"))
        }
        return SQLFragment.joined(parts, with: "AND")
    }

    /// The named-URL identifier of `record` (detail views' `related.named_url`).
    func encode(_ descriptor: ResourceDescriptor, record: Record) async throws -> String? {
        guard let named = descriptor.namedURL else { return nil }
        var nodes: [String] = [named.fields.map { NamedURLResolver.encodeValue(record[$0].stringValue ?? "") }.joined(separator: "+")]
        for parent in named.parents {
            guard let target = ResourceCatalog.descriptor(parent.target) else { continue }
            guard let id = record.int(parent.field) else { nodes.append(""); continue }
            let rows = try await database.all(SQLFragment(selectAll(target)) + {
                var f = SQLFragment(" WHERE t0.id = "); f.bind(.int(id)); return f
            }())
            guard let row = rows.first else { nodes.append(""); continue }
            var values: [String: JSON] = [:]
            let names = (target.namedURL?.fields ?? []) + (target.namedURL?.parents.map(\.field) ?? [])
            for name in names {
                guard let field = target.field(name) else { continue }
                values[name] = try ResourceReader.decodeValue(row, column: name, kind: field.kind)
            }
            if let sub = try await encode(target, record: Record(id: id, values: values)) { nodes.append(sub) }
        }
        return nodes.joined(separator: "++")
    }

    private func selectAll(_ d: ResourceDescriptor) -> String {
        let names = (d.namedURL?.fields ?? []) + (d.namedURL?.parents.map(\.field) ?? [])
        let columns = names.compactMap { name in d.field(name)?.sql(alias: "t0").map { "\($0) AS \"\(name)\"" } }
        return "SELECT t0.id AS \"id\", " + columns.joined(separator: ", ") + " FROM \"\(d.table)\" t0"
    }
}
