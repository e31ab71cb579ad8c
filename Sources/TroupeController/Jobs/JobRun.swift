import Foundation
import Logging

/// One running job: writes its private data dir, spawns `troupe run … --json`, maps each
/// JSON line to a `job_events` row for the ingestor, enforces the timeout, answers cancel
/// (SIGINT to the process group, SIGKILL 5 s later) and, once the process has ended and
/// every event is stored, writes the terminal status, host summaries and
/// `event_processing_finished`, then removes the private data dir.
actor JobRun {
    typealias StopReason = JobStopReason

    struct Environment: Sendable {
        /// The `troupe` executable.
        var troupePath: String
        /// Where private data dirs go (`DATA_DIR/jobs`).
        var jobsDirectory: String
        var store: JobStore
        var ingestor: EventIngestor
        var logger = Logger(label: "troupe.jobs")
        /// Seconds between SIGINT and SIGKILL.
        var killGrace: Double = 5
    }

    let spec: JobSpec
    private let env: Environment
    private var process: JobProcess?
    private var stopReason: StopReason?
    private var started = Date()

    init(spec: JobSpec, environment: Environment) {
        self.spec = spec
        self.env = environment
    }

    /// Runs the job to its end; the job row is `waiting` on this node when called.
    func run() async {
        started = Date()
        let store = env.store
        do {
            guard try await store.markRunning(spec.id, started: JobClock.format(started)) else {
                // Canceled while waiting: it never starts.
                try await store.end(spec.id, status: "canceled", explanation: "Job was canceled before it started")
                return
            }
            await env.ingestor.publishStatus(spec.id, status: "running", kind: spec.kind.rawValue)
        } catch {
            env.logger.error("job \(spec.id): cannot mark running: \(String(describing: error))")
            try? await store.end(spec.id, status: "error", explanation: "Could not start the job: \(error)")
            return
        }
        let directory: PrivateDataDir
        do {
            directory = try PrivateDataDir(root: env.jobsDirectory, spec: spec)
        } catch {
            try? FileManager.default.removeItem(atPath: env.jobsDirectory + "/" + String(spec.id))
            await end(status: "error", explanation: "Could not prepare the job's private data dir: \(error)")
            return
        }
        defer { directory.remove() }

        var arguments = ["run", directory.path] + directory.runArguments + ["--json", "--ident", String(spec.id)]
        if let project = directory.projectDir { arguments += ["--project-dir", project] }
        var environment = ProcessInfo.processInfo.environment
        environment["JOB_ID"] = String(spec.id)
        environment["ANSIBLE_FORCE_COLOR"] = "1"
        environment.removeValue(forKey: "NO_COLOR")
        environment.removeValue(forKey: "ANSIBLE_NOCOLOR")
        let stderrPath = directory.path + "/stderr"
        let child: JobProcess
        do {
            child = try JobProcess(executable: env.troupePath, arguments: arguments, environment: environment, stderrPath: stderrPath)
        } catch {
            await end(status: "error", explanation: "Could not start the job's process: \(error)")
            return
        }
        process = child
        if stopReason != nil { child.signalGroup(SIGINT) }  // canceled while starting
        let timer = spec.timeout > 0 ? Task { [timeout = spec.timeout] in
            try? await Task.sleep(for: .seconds(timeout))
            if !Task.isCancelled { self.stop(.timeout) }
        } : nil

        var mapper = JobEventMapper(unifiedJobID: spec.id, node: env.store.node, hostIDs: spec.hostIDs)
        var stdoutLines = 0
        for await line in child.lines {
            guard let row = mapper.map(line: line) else { continue }
            stdoutLines = max(stdoutLines, row.endLine)
            // At once, so live followers see it within one batch window; the ingestor
            // batches the database writes.
            await env.ingestor.submit(row)
        }
        let code = await child.exitCode()
        timer?.cancel()
        let stderrTail = JobTermination.lastLines(ofFile: stderrPath)
        // Gone before the job is seen finished (the defer covers the early exits).
        directory.remove()
        let storageError = await env.ingestor.flush(spec.id)

        var (status, explanation) = JobTermination.terminalStatus(exitCode: code, stopReason: stopReason, timeout: spec.timeout)
        if status == "failed" || status == "error", !mapper.sawStats, explanation.isEmpty {
            explanation = stderrTail
        }
        if let storageError {
            status = "error"
            explanation = storageError
        }
        let finished = Date()
        var outcome = JobStore.Outcome(status: status, explanation: explanation, finished: JobClock.format(finished),
                                       elapsed: JobTermination.rounded(finished.timeIntervalSince(started)))
        outcome.summaries = mapper.hostSummaries
        outcome.changedParents = mapper.changedParents.sorted()
        outcome.failedParents = mapper.failedParents.sorted()
        outcome.stdoutLines = stdoutLines
        do {
            try await store.finish(spec.id, outcome)
            await env.ingestor.publishFinished(spec.id, status: status, kind: spec.kind.rawValue)
        } catch {
            env.logger.error("job \(spec.id): cannot store its end: \(String(describing: error))")
            try? await store.end(spec.id, status: "error", explanation: "Could not store the job's result: \(error)")
        }
    }

    /// The `troupe run` process id while it runs.
    var processID: pid_t? { process?.pid }

    /// Cancel (user request) or timeout: SIGINT to the run's process group, SIGKILL after the grace period.
    func stop(_ reason: StopReason) {
        guard stopReason == nil else { return }
        stopReason = reason
        guard let process else { return }
        process.signalGroup(SIGINT)
        let grace = env.killGrace
        Task {
            try? await Task.sleep(for: .seconds(grace))
            process.signalGroup(SIGKILL)  // harmless when the group is gone
        }
    }

    private func end(status: String, explanation: String) async {
        do {
            try await env.store.end(spec.id, status: status, explanation: explanation)
            await env.ingestor.publishFinished(spec.id, status: status, kind: spec.kind.rawValue)
        } catch {
            env.logger.error("job \(spec.id): cannot store status \(status): \(String(describing: error))")
        }
    }

}
