import Foundation
import SQLKit

extension Controller {
    /// Inventory tree views: root groups, a group's hosts at any depth, a host's groups at
    /// any depth, and `/inventories/N/script/` (Ansible's dynamic-inventory JSON).
    func registerInventoryViews() {
        let d = ResourceCatalog.self
        router.add(.get, "v2/inventories/{id}/root_groups/") { context in
            let id = try await context.resolveID(d.inventories)
            _ = try await ResourceReader(context: context, descriptor: d.inventories).require(id)
            var scope = SQLFragment("t0.inventory_id = ")
            scope.bind(.int(id))
            scope.append(" AND t0.id NOT IN (SELECT child_id FROM group_children)")
            return .json(try await ResourceReader(context: context, descriptor: d.groups).list(scope: scope))
        }
        router.add(.get, "v2/groups/{id}/all_hosts/") { context in
            let id = try await context.resolveID(d.groups)
            _ = try await ResourceReader(context: context, descriptor: d.groups).require(id)
            var scope = SQLFragment("t0.id IN (SELECT gh.host_id FROM group_hosts gh WHERE gh.group_id IN (WITH RECURSIVE below(id) AS (SELECT ")
            scope.bind(.int(id))
            scope.append(" UNION SELECT gc.child_id FROM group_children gc JOIN below b ON gc.parent_id = b.id) SELECT id FROM below))")
            return .json(try await ResourceReader(context: context, descriptor: d.hosts).list(scope: scope))
        }
        router.add(.get, "v2/groups/{id}/potential_children/") { context in
            let id = try await context.resolveID(d.groups)
            let group = try await ResourceReader(context: context, descriptor: d.groups).require(id)
            var scope = SQLFragment("t0.inventory_id = ")
            scope.bind(.int(group.int("inventory") ?? 0))
            scope.append(" AND t0.id NOT IN (WITH RECURSIVE above(id) AS (SELECT ")
            scope.bind(.int(id))
            scope.append(" UNION SELECT gc.parent_id FROM group_children gc JOIN above a ON gc.child_id = a.id) SELECT id FROM above)")
            scope.append(" AND t0.id NOT IN (SELECT child_id FROM group_children WHERE parent_id = ")
            scope.bind(.int(id))
            scope.append(")")
            return .json(try await ResourceReader(context: context, descriptor: d.groups).list(scope: scope))
        }
        router.add(.get, "v2/hosts/{id}/all_groups/") { context in
            let id = try await context.resolveID(d.hosts)
            _ = try await ResourceReader(context: context, descriptor: d.hosts).require(id)
            var scope = SQLFragment("t0.id IN (WITH RECURSIVE above(id) AS (SELECT gh.group_id FROM group_hosts gh WHERE gh.host_id = ")
            scope.bind(.int(id))
            scope.append(" UNION SELECT gc.parent_id FROM group_children gc JOIN above a ON gc.child_id = a.id) SELECT id FROM above)")
            return .json(try await ResourceReader(context: context, descriptor: d.groups).list(scope: scope))
        }
        router.add(.get, "v2/inventories/{id}/script/") { context in
            let id = try await context.resolveID(d.inventories)
            let inventory = try await ResourceReader(context: context, descriptor: d.inventories).require(id)
            return .json(try await InventoryScript(database: context.database).build(inventory: inventory, query: context.request))
        }
    }
}

/// Ansible's dynamic-inventory JSON for an inventory, as AWX's `script/` view returns it:
/// `all` with its vars, hosts directly in no group, `children`; one entry per group with
/// `hosts`, `children`, `vars`; `_meta.hostvars` with `hostvars=1`; `?host=NAME` gives
/// one host's variables.
struct InventoryScript {
    let database: Database

