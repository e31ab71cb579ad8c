import ArgumentParser
import Troupe

/// `troupe`: an Ansible-compatible playbook runner.
struct TroupeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "troupe",
        abstract: "Run Ansible playbooks, ad-hoc modules and inventory queries — fast.",
        version: TroupeVersion.text,
        subcommands: [PlaybookCommand.self, RunCommand.self, AdhocCommand.self, InventoryCommand.self, VaultCommand.self, ConfigCommand.self, DocCommand.self, GalaxyCommand.self,
                      BenchJinjaCommand.self, ServeCommand.self])
}

enum TroupeVersion {
    static let number = "0.1.0"
    static var text: String { "troupe \(number) (compatible with ansible-core \(AnsibleCompatibility.version))" }
}
