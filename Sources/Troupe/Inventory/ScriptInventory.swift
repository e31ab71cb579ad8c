import Foundation
import Jinja

/// An executable inventory source: runs `<script> --list` and reads its JSON (groups with
/// `hosts`/`vars`/`children`, plus `_meta.hostvars`), like ansible-core 2.19's `script`
/// plugin, with its checks and messages. Without `_meta.hostvars`, host vars come from
/// `<script> --host <name>`. `{"__ansible_unsafe": …}` values are untrusted text.
struct ScriptInventory {
    let path: String

    /// A script's output and what it wrote to stderr.
    private struct Output {
        let text: String
        let stderr: String
        /// ansible-core's help text under a failure: the script's stderr.
        var help: String { stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : "\n\nStandard error from inventory script:\n" + stderr }
    }

    /// Adds the script's groups and hosts to `data`; returns its messages (warnings,
    /// deprecations, the script's stderr).
    func run(into data: inout InventoryData) throws -> [String] {
        var messages: [String] = []
        let output = try execute(["--list"])
        let top: OrderedDict
        do {
            top = try Self.checkedDocument(output.text)
        } catch let error as InventoryBuildError {
            throw TroupeError(.parse, "Unable to get JSON decoder for inventory script result: \(error.description)\(output.help)")
        }
        let decoded: OrderedDict
        do {
            decoded = try Self.legacyDecoded(.dict(top)).dictValue ?? top
        } catch {
            throw TroupeError(.parse, "Inventory script result could not be parsed as JSON.\(output.help)")
        }
        // `always_show_stderr` (ANSIBLE_INVENTORY_PLUGIN_SCRIPT_STDERR) is on unless set false.
        if !output.stderr.isEmpty, ArgumentSpec.boolean(ProcessInfo.processInfo.environment["ANSIBLE_INVENTORY_PLUGIN_SCRIPT_STDERR"].map(Value.string) ?? true) ?? false {
            messages.append(InventoryMessage.error(output.stderr))
        }
        var metaHostVars: OrderedDict?
        var scriptHosts: [String] = []
        // What was shown before a failure (stderr, deprecations) is shown with it.
        do { do {
            for (group, groupData) in decoded {
                if group == "_meta" {
                    let hostvars = groupData["hostvars"] ?? .null
                    guard case .dict(let dict) = hostvars else {
                        throw InventoryBuildError("Value contains '_meta.hostvars' which is '\(hostvars.pythonTypeName)' instead of 'dict'.")
                    }
                    metaHostVars = dict
                    continue
                }
                try parseGroup(group, groupData, into: &data, hosts: &scriptHosts, messages: &messages)
            }
            if metaHostVars == nil {
                messages.append(deprecation("Inventory scripts should always provide 'meta.hostvars'. Host variables will be collected by running the inventory script with the '--host' option for each host."))
            }
            for host in scriptHosts {
                let vars = try metaHostVars.map { $0[host] ?? .emptyDict } ?? hostVariables(host)
                guard case .dict(let dict) = vars else {
                    throw InventoryBuildError("Invalid data from file, expected dictionary and got:\n\n\(vars.pythonString)")
                }
                for (key, value) in dict { try data.setVariable(host, key, value) }
            }
        } catch let error as InventoryBuildError {
            throw TroupeError(.parse, error.description)
        } } catch let error as TroupeError {
            throw InventorySourceFailure(messages: messages, error: error)
        }
        return messages
    }

    /// ansible-core's detect_profile_name: the result must be a JSON mapping, with an
    /// optional `_meta.profile` naming an inventory profile (only `inventory_legacy` exists).
    private static func checkedDocument(_ text: String) throws -> OrderedDict {
        guard let value = try? Value.parseJSON(text) else { throw InventoryBuildError("Value could not be parsed as JSON.") }
        guard case .dict(let top) = value else { throw InventoryBuildError("Value is '\(value.pythonTypeName)' instead of 'dict'.") }
        guard let meta = top["_meta"] else { return top }
        guard case .dict(let metaDict) = meta else { throw InventoryBuildError("Value contains '_meta' which is '\(meta.pythonTypeName)' instead of 'dict'.") }
        guard let profile = metaDict["profile"] else { return top }
        guard let name = profile.stringValue else {
            throw InventoryBuildError("Value contains '_meta.profile' which is '\(profile.pythonTypeName)' instead of 'str'.")
        }
        guard name.hasPrefix("inventory_") else { throw InventoryBuildError("Non-inventory profile '\(name)' is not allowed.") }
        guard name == "inventory_legacy" else { throw InventoryBuildError("Unknown profile name '\(name)'.") }
        return top
    }

    /// The legacy JSON profile: `{"__ansible_unsafe": text}` is untrusted text and
    /// `{"__ansible_vault": ciphertext}` a vaulted value; either with a non-string fails.
    private static func legacyDecoded(_ value: Value) throws -> Value {
        switch value {
        case .dict(let d):
            if d.count == 1, let key = d.keys.first, key == "__ansible_unsafe" || key == "__ansible_vault" {
                guard let text = d[key]?.stringValue else { throw InventoryBuildError("JSON parsing failed: \(key) is not a str") }
                return key == "__ansible_unsafe" ? .unsafe(text) : .vault(text)
            }
            return .dict(OrderedDict(try d.map { ($0.key, try legacyDecoded($0.value)) }))
        case .list(let items): return .list(try items.map(legacyDecoded))
        default: return value
        }
    }

