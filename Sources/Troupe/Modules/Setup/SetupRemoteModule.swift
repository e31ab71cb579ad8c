import Jinja

/// Registers fact gathering as the `setup` remote module (the `gather_facts`/`setup`
/// actions call it), so it runs wherever the host's connection lives.
struct SetupRemoteModule: RemoteModule {
    let name = "setup"
    var supportsCheckMode: Bool { true }
    // SetupModule validates its own arguments with Ansible's messages.
    var argumentSpec: ArgumentSpec {
        ArgumentSpec(SetupModule.supportedParameters.map { ArgumentSpec.Parameter($0, .raw) })
    }

    func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        do {
            // As a task result (registered, ad hoc) the facts carry their `ansible_` prefix, as
            // ansible-core's setup returns them; the executor strips it when storing them.
            var result = try SetupModule.gather(connection: connection, arguments: .dict(invocation.args), become: invocation.become,
                                                environment: invocation.environment).dictValue ?? OrderedDict()
            if let facts = result["ansible_facts"] { result["ansible_facts"] = SetupModule.prefixed(facts) }
            return .dict(result)
        } catch let error as TroupeError {
            throw ModuleFailure(error.message)
        }
    }
}
