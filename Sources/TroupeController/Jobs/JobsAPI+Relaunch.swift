import Foundation
import SQLKit

extension JobStore {
    /// The run parameters stored on the job row itself; the resolver adds the inventory's
    /// hosts and groups, the credentials and the project path.
    func baseSpec(_ id: Int) async throws -> JobSpec {
        guard let row = try await read({ db in try await db.select().column("*").from("unified_jobs").where("id", .equal, id).first() }) else {
            throw JobRunError.setup("job \(id) does not exist")
        }
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func int(_ c: String) throws -> Int { try row.decode(column: c, as: Int.self) }
        var spec = JobSpec(id: id)
        spec.kind = try text("kind") == "ad_hoc_command" ? .adHocCommand : .job
        spec.playbook = try text("playbook")
        spec.limit = try text("limit")
        spec.extraVarsJSON = try text("extra_vars")
        spec.jobTags = try text("job_tags")
        spec.skipTags = try text("skip_tags")
        spec.jobType = try text("job_type")
        spec.verbosity = try int("verbosity")
        spec.forks = try int("forks")
        spec.timeout = try int("timeout")
        spec.diffMode = try row.decode(column: "diff_mode", as: Bool.self)
        spec.become = try row.decode(column: "become_enabled", as: Bool.self)
        spec.moduleName = try text("module_name")
        spec.moduleArgs = try text("module_args")
        spec.credentialIDs = Self.credentialIDs(try text("credential_ids"))
        spec.encryptedExtraVars = try text("extra_vars_encrypted")
        return spec
    }

    /// `[1,2]` as stored in `unified_jobs.credential_ids`.
    static func credentialIDs(_ text: String) -> [Int] {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
    }
}

extension JobsAPI {
    /// GET relaunch/: what a relaunch needs and how many hosts each choice covers.
    func relaunchInfo(_ id: Int, kind: Kind) async throws -> Reply {
        guard try await row(id, kind: kind) != nil else { return .notFound() }
        let failed = try await failedHosts(id)
        let all = try await store.read { db in
            try await db.select().column("host_name").from("job_host_summaries").where("unified_job_id", .equal, id).all()
        }
        return .json(200, ["passwords_needed_to_start": [Any](), "retry_counts": ["all": all.count, "failed": failed.count]])
    }

    /// POST relaunch/ `{"hosts": "all"|"failed"}`: a new job with the same parameters;
    /// `failed` limits it to the hosts that failed or were unreachable.
    func relaunch(_ id: Int, kind: Kind, body: [String: Any], launchedBy: Int? = nil) async throws -> Reply {
        guard let row = try await row(id, kind: kind) else { return .notFound() }
        let hosts = body["hosts"] as? String ?? "all"
        guard hosts == "all" || hosts == "failed" else {
            return .json(400, ["hosts": ["\"\(hosts)\" is not a valid choice."]])
        }
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func int(_ c: String) throws -> Int { try row.decode(column: c, as: Int.self) }
        var job = JobStore.NewJob()
        job.kind = kind.rawValue
        job.name = try text("name")
        job.launchType = "relaunch"
        job.launchedBy = launchedBy
        job.jobTemplateID = try row.decode(column: "job_template_id", as: Int?.self)
        job.inventoryID = try row.decode(column: "inventory_id", as: Int?.self)
        job.projectID = try row.decode(column: "project_id", as: Int?.self)
        job.playbook = try text("playbook")
        job.limit = try text("limit")
        job.extraVars = try text("extra_vars")
        job.encryptedExtraVars = try text("extra_vars_encrypted")
        job.jobTags = try text("job_tags")
        job.skipTags = try text("skip_tags")
        job.jobType = try text("job_type")
        job.verbosity = try int("verbosity")
        job.forks = try int("forks")
        job.timeout = try int("timeout")
        job.diffMode = try row.decode(column: "diff_mode", as: Bool.self)
        job.becomeEnabled = try row.decode(column: "become_enabled", as: Bool.self)
        job.moduleName = try text("module_name")
        job.moduleArgs = try text("module_args")
        job.allowSimultaneous = try row.decode(column: "allow_simultaneous", as: Bool.self)
        // A slice relaunches on its own slice of the hosts, as AWX's relaunch keeps it.
        job.jobSliceNumber = try int("job_slice_number")
        job.jobSliceCount = try int("job_slice_count")
        let credentials = try text("credential_ids")
        job.credentialIDs = credentials.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        if hosts == "failed" {
            let failed = try await failedHosts(id)
            guard !failed.isEmpty else { return .json(400, ["hosts": ["No failed hosts to relaunch on."]]) }
            job.limit = failed.joined(separator: ",")
            job.hostCount = failed.count
        }
        let newID = try await store.createPending(job)
        dispatcher.launched()
        guard let created = try await self.row(newID, kind: kind) else { return .notFound() }
        var object = try JobSerializer(prefix: prefix).job(created, kind: kind)
        object[kind.rawValue] = newID
        var reply = Reply.json(201, object)
        reply.headers = [("Location", prefix + kind.collection + "/\(newID)/")]
        return reply
    }

    private func failedHosts(_ id: Int) async throws -> [String] {
        let rows = try await store.read { db in
            try await db.select().column("host_name").from("job_host_summaries")
                .where("unified_job_id", .equal, id).where("failed", .equal, true).orderBy("host_name").all()
        }
        return try rows.map { try $0.decode(column: "host_name", as: String.self) }
    }
}
