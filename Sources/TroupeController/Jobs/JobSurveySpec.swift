import SQLKit

/// `job_templates/N/survey_spec/`: GET the stored spec (`{}` when none), POST a new one
/// (validated as AWX does: `name`, `description`, `spec` with a `type`, `question_name`
/// and unique `variable` per question), DELETE it. Only template admins may change it.
struct JobSurveySpec {
    let context: APIContext

    init(_ context: APIContext) { self.context = context }

    static let questionTypes: Set<String> = ["text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"]

    private func templateID(admin: Bool) async throws -> Int {
        let user = try context.requireUser()
        let id = try await context.resolveID(ResourceCatalog.jobTemplates)
        let role = admin ? "admin_role" : "read_role"
        if !user.readsEverything || admin {
            guard try await AccessControl(context: context).holds(role, contentType: "job_template", objectID: id) else { throw APIError.forbidden() }
        }
        return id
    }

    func read() async throws -> APIResponse {
        let id = try await templateID(admin: false)
        let rows = try await context.database.all(SQLQueryString("SELECT survey_spec FROM job_templates WHERE id = \(bind: id)"))
        let text = try rows.first?.decode(column: "survey_spec", as: String.self) ?? "{}"
        var spec = (try? JSONParser.parse(text)) ?? .object(JSONObject())
        // Password defaults are never shown.
        if case .object(var object) = spec, let questions = object["spec"]?.arrayValue {
            object["spec"] = .array(questions.map { question in
                guard case .object(var q) = question, q["type"] == "password", q["default"] != nil else { return question }
                if q["default"] != "" { q["default"] = "$encrypted$" }
                return .object(q)
            })
            spec = .object(object)
        }
        return .json(spec)
    }

    func write() async throws -> APIResponse {
        let id = try await templateID(admin: true)
        let body = try context.request.jsonObjectBody()
        for key in ["name", "description"] where body[key]?.stringValue == nil {
            throw APIError.badRequest("'\(key)' missing from survey spec.")
        }
        guard let questions = body["spec"]?.arrayValue else { throw APIError.badRequest("'spec' missing from survey spec.") }
        if questions.isEmpty { throw APIError.badRequest("'spec' doesn't contain any items.") }
        var variables: Set<String> = []
        for (index, question) in questions.enumerated() {
            guard let q = question.objectValue else { throw APIError.badRequest("Survey question \(index) is not a json object.") }
            guard let type = q["type"]?.stringValue else { throw APIError.badRequest("'type' missing from survey question \(index).") }
            guard Self.questionTypes.contains(type) else {
                throw APIError.badRequest("'\(type)' in survey question \(index) is not one of '\(Self.questionTypes.sorted().joined(separator: ", "))' allowed question types.")
            }
            guard q["question_name"]?.stringValue != nil else { throw APIError.badRequest("'question_name' missing from survey question \(index).") }
            guard let variable = q["variable"]?.stringValue, !variable.isEmpty else {
                throw APIError.badRequest("'variable' missing from survey question \(index).")
            }
            guard variables.insert(variable).inserted else {
                throw APIError.badRequest("'variable' '\(variable)' duplicated in survey question \(index).")
            }
            guard q["required"].map({ if case .bool = $0 { return true }; return false }) ?? false else {
                throw APIError.badRequest("'required' missing from survey question \(index).")
            }
        }
        let text = JSON.object(body).serialized()
        try await context.database.run(SQLQueryString("UPDATE job_templates SET survey_spec = \(bind: text), modified = \(bind: Timestamp.now()) WHERE id = \(bind: id)"))
        return .json(.object(JSONObject()))
    }

    func delete() async throws -> APIResponse {
        let id = try await templateID(admin: true)
        try await context.database.run(SQLQueryString("UPDATE job_templates SET survey_spec = '{}', modified = \(bind: Timestamp.now()) WHERE id = \(bind: id)"))
        return .noContent
    }
}
