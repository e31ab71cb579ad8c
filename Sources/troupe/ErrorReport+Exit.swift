import Foundation
import Troupe

extension ErrorReport {
    /// Prints the error on stderr and exits with ansible-playbook's code for it.
    static func fail(_ error: Error) -> Never {
        FileHandle.standardError.write(Data(render(error).utf8))
        exit(exitCode(error))
    }
}
