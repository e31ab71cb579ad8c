import Foundation
import Jinja

/// `--syntax-check`, `--list-hosts`, `--list-tasks` and `--list-tags` output, in
/// ansible-playbook's format.
public struct PlaybookListing {
    /// The parsed playbooks to list, in command-line order.
    public let playbooks: [Playbook]
    /// The inventory host patterns are resolved against.
    public let inventory: InventoryView
    /// The run options (`--tags`, `--skip-tags`, `--limit`).
    public let options: ExecutionOptions
    /// Templates play names and host patterns.
    public let templar: Templar
    /// Supplies the variables used while templating.
    public let variables: VariableManager

    /// Creates a listing over already parsed playbooks.
    public init(playbooks: [Playbook], inventory: InventoryView, options: ExecutionOptions, templar: Templar, variables: VariableManager) {
        self.playbooks = playbooks
        self.inventory = inventory
        self.options = options
        self.templar = templar
        self.variables = variables
    }

    /// The text for `--list-hosts` (`hosts`), `--list-tasks` (`tasks`) and `--list-tags` (`tags`); all false gives `--syntax-check`'s output. Throws on bad patterns or templates.
    public func render(hosts: Bool, tasks: Bool, tags: Bool) throws -> String {
        var out = ""
        for playbook in playbooks {
            out += "\nplaybook: \(playbook.path)\n"
            guard hosts || tasks || tags else { continue }
            let filter = TagFilter(only: options.tags, skip: options.skipTags)
            for (index, play) in playbook.plays.enumerated() {
                let playTags = play.keywords["tags"].map(Block.tagList)?.sorted() ?? []
                out += "\n  play #\(index + 1) (\(play.hostPattern)): \(play.name)\tTAGS: [\(playTags.joined(separator: ", "))]\n"
                if hosts {
                    var matched = try inventory.hostNames(matching: play.hostPattern)
                    if let limit = options.limit {
                        let allowed = Set(try inventory.hostNames(matching: limit))
                        matched = matched.filter(allowed.contains)
                    }
                    let patterns = play.hostPattern.split(separator: ",").map { "'\($0)'" }.joined(separator: ", ")
                    out += "    pattern: [\(patterns)]\n    hosts (\(matched.count)):\n"
                    for h in matched { out += "      \(h)\n" }
                }
                let allTasks = PlayCompiler(play: play, options: options).blocks().flatMap(\.allTasks).filter { !$0.isImplicit && filter.shouldRun($0) }
                if tasks {
                    out += "    tasks:\n"
                    for task in allTasks {
                        let name = task.roleName.map { "\($0) : " } ?? ""
                        let tagList = task.allTags.sorted().joined(separator: ", ")
                        out += "      \(name)\(task.name ?? task.action)\tTAGS: [\(tagList)]\n"
                    }
                }
                if tags {
                    let all = Set(allTasks.flatMap(\.allTags)).sorted()
                    out += "      TASK TAGS: [\(all.joined(separator: ", "))]\n"
                }
            }
        }
        return out
    }
}
