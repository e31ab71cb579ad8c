import Foundation
import SQLKit

/// The scale-out resources (#16): `instances` (each node's row, written by the node itself
/// through `InstanceRegistry`; only `enabled`, `capacity_adjustment` and
/// `managed_by_policy` are writable, as in AWX).
extension ResourceCatalog {
    static var clusterDescriptors: [ResourceDescriptor] { [instances] }

    static let instances = ResourceDescriptor(
        name: "instances", type: "instance", table: "instances", verboseName: "instance",
        fields: [
            Field("hostname", .string, label: "Hostname", readOnly: true, maxLength: 250),
            Field("uuid", .string, label: "Uuid", readOnly: true),
            Field("last_seen", .datetime, label: "Last seen", help: "Last time instance ran its heartbeat task for main cluster nodes.",
                  readOnly: true, nullable: true),
            Field("last_health_check", .datetime, label: "Last health check", readOnly: true, nullable: true),
            Field("errors", .string, label: "Errors", help: "Any error details from the last health check.", readOnly: true),
            Field("capacity_adjustment", .float, label: "Capacity adjustment", defaultValue: 1, minValue: 0, maxValue: 1),
            Field("version", .string, label: "Version", readOnly: true),
            Field("capacity", .integer, label: "Capacity", readOnly: true),
            Field("consumed_capacity", .integer, label: "Consumed capacity", readOnly: true),
            Field("percent_capacity_remaining", .float, label: "Percent capacity remaining",
                  expression: "SELECT NULL"),
            Field("jobs_running", .integer, label: "Jobs running",
                  help: "Count of jobs in the running or waiting state that are targeted for this instance", readOnly: true),
            Field("jobs_total", .integer, label: "Jobs total", help: "Count of all jobs that target this instance",
                  expression: "SELECT COUNT(*) FROM unified_jobs uj WHERE uj.execution_node = {t}.hostname"),
            Field("cpu", .integer, label: "Cpu", readOnly: true),
            Field("memory", .integer, label: "Memory", readOnly: true),
            Field("cpu_capacity", .integer, label: "Cpu capacity", readOnly: true),
            Field("mem_capacity", .integer, label: "Mem capacity", readOnly: true),
            Field("enabled", .boolean, label: "Enabled", defaultValue: true),
            Field("managed_by_policy", .boolean, label: "Managed by policy", defaultValue: true),
            Field("node_type", .choice([("control", "Control plane node"), ("execution", "Execution plane node"),
                                        ("hybrid", "Controller and execution"), ("hop", "Message-passing node, no execution capability")]),
                  label: "Node type", help: "Role that this node plays in the mesh.", readOnly: true),
            Field("node_state", .choice([("provisioning", "Provisioning"), ("provision-fail", "Provisioning Failure"),
                                         ("installed", "Installed"), ("ready", "Ready"), ("unavailable", "Unavailable"),
                                         ("deprovisioning", "De-provisioning"), ("deprovision-fail", "De-provisioning Failure")]),
                  label: "Node state", help: "Indicates the current life cycle stage of this instance.", readOnly: true),
            Field("managed", .boolean, label: "Managed", expression: "SELECT TRUE"),
            Field("ip_address", .string, label: "Ip address", readOnly: true),
        ],
        searchFields: ["hostname"], ordering: ["hostname"],
        namedURL: NamedURLFormat(["hostname"]), hasNameAndDescription: false,
        relatedPaths: ["jobs", "instance_groups"], summaryColumns: ["id", "hostname"],
        allowsCreate: false, allowsDelete: false,
        description: "The nodes of this cluster: each registers itself and writes a heartbeat; `enabled: false` drains a node.")
}

/// After an instance is re-enabled, the nodes look for work at once (the node itself
/// hears it through NOTIFY when it is another process).
struct InstanceBehavior: ResourceBehavior {
    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {
        // AWX's figure, rounded to 2 places; a node without capacity (lost, control-only) has none left.
        let capacity = record.int("capacity") ?? 0
        let consumed = record.int("consumed_capacity") ?? 0
        let remaining = capacity > 0 ? (Double(capacity - consumed) * 10_000 / Double(capacity)).rounded() / 100 : 0
        object["percent_capacity_remaining"] = .double(remaining)
    }

    func afterWrite(_ db: any SQLDatabase, id: Int, values: [String: JSON], input: JSONObject, created: Bool, context: APIContext) async throws {
        let dispatcher = context.controller.jobs.dispatcher
        // This runs inside the write transaction: wake once it has committed.
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            dispatcher.launched()
        }
    }
}
