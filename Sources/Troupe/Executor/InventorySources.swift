import Foundation
import Jinja

/// `ansible_version` for users of the library: the ansible-core release Troupe matches.
public enum AnsibleCompatibility {
    public static let version = AnsibleVersion.full
}

/// Builds the inventory for `-i` sources.
public enum InventorySources {
    public static func load(_ sources: [String], loader: DataLoader, warn: @escaping @Sendable (String) -> Void) throws -> InventoryView {
        var hosts: [String] = []
        for source in sources {
            if source.contains(",") && !FileManager.default.fileExists(atPath: source) {
                hosts.append(contentsOf: source.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            } else {
                throw TroupeError(.options, "inventory files are not supported yet: \(source)")
            }
        }
        if sources.isEmpty { warn("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'") }
        return StaticInventory(hosts: hosts)
    }
}
