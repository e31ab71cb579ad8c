/// The job tables (unified_jobs, job_events, job_host_summaries) of
/// docs/CONTROLLER-DESIGN.md. Owned by the jobs work (#15); versions 100–199.
extension Migrations {
    static var jobs: [Migration] {
        [Migration(version: 100, name: "jobs", sql: JobsSchema.statements)]
    }
}