    func build(inventory: Record, query: APIRequest) async throws -> JSON {
        let showAll = (try? FilterCompiler.boolean(query.queryValue("all") ?? "0")) ?? false
        let enabledFilter = showAll ? "" : " AND h.enabled = TRUE"
        if let hostName = query.queryValue("host") {
            let rows = try await database.all(SQLQueryString(
                "SELECT variables FROM hosts h WHERE h.inventory_id = \(bind: inventory.id) AND h.name = \(bind: hostName)\(unsafeRaw: enabledFilter)"))
            guard let row = rows.first else { throw APIError.notFound }
            return .object(VariablesText.object(try row.decode(column: "variables", as: String.self)))
        }
        var hostRows = try await database.all(SQLQueryString(
            "SELECT h.id, h.name, h.variables FROM hosts h WHERE h.inventory_id = \(bind: inventory.id)\(unsafeRaw: enabledFilter) ORDER BY h.name"))
        if let subset = query.queryValue("subset") {
            // `subset=sliceNofM`: the hosts slice N of M of a sliced job runs (AWX's rule).
            let (number, count) = try Self.sliceParameters(subset)
            let ordered = try hostRows.map { (try $0.decode(column: "name", as: String.self), $0) }
                .sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }.map(\.1)
            hostRows = SlicedLaunch.sliceIndices(ordered.count, number: number, count: count).map { ordered[$0] }
        }
        var hostNames: [Int: String] = [:]
        var hostVars = JSONObject()
        for row in hostRows {
            let id = try row.decode(column: "id", as: Int.self)
            let name = try row.decode(column: "name", as: String.self)
            hostNames[id] = name
            hostVars[name] = .object(VariablesText.object(try row.decode(column: "variables", as: String.self)))
        }
        let groupRows = try await database.all(SQLQueryString(
            "SELECT g.id, g.name, g.variables FROM \"groups\" g WHERE g.inventory_id = \(bind: inventory.id) ORDER BY g.name"))
        var groupNames: [Int: String] = [:]
        var groupVars: [Int: JSONObject] = [:]
        for row in groupRows {
            let id = try row.decode(column: "id", as: Int.self)
            groupNames[id] = try row.decode(column: "name", as: String.self)
            groupVars[id] = VariablesText.object(try row.decode(column: "variables", as: String.self))
        }
        var members: [Int: [String]] = [:]
        var grouped: Set<Int> = []
        for row in try await database.all(SQLQueryString("""
            SELECT gh.group_id, gh.host_id FROM group_hosts gh JOIN "groups" g ON g.id = gh.group_id WHERE g.inventory_id = \(bind: inventory.id)
            """)) {
            let hostID = try row.decode(column: "host_id", as: Int.self)
            guard let name = hostNames[hostID] else { continue }
            members[try row.decode(column: "group_id", as: Int.self), default: []].append(name)
            grouped.insert(hostID)
        }
        var children: [Int: [String]] = [:]
        var childIDs: Set<Int> = []
        for row in try await database.all(SQLQueryString("""
            SELECT gc.parent_id, gc.child_id FROM group_children gc JOIN "groups" g ON g.id = gc.parent_id WHERE g.inventory_id = \(bind: inventory.id)
            """)) {
            let child = try row.decode(column: "child_id", as: Int.self)
            if let name = groupNames[child] { children[try row.decode(column: "parent_id", as: Int.self), default: []].append(name) }
            childIDs.insert(child)
        }
        var result = JSONObject()
        var all = JSONObject()
        let ungrouped = hostRows.compactMap { row -> String? in
            guard let id = try? row.decode(column: "id", as: Int.self), !grouped.contains(id) else { return nil }
            return hostNames[id]
        }
        all["hosts"] = .array(ungrouped.map(JSON.string))
        all["children"] = .array(groupNames.keys.filter { !childIDs.contains($0) }.compactMap { groupNames[$0] }.sorted().map(JSON.string))
        all["vars"] = .object(VariablesText.object(inventory.string("variables")))
        result["all"] = .object(all)
        for (id, name) in groupNames.sorted(by: { $0.value < $1.value }) {
            var group = JSONObject()
            group["hosts"] = .array((members[id] ?? []).sorted().map(JSON.string))
            group["children"] = .array((children[id] ?? []).sorted().map(JSON.string))
            group["vars"] = .object(groupVars[id] ?? JSONObject())
            result[name] = .object(group)
        }
        let wantsHostVars = (try? FilterCompiler.boolean(query.queryValue("hostvars") ?? "0")) ?? false
        result["_meta"] = ["hostvars": .object(wantsHostVars ? hostVars : JSONObject())]
        return .object(result)
    }

    /// AWX's `parse_slice_params`: `slice<N>of<M>`, 1 ≤ N ≤ M, else its 400 messages.
    static func sliceParameters(_ text: String) throws -> (number: Int, count: Int) {
        guard text.hasPrefix("slice"), let of = text.range(of: "of"),
              let number = Int(text[text.index(text.startIndex, offsetBy: 5)..<of.lowerBound]),
              let count = Int(text[of.upperBound...].prefix { $0.isNumber }), number >= 0 else {
            throw APIError.badRequest("Could not parse subset as slice specification.")
        }
        if number > count { throw APIError.badRequest("Slice number must be less than total number of slices.") }
        if number < 1 { throw APIError.badRequest("Slice number must be 1 or higher.") }
        return (number, count)
    }
}
