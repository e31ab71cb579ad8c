import Foundation

/// A run on the controller: a playbook job (`/api/v2/jobs/N/`) or an ad hoc command
/// (`/api/v2/ad_hoc_commands/N/`). It keeps the connection it was read through, so
/// `wait`, `events`, `stdout`, `cancel` and `relaunch` need no other argument.
public struct Job: ServerResource {
    public static let resourcePath = "jobs"
    public var fields: [String: JSONValue]
    /// The connection actions go through; `nil` means the process-wide default.
    public private(set) var api: ServerAPI?

    public init(fields: [String: JSONValue]) { self.fields = fields }

    public init(fields: [String: JSONValue], api: ServerAPI) {
        self.fields = fields
        self.api = api
    }

    public mutating func bind(to api: ServerAPI) { self.api = api }

    /// Statuses after which a job never changes again.
    public static let finishedStatuses: Set<String> = ["successful", "failed", "error", "canceled"]

    public var status: String { fields["status"]?.stringValue ?? "new" }
    public var isFinished: Bool { Self.finishedStatuses.contains(status) }
    public var isSuccessful: Bool { status == "successful" }
    public var failed: Bool { fields["failed"]?.boolValue ?? false }
    public var elapsed: Double { fields["elapsed"]?.doubleValue ?? 0 }
    public var jobExplanation: String { fields["job_explanation"]?.stringValue ?? "" }
    public var limit: String { fields["limit"]?.stringValue ?? "" }
    /// AWX sets it once every event of a finished job is stored; nil when the server omits it.
    public var eventProcessingFinished: Bool? { fields["event_processing_finished"]?.boolValue }

    func connection() throws -> ServerAPI {
        if let api { return api }
        return try ServerAPI.connection()
    }

    /// A sub-resource's path: the `related` link when the server gives one, else `url` + name.
    func relatedPath(_ name: String, fallback: String? = nil) -> String {
        if let link = related[name] { return link }
        if let fallback, let link = related[fallback] { return link }
        let base = url.hasSuffix("/") ? url : url + "/"
        return base + name + "/"
    }

    /// The job read again from the server.
    public func refresh() async throws -> Job {
        let api = try connection()
        guard let fields = try await api.get(url).objectValue else {
            throw ClientError.invalidResponse(method: "GET", path: url, reason: "expected an object")
        }
        return Job(fields: fields, api: api)
    }

    /// Waits until the job has finished (successful, failed, error or canceled) and returns it
    /// as the server then describes it. Polls with a growing interval (50 ms up to 1 s).
    public func wait(timeout: TimeInterval = 3600) async throws -> Job {
        let deadline = Date().addingTimeInterval(timeout)
        var job = self
        var interval = 0.05
        while !job.isFinished {
            guard Date() < deadline else {
                throw ClientError.timedOut("job \(id) still '\(job.status)' after \(timeout) s")
            }
            try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            interval = min(interval * 1.5, 1)
            job = try await job.refresh()
        }
        return job
    }

    /// The job's events in order as they arrive, ending after the job has finished and its
    /// last event has been stored: streamed by the server, pushed over the WebSocket, or polled.
    public var events: JobEventStream { JobEventStream(job: self, pollInterval: 0.1, live: true) }

    /// The same with an explicit polling interval (seconds); `live: false` polls only (no
    /// event stream, no WebSocket).
    public func events(pollInterval: TimeInterval, live: Bool = true) -> JobEventStream {
        JobEventStream(job: self, pollInterval: pollInterval, live: live)
    }

    public enum StdoutFormat: String, Sendable {
        case txt, ansi, json, html
        case txtDownload = "txt_download"
        case ansiDownload = "ansi_download"
    }

    /// The job's output in a format of AWX's `/stdout/` endpoint. For `.json` the `content`
    /// field is returned; the others return the body as text.
    public func stdout(format: StdoutFormat = .txt) async throws -> String {
        let api = try connection()
        let request = RawRequest(headers: [(name: "Accept", value: "*/*")], query: [(name: "format", value: format.rawValue)])
        let response = try await api.rawGet(relatedPath("stdout"), request).checked()
        if format == .json {
            return try response.json()["content"]?.stringValue ?? ""
        }
        return response.text
    }

