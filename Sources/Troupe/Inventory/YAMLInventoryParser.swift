import Foundation
import Jinja

/// Reads YAML (and JSON) inventory files the way Ansible's `yaml` inventory plugin
/// does: top-level keys are groups, each with optional `hosts`, `vars` and `children`.
struct YAMLInventoryParser {
    let path: String

    /// Parses `text` into `data`, appending non-fatal problems to `warnings`.
    func parse(_ text: String, into data: inout InventoryData, warnings: inout [String]) throws {
        var loaderWarnings: [String] = []
        let collector = WarningCollector()
        let root = try YAMLLoader(warn: { collector.add($0) }).load(text, file: path)
        loaderWarnings = collector.messages
        guard let root, root.entries.map({ !$0.isEmpty }) ?? root.value.isTruthy else {
            throw TroupeError(.parse, "Parsed empty YAML file", location: SourceLocation(file: path, line: 1, column: 1))
        }
        guard let entries = root.entries else {
            throw TroupeError(.parse, "YAML inventory has invalid structure, it should be a dictionary, got: <class '\(root.value.pythonTypeName)'>",
                              location: root.location)
        }
        if let plugin = root["plugin"], plugin.value.isTruthy {
            throw TroupeError(.parse, "Plugin configuration YAML file, not YAML inventory", location: plugin.location)
        }
        warnings += loaderWarnings
        for entry in entries {
            try parseGroup(entry.key, entry.value, at: entry.keyLocation, into: &data, warnings: &warnings)
        }
    }

    @discardableResult
    private func parseGroup(_ name: String, _ node: YAMLNode, at location: SourceLocation,
                            into data: inout InventoryData, warnings: inout [String]) throws -> String {
        let isNull = node.scalar?.isNull ?? false
        guard node.entries != nil || isNull else {
            warnings.append("Skipping '\(name)' as this is not a valid group definition")
            return name
        }
        guard !name.isEmpty else { throw TroupeError(.parse, "Unable to add group \(name): Invalid empty/false group name provided: \(name)", location: location) }
        data.addGroup(name, location: location)
        guard let entries = node.entries else { return name }

        for section in ["vars", "children", "hosts"] {
            guard let value = node[section] else { continue }
            if value.scalar?.isNull == true || value.entries != nil { continue }
            if case .string = value.scalar ?? .null { continue }
            throw TroupeError(.parse, "Invalid \"\(section)\" entry for \"\(name)\" group, requires a dictionary, found \"<class '\(value.value.pythonTypeName)'>\" instead.",
                              location: value.location)
        }
        for entry in entries {
            let value = entry.value
            // A plain string in vars/children/hosts means `{string: null}`.
            var members: [YAMLEntry]?
            if let stringValue = value.scalar?.stringValue, ["vars", "children", "hosts"].contains(entry.key) {
                members = [YAMLEntry(key: stringValue, keyLocation: value.location,
                                     value: YAMLNode(.scalar(.null), location: value.location))]
            } else {
                members = value.entries
            }
            if members == nil && !(value.scalar?.isNull ?? false) {
                warnings.append("Skipping key (\(entry.key)) in group (\(name)) as it is not a mapping, it is a <class '\(value.value.pythonTypeName)'>")
                continue
            }
            guard let members else { continue }
            do {
                switch entry.key {
                case "vars":
                    for variable in members {
                        try data.setVariable(name, variable.key, variable.value.value)
                    }
                case "children":
                    for child in members {
                        let childName = try parseGroup(child.key, child.value, at: child.keyLocation, into: &data, warnings: &warnings)
                        try data.addChild(name, childName)
                    }
                case "hosts":
                    for hostEntry in members {
                        try addHosts(hostEntry, group: name, into: &data)
                    }
                default:
                    warnings.append("Skipping unexpected key (\(entry.key)) in group (\(name)), only \"vars\", \"children\" and \"hosts\" are valid")
                }
            } catch let error as InventoryBuildError {
                throw TroupeError(.parse, error.description, location: entry.keyLocation)
            }
        }
        return name
    }

    private func addHosts(_ entry: YAMLEntry, group: String, into data: inout InventoryData) throws {
        let fail = { (message: String) in TroupeError(.parse, message, location: entry.keyLocation) }
        // ansible-core's yaml inventory only expands string patterns.
        if let typed = entry.typedKey, typed.intValue != nil || typed.doubleValue != nil {
            throw fail("Host pattern \(entry.key) must be a string. Enclose integers/floats in quotation marks.")
        }
        let (names, port) = try INIInventoryParser.expandHostPattern(entry.key, fail: fail)
        let variables: [YAMLEntry]
        if entry.value.scalar?.isNull == true || (entry.value.scalar.map { !$0.isTruthy } ?? false) {
            variables = []
        } else if let entries = entry.value.entries {
            variables = entries
        } else {
            throw TroupeError(.parse, "Invalid data from file, expected dictionary and got:\n\n\(entry.value.value.pythonString)",
                              location: entry.value.location)
        }
        for name in names {
            do {
                try data.addHost(name, group: group, port: port, location: entry.keyLocation)
                for variable in variables { try data.setVariable(name, variable.key, variable.value.value) }
            } catch let error as InventoryBuildError {
                throw fail(error.description)
            }
        }
    }
}

/// Gathers loader warnings from a `@Sendable` callback.
final class WarningCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ message: String) { lock.lock(); stored.append(message); lock.unlock() }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
