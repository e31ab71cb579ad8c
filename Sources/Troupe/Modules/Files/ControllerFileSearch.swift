import Foundation
import Jinja

/// Finds controller-side files the way Ansible's `find_needle` does: a role's
/// `files/` (or `templates/`) directory first, then the task file's directory, then the
/// playbook's `files/` directory and the playbook directory itself.
struct ControllerFileSearch {
    let task: Task
    let playbookDirectory: String

    init(context: ActionContext) {
        task = context.task
        playbookDirectory = context.play.playbookDirectory
    }

    init(task: Task, playbookDirectory: String) {
        self.task = task
        self.playbookDirectory = playbookDirectory
    }

    /// The candidate paths for `name` under `kind` ("files" or "templates"), in order.
    /// `unique: false` keeps repeated directories, as ansible-core's "Searched in:" list does.
    func candidates(_ name: String, kind: String, unique: Bool = true) -> [String] {
        let expanded = (name as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return [expanded] }
        var dirs: [String] = []
        if let file = task.location?.file {
            let taskDir = (file as NSString).deletingLastPathComponent
            let parent = (taskDir as NSString).deletingLastPathComponent
            // A role's tasks/ directory sits next to its files/ and templates/.
            if (taskDir as NSString).lastPathComponent == "tasks" || (taskDir as NSString).lastPathComponent == "handlers" {
                dirs.append((parent as NSString).appendingPathComponent(kind))
                dirs.append(parent)
            }
            dirs.append((taskDir as NSString).appendingPathComponent(kind))
            dirs.append(taskDir)
        }
        if let role = task.roleName {
            let roleDir = (((playbookDirectory as NSString).appendingPathComponent("roles")) as NSString).appendingPathComponent(role)
            dirs.append((roleDir as NSString).appendingPathComponent(kind))
            dirs.append(roleDir)
        }
        dirs.append((playbookDirectory as NSString).appendingPathComponent(kind))
        dirs.append(playbookDirectory)
        var seen = Set<String>()
        return dirs.map { ($0 as NSString).appendingPathComponent(name) }.filter { !unique || seen.insert($0).inserted }
    }

    /// The first existing candidate, or nil.
    func find(_ name: String, kind: String) -> String? {
        let fm = FileManager.default
        return candidates(name, kind: kind).first { fm.fileExists(atPath: $0) }.map { path in
            // Keep a trailing slash: it decides whether a directory or its contents is copied.
            name.hasSuffix("/") && !path.hasSuffix("/") ? path + "/" : path
        }
    }
}
