import Foundation
import Jinja

/// An executable inventory source: runs `<script> --list` and reads its JSON (groups with
/// `hosts`/`vars`/`children`, plus `_meta.hostvars`), like Ansible's `script` plugin.
/// Without `_meta.hostvars`, host vars come from `<script> --host <name>`.
struct ScriptInventory {
    let path: String

    /// Adds the script's groups and hosts to `data`; returns warnings.
    func run(into data: inout InventoryData) throws -> [String] {
        let output = try execute(["--list"])
        let parsed: Value
        do { parsed = try Value.parseJSON(output) } catch {
            throw TroupeError(.parse, "Inventory script result could not be parsed as JSON.", location: SourceLocation(file: path, line: 1, column: 1))
        }
        guard case .dict(let top) = parsed else {
            throw TroupeError(.parse, "Inventory script result could not be parsed as JSON.", location: SourceLocation(file: path, line: 1, column: 1))
        }
        var metaHostVars: OrderedDict?
        var scriptHosts: [String] = []
        do {
            for (group, groupData) in top {
                if group == "_meta" {
                    guard case .dict(let hostvars)? = groupData["hostvars"] else {
                        throw TroupeError(.parse, "Value contains '_meta.hostvars' which is not a dict.")
                    }
                    metaHostVars = hostvars
                    continue
                }
                try parseGroup(group, groupData, into: &data, hosts: &scriptHosts)
            }
            for host in scriptHosts {
                let vars: Value
                if let metaHostVars {
                    vars = metaHostVars[host] ?? .emptyDict
                } else {
                    vars = (try? Value.parseJSON(execute(["--host", host]))) ?? .emptyDict
                }
                guard case .dict(let dict) = vars else {
                    throw TroupeError(.parse, "Invalid data from file, expected dictionary and got:\n\n\(vars.pythonString)")
                }
                for (key, value) in dict { try data.setVariable(host, key, value) }
            }
        } catch let error as InventoryBuildError {
            throw TroupeError(.parse, error.description, location: SourceLocation(file: path, line: 1, column: 1))
        }
        return []
    }

    private func parseGroup(_ name: String, _ value: Value, into data: inout InventoryData, hosts: inout [String]) throws {
        data.addGroup(name, location: nil)
        var groupData: OrderedDict
        if case .dict(let dict) = value {
            groupData = dict
            if !["hosts", "vars", "children"].contains(where: dict.contains) {
                groupData = OrderedDict([("hosts", .list([.string(name)])), ("vars", value)])
            }
        } else {
            groupData = OrderedDict([("hosts", value)])
        }
        if let list = groupData["hosts"] {
            guard case .list(let items) = list else {
                throw TroupeError(.parse, "Value contains '\(name).hosts' which is '\(list.pythonTypeName)' instead of 'list'.")
            }
            for item in items {
                let host = item.pythonString
                if !hosts.contains(host) { hosts.append(host) }
                try data.addHost(host, group: name, location: nil)
            }
        }
        if let vars = groupData["vars"] {
            guard case .dict(let dict) = vars else {
                throw TroupeError(.parse, "Value contains '\(name).vars' which is '\(vars.pythonTypeName)' instead of 'dict'.")
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

    private func execute(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw TroupeError(.parse, "Failed to execute inventory script \(path): \(error)")
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
        let errorOutput = errorBuffer.data
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorOutput, as: UTF8.self)
            throw TroupeError(.parse, "Inventory script (\(path)) had an execution error: \(message)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Holds stderr bytes read on another thread (written once, read after `wait`).
private final class ErrorBuffer: @unchecked Sendable {
    var data = Data()
}
