/// Descriptor-driven resources of the jobs work (#15), listed in the catalog at start.
extension ResourceCatalog {
    static var jobDescriptors: [ResourceDescriptor] { [] }
}
