import Foundation
import SQLKit

/// Routes of the scale-out work (#16) beyond the descriptor-driven `instances` list and
/// detail: group membership both ways, and the jobs an instance ran.
extension Controller {
    func registerClusterRoutes() {
        let d = ResourceCatalog.self
        registerAssociation(parent: d.instanceGroups, child: d.instances, path: "instances", table: "instance_group_instances",
                            parentColumn: "instance_group_id", childColumn: "instance_id")
        registerAssociation(parent: d.instances, child: d.instanceGroups, path: "instance_groups", table: "instance_group_instances",
                            parentColumn: "instance_id", childColumn: "instance_group_id")
        let api = jobs.api
        router.add(.get, "v2/instances/{id}/jobs/") { context in
            let id = try await context.resolveID(ResourceCatalog.instances)
            let record = try await ResourceReader(context: context, descriptor: ResourceCatalog.instances).require(id)
            return try await api.list(kind: nil, parameters: context.request.query + [("execution_node", record.string("hostname") ?? "")],
                                      restriction: try await JobAccess(context).restriction()).apiResponse
        }
    }
}
