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
        for (parent, table, column) in [(d.jobTemplates, "job_template_instance_groups", "job_template_id"),
                                         (d.inventories, "inventory_instance_groups", "inventory_id"),
                                         (d.organizations, "organization_instance_groups", "organization_id")] {
            registerAssociation(parent: parent, child: d.instanceGroups, path: "instance_groups", table: table,
                                parentColumn: column, childColumn: "instance_group_id")
        }
        // A membership or assignment change can make pending jobs claimable: every node
        // looks again once the change has committed.
        let dispatcher = jobs.dispatcher
        for path in ["v2/instance_groups/{id}/instances/", "v2/instances/{id}/instance_groups/", "v2/job_templates/{id}/instance_groups/",
                     "v2/inventories/{id}/instance_groups/", "v2/organizations/{id}/instance_groups/"] {
            let pattern = APIRouter.parse(path)
            guard let associate = router.routes.first(where: { $0.pattern == pattern })?.handlers[.post] else { continue }
            router.add(.post, path) { context in
                let response = try await associate(context)
                dispatcher.launched()
                return response
            }
        }
        let api = jobs.api
        router.add(.get, "v2/instances/{id}/jobs/") { context in
            let id = try await context.resolveID(ResourceCatalog.instances)
            let record = try await ResourceReader(context: context, descriptor: ResourceCatalog.instances).require(id)
            return try await api.list(kind: nil, parameters: context.request.query + [("execution_node", record.string("hostname") ?? "")],
                                      restriction: try await JobAccess(context).restriction()).apiResponse
        }
    }
}
