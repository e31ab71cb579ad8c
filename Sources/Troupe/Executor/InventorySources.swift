import Foundation
import Jinja

/// `ansible_version` for users of the library: the ansible-core release Troupe matches.
public enum AnsibleCompatibility {
    /// The ansible-core version string Troupe follows (`ansible_version.full`).
    public static let version = AnsibleVersion.full
}

/// Builds the inventory for `-i` sources (files, directories, scripts, `a,b,` lists).
public enum InventorySources {
    /// Parses every source relative to the current directory; warnings (including an empty inventory) go to `warn`. Throws on unparsable sources.
    /// `verbose` hears ansible's `-vvv` line for each parsed source. An empty inventory is
    /// worth a warning unless `hostPattern` names the implicit localhost (as ansible's CLIs).
    public static func load(_ sources: [String], loader: DataLoader, warn: @escaping @Sendable (String) -> Void,
                            verbose: ((String) -> Void)? = nil, hostPattern: String = "all") throws -> InventoryManager {
        var options = InventoryManager.Options()
        options.workingDirectory = FileManager.default.currentDirectoryPath
        options.vaultSecrets = loader.vaultSecrets
        let manager = try InventoryManager(sources: sources, options: options)
        if let verbose {
            for (source, plugin) in manager.parsedSourcePlugins { verbose("Parsed \(source) inventory source with \(plugin) plugin") }
        }
        for warning in manager.takeWarnings() { warn(warning) }
        if manager.isEmpty && !["localhost", "127.0.0.1", "::1"].contains(hostPattern) { warn(InventoryManager.emptyInventoryWarning) }
        return manager
    }
}
