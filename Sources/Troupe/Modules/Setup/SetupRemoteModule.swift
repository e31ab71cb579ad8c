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
            return try SetupModule.gather(connection: connection, arguments: .dict(invocation.args), become: invocation.become,
                                          environment: invocation.environment)
        } catch let error as TroupeError {
            throw ModuleFailure(error.message)
        }
    }
}
