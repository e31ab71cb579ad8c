import HTTPTypes

/// OPTIONS metadata as AWX's `Metadata` class builds it; the `awx` CLI derives its
/// commands and flags from this (list `actions` may hold only GET and POST, every field
/// needs a `type`, `choices` are `[value, label]` pairs).
struct ResourceOptions {
    let context: APIContext
    let descriptor: ResourceDescriptor

    /// `attach`: a sub-list that also associates existing objects (`groups/N/children/`);
    /// as in AWX its POST fields keep the read-only `id`, which is how awxkit's export tells
    /// an attachable relation from a create-only one.
    func list(attach: Bool = false) async throws -> APIResponse {
        var actions = JSONObject([("GET", .object(getFields()))])
        if descriptor.allowsCreate || attach, canWrite {
            var fields = JSONObject()
            if attach {
                fields["id"] = ["type": "integer", "required": false, "label": "ID",
                                "help_text": .string("Database ID for this \(descriptor.verboseName)."), "filterable": true]
            }
            if descriptor.allowsCreate { for (name, value) in writeFields(update: false).pairs { fields[name] = value } }
            actions["POST"] = .object(fields)
        }
        return .json(.object(envelope(name: "\(descriptor.displayName) List", actions: actions, list: true)))
    }

    func detail() async throws -> APIResponse {
        var actions = JSONObject([("GET", .object(getFields()))])
        if descriptor.allowsUpdate, canWrite { actions["PUT"] = .object(writeFields(update: true)) }
        return .json(.object(envelope(name: descriptor.displayName, actions: actions, list: false)))
    }

    private var canWrite: Bool {
        guard let user = context.user else { return false }
        return user.isSuperuser || !user.isSystemAuditor
    }

    private func envelope(name: String, actions: JSONObject, list: Bool) -> JSONObject {
        var object = JSONObject([
            ("name", .string(name)),
            ("description", .string(descriptor.description.isEmpty ? "Manage \(descriptor.verboseName) objects." : descriptor.description)),
            ("renders", ["application/json", "text/html"]),
            ("parses", ["application/json"]),
            ("actions", .object(actions)),
            ("types", [.string(descriptor.type)]),
        ])
        object["search_fields"] = .array(descriptor.searchFields.map(JSON.string))
        var related: [String] = descriptor.fields.filter { $0.foreignTarget != nil && !$0.writeOnly }.map { "\($0.name)__search" }
        if descriptor.hasCreatorColumns { related += ["created_by__search", "modified_by__search"] }
        related += descriptor.relations.keys.sorted().map { "\($0)__search" }
        object["related_search_fields"] = .array(related.map(JSON.string))
        if let contentType = descriptor.roleContentType {
            object["object_roles"] = .array((RoleGraph.specs[contentType] ?? []).map { .string($0.field) })
        }
        if list { object["max_page_size"] = .int(ResourceReader.maxPageSize) }
        return object
    }

    private func getFields() -> JSONObject {
        var fields = JSONObject()
        fields["id"] = ["type": "integer", "label": "ID", "help_text": .string("Database ID for this \(descriptor.verboseName)."), "filterable": true]
        fields["type"] = ["type": "choice", "label": "Type", "help_text": .string("Data type for this \(descriptor.verboseName)."),
                          "filterable": false, "choices": [[.string(descriptor.type), .string(descriptor.displayName)]]]
        fields["url"] = ["type": "string", "label": "Url", "help_text": .string("URL for this \(descriptor.verboseName)."), "filterable": false]
        fields["related"] = ["type": "object", "label": "Related", "help_text": "Data structure with URLs of related resources.", "filterable": false]
        fields["summary_fields"] = ["type": "object", "label": "Summary fields",
                                    "help_text": "Data structure with name/description for related resources.  The output for some objects may be limited for performance reasons.",
                                    "filterable": false]
        if descriptor.hasTimestamps {
            fields["created"] = ["type": "datetime", "label": "Created", "help_text": .string("Timestamp when this \(descriptor.verboseName) was created."), "filterable": true]
            fields["modified"] = ["type": "datetime", "label": "Modified", "help_text": .string("Timestamp when this \(descriptor.verboseName) was last modified."), "filterable": true]
        }
        for field in descriptor.fields where !field.writeOnly {
            var info = JSONObject([("type", .string(field.kind.optionsType)), ("label", .string(field.label)),
                                   ("help_text", .string(field.helpText)), ("filterable", .bool(!field.forbidsFiltering && field.sql(alias: "t0") != nil))])
            if let choices = choices(field) { info["choices"] = choices }
            fields[field.name] = .object(info)
        }
        return fields
    }

    private func writeFields(update: Bool) -> JSONObject {
        var fields = JSONObject()
        for field in descriptor.fields where !field.readOnly && !(update && field.writeOnce) {
            var info = JSONObject([("type", .string(field.kind.optionsType)), ("required", .bool(field.required)),
                                   ("label", .string(field.label)), ("help_text", .string(field.helpText)),
                                   ("filterable", .bool(!field.forbidsFiltering && field.sql(alias: "t0") != nil))])
            if let max = field.maxLength { info["max_length"] = .int(max) }
            if let min = field.minValue { info["min_value"] = .int(min) }
            if let max = field.maxValue { info["max_value"] = .int(max) }
            if let value = field.defaultValue {
                if case .json = field.kind, case .string(let text) = value { info["default"] = (try? JSONParser.parse(text)) ?? value } else { info["default"] = value }
            }
            if let choices = choices(field) { info["choices"] = choices }
            fields[field.name] = .object(info)
        }
        return fields
    }

    private func choices(_ field: Field) -> JSON? {
        switch field.kind {
        case .choice(let list): return .array(list.map { [.string($0.0), .string($0.1)] })
        case .intChoice(let list): return .array(list.map { [.int($0.0), .string($0.1)] })
        default: return nil
        }
    }
}