    /// Asks the server to cancel the job (202). A finished job cannot be canceled: the
    /// server answers 405, raised as `ServerError`.
    public func cancel() async throws {
        _ = try await connection().post(relatedPath("cancel"))
    }

    public enum RelaunchHosts: String, Sendable { case all, failed }

    /// Starts the job again (on all hosts, or only those that failed) and returns the new job.
    public func relaunch(hosts: RelaunchHosts = .all, extraFields: [String: JSONValue] = [:]) async throws -> Job {
        let api = try connection()
        var body = extraFields
        body["hosts"] = .string(hosts.rawValue)
        return try api.jobFromLaunchAnswer(await api.post(relatedPath("relaunch"), body), kind: type ?? "job")
    }
}

extension ServerAPI {
    /// Launches a job template given by id, named URL or name, with AWX's launch-time fields
    /// (those not given are left to the template). Returns the new job (usually `pending`).
    public func launch(jobTemplate: ResourceID, extraVars: [String: JSONValue]? = nil, limit: String? = nil,
                       inventory: Int? = nil, credentials: [Int]? = nil, jobTags: String? = nil,
                       skipTags: String? = nil, verbosity: Int? = nil, diffMode: Bool? = nil,
                       extraFields: [String: JSONValue] = [:]) async throws -> Job {
        let templateID = try await resolveID(JobTemplate.self, jobTemplate)
        var body = extraFields
        if let extraVars { body["extra_vars"] = .object(extraVars) }
        if let limit { body["limit"] = .string(limit) }
        if let inventory { body["inventory"] = .int(inventory) }
        if let credentials { body["credentials"] = .array(credentials.map { .int($0) }) }
        if let jobTags { body["job_tags"] = .string(jobTags) }
        if let skipTags { body["skip_tags"] = .string(skipTags) }
        if let verbosity { body["verbosity"] = .int(verbosity) }
        if let diffMode { body["diff_mode"] = .bool(diffMode) }
        let answer = try await post("job_templates/\(templateID)/launch/", body)
        return try jobFromLaunchAnswer(answer, kind: "job")
    }

    /// Runs one module on an inventory's hosts (an ad hoc command) and returns the new run.
    public func adHoc(inventory: ResourceID, module: String, args: String = "", limit: String? = nil,
                      credential: Int? = nil, extraFields: [String: JSONValue] = [:]) async throws -> Job {
        let inventoryID = try await resolveID(Inventory.self, inventory)
        var body = extraFields
        body["inventory"] = .int(inventoryID)
        body["module_name"] = .string(module)
        body["module_args"] = .string(args)
        if let limit { body["limit"] = .string(limit) }
        if let credential { body["credential"] = .int(credential) }
        return try jobFromLaunchAnswer(await post("ad_hoc_commands/", body), kind: "ad_hoc_command")
    }

    /// A job from a launch/relaunch answer: AWX answers the job's own fields plus `job` (its id).
    func jobFromLaunchAnswer(_ answer: JSONValue, kind: String) throws -> Job {
        guard var fields = answer.objectValue else {
            throw ClientError.invalidResponse(method: "POST", path: "launch", reason: "expected an object")
        }
        let id = fields["job"]?.intValue ?? fields["ad_hoc_command"]?.intValue ?? fields["id"]?.intValue
        guard let id else {
            throw ClientError.invalidResponse(method: "POST", path: "launch", reason: "the answer names no job")
        }
        fields["id"] = .int(id)
        if fields["url"]?.stringValue == nil {
            let collection = kind == "ad_hoc_command" ? "ad_hoc_commands" : "jobs"
            fields["url"] = .string("\(apiRoot)\(collection)/\(id)/")
        }
        return Job(fields: fields, api: self)
    }
}
