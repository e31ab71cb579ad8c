/// Descriptor-driven resources of the jobs work (#15), listed in the catalog at start.
extension ResourceCatalog {
    static var jobDescriptors: [ResourceDescriptor] { [schedules, notificationTemplates] }

    /// AWX's schedules of job templates: an `rrule` (`DTSTART…` + `RRULE:…`), `enabled`,
    /// `extra_data`; `next_run` is computed on every write (`ScheduleBehavior`) and moved
    /// forward by the `Scheduler` when it launches the template.
    static let schedules = ResourceDescriptor(
        name: "schedules", type: "schedule", table: "schedules", verboseName: "schedule",
        fields: [
            Field("rrule", .string, label: "Rrule", help: "A value representing the schedules iCal recurrence rule.", required: true),
            Field("unified_job_template", .foreignKey("job_templates"), label: "Unified job template", column: "unified_job_template_id",
                  required: true),
            Field("enabled", .boolean, label: "Enabled", help: "Enables processing of this schedule.", defaultValue: true),
            Field("extra_data", .json, label: "Extra data", defaultValue: .object(JSONObject())),
            Field("next_run", .datetime, label: "Next run", help: "The next time that the scheduled action will run.", readOnly: true,
                  nullable: true),
        ],
        ordering: ["id"],
        relatedPaths: [],
        description: "A schedule launches its job template at the times of its rrule.")

    /// Webhook notification templates (the one type Troupe delivers); linked to job
    /// templates for `started`, `success` and `error` (`job_templates/N/notification_templates_<event>/`).
    static let notificationTemplates = ResourceDescriptor(
        name: "notification_templates", type: "notification_template", table: "notification_templates",
        verboseName: "notification template",
        fields: [
            Field("organization", .foreignKey("organizations"), label: "Organization", column: "organization_id", required: true),
            Field("notification_type", .choice([("webhook", "Webhook")]), label: "Notification type", required: true),
            Field("notification_configuration", .json, label: "Notification configuration", defaultValue: .object(JSONObject())),
        ],
        ordering: ["name"],
        relatedPaths: [],
        description: "A notification template sends a webhook when a linked job template's job starts, succeeds or fails.")
}
