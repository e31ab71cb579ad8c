import Foundation
import Jinja

/// Values written on ansible-playbook's command line that need parsing: `-e` and `--limit`.
public enum CommandLineValues {
    /// `-e`: `k=v k2=v2`, a YAML/JSON mapping, or `@file`.
    public static func extraVars(_ text: String, loader: DataLoader) throws -> OrderedDict {
        if text.hasPrefix("@") {
            let path = loader.absolutePath(String(text.dropFirst()))
            return try loader.loadVariablesFile(path)
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            guard let node = try YAMLLoader().load(trimmed, file: "<extra vars>"), let dict = node.value.dictValue else {
                throw TroupeError(.options, "Invalid extra vars data supplied. '\(text)' could not be made into a dictionary")
            }
            return Value.dict(dict).legacyUnsafeDecoded.dictValue ?? dict
        }
        let parsed = KeyValueParser.parse(text, checkRaw: false)
        if parsed["_raw_params"] != nil {
            throw TroupeError(.options, "Invalid extra vars data supplied. '\(text)' could not be made into a dictionary")
        }
        return parsed
    }

    /// `--limit @file` reads one pattern per line.
    public static func limitPattern(_ text: String) throws -> String {
        guard text.hasPrefix("@") else { return text }
        let path = String(text.dropFirst())
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TroupeError(.options, "Unable to find limit file '\(path)'")
        }
        return contents.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: ",")
    }
}
