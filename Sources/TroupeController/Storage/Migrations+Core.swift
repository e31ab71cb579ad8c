/// The core tables of docs/CONTROLLER-DESIGN.md (#14): identity, access, inventory,
/// projects, credentials, templates, audit. Versions 1–99.
///
/// Common columns: `created`/`modified` are ISO-8601 TEXT; `created_by_id`/`modified_by_id`
/// point at users; JSON documents (`variables`, `inputs`, `extra_vars`, …) are TEXT.
extension Migrations {
    static var core: [Migration] {
        [
            Migration(version: 1, name: "core resources", sql: [
                """
                CREATE TABLE users (id $PK, username TEXT NOT NULL UNIQUE, first_name TEXT NOT NULL DEFAULT '',
                  last_name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
                  is_superuser BOOLEAN NOT NULL DEFAULT FALSE, is_system_auditor BOOLEAN NOT NULL DEFAULT FALSE,
                  password TEXT NOT NULL DEFAULT '', last_login TEXT, created TEXT NOT NULL, modified TEXT NOT NULL,
                  created_by_id BIGINT, modified_by_id BIGINT)
                """,
                """
                CREATE TABLE organizations (id $PK, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '',
                  max_hosts INTEGER NOT NULL DEFAULT 0, default_environment_id BIGINT,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT)
                """,
                """
                CREATE TABLE teams (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (organization_id, name))
                """,
                """
                CREATE TABLE credential_types (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  kind TEXT NOT NULL, namespace TEXT, managed BOOLEAN NOT NULL DEFAULT FALSE,
                  inputs TEXT NOT NULL DEFAULT '{}', injectors TEXT NOT NULL DEFAULT '{}',
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (name, kind))
                """,
                """
                CREATE TABLE credentials (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  organization_id BIGINT REFERENCES organizations(id) ON DELETE CASCADE,
                  credential_type_id BIGINT NOT NULL REFERENCES credential_types(id),
                  inputs TEXT NOT NULL DEFAULT '{}', managed BOOLEAN NOT NULL DEFAULT FALSE,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT)
                """,
                """
                CREATE TABLE inventories (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                  kind TEXT NOT NULL DEFAULT '', host_filter TEXT, variables TEXT NOT NULL DEFAULT '',
                  pending_deletion BOOLEAN NOT NULL DEFAULT FALSE,
                  prevent_instance_group_fallback BOOLEAN NOT NULL DEFAULT FALSE,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (organization_id, name))
                """,
                """
                CREATE TABLE hosts (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  inventory_id BIGINT NOT NULL REFERENCES inventories(id) ON DELETE CASCADE,
                  enabled BOOLEAN NOT NULL DEFAULT TRUE, instance_id TEXT NOT NULL DEFAULT '',
                  variables TEXT NOT NULL DEFAULT '', last_job_id BIGINT, last_job_host_summary_id BIGINT,
                  ansible_facts TEXT NOT NULL DEFAULT '{}', ansible_facts_modified TEXT,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (inventory_id, name))
                """,
                "CREATE INDEX hosts_name ON hosts (name)",
                """
                CREATE TABLE "groups" (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  inventory_id BIGINT NOT NULL REFERENCES inventories(id) ON DELETE CASCADE,
                  variables TEXT NOT NULL DEFAULT '',
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (inventory_id, name))
                """,
                """
                CREATE TABLE group_hosts (group_id BIGINT NOT NULL REFERENCES "groups"(id) ON DELETE CASCADE,
                  host_id BIGINT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE, PRIMARY KEY (group_id, host_id))
                """,
                "CREATE INDEX group_hosts_host ON group_hosts (host_id)",
                """
                CREATE TABLE group_children (parent_id BIGINT NOT NULL REFERENCES "groups"(id) ON DELETE CASCADE,
                  child_id BIGINT NOT NULL REFERENCES "groups"(id) ON DELETE CASCADE, PRIMARY KEY (parent_id, child_id))
                """,
                "CREATE INDEX group_children_child ON group_children (child_id)",
                """
                CREATE TABLE projects (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  organization_id BIGINT REFERENCES organizations(id) ON DELETE CASCADE,
                  scm_type TEXT NOT NULL DEFAULT '', scm_url TEXT NOT NULL DEFAULT '', scm_branch TEXT NOT NULL DEFAULT '',
                  scm_refspec TEXT NOT NULL DEFAULT '', scm_clean BOOLEAN NOT NULL DEFAULT FALSE,
                  scm_track_submodules BOOLEAN NOT NULL DEFAULT FALSE, scm_delete_on_update BOOLEAN NOT NULL DEFAULT FALSE,
                  credential_id BIGINT REFERENCES credentials(id) ON DELETE SET NULL, timeout INTEGER NOT NULL DEFAULT 0,
                  scm_revision TEXT NOT NULL DEFAULT '', local_path TEXT NOT NULL DEFAULT '',
                  scm_update_on_launch BOOLEAN NOT NULL DEFAULT FALSE, scm_update_cache_timeout INTEGER NOT NULL DEFAULT 0,
                  allow_override BOOLEAN NOT NULL DEFAULT FALSE, status TEXT NOT NULL DEFAULT 'never updated',
                  last_update_failed BOOLEAN NOT NULL DEFAULT FALSE, last_updated TEXT,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (organization_id, name))
                """,
                """
                CREATE TABLE inventory_sources (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  inventory_id BIGINT NOT NULL REFERENCES inventories(id) ON DELETE CASCADE,
                  source TEXT NOT NULL DEFAULT 'scm', source_path TEXT NOT NULL DEFAULT '',
                  source_project_id BIGINT REFERENCES projects(id) ON DELETE SET NULL,
                  source_vars TEXT NOT NULL DEFAULT '', credential_id BIGINT REFERENCES credentials(id) ON DELETE SET NULL,
                  overwrite BOOLEAN NOT NULL DEFAULT FALSE, overwrite_vars BOOLEAN NOT NULL DEFAULT FALSE,
                  update_on_launch BOOLEAN NOT NULL DEFAULT FALSE, update_cache_timeout INTEGER NOT NULL DEFAULT 0,
                  timeout INTEGER NOT NULL DEFAULT 0, verbosity INTEGER NOT NULL DEFAULT 1,
                  enabled_var TEXT NOT NULL DEFAULT '', enabled_value TEXT NOT NULL DEFAULT '', host_filter TEXT NOT NULL DEFAULT '',
                  status TEXT NOT NULL DEFAULT 'never updated', last_update_failed BOOLEAN NOT NULL DEFAULT FALSE, last_updated TEXT,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (inventory_id, name))
                """,
                """
                CREATE TABLE job_templates (id $PK, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                  organization_id BIGINT REFERENCES organizations(id) ON DELETE SET NULL,
                  job_type TEXT NOT NULL DEFAULT 'run',
                  inventory_id BIGINT REFERENCES inventories(id) ON DELETE SET NULL,
                  project_id BIGINT REFERENCES projects(id) ON DELETE SET NULL,
                  playbook TEXT NOT NULL DEFAULT '', scm_branch TEXT NOT NULL DEFAULT '', forks INTEGER NOT NULL DEFAULT 0,
                  "limit" TEXT NOT NULL DEFAULT '', verbosity INTEGER NOT NULL DEFAULT 0, extra_vars TEXT NOT NULL DEFAULT '',
                  job_tags TEXT NOT NULL DEFAULT '', force_handlers BOOLEAN NOT NULL DEFAULT FALSE,
                  skip_tags TEXT NOT NULL DEFAULT '', start_at_task TEXT NOT NULL DEFAULT '', timeout INTEGER NOT NULL DEFAULT 0,
                  use_fact_cache BOOLEAN NOT NULL DEFAULT FALSE, host_config_key TEXT NOT NULL DEFAULT '',
                  ask_scm_branch_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_diff_mode_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  ask_variables_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_limit_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  ask_tags_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_skip_tags_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  ask_job_type_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_verbosity_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  ask_inventory_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_credential_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  ask_execution_environment_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_labels_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  ask_forks_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_job_slice_count_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  ask_timeout_on_launch BOOLEAN NOT NULL DEFAULT FALSE, ask_instance_groups_on_launch BOOLEAN NOT NULL DEFAULT FALSE,
                  survey_enabled BOOLEAN NOT NULL DEFAULT FALSE, survey_spec TEXT NOT NULL DEFAULT '{}',
                  become_enabled BOOLEAN NOT NULL DEFAULT FALSE, diff_mode BOOLEAN NOT NULL DEFAULT FALSE,
                  allow_simultaneous BOOLEAN NOT NULL DEFAULT FALSE, job_slice_count INTEGER NOT NULL DEFAULT 1,
                  webhook_service TEXT NOT NULL DEFAULT '', prevent_instance_group_fallback BOOLEAN NOT NULL DEFAULT FALSE,
                  status TEXT NOT NULL DEFAULT 'never updated', last_job_run TEXT, last_job_failed BOOLEAN NOT NULL DEFAULT FALSE,
                  next_job_run TEXT,
                  created TEXT NOT NULL, modified TEXT NOT NULL, created_by_id BIGINT, modified_by_id BIGINT,
                  UNIQUE (organization_id, name))
                """,
                """
                CREATE TABLE job_template_credentials (
                  job_template_id BIGINT NOT NULL REFERENCES job_templates(id) ON DELETE CASCADE,
                  credential_id BIGINT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
                  PRIMARY KEY (job_template_id, credential_id))
                """,
                """
                CREATE TABLE instance_groups (id $PK, name TEXT NOT NULL UNIQUE, is_container_group BOOLEAN NOT NULL DEFAULT FALSE,
                  policy_instance_percentage INTEGER NOT NULL DEFAULT 100, policy_instance_minimum INTEGER NOT NULL DEFAULT 0,
                  max_concurrent_jobs INTEGER NOT NULL DEFAULT 0, max_forks INTEGER NOT NULL DEFAULT 0,
                  created TEXT NOT NULL, modified TEXT NOT NULL)
                """,
                // RBAC: one row per (resource, role field); a user holds a role directly
                // (role_members) or through a parent role (role_parents: holding parent ⇒ holding role).
                """
                CREATE TABLE object_roles (id $PK, content_type TEXT NOT NULL, object_id BIGINT,
                  role_field TEXT NOT NULL, UNIQUE (content_type, object_id, role_field))
                """,
                """
                CREATE TABLE role_members (role_id BIGINT NOT NULL REFERENCES object_roles(id) ON DELETE CASCADE,
                  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, PRIMARY KEY (role_id, user_id))
                """,
                "CREATE INDEX role_members_user ON role_members (user_id)",
                """
                CREATE TABLE role_parents (role_id BIGINT NOT NULL REFERENCES object_roles(id) ON DELETE CASCADE,
                  parent_id BIGINT NOT NULL REFERENCES object_roles(id) ON DELETE CASCADE, PRIMARY KEY (role_id, parent_id))
                """,
                "CREATE INDEX role_parents_parent ON role_parents (parent_id)",
                """
                CREATE TABLE tokens (id $PK, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  description TEXT NOT NULL DEFAULT '', scope TEXT NOT NULL DEFAULT 'write', token_hash TEXT NOT NULL UNIQUE,
                  expires TEXT NOT NULL, application_id BIGINT, last_used TEXT,
                  created TEXT NOT NULL, modified TEXT NOT NULL)
                """,
                """
                CREATE TABLE sessions (key_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  expires TEXT NOT NULL, created TEXT NOT NULL)
                """,
                """
                CREATE TABLE activity_stream (id $PK, timestamp TEXT NOT NULL, operation TEXT NOT NULL,
                  object1 TEXT NOT NULL, object1_id BIGINT, object2 TEXT NOT NULL DEFAULT '', object2_id BIGINT,
                  object_relationship_type TEXT NOT NULL DEFAULT '', changes TEXT NOT NULL DEFAULT '{}',
                  summary TEXT NOT NULL DEFAULT '{}', actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
                  action_node TEXT NOT NULL DEFAULT '')
                """,
                "CREATE INDEX activity_stream_object1 ON activity_stream (object1, object1_id)",
                "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, modified TEXT NOT NULL)",
            ]),
        ]
    }
}
