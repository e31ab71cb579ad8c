import Foundation

/// A custom module's file as read on the controller, shipped with the invocation so a
/// worker can upload and run it. The protocol follows from the content, as Ansible's
/// module_common decides it.
public struct CustomModuleSource: Sendable, Hashable {
    /// How the module receives its arguments and how it is started.
    public enum Style: String, Sendable {
        /// A Python module importing `ansible.module_utils`: JSON `{"ANSIBLE_MODULE_ARGS": …}` on stdin.
        case newPython
        /// `<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>` in the file is replaced by the JSON arguments.
        case jsonArgs
        /// `WANT_JSON` in the file: a JSON arguments file path as the first argument.
        case wantJSON
        /// Anything else with an interpreter line: a `k=v` arguments file path.
        case old
        /// Not text: executed directly with a JSON arguments file path.
        case binary
        /// A zip packed on the controller (`PythonModulePacker`): the module with its
        /// module_utils, run as `python payload.zip` with the JSON arguments on stdin.
        case payload
    }

    /// The task's module name (short name).
    public var name: String
    /// The module file's bytes.
    public var data: Data
    /// `ansible_python_interpreter` as templated for the host; nil or `auto…` discovers one.
    public var pythonInterpreter: String?
    /// For a packed payload: the name the module runs as (`ansible.modules.x`,
    /// `ansible_collections.ns.coll.plugins.modules.x`); nil for a module file as is.
    public var payloadFQN: String?
    /// The task's `no_log`, passed as `_ansible_no_log`.
    public var noLog = false
    /// The run's `-v` count, passed as `_ansible_verbosity`.
    public var verbosity = 0

    /// Creates a source; `pythonInterpreter` nil means discovery.
    public init(name: String, data: Data, pythonInterpreter: String? = nil, payloadFQN: String? = nil) {
        self.name = name
        self.data = data
        self.pythonInterpreter = pythonInterpreter
        self.payloadFQN = payloadFQN
    }

    /// The protocol, by Ansible's rules: binary sniffing first, then the module_utils
    /// import patterns, the JSON-args marker, `WANT_JSON`, else old-style.
    public var style: Style {
        if payloadFQN != nil { return .payload }
        if CustomModuleSource.isBinary(data) { return .binary }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("#<<INCLUDE_ANSIBLE_MODULE_COMMON>>") { return .newPython }
        if CustomModuleSource.newStylePython.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
            return .newPython
        }
        if text.contains("<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>") { return .jsonArgs }
        if text.contains("WANT_JSON") { return .wantJSON }
        return .old
    }

    /// Whether the file is a new-style Python module (imports module_utils), which is packed
    /// with its module_utils rather than shipped alone.
    public var isNewStylePython: Bool { payloadFQN == nil && style == .newPython }

    /// The interpreter line's words (`#!/usr/bin/env python3` → `["/usr/bin/env", "python3"]`), nil without one.
    public var shebang: [String]? {
        guard data.starts(with: Data("#!".utf8)) else { return nil }
        let firstLine = data.prefix { $0 != UInt8(ascii: "\n") }.dropFirst(2)
        let words = String(decoding: firstLine, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        return words.isEmpty ? nil : words.map(String.init)
    }

    /// Whether the interpreter line names Python, so `ansible_python_interpreter` replaces it.
    public var shebangIsPython: Bool {
        guard let words = shebang else { return false }
        let program = (words[0] as NSString).lastPathComponent == "env" && words.count > 1 ? words[1] : words[0]
        return (program as NSString).lastPathComponent.hasPrefix("python")
    }

    // Ansible's NEW_STYLE_PYTHON_MODULE_RE: imports of module_utils, relative, collection or core.
    private static let newStylePython = try! NSRegularExpression(pattern:
        #"(?:from +\.{2,} *module_utils.* +import |from +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.* +import |import +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.*|from +ansible\.module_utils.* +import |import +ansible\.module_utils\.)"#)

    /// module_common's heuristic: a control byte other than common whitespace/escape in the first 1 KiB.
    static func isBinary(_ data: Data) -> Bool {
        let allowed: Set<UInt8> = [7, 8, 9, 10, 12, 13, 27]
        return data.prefix(1024).contains { ($0 < 0x20 && !allowed.contains($0)) || $0 == 0x7f }
    }
}
