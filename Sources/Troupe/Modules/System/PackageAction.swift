import Foundation
import Jinja

/// The `package` action: runs the host's package manager module (`use`, else the
/// `pkg_mgr` fact, gathered when missing) with the same arguments.
struct PackageAction: ActionPlugin {
    let name = "package"

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        var manager = args["use"]?.stringValue ?? "auto"
        if manager == "auto", let facts = try context.scope.lookup("ansible_facts")?.dictValue, let known = facts["pkg_mgr"]?.stringValue {
            manager = known
        }
        if manager == "auto" {
            let gathered = try context.runModule("setup", ["gather_subset": ["!all", "pkg_mgr"], "filter": ["ansible_pkg_mgr", "pkg_mgr"]])
            let facts = gathered["ansible_facts"]?.dictValue ?? [:]
            manager = (facts["pkg_mgr"] ?? facts["ansible_pkg_mgr"])?.stringValue ?? "auto"
        }
        if manager == "auto" || manager == "unknown" {
            return ["failed": true, "changed": false, "msg": "Could not detect which package manager to use. Try gathering facts or setting the \"use\" option."]
        }
        let module = manager == "dnf5" ? "dnf" : manager
        guard context.run.modules.remoteModules[module] != nil else {
            return ["failed": true, "changed": false, "msg": .string("Could not find a module for \(manager).")]
        }
        var moduleArgs = args
        moduleArgs["use"] = nil
        return try context.runModule(module, moduleArgs)
    }
}
