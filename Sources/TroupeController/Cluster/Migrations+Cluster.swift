/// The scale-out tables (#16, versions 200–299): `instances`, one row per node that ever
/// registered (AWX's Instance: hostname, node_type, capacity, heartbeat as `last_seen`,
/// `enabled`, `node_state`), and which instances belong to which instance group.
extension Migrations {
    static var cluster: [Migration] {
        [Migration(version: 200, name: "instances", sql: [
            """
            CREATE TABLE instances (id $PK, hostname TEXT NOT NULL UNIQUE, uuid TEXT NOT NULL,
              node_type TEXT NOT NULL DEFAULT 'hybrid', node_state TEXT NOT NULL DEFAULT 'ready',
              enabled BOOLEAN NOT NULL DEFAULT TRUE, managed_by_policy BOOLEAN NOT NULL DEFAULT TRUE,
              capacity INTEGER NOT NULL DEFAULT 0, consumed_capacity INTEGER NOT NULL DEFAULT 0,
              jobs_running INTEGER NOT NULL DEFAULT 0, capacity_adjustment DOUBLE PRECISION NOT NULL DEFAULT 1,
              cpu INTEGER NOT NULL DEFAULT 0, memory BIGINT NOT NULL DEFAULT 0,
              cpu_capacity INTEGER NOT NULL DEFAULT 0, mem_capacity INTEGER NOT NULL DEFAULT 0,
              version TEXT NOT NULL DEFAULT '', errors TEXT NOT NULL DEFAULT '', ip_address TEXT NOT NULL DEFAULT '',
              last_seen TEXT, last_health_check TEXT, created TEXT NOT NULL, modified TEXT NOT NULL)
            """,
            """
            CREATE TABLE instance_group_instances (
              instance_group_id BIGINT NOT NULL REFERENCES instance_groups(id) ON DELETE CASCADE,
              instance_id BIGINT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
              PRIMARY KEY (instance_group_id, instance_id))
            """,
            "CREATE INDEX unified_jobs_node_status ON unified_jobs (execution_node, status)",
        ])]
    }
}
