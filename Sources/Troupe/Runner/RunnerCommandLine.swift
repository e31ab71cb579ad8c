import Foundation

/// The ansible-playbook arguments of `env/cmdline` / `--cmdline`, for the options a
/// runner applies itself.
struct RunnerCommandLine {
    var extraVars: [String] = []
    var tags: [String] = []
    var skipTags: [String] = []
    var limit: String?
    var forks: Int?
    var verbosity = 0
    var check = false
    var diff = false
    var user: String?
    var become = false
    var becomeUser: String?
    var becomeMethod: String?
    var connection: String?
    var startAtTask: String?
    var forceHandlers = false
    var inventory: [String] = []
    var timeout: Double?
    var privateKey: String?

    init(_ words: [String]) throws {
        var rest = words[...]
        func value(_ flag: String) throws -> String {
            guard let v = rest.popFirst() else { throw TroupeError(.options, "argument \(flag): expected one argument") }
            return v
        }
        while let word = rest.popFirst() {
            // `--flag=value` spelling.
            if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
                rest.insert(String(word[word.index(after: eq)...]), at: rest.startIndex)
                try apply(String(word[..<eq]), value: value)
                continue
            }
            if word.count > 1, word.hasPrefix("-v"), word.dropFirst().allSatisfy({ $0 == "v" }) {
                verbosity += word.count - 1
                continue
            }
            try apply(word, value: value)
        }
    }

    private mutating func apply(_ flag: String, value: (String) throws -> String) throws {
        switch flag {
        case "-e", "--extra-vars": extraVars.append(try value(flag))
        case "-t", "--tags": tags.append(try value(flag))
        case "--skip-tags": skipTags.append(try value(flag))
        case "-l", "--limit": limit = try value(flag)
        case "-f", "--forks":
            let text = try value(flag)
            guard let n = Int(text) else { throw TroupeError(.options, "argument -f/--forks: invalid int value: '\(text)'") }
            forks = n
        case "--verbose": verbosity += 1
        case "-C", "--check": check = true
        case "-D", "--diff": diff = true
        case "-u", "--user": user = try value(flag)
        case "-b", "--become": become = true
        case "--become-user": becomeUser = try value(flag)
        case "--become-method": becomeMethod = try value(flag)
        case "-c", "--connection": connection = try value(flag)
        case "--start-at-task": startAtTask = try value(flag)
        case "--force-handlers": forceHandlers = true
        case "-i", "--inventory": inventory.append(try value(flag))
        case "-T", "--timeout": timeout = Double(try value(flag))
        case "--private-key", "--key-file": privateKey = try value(flag)
        default: throw TroupeError(.options, "unrecognized arguments in cmdline: \(flag)")
        }
    }
}
