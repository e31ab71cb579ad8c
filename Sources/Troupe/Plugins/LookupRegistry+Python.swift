import Jinja

extension LookupRegistry {
    /// The lookup called `name` for templates rendered in `environment`: a collection's
    /// Python lookup by FQCN, else Troupe's native lookup, else a Python `lookup_plugins/`
    /// file of the run (see PythonPluginCatalog).
    public static func plugin(_ name: String, environment: Environment?) throws -> LookupPlugin {
        let catalog = environment?.externalPlugins as? PythonPluginCatalog
        if let catalog, catalog.collectionDirectory(name, .lookup) != nil, let python = catalog.lookup(named: name) { return python }
        if let native = plugins[ModuleNames.shortName(name)] { return native }
        if let python = catalog?.lookup(named: name) { return python }
        throw JinjaError(.runtime, "The lookup plugin '\(name)' was not found.")
    }
}
