import Foundation

/// The system modules of the module library (users, groups, services, packages, cron …),
/// for ``ModuleRegistry`` registration.
public enum SystemModules {
    /// Modules that act on the host through its connection.
    public static var remoteModules: [RemoteModule] {
        [UserModule(), GroupModule(), GetentModule(), CronModule(), HostnameModule(), KnownHostsModule(), AuthorizedKeyModule(),
         SysctlModule(), MountModule(), WaitForModule(),
         PackageFactsModule(), ServiceFactsModule(), SystemdModule(name: "systemd"), SystemdModule(name: "systemd_service"),
         ServiceModule(), SysvinitModule(), AptModule(), GitModule(), PipModule(),
         DnfModule(name: "dnf"), DnfModule(name: "yum")]
    }

    /// Controller-side actions.
    public static var actions: [ActionPlugin] {
        [SetStatsAction(), WaitForConnectionAction(), RebootAction(), ServiceAction(), PackageAction()]
    }

    /// Registers every system module and action in `registry`.
    public static func register(in registry: ModuleRegistry) {
        for m in remoteModules { registry.register(m) }
        for a in actions { registry.register(a) }
    }
}
