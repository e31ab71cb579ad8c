import Foundation
@testable import Troupe

/// Locates the inventory fixtures bundled with the tests.
enum InventoryFixtures {
    static var root: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/inventory").path
    }

    static func path(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }

    static func manager(_ sources: String..., workingDirectory: String? = nil) throws -> InventoryManager {
        var options = InventoryManager.Options()
        if let workingDirectory { options.workingDirectory = path(workingDirectory) }
        return try InventoryManager(sources: sources.map(path), options: options)
    }

    static func golden(_ name: String) throws -> String {
        var text = try String(contentsOfFile: path("golden/" + name), encoding: .utf8)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// A scratch directory removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-inventory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
