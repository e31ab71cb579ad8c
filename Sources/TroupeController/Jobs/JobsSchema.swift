/// The DDL of the job tables (docs/CONTROLLER-DESIGN.md): `unified_jobs`, `job_events`,
/// `job_host_summaries`, `schedules`, `notification_templates` and their links. Written
/// once for both engines with the migration placeholders (`$PK`); applied as migration 100.
enum JobsSchema {
    static let statements: [String] = [
            """
            CREATE TABLE unified_jobs (
              id $PK,
              kind TEXT NOT NULL DEFAULT 'job',
              name TEXT NOT NULL DEFAULT '',
              description TEXT NOT NULL DEFAULT '',
              status TEXT NOT NULL DEFAULT 'new',
              created TEXT NOT NULL,
              modified TEXT NOT NULL,
              started TEXT,
              finished TEXT,
              elapsed DOUBLE PRECISION NOT NULL DEFAULT 0,
              failed BOOLEAN NOT NULL DEFAULT FALSE,
              job_explanation TEXT NOT NULL DEFAULT '',
              launch_type TEXT NOT NULL DEFAULT 'manual',
              launched_by BIGINT,
              execution_node TEXT NOT NULL DEFAULT '',
              controller_node TEXT NOT NULL DEFAULT '',
              cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
              job_template_id BIGINT,
              inventory_id BIGINT,
              project_id BIGINT,
              playbook TEXT NOT NULL DEFAULT '',
              "limit" TEXT NOT NULL DEFAULT '',
              extra_vars TEXT NOT NULL DEFAULT '{}',
              extra_vars_encrypted TEXT NOT NULL DEFAULT '',
              job_tags TEXT NOT NULL DEFAULT '',
              skip_tags TEXT NOT NULL DEFAULT '',
              job_type TEXT NOT NULL DEFAULT 'run',
              verbosity INTEGER NOT NULL DEFAULT 0,
              forks INTEGER NOT NULL DEFAULT 0,
              timeout INTEGER NOT NULL DEFAULT 0,
              diff_mode BOOLEAN NOT NULL DEFAULT FALSE,
              become_enabled BOOLEAN NOT NULL DEFAULT FALSE,
              module_name TEXT NOT NULL DEFAULT '',
              module_args TEXT NOT NULL DEFAULT '',
              credential_ids TEXT NOT NULL DEFAULT '[]',
              workflow_job_id BIGINT,
              job_slice_number INTEGER NOT NULL DEFAULT 0,
              job_slice_count INTEGER NOT NULL DEFAULT 1,
              allow_simultaneous BOOLEAN NOT NULL DEFAULT FALSE,
              instance_group_id BIGINT,
              impact INTEGER NOT NULL DEFAULT 1,
              event_processing_finished BOOLEAN NOT NULL DEFAULT FALSE,
              result_stdout_lines INTEGER NOT NULL DEFAULT 0,
              host_status_counts TEXT NOT NULL DEFAULT '{}'
            )
            """,
            "CREATE INDEX unified_jobs_status ON unified_jobs (status, created, id)",
            "CREATE INDEX unified_jobs_template ON unified_jobs (job_template_id, status)",
            """
            CREATE TABLE job_events (
              id $PK,
              unified_job_id BIGINT NOT NULL REFERENCES unified_jobs(id) ON DELETE CASCADE,
              counter INTEGER NOT NULL,
              event TEXT NOT NULL,
              event_display TEXT NOT NULL DEFAULT '',
              event_data TEXT NOT NULL DEFAULT '{}',
              event_level INTEGER NOT NULL DEFAULT 0,
              failed BOOLEAN NOT NULL DEFAULT FALSE,
              changed BOOLEAN NOT NULL DEFAULT FALSE,
              uuid TEXT NOT NULL DEFAULT '',
              parent_uuid TEXT,
              host_id BIGINT,
              host_name TEXT NOT NULL DEFAULT '',
              playbook TEXT NOT NULL DEFAULT '',
              play TEXT NOT NULL DEFAULT '',
              task TEXT NOT NULL DEFAULT '',
              role TEXT NOT NULL DEFAULT '',
              stdout TEXT NOT NULL DEFAULT '',
              start_line INTEGER NOT NULL DEFAULT 0,
              end_line INTEGER NOT NULL DEFAULT 0,
              verbosity INTEGER NOT NULL DEFAULT 0,
              created TEXT NOT NULL,
              node TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE UNIQUE INDEX job_events_counter ON job_events (unified_job_id, counter)",
            "CREATE INDEX job_events_start_line ON job_events (unified_job_id, start_line)",
            "CREATE INDEX job_events_uuid ON job_events (unified_job_id, uuid)",
            """
            CREATE TABLE job_host_summaries (
              id $PK,
              unified_job_id BIGINT NOT NULL REFERENCES unified_jobs(id) ON DELETE CASCADE,
              host_id BIGINT,
              host_name TEXT NOT NULL,
              created TEXT NOT NULL,
              modified TEXT NOT NULL,
              changed INTEGER NOT NULL DEFAULT 0,
              dark INTEGER NOT NULL DEFAULT 0,
              failures INTEGER NOT NULL DEFAULT 0,
              ignored INTEGER NOT NULL DEFAULT 0,
              ok INTEGER NOT NULL DEFAULT 0,
              processed INTEGER NOT NULL DEFAULT 0,
              rescued INTEGER NOT NULL DEFAULT 0,
              skipped INTEGER NOT NULL DEFAULT 0,
              failed BOOLEAN NOT NULL DEFAULT FALSE
            )
            """,
            "CREATE INDEX job_host_summaries_job ON job_host_summaries (unified_job_id, host_name)",
            """
            CREATE TABLE schedules (
              id $PK,
              name TEXT NOT NULL,
              description TEXT NOT NULL DEFAULT '',
              unified_job_template_id BIGINT NOT NULL REFERENCES job_templates(id) ON DELETE CASCADE,
              rrule TEXT NOT NULL,
              enabled BOOLEAN NOT NULL DEFAULT TRUE,
              extra_data TEXT NOT NULL DEFAULT '{}',
              next_run TEXT,
              created TEXT NOT NULL,
              modified TEXT NOT NULL,
              created_by_id BIGINT,
              modified_by_id BIGINT
            )
            """,
            "CREATE INDEX schedules_next_run ON schedules (enabled, next_run)",
            """
            CREATE TABLE notification_templates (
              id $PK,
              name TEXT NOT NULL,
              description TEXT NOT NULL DEFAULT '',
              organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
              notification_type TEXT NOT NULL DEFAULT 'webhook',
              notification_configuration TEXT NOT NULL DEFAULT '{}',
              created TEXT NOT NULL,
              modified TEXT NOT NULL,
              created_by_id BIGINT,
              modified_by_id BIGINT
            )
            """,
            """
            CREATE TABLE notification_template_links (
              id $PK,
              notification_template_id BIGINT NOT NULL REFERENCES notification_templates(id) ON DELETE CASCADE,
              job_template_id BIGINT NOT NULL REFERENCES job_templates(id) ON DELETE CASCADE,
              event TEXT NOT NULL,
              UNIQUE (notification_template_id, job_template_id, event)
            )
            """,
    ]
}
