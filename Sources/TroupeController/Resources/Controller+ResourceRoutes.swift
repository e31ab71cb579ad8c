import Foundation
import HTTPTypes
import SQLKit

extension Controller {
    /// List, detail and OPTIONS routes for every descriptor, plus the sub-resources.
    func registerResourceRoutes() {
        for descriptor in ResourceCatalog.all {
            registerGenericRoutes(descriptor)
        }
        registerCoreSubResources()
        registerCopyRoutes()
        registerAccessListRoutes()
        registerRoleRoutes()
        registerSettingsRoutes()
        registerMeAndTokenRoutes()
        registerPlaceholderLists()
    }

    func registerGenericRoutes(_ descriptor: ResourceDescriptor) {
        let list = "v2/\(descriptor.name)/"
        let detail = "v2/\(descriptor.name)/{id}/"
        router.add(.get, list) { context in
            .json(try await ResourceReader(context: context, descriptor: descriptor).list())
        }
        router.add(.options, list) { context in
            try await ResourceOptions(context: context, descriptor: descriptor).list()
        }
        if descriptor.allowsCreate {
            router.add(.post, list) { context in
                try await Controller.create(context, descriptor)
            }
        }
        router.add(.get, detail) { context in
            let id = try await context.resolveID(descriptor)
            let record = try await ResourceReader(context: context, descriptor: descriptor).require(id)
            return .json(try await ResourceReader(context: context, descriptor: descriptor).serialize([record], detail: true)[0])
        }
        router.add(.options, detail) { context in
            try await ResourceOptions(context: context, descriptor: descriptor).detail()
        }
        if descriptor.allowsUpdate {
            router.add(.put, detail) { context in try await Controller.update(context, descriptor, mode: .replace) }
            router.add(.patch, detail) { context in try await Controller.update(context, descriptor, mode: .patch) }
        }
        if descriptor.allowsDelete {
            router.add(.delete, detail) { context in
                let id = try await context.resolveID(descriptor)
                let reader = ResourceReader(context: context, descriptor: descriptor)
                let record = try await reader.require(id)
                guard try await AccessControl(context: context).canChange(descriptor, record: record, delete: true) else {
                    throw APIError.forbidden()
                }
                try await ResourceWriter(context: context, descriptor: descriptor).delete(record)
                return .noContent
            }
        }
    }

    /// POST to a list (or a sub-list with `preset` parent values): 201 with the object.
    static func create(_ context: APIContext, _ descriptor: ResourceDescriptor, preset: [String: JSON] = [:]) async throws -> APIResponse {
        _ = try context.requireUser()
        let input = try context.request.jsonObjectBody()
        let writer = ResourceWriter(context: context, descriptor: descriptor)
        let values = try await writer.values(from: input, mode: .create, existing: nil, preset: preset)
        guard try await AccessControl(context: context).canCreate(descriptor, values: values) else { throw APIError.forbidden() }
        let id = try await writer.insert(values, input: input)
        return try await createdResponse(context, descriptor, id: id)
    }

    static func createdResponse(_ context: APIContext, _ descriptor: ResourceDescriptor, id: Int) async throws -> APIResponse {
        let reader = ResourceReader(context: context, descriptor: descriptor)
        // Read without the access filter: the creator may not be able to list it (e.g. a user).
        var query = SQLFragment(reader.selectClause() + " WHERE t0.id = ")
        query.bind(.int(id))
        guard let record = try await context.database.all(query).first.map(reader.decode) else { throw APIError.notFound }
        return .created(try await reader.serialize([record], detail: true)[0])
    }

    static func update(_ context: APIContext, _ descriptor: ResourceDescriptor, mode: ResourceWriter.Mode) async throws -> APIResponse {
        let id = try await context.resolveID(descriptor)
        let reader = ResourceReader(context: context, descriptor: descriptor)
        let record = try await reader.require(id)
        guard try await AccessControl(context: context).canChange(descriptor, record: record) else { throw APIError.forbidden() }
        let input = try context.request.jsonObjectBody()
        let writer = ResourceWriter(context: context, descriptor: descriptor)
        let values = try await writer.values(from: input, mode: mode, existing: record)
        try await writer.update(record, values: values, input: input)
        let updated = try await reader.require(id)
        return .json(try await reader.serialize([updated], detail: true)[0])
    }
}

extension APIContext {
    /// The `{id}` path parameter as an object id: a number, or a named URL. A name that
    /// matches nothing (or that the user may not see) is a 404.
    func resolveID(_ descriptor: ResourceDescriptor, parameter: String = "id") async throws -> Int {
        let raw = self.parameter(parameter)
        if let id = Int(raw) {
            guard id > 0 else { throw APIError.notFound }
            return id
        }
        // As AWX (Django decodes the path first): a literal "+" inside a value must be "[+]".
        let decoded = raw.removingPercentEncoding ?? raw
        guard let id = try await NamedURLResolver(database: database).resolve(descriptor, decoded) else { throw APIError.notFound }
        return id
    }
}
