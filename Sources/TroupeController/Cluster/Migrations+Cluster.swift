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
        ]),
        // AWX's `instance_groups` of templates, inventories and organizations: a job goes to
        // the first group of its template, else of its inventory, else of that inventory's
        // organization, else to any node.
        Migration(version: 201, name: "instance group assignments", sql: [
            """
            CREATE TABLE job_template_instance_groups (
              job_template_id BIGINT NOT NULL REFERENCES job_templates(id) ON DELETE CASCADE,
              instance_group_id BIGINT NOT NULL REFERENCES instance_groups(id) ON DELETE CASCADE,
              PRIMARY KEY (job_template_id, instance_group_id))
            """,
            """
            CREATE TABLE inventory_instance_groups (
              inventory_id BIGINT NOT NULL REFERENCES inventories(id) ON DELETE CASCADE,
              instance_group_id BIGINT NOT NULL REFERENCES instance_groups(id) ON DELETE CASCADE,
              PRIMARY KEY (inventory_id, instance_group_id))
            """,
            """
            CREATE TABLE organization_instance_groups (
              organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
              instance_group_id BIGINT NOT NULL REFERENCES instance_groups(id) ON DELETE CASCADE,
              PRIMARY KEY (organization_id, instance_group_id))
            """,
        ]),
        // Ordered fallback and slicing (#16): a job's candidate instance groups in AWX's
        // order (template's, inventory's, organization's, cut by
        // `prevent_instance_group_fallback`), fixed at launch; the claim takes the first
        // group with room and records it as the job's `instance_group_id`. A sliced launch
        // is a `workflow_job` row with one `workflow_job_nodes` row per slice job.
        Migration(version: 210, name: "instance group fallback and job slicing", sql: [
            """
            CREATE TABLE unified_job_instance_groups (
              unified_job_id BIGINT NOT NULL REFERENCES unified_jobs(id) ON DELETE CASCADE,
              position INTEGER NOT NULL,
              instance_group_id BIGINT NOT NULL REFERENCES instance_groups(id) ON DELETE CASCADE,
              PRIMARY KEY (unified_job_id, position))
            """,
            "CREATE INDEX unified_job_instance_groups_group ON unified_job_instance_groups (instance_group_id, unified_job_id)",
            "ALTER TABLE unified_jobs ADD COLUMN is_sliced_job BOOLEAN NOT NULL DEFAULT FALSE",
            "CREATE INDEX unified_jobs_workflow ON unified_jobs (workflow_job_id)",
            """
            CREATE TABLE workflow_job_nodes (
              id $PK,
              workflow_job_id BIGINT NOT NULL REFERENCES unified_jobs(id) ON DELETE CASCADE,
              unified_job_template_id BIGINT,
              job_id BIGINT REFERENCES unified_jobs(id) ON DELETE SET NULL,
              job_slice INTEGER NOT NULL DEFAULT 0,
              identifier TEXT NOT NULL,
              created TEXT NOT NULL,
              modified TEXT NOT NULL)
            """,
            "CREATE INDEX workflow_job_nodes_workflow ON workflow_job_nodes (workflow_job_id, id)",
        ], postgresOnly: [
            // AWX keeps a level's groups in the order they were added: a serial column on
            // PostgreSQL; SQLite's rowid already grows with each insert.
            "ALTER TABLE job_template_instance_groups ADD COLUMN position BIGSERIAL",
            "ALTER TABLE inventory_instance_groups ADD COLUMN position BIGSERIAL",
            "ALTER TABLE organization_instance_groups ADD COLUMN position BIGSERIAL",
        ])]
    }
}
