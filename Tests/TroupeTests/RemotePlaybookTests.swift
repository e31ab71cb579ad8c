import XCTest
import Jinja
@testable import Troupe

/// Whole playbooks over real SSH (the test sshd lab), through worker processes spawned
/// from the troupe binary — the production path.
final class RemotePlaybookTests: XCTestCase {
    static var lab: SSHLab?

    override class func setUp() {
        super.setUp()
        lab = try? SSHLab.start(hostCount: 5)
    }

    override class func tearDown() {
        lab?.stop()
        lab = nil
        super.tearDown()
    }

    private func requireLab() throws -> SSHLab {
        if let lab = Self.lab { return lab }
        return try SSHLab.start(hostCount: 5)  // rethrows the skip or the clear failure
    }

    /// Inventory of the lab hosts plus one host nothing listens on.
    private func inventory(_ lab: SSHLab, extraHost: String? = nil) -> StaticInventory {
        var vars: [String: OrderedDict] = [:]
        var hosts = lab.hosts.enumerated().map { "web\($0.offset + 1)" }
        for (i, address) in lab.hosts.enumerated() {
            vars["web\(i + 1)"] = hostVars(lab, address: address, port: lab.port)
        }
        if let extraHost {
            hosts.append(extraHost)
            vars[extraHost] = hostVars(lab, address: "127.0.0.1", port: 1)
        }
        return StaticInventory(hosts: hosts, variables: vars)
    }

    private func hostVars(_ lab: SSHLab, address: String, port: Int) -> OrderedDict {
        ["ansible_host": .string(address), "ansible_port": .int(port), "ansible_user": .string(SSHLab.user),
         "ansible_ssh_private_key_file": .string(lab.clientKey),
         "ansible_ssh_common_args": .string("-o UserKnownHostsFile=\(lab.knownHosts)")]
    }

    private func run(_ playbook: String, inventory: InventoryView, pool: WorkerPool) throws -> (Int, RecordingCallback) {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        let path = try harness.write("site.yml", playbook)
        let recorder = RecordingCallback()
        var options = ExecutionOptions()
        options.forks = 10
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: harness.directory.path))
        let executor = PlaybookExecutor(playbooks: [path], inventory: inventory, variableManager: vm,
                                        loader: DataLoader(baseDirectory: harness.directory.path), options: options,
                                        callbacks: [recorder], runner: pool)
        return (try executor.run(), recorder)
    }

    func testPlaybookOnFiveHostsWithAnUnreachableOne() throws {
        let lab = try requireLab()
        let pool = WorkerPool(executable: TroupeBinary.path, size: 2)
        defer { pool.shutdown() }
        let (rc, rec) = try run("""
        - hosts: all
          gather_facts: false
          tasks:
            - name: whoami
              command: id -un
              register: who
            - name: shell
              shell: echo "$((6 * 7))"
            - name: loop
              command: echo {{ item }}
              loop: [1, 2, 3]
            - name: check
              assert:
                that: who.stdout == 'troupetest'
        """, inventory: inventory(lab, extraHost: "down"), pool: pool)
        XCTAssertEqual(rc, 4, rec.lines.joined(separator: "\n"))
        let stats = try XCTUnwrap(rec.stats)
        for i in 1...5 {
            let s = try XCTUnwrap(stats.perHost["web\(i)"])
            XCTAssertEqual([s.ok, s.changed, s.failures, s.unreachable], [4, 3, 0, 0], "web\(i)")
        }
        XCTAssertEqual(stats.perHost["down"]?.unreachable, 1)
        let unreachable = try XCTUnwrap(rec.results["whoami"]?.first { $0["unreachable"]?.isTruthy ?? false })
        XCTAssertTrue(unreachable["msg"]?.stringValue?.contains("Failed to connect to the host via ssh") ?? false, "\(unreachable)")
        XCTAssertTrue(pool.workerProcessIDs.isEmpty, "the run stops its workers when it ends")
    }

    func testAKilledWorkerFailsOnlyItsTasks() throws {
        let lab = try requireLab()
        let pool = WorkerPool(executable: TroupeBinary.path, size: 2)
        defer { pool.shutdown() }
        let inv = inventory(lab)
        let killer = Thread {
            Thread.sleep(forTimeInterval: 1.5)
            pool.killWorker(serving: "web1")
        }
        killer.start()
        let (rc, rec) = try run("""
        - hosts: web1,web2
          gather_facts: false
          tasks:
            - name: slow
              command: sleep 3
            - name: after
              command: echo still running
        """, inventory: inv, pool: pool)
        XCTAssertEqual(rc, 2)
        let slow = try XCTUnwrap(rec.results["slow"])
        let failure = try XCTUnwrap(slow.first { $0["failed"]?.isTruthy ?? false })
        XCTAssertEqual(failure["msg"], "worker process died: signal 9")
        XCTAssertEqual(slow.count, 2)
        XCTAssertEqual(rec.results["after"]?.count, 1, "the other host goes on")
        XCTAssertEqual(rec.stats?.perHost["web2"]?.ok, 2)
    }

    /// Async jobs started under become run as the become user, survive the launch (detached
    /// from sudo's session) and are found again by async_status with the same become.
    func testAsyncJobsUnderBecome() throws {
        let lab = try requireLab()
        let pool = WorkerPool(executable: TroupeBinary.path, size: 2)
        defer { pool.shutdown() }
        let (rc, rec) = try run("""
        - hosts: web1,web2
          gather_facts: false
          become: true
          tasks:
            - name: waited
              shell: sleep 0.5; id -un
              async: 10
              poll: 1
            - name: fired
              command: id -un
              async: 10
              poll: 0
              register: job
            - name: status
              async_status:
                jid: "{{ job.ansible_job_id }}"
              register: st
              until: st.finished
              retries: 10
              delay: 1
            - name: check
              assert:
                that:
                  - st.stdout == 'root'
                  - st.results_file.startswith('/root/')
        """, inventory: inventory(lab), pool: pool)
        XCTAssertEqual(rc, 0, rec.lines.joined(separator: "\n"))
        XCTAssertEqual(rec.results["waited"]?.map { $0["stdout"] }, ["root", "root"])
        XCTAssertEqual(rec.results["check"]?.count, 2)
    }
}
