import Foundation
import Troupe

/// `--connection-password-file` and `--become-password-file` as ansible-core reads them:
/// `-` is stdin, an executable file is run and its stdout used, any other file is read;
/// surrounding whitespace and line ends are dropped, and an empty password is an error.
enum PasswordFile {
    static func read(_ given: String) throws -> String {
        // Messages name the absolute path, as ansible's (unfrackpath'd) do.
        let path = given == "-" ? given : URL(fileURLWithPath: (given as NSString).expandingTildeInPath).standardizedFileURL.path
        var secret: Data
        if path == "-" {
            secret = FileHandle.standardInput.readDataToEndOfFile()
        } else if !FileManager.default.fileExists(atPath: path) {
            throw TroupeError(.execution, "The password file \(path) was not found")
        } else if FileManager.default.isExecutableFile(atPath: path) {
            secret = try run(path)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TroupeError(.execution, "Could not read password file \(path)")
            }
            secret = data
        }
        let text = String(decoding: secret, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw TroupeError(.execution, "Empty password was provided from file (\(path))") }
        return text
    }

    private static func run(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw TroupeError(.execution, "Problem occurred when trying to run the password script \(path) (\(error.localizedDescription)). "
                                  + "If this is not a script, remove the executable bit from the file.")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TroupeError(.execution, "The password script \(path) returned an error (rc=\(process.terminationStatus)): \(errorText)")
        }
        return data
    }
}
