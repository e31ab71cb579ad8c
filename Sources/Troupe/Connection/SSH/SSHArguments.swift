import Foundation

/// The ssh command-line options (`ansible_ssh_common_args`, `ansible_ssh_extra_args`)
/// reduced to what libssh can honour; everything else becomes a warning.
struct SSHArguments {
    /// `-o` options by lower-cased key; as in OpenSSH, the first value given for a key wins.
    var options: [String: String] = [:]
    var configFile: String?
    var warnings: [String] = []

    /// Options that only make sense for the OpenSSH binary (multiplexing, output); accepted silently
    /// because a libssh session is persistent anyway.
    private static let silentlyIgnored: Set<String> = [
        "controlmaster", "controlpersist", "controlpath", "batchmode", "loglevel", "serveralivecountmax",
        "connectionattempts", "requesttty", "forwardagent", "forwardx11", "identitiesonly",
        "userknownhostsfile2", "hashknownhosts", "checkhostip", "visualhostkey", "updatehostkeys",
        "gssapiauthentication", "gssapidelegatecredentials", "addkeystoagent", "tcpkeepalive",
    ]

    /// Options translated to libssh settings by ``SSHSession``.
    static let supported: Set<String> = [
        "port", "user", "hostname", "identityfile", "connecttimeout", "stricthostkeychecking",
        "userknownhostsfile", "globalknownhostsfile", "ciphers", "kexalgorithms", "hostkeyalgorithms",
        "macs", "compression", "proxycommand", "pubkeyauthentication", "passwordauthentication",
        "kbdinteractiveauthentication", "challengeresponseauthentication", "serveraliveinterval",
        "identityagent", "pubkeyacceptedkeytypes", "pubkeyacceptedalgorithms", "bindaddress",
    ]

    init(_ texts: [String?]) {
        for text in texts.compactMap({ $0 }) { parse(ShellWords.splitLeniently(text)) }
    }

    private mutating func parse(_ words: [String]) {
        var index = 0
        func next() -> String? {
            index += 1
            return index < words.count ? words[index] : nil
        }
        while index < words.count {
            let word = words[index]
            switch word {
            case "-o":
                if let value = next() { addOption(value) }
            case _ where word.hasPrefix("-o"):
                addOption(String(word.dropFirst(2)))
            case "-C": add("compression", "yes")
            case "-p": if let v = next() { add("port", v) }
            case "-l": if let v = next() { add("user", v) }
            case "-i": if let v = next() { add("identityfile", v) }
            case "-F": configFile = next()
            case "-q", "-v", "-vv", "-vvv", "-T", "-t", "-x", "-X", "-a", "-n", "-N": break
            default:
                warnings.append("ssh argument '\(word)' is not supported by the libssh connection and was ignored")
            }
            index += 1
        }
    }

    private mutating func addOption(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let key: Substring, value: Substring
        if let eq = trimmed.firstIndex(of: "=") {
            key = trimmed[..<eq]
            value = trimmed[trimmed.index(after: eq)...]
        } else if let space = trimmed.firstIndex(of: " ") {
            key = trimmed[..<space]
            value = trimmed[trimmed.index(after: space)...]
        } else {
            warnings.append("ssh option '\(trimmed)' has no value and was ignored")
            return
        }
        add(key.trimmingCharacters(in: .whitespaces).lowercased(), value.trimmingCharacters(in: .whitespaces))
    }

    private mutating func add(_ key: String, _ value: String) {
        if Self.silentlyIgnored.contains(key) { return }
        guard Self.supported.contains(key) else {
            warnings.append("ssh option '\(key)' is not supported by the libssh connection and was ignored")
            return
        }
        if options[key] == nil { options[key] = value }
    }

    /// Interprets yes/no style values the way ssh_config does.
    static func isYes(_ value: String) -> Bool {
        ["yes", "true", "on", "1"].contains(value.lowercased())
    }
}
