import ArgumentParser
import Foundation

extension TroupeCommand {
    /// ArgumentParser's `main()`, except that a bad command line is answered as argparse
    /// answers it for ansible-playbook: "PROG: error: MESSAGE" on stderr and exit 2
    /// (ArgumentParser's own convention is 64). Help and version requests are unchanged.
    static func mainWithArgparseErrors() -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let program = (["troupe"] + arguments.prefix(1).filter { !$0.hasPrefix("-") }).joined(separator: " ")
            FileHandle.standardError.write(Data("\(program): error: \(message(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }
}
