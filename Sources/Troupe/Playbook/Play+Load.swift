import Foundation
import Jinja

extension YAMLNode {
    /// A node tree for data built in code (`Play.load` from a dictionary); every node
    /// carries `location`.
    public init(value: Value, location: SourceLocation) {
        switch value {
        case .list(let items):
            self.init(.sequence(items.map { YAMLNode(value: $0, location: location) }), location: location)
        case .dict(let dict):
            self.init(.mapping(dict.map { YAMLEntry(key: $0.key, keyLocation: location, value: YAMLNode(value: $0.value, location: location)) }),
                      location: location)
        default:
            self.init(.scalar(value), location: location)
        }
    }
}

extension Play {
    /// Builds a play from a dictionary, as Ansible's `Play().load(play_source, ...)`.
    /// The variable manager is accepted for API parity; variables are bound at run time.
    public static func load(_ source: Value, variableManager: VariableManager? = nil, loader: DataLoader,
                            modules: ModuleRegistry = .standard()) throws -> Play {
        let node = YAMLNode(value: source, location: SourceLocation(file: "<play source>", line: 1, column: 1))
        var parser = PlaybookParser(loader: loader, actionExists: modules.contains)
        parser.moduleLibrary = modules.library
        parser.pythonPlugins = modules.pythonPlugins
        parser.collections = modules.collections
        return try parser.parsePlay(node, directory: loader.baseDirectory)
    }

    /// Builds a play from YAML text holding one play (a mapping).
    public static func load(yaml: String, loader: DataLoader, modules: ModuleRegistry = .standard()) throws -> Play {
        guard let node = try YAMLLoader(warn: loader.warn).load(yaml, file: "<play source>") else {
            throw TroupeError(.parse, "empty play source")
        }
        var parser = PlaybookParser(loader: loader, actionExists: modules.contains)
        parser.moduleLibrary = modules.library
        parser.pythonPlugins = modules.pythonPlugins
        parser.collections = modules.collections
        return try parser.parsePlay(node, directory: loader.baseDirectory)
    }
}