    /// `<script> --host <name>`: that host's variables (empty output: none).
    private func hostVariables(_ host: String) throws -> Value {
        let output = try execute(["--host", host])
        if output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .emptyDict }
        guard let value = try? Self.legacyDecoded(Value.parseJSON(output.text)) else {
            throw TroupeError(.parse, "Inventory script result for host '\(host)' could not be parsed as JSON.\(output.help)")
        }
        return value
    }

    /// ansible-core's deprecation text for the script plugin's legacy forms.
    private func deprecation(_ text: String) -> String {
        InventoryMessage.deprecation("\(text) This feature will be removed from inventory plugin 'script' in ansible-core version 2.23.\nOrigin: <inventory script output from '\(path)'>\n")
    }

    private func parseGroup(_ name: String, _ value: Value, into data: inout InventoryData, hosts: inout [String],
                            messages: inout [String]) throws {
        data.addGroup(name, location: nil)
        var groupData: OrderedDict
        if case .dict(let dict) = value {
            groupData = dict
            if !["hosts", "vars", "children"].contains(where: dict.contains) {
                // Its variables came from no trusted source: they are never templated.
                messages.append(deprecation("Treating malformed group '\(name)' as the sole host of that group. Variables provided in this manner cannot be templated."))
                groupData = OrderedDict([("hosts", .list([.string(name)])), ("vars", value.markedUntrusted)])
            }
        } else {
            messages.append(deprecation("Group '\(name)' was converted to 'dict' from '\(value.pythonTypeName)'."))
            groupData = OrderedDict([("hosts", value)])
        }
        if let list = groupData["hosts"] {
            guard case .list(let items) = list else {
                throw InventoryBuildError("Value contains '\(name).hosts' which is '\(list.pythonTypeName)' instead of 'list'.")
            }
            for item in items {
                let host = item.pythonString
                if !hosts.contains(host) { hosts.append(host) }
                try data.addHost(host, group: name, location: nil)
            }
        }
        if let vars = groupData["vars"] {
            guard case .dict(let dict) = vars else {
                throw InventoryBuildError("Value contains '\(name).vars' which is '\(vars.pythonTypeName)' instead of 'dict'.")
            }
            for (key, value) in dict { try data.setVariable(name, key, value) }
        }
        if let children = groupData["children"], case .list(let items) = children {
            for child in items {
                let childName = data.addGroup(child.pythonString, location: nil)
                try data.addChild(name, childName)
            }
        }
    }

    private func execute(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw TroupeError(.parse, "Failed to execute inventory script command '\(([path] + arguments).joined(separator: " "))'.")
        }
        // Drain stderr concurrently so a chatty script cannot block on a full pipe.
        let errorBuffer = ErrorBuffer()
        let drained = DispatchGroup()
        drained.enter()
        DispatchQueue.global().async {
            errorBuffer.data = stderr.fileHandleForReading.readDataToEndOfFile()
            drained.leave()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        var errorText = String(decoding: errorBuffer.data, as: UTF8.self)
        if !errorText.isEmpty && !errorText.hasSuffix("\n") { errorText += "\n" }
        let help = Output(text: "", stderr: errorText).help
        guard process.terminationStatus == 0 else {
            throw TroupeError(.parse, "Inventory script returned non-zero exit code \(process.terminationStatus).\(help)")
        }
        guard let text = String(data: output, encoding: .utf8) else {
            throw TroupeError(.parse, "Inventory script result contained characters that cannot be interpreted as UTF-8.\(help)")
        }
        return Output(text: text, stderr: errorText)
    }
}

/// Holds stderr bytes read on another thread (written once, read after `wait`).
private final class ErrorBuffer: @unchecked Sendable {
    var data = Data()
}

/// A source that failed after it had messages to show (the script's stderr, deprecations).
struct InventorySourceFailure: Error {
    let messages: [String]
    let error: TroupeError
}

/// Messages an inventory source returns among its warnings that the display shows as
/// something else ("[DEPRECATION WARNING]: …", "[ERROR]: …").
enum InventoryMessage {
    case warning(String), deprecation(String), error(String)

    private static let deprecationMark = "\u{1}deprecation\u{1}"
    private static let errorMark = "\u{1}error\u{1}"

    static func deprecation(_ text: String) -> String { deprecationMark + text }
    static func error(_ text: String) -> String { errorMark + text }

    static func decode(_ message: String) -> InventoryMessage {
        if message.hasPrefix(deprecationMark) { return .deprecation(String(message.dropFirst(deprecationMark.count))) }
        if message.hasPrefix(errorMark) { return .error(String(message.dropFirst(errorMark.count))) }
        return .warning(message)
    }
}

extension Value {
    /// Every string inside marked untrusted (`.unsafe`).
    var markedUntrusted: Value {
        switch self {
        case .string(let s): return .unsafe(s)
        case .list(let items): return .list(items.map(\.markedUntrusted))
        case .dict(let d): return .dict(OrderedDict(d.map { ($0.key, $0.value.markedUntrusted) }))
        default: return self
        }
    }
}
