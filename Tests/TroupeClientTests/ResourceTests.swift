import Foundation
import Testing
@testable import TroupeClient

@Suite struct ResourceTests {
    @Test func listFollowsNextAcrossThreePages() async throws {
        try await withFakeController { server in
            let api = try server.api()
            let org = try await api.create(Organization.self, ["name": "Default"])
            let inventory = try await api.create(Inventory.self, ["name": "inv", "organization": .int(org.id)])
            for index in 1...12 {
                _ = try await api.create(Host.self, ["name": .string("web\(index)"), "inventory": .int(inventory.id)])
            }
            await server.state.clearLog()
            let hosts = try await api.list(Host.self, ["inventory": .int(inventory.id), "page_size": 5]).collect()
            #expect(hosts.map(\.name) == (1...12).map { "web\($0)" })
            #expect(hosts.allSatisfy { $0.inventory == inventory.id })
            let requests = await server.state.log()
            #expect(requests.count == 3)
            #expect(requests.last?.contains("page=3") == true)

            // Untyped, with a filter and lazily: stopping early fetches only what was used.
            await server.state.clearLog()
            var names: [String] = []
            for try await host in api.list("hosts", ["name__icontains": "web1", "page_size": 2]) {
                names.append(host["name"]?.stringValue ?? "")
                if names.count == 2 { break }
            }
            #expect(names == ["web1", "web10"])
            #expect(await server.state.log().count == 1)

            // A bad filter is the server's 400, thrown from the sequence.
            await #expect(throws: ServerError.self) { try await api.list("hosts", ["bogus": 1]).collect() }
        }
    }

    @Test func crudByIdAndNamedURL() async throws {
        try await withFakeController { server in
            let api = try server.api()
            let org = try await api.create(Organization.self, ["name": "Default"])
            let inventory = try await api.create(Inventory.self, ["name": "inv", "organization": .int(org.id)])
            let host = try await api.create(Host.self, ["name": "web+1", "inventory": .int(inventory.id),
                                                        "variables": "a: 1"])
            let byName = try await api.get(Host.self, .named(["web+1"], ["inv"], ["Default"]))
            #expect(byName.id == host.id && byName.variables == "a: 1")
            let byID = try await api.get(Host.self, .id(host.id))
            #expect(byID.name == "web+1")
            #expect(try await api.get(Organization.self, "Default").id == org.id)
            #expect(try await api.get(Inventory.self, "inv++Default").organization == org.id)

            let updated = try await api.update(Host.self, .named(["web+1"], ["inv"], ["Default"]), ["enabled": false])
            #expect(updated.enabled == false && updated.name == "web+1")
            var changed = updated
            changed["description"] = "replaced"
            changed["server_only_field"] = "kept"  // fields the client has no property for travel too
            let replaced = try await api.replace(changed)
            #expect(replaced.description == "replaced" && replaced["server_only_field"] == "kept")

            try await api.delete(Host.self, .id(host.id))
            let missing = await #expect(throws: ServerError.self) { try await api.get(Host.self, "web+1++inv++Default") }
            #expect(missing?.status == 404)
            await #expect(throws: ClientError.notFound(resource: "job_templates", identifier: "nope")) {
                try await api.launch(jobTemplate: "nope")
            }
        }
    }
}
