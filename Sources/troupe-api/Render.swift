import TroupeClient

/// Output of `troupe api`: pretty JSON, or a plain table of a list's results (or of one object).
enum Render {
    static func output(_ value: JSONValue, format: OutputFormat, columns: String?) -> String {
        switch format {
        case .json: return value.jsonString(pretty: true)
        case .table: return table(value, columns: columns)
        }
    }

    static func table(_ value: JSONValue, columns: String?) -> String {
        if let results = value["results"]?.arrayValue {
            let objects = results.compactMap(\.objectValue)
            let names = columns.map(split) ?? defaultColumns(objects)
            let rows = objects.map { object in names.map { cell(object[$0]) } }
            return align([names] + rows)
        }
        guard let object = value.objectValue else { return value.jsonString() }
        let names = columns.map(split) ?? object.keys.sorted().filter { $0 != "related" && $0 != "summary_fields" }
        return align([["field", "value"]] + names.map { [$0, cell(object[$0])] })
    }

    static func split(_ columns: String) -> [String] {
        columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func defaultColumns(_ objects: [[String: JSONValue]]) -> [String] {
        var names = ["id"]
        for candidate in ["name", "status", "type"] where objects.contains(where: { $0[candidate] != nil }) {
            names.append(candidate)
        }
        return names
    }

    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case let other?: return other.jsonString()
        }
    }

    static func align(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
