import Foundation

/// `troupe api …` runs the sibling executable `troupe-api` (as `git foo` runs `git-foo`), so
/// the engine binary — which every worker process is spawned from — does not link the HTTP
/// client. The sibling is looked up next to this executable, then on PATH.
enum SiblingCommand {
    static let executables = ["api": "troupe-api"]

    /// Replaces this process with the sibling when the first argument names one; returns
    /// otherwise. Exits 127 with a message when the sibling cannot be found or started.
    static func execIfDelegated(_ arguments: [String] = CommandLine.arguments) {
        guard arguments.count > 1, let name = executables[arguments[1]] else { return }
        guard let path = locate(name) else {
            FileHandle.standardError.write(Data("troupe: \(name) not found next to troupe or on PATH (build it with `swift build --product \(name)`)\n".utf8))
            exit(127)
        }
        let argv = [path] + arguments.dropFirst(2)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        execv(path, cArguments)
        FileHandle.standardError.write(Data("troupe: cannot run \(path): \(String(cString: strerror(errno)))\n".utf8))
        exit(127)
    }

    static func locate(_ name: String) -> String? {
        let fileManager = FileManager.default
        let selfPath = (try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let besideSelf = URL(fileURLWithPath: selfPath).deletingLastPathComponent().appendingPathComponent(name).path
        if fileManager.isExecutableFile(atPath: besideSelf) { return besideSelf }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
