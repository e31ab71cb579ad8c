import ArgumentParser
import Foundation
import TroupeClient

/// `troupe api` (the `troupe-api` executable): the controller's REST API for scripts.
/// The connection comes from the environment (TROUPE_SERVER_URL/TROUPE_API_KEY, or AWX's
/// CONTROLLER_HOST/CONTROLLER_OAUTH_TOKEN/CONTROLLER_USERNAME/CONTROLLER_PASSWORD).
@main
struct TroupeAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "troupe api",
        abstract: "Call the controller's REST API (connection from TROUPE_SERVER_URL / TROUPE_API_KEY).",
        subcommands: [GetCommand.self, PostCommand.self, PutCommand.self, PatchCommand.self, DeleteCommand.self,
                      LaunchCommand.self])
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, table
}

struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Output format: json or table.")
    var format: OutputFormat = .json

    @Option(help: "Columns for --format table, comma-separated (default: id, name, and status or type when present).")
    var columns: String?
}

/// Runs a command body, turning client and server errors into a message and exit status 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ServerError {
        FileHandle.standardError.write(Data("troupe api: \(error)\n".utf8))
        throw ExitCode(1)
    } catch let error as ClientError {
        FileHandle.standardError.write(Data("troupe api: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// `key=value` arguments into a query (a repeated key keeps every value, in order).
func queryItems(_ pairs: [String]) throws -> [(name: String, value: String)] {
    try pairs.map { pair in
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw ValidationError("query argument '\(pair)' is not key=value")
        }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }
}

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "GET a path, print the JSON answer.")

    @Argument(help: "Path, relative to /api/v2/ or absolute (e.g. /api/v2/jobs/).")
    var path: String

    @Option(name: .short, help: "Query argument key=value (repeatable), e.g. -q status=failed.")
    var query: [String] = []

    @Flag(help: "Follow `next` and print every result of a list as one JSON array.")
    var all = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors {
            let api = try ServerAPI.connection()
            let items = try queryItems(query)
            var answer = try await api.rawGet(path, RawRequest(query: items)).checked().json()
            if all, answer["results"] != nil {
                var results = answer["results"]?.arrayValue ?? []
                var next = answer["next"]?.stringValue
                while let path = next {
                    let page = try await api.get(path)
                    results += page["results"]?.arrayValue ?? []
                    next = page["next"]?.stringValue
                }
                answer = ["count": .int(results.count), "next": nil, "previous": nil, "results": .array(results)]
            }
            print(Render.output(answer, format: output.format, columns: output.columns))
        }
    }
}

/// The body of post/put/patch: the JSON argument, or standard input when it is `-` or absent.
struct BodyArgument: ParsableArguments {
    @Argument(help: "JSON body; '-' or nothing reads it from standard input.")
    var json: String?

    func body() throws -> Data {
        var text = json ?? "-"
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { text = "{}" }
        do {
            _ = try JSONValue.parse(Data(text.utf8))
        } catch {
            throw ValidationError("the body is not valid JSON: \(error)")
        }
        return Data(text.utf8)
    }
}

protocol WriteCommand: AsyncParsableCommand {
    var path: String { get }
    var body: BodyArgument { get }
    var output: OutputOptions { get }
    static var method: String { get }
}

extension WriteCommand {
    func run() async throws {
        try await reportingErrors {
            let api = try ServerAPI.connection()
            let request = RawRequest(body: try body.body(), contentType: "application/json")
            let answer = try await api.rawRequest(Self.method, path, request).checked().json()
            if !answer.isNull { print(Render.output(answer, format: output.format, columns: output.columns)) }
        }
    }
}

struct PostCommand: WriteCommand {
    static let configuration = CommandConfiguration(commandName: "post", abstract: "POST a JSON body to a path.")
    static let method = "POST"
    @Argument(help: "Path, relative to /api/v2/ or absolute.") var path: String
    @OptionGroup var body: BodyArgument
    @OptionGroup var output: OutputOptions
}

struct PutCommand: WriteCommand {
    static let configuration = CommandConfiguration(commandName: "put", abstract: "PUT a JSON body to a path.")
    static let method = "PUT"
    @Argument(help: "Path, relative to /api/v2/ or absolute.") var path: String
    @OptionGroup var body: BodyArgument
    @OptionGroup var output: OutputOptions
}

struct PatchCommand: WriteCommand {
    static let configuration = CommandConfiguration(commandName: "patch", abstract: "PATCH a path with a JSON body.")
    static let method = "PATCH"
    @Argument(help: "Path, relative to /api/v2/ or absolute.") var path: String
    @OptionGroup var body: BodyArgument
    @OptionGroup var output: OutputOptions
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "DELETE a path.")
    @Argument(help: "Path, relative to /api/v2/ or absolute.") var path: String
    @Option(name: .short, help: "Query argument key=value (repeatable).") var query: [String] = []

    func run() async throws {
        try await reportingErrors {
            let api = try ServerAPI.connection()
            let answer = try await api.rawDelete(path, RawRequest(query: queryItems(query))).checked().json()
            if !answer.isNull { print(answer.jsonString(pretty: true)) }
        }
    }
}

struct LaunchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch", abstract: "Launch a job template by name, named URL or id; --monitor follows it.")

    @Argument(help: "Job template name, named URL (name++organization) or id.")
    var template: String

    @Option(name: [.short, .customLong("extra-vars")], help: "Extra variables as a JSON object.")
    var extraVars: String?

    @Option(help: "Limit the hosts (a host pattern).")
    var limit: String?

    @Flag(help: "Print the job's output as it runs and its final status; exit 0 only on success.")
    var monitor = false

    @Option(help: "With --monitor: give up after this many seconds.")
    var timeout: Double = 3600

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors {
            let api = try ServerAPI.connection()
            var variables: [String: JSONValue]?
            if let extraVars {
                guard let object = try? JSONValue.parse(Data(extraVars.utf8)).objectValue else {
                    throw ValidationError("--extra-vars must be a JSON object")
                }
                variables = object
            }
            let identifier: ResourceID = Int(template).map { .id($0) } ?? .name(template)
            let job = try await api.launch(jobTemplate: identifier, extraVars: variables, limit: limit)
            guard monitor else {
                print(Render.output(.object(job.fields), format: output.format, columns: output.columns))
                return
            }
            FileHandle.standardError.write(Data("job \(job.id) launched\n".utf8))
            for try await event in job.events where !event.stdout.isEmpty {
                print(event.stdout)
            }
            let finished = try await job.wait(timeout: timeout)
            print("status: \(finished.status)")
            if !finished.isSuccessful { throw ExitCode(1) }
        }
    }
}
