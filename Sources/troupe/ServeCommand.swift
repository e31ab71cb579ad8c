import ArgumentParser
import Foundation

/// `troupe serve …`: runs the controller by exec-ing the sibling `troupe-server`
/// executable (as `git foo` runs `git-foo`), so the engine binary — which workers are
/// spawned from — does not link the HTTP server and database drivers.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the AWX-compatible controller API (runs troupe-server; see `troupe serve --help`).",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "Arguments for troupe-server (--host, --port, --data-dir, --database, --help).")
    var arguments: [String] = []

    func run() throws {
        let executable = ServeCommand.siblingExecutable("troupe-server")
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("troupe-server not found next to troupe (\(executable)); build it with `swift build --product troupe-server`")
        }
        let argv = [executable] + arguments
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        execv(executable, &cArguments)
        throw ValidationError("cannot run \(executable): \(String(cString: strerror(errno)))")
    }

    /// The path of `name` in the directory of the running executable.
    static func siblingExecutable(_ name: String) -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
