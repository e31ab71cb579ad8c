import Foundation
import Jinja

/// The `service` action: picks the module for the host's service manager (`use`, else the
/// `service_mgr` fact, gathered when missing) — `systemd`, `sysvinit`, or the generic
/// `service` module.
struct ServiceAction: ActionPlugin {
    let name = "service"

    static let unusedBySystemd = ["pattern", "runlevel", "sleep", "arguments", "args"]

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        var manager = (args["use"]?.stringValue ?? "auto").lowercased()
        if manager == "auto", let facts = try context.scope.lookup("ansible_facts")?.dictValue,
           let known = facts["service_mgr"]?.stringValue {
            manager = known
        }
        if manager == "auto" {
            let gathered = try context.runModule("setup", ["gather_subset": ["!all", "service_mgr"], "filter": ["ansible_service_mgr", "service_mgr"]])
            let facts = gathered["ansible_facts"]?.dictValue ?? [:]
            manager = (facts["service_mgr"] ?? facts["ansible_service_mgr"])?.stringValue ?? "auto"
        }
        let module: String
        switch manager {
        case "systemd": module = "systemd"
        case "sysvinit": module = "sysvinit"
        default: module = "service"
        }
        var moduleArgs = args
        moduleArgs["use"] = nil
        if module == "systemd" {
            for unused in Self.unusedBySystemd where moduleArgs[unused] != nil {
                moduleArgs[unused] = nil
                context.warn("Ignoring \"\(unused)\" as it is not used in \"systemd\"")
            }
        }
        return try context.runModule(module, moduleArgs)
    }
}
