import Foundation

/// The file modules of the module library, for ``ModuleRegistry`` registration.
public enum FileModules {
    /// Modules that act on the host through its connection.
    public static var remoteModules: [RemoteModule] {
        [StatModule(), FileModule(), CopyModule(), LineInFileModule(), BlockInFileModule(), ReplaceModule(),
         SlurpModule(), FetchModule(), TempfileModule(), AssembleModule(), FindModule(), UnarchiveModule()]
    }

    /// Controller-side actions (`copy`, `template`, `fetch` …), which call the remote
    /// modules above.
    public static var actions: [ActionPlugin] {
        [CopyAction(), TemplateAction(), FetchAction(), AssembleAction(), UnarchiveAction()]
    }

    /// A registry with the standard modules plus the file modules (for tests and tools
    /// until the standard registry includes them).
    public static func register(in registry: ModuleRegistry) {
        for m in remoteModules { registry.register(m) }
        for a in actions { registry.register(a) }
    }
}

extension ArgumentSpec {
    /// The spec without Troupe's private `_troupe_*` parameters — what users may pass to
    /// an action, and what its "Unsupported parameters" message lists.
    var withoutPrivateParameters: ArgumentSpec {
        ArgumentSpec(parameters.filter { !$0.name.hasPrefix("_troupe_") }, mutuallyExclusive: mutuallyExclusive)
    }
}
