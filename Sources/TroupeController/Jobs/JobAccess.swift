import SQLKit

/// Who may see and act on jobs, as AWX decides it (simplified): users who read everything
/// see every job; others see the jobs they launched and the jobs of templates they may
/// read. Cancel and relaunch need the launcher, a superuser, or `execute_role` on the template.
struct JobAccess {
    let context: APIContext

    init(_ context: APIContext) { self.context = context }

    /// nil when the user reads everything, else the user and the templates it may read.
    func restriction() async throws -> (user: Int, templates: [Int])? {
        let user = try context.requireUser()
        if user.readsEverything { return nil }
        let rows = try await context.database.all(RoleGraph.accessibleObjects(userID: user.id, contentType: "job_template", roleField: "read_role"))
        return (user.id, try rows.compactMap { try $0.decode(column: "object_id", as: Int?.self) })
    }

    private func owner(_ id: Int, kindName: String) async throws -> (template: Int?, launchedBy: Int?) {
        let rows = try await context.database.all(SQLQueryString(
            "SELECT job_template_id, launched_by FROM unified_jobs WHERE id = \(bind: id) AND kind = \(bind: kindName)"))
        guard let row = rows.first else { throw APIError.notFound }
        return (try row.decode(column: "job_template_id", as: Int?.self), try row.decode(column: "launched_by", as: Int?.self))
    }

    func requireReadable(_ id: Int, kind: JobsAPI.Kind) async throws {
        try await requireReadable(id, kindName: kind.rawValue)
    }

    /// `kindName`: a `unified_jobs.kind` (`workflow_job` for a sliced launch, whose
    /// template's roles govern it as they govern the template's jobs).
    func requireReadable(_ id: Int, kindName: String) async throws {
        let user = try context.requireUser()
        let (template, launchedBy) = try await owner(id, kindName: kindName)
        if user.readsEverything || launchedBy == user.id { return }
        if try await AccessControl(context: context).holds("read_role", contentType: "job_template", objectID: template) { return }
        throw APIError.forbidden()
    }

    func requireStartedOrAdmin(_ id: Int, kind: JobsAPI.Kind) async throws {
        try await requireStartedOrAdmin(id, kindName: kind.rawValue)
    }

    func requireStartedOrAdmin(_ id: Int, kindName: String) async throws {
        let user = try context.requireUser()
        let (template, launchedBy) = try await owner(id, kindName: kindName)
        if user.isSuperuser || launchedBy == user.id { return }
        if try await AccessControl(context: context).holds("execute_role", contentType: "job_template", objectID: template) { return }
        throw APIError.forbidden()
    }
}
