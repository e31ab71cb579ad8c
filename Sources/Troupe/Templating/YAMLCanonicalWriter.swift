/// `to_yaml(canonical=True)`: PyYAML's canonical form — an explicit `---`, every node
/// tagged, every scalar double-quoted, collections in flow style one entry per line with
/// trailing commas, and mapping keys written as `? key` / `: value`.
struct YAMLCanonicalWriter {
    let options: YAMLEmitter.Options

    func dump(_ node: YAMLOutputNode) -> String {
        var out = "---\n"
        write(node, indent: 0, into: &out)
        return out + "\n"
    }

    private func write(_ node: YAMLOutputNode, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 2)
        switch node {
        case let .scalar(text, tag, _, _):
            out += YAMLWriter.shortTag(tag) + " " + quoted(text)
        case .sequence(let items, _):
            guard !items.isEmpty else { out += "!!seq []"; return }
            out += "!!seq [\n"
            for item in items {
                out += pad
                write(item, indent: indent + 2, into: &out)
                out += ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .mapping(let pairs, _):
            guard !pairs.isEmpty else { out += "!!map {}"; return }
            out += "!!map {\n"
            for (key, value) in pairs {
                out += pad + "? "
                write(key, indent: indent + 2, into: &out)
                out += "\n" + pad + ": "
                write(value, indent: indent + 2, into: &out)
                out += ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// A double-quoted scalar with PyYAML's escapes (not folded).
    private func quoted(_ text: String) -> String {
        var writer = YAMLWriter(options: options)
        writer.writeDoubleQuotedScalar(Array(text.unicodeScalars), split: false, allowUnicode: options.allowUnicode)
        return writer.output.trimmingCharacters(in: .whitespaces)
    }
}
