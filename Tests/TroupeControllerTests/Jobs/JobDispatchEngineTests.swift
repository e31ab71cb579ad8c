import Foundation
import SQLKit
import Testing
@testable import TroupeController

/// The dispatcher's database work on both engines: start-up recovery, allow_simultaneous,
/// and concurrent launches whose events are stored gap-free and in order.
@Suite("job dispatch on SQLite and PostgreSQL", .serialized)
struct JobDispatchEngineTests {
    @Test(arguments: TestController.Engine.allCases)
    func restartEndsInterruptedJobsAndRunsPendingOnce(_ engine: TestController.Engine) async throws {
        let lab = try await JobsHarness(engine: engine)
        do {
            let spec = try lab.playbook("ok.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
            let interrupted = try await lab.launch(spec)
            let waiting = try await lab.launch(spec)
            let pending = try await lab.launch(spec)
            // As a SIGKILLed server leaves them: claimed by this node, one running, one waiting.
            try await lab.store.read { db in
                try await db.update("unified_jobs").set("status", to: "running").set("execution_node", to: "node1")
                    .where("id", .equal, interrupted).run()
                try await db.update("unified_jobs").set("status", to: "waiting").set("execution_node", to: "node1")
                    .where("id", .equal, waiting).run()
            }
            try await lab.dispatcher.start()
            for id in [interrupted, waiting] {
                let recovered = try await lab.waitForEnd(id)
                #expect(recovered.status == "error")
                #expect(recovered.failed)
                #expect(recovered.explanation.contains("node1"), "\(recovered.explanation)")
                #expect(try await lab.events(id).isEmpty, "an interrupted job is never run again")
            }
            let ran = try await lab.waitForEnd(pending)
            #expect(ran.status == "successful")
            #expect(try await lab.events(pending).filter { $0.event == "playbook_on_start" }.count == 1)
        } catch {
            await lab.close()
            throw error
        }
        await lab.close()
    }

    @Test(arguments: TestController.Engine.allCases)
    func jobsOfATemplateWithoutAllowSimultaneousRunOneAtATime(_ engine: TestController.Engine) async throws {
        let lab = try await JobsHarness(engine: engine)
        do {
            try await lab.dispatcher.start()
            let spec = try lab.playbook("serial.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 0.3\n")
            var serial: [Int] = []
            for _ in 0..<3 { serial.append(try await lab.launch(spec, templateID: 7, allowSimultaneous: false)) }
            let parallel = [try await lab.launch(spec, templateID: 8, allowSimultaneous: true),
                            try await lab.launch(spec, templateID: 8, allowSimultaneous: true)]
            var ends: [JobsHarness.JobRowSnapshot] = []
            for id in serial { ends.append(try await lab.waitForEnd(id)) }
            #expect(ends.map(\.status) == ["successful", "successful", "successful"])
            for (a, b) in zip(ends, ends.dropFirst()) {
                #expect((b.started ?? "") >= (a.finished ?? "~"), "the next job of the template starts after the previous ended")
            }
            let both = [try await lab.waitForEnd(parallel[0]), try await lab.waitForEnd(parallel[1])]
            #expect(both.map(\.status) == ["successful", "successful"])
            #expect((both[1].started ?? "~") < (both[0].finished ?? ""), "allow_simultaneous jobs overlap")
        } catch {
            await lab.close()
            throw error
        }
        await lab.close()
    }

    @Test(arguments: TestController.Engine.allCases)
    func concurrentLaunchesStoreGapFreeEvents(_ engine: TestController.Engine) async throws {
        let lab = try await JobsHarness(capacity: 40, engine: engine)
        do {
            try await lab.dispatcher.start()
            let spec = try lab.playbook("many.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=one\n    - debug: msg=two\n",
                                        hosts: ["alpha", "beta"])
            let ids = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<10 {
                    group.addTask { [try await lab.launch(spec, templateID: 1), try await lab.launch(spec, templateID: 1)] }
                }
                var all: [Int] = []
                for try await some in group { all += some }
                return all
            }
            #expect(Set(ids).count == 20)
            var counts: Set<Int> = []
            for id in ids {
                let job = try await lab.waitForEnd(id, seconds: 120)
                #expect(job.status == "successful", "job \(id): \(job.explanation)")
                let events = try await lab.events(id)
                #expect(events.map(\.counter) == Array(1...max(events.count, 1)), "job \(id) is gap-free")
                for (a, b) in zip(events, events.dropFirst()) { #expect(a.endLine == b.startLine) }
                counts.insert(events.count)
            }
            #expect(counts.count == 1, "every job stored the same number of events: \(counts)")
        } catch {
            await lab.close()
            throw error
        }
        await lab.close()
    }
}
