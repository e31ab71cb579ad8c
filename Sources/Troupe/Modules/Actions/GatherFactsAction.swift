import Jinja

/// `setup` / `gather_facts` as tasks: runs the `setup` module on the host; the executor
/// stores the returned `ansible_facts`.
struct GatherFactsAction: ActionPlugin {
    let name: String
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        var result = try context.runModule("setup", args)
        if var dict = result.dictValue {
            dict["_ansible_verbose_override"] = true
            result = .dict(dict)
        }
        return result
    }
}
