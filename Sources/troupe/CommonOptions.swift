import ArgumentParser
import Foundation
import Jinja
import Troupe

/// Options shared by `playbook` and `adhoc`, named as ansible-playbook names them.
struct CommonOptions: ParsableArguments {
    @Option(name: [.short, .customLong("inventory"), .customLong("inventory-file")], help: "Inventory host path or comma separated host list (repeatable).")
    var inventory: [String] = []
    @Option(name: [.short, .long], help: "Further limit selected hosts to an additional pattern.")
    var limit: String?
    @Option(name: [.customShort("e"), .customLong("extra-vars")], help: "Extra variables: key=value, YAML/JSON, or @file (repeatable).")
    var extraVars: [String] = []
    /// Text, checked in `validate()`: argparse's int() accepts what Swift's Int() does
    /// not (`+5`, `1_0`, numbers past 64 bits) and words its errors its own way.
    @Option(name: [.short, .customLong("forks")], help: "Number of parallel processes (default 5).")
    var forksText: String?

    /// `--forks` as a number; a value past Int's range means "as many as there are hosts".
    var forks: Int? {
        guard let forksText else { return nil }
        if let value = Self.pythonInt(forksText) { return value }
        return forksText.trimmingCharacters(in: .whitespaces).hasPrefix("-") ? .min : .max
    }

    mutating func validate() throws {
        if let forksText {
            guard Self.isPythonInt(forksText) else {
                throw ValidationError("argument -f/--forks: invalid int value: '\(forksText)'")
            }
            if (forks ?? 1) < 1 { throw ValidationError("The number of processes (--forks) must be >= 1") }
        }
    }

    /// Python's `int(text)` for decimal text: surrounding whitespace, a sign, `_` between digits.
    static func pythonInt(_ text: String) -> Int? {
        guard isPythonInt(text) else { return nil }
        let digits = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        return Int(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits)
    }

    /// Whether Python's `int()` accepts `text` (of any size).
    static func isPythonInt(_ text: String) -> Bool {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let first = body.first, let last = body.last, first.isASCII, first.isNumber, last.isASCII, last.isNumber else { return false }
        return !body.contains("__") && body.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "_" }
    }
    @Flag(name: [.customShort("C"), .long], help: "Don't make any changes; predict what would change.")
    var check = false
    @Flag(name: [.customShort("D"), .long], help: "Show the differences in changed files.")
    var diff = false
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Verbose mode (-vvv for more, -vvvv for connection debugging).")
    var verbose: Int
    @Option(name: [.short, .customLong("user")], help: "Connect as this user.")
    var u: String?
    @Option(name: [.short, .long], help: "Connection type (ssh, local).")
    var connection: String?
    @Option(name: [.customLong("private-key"), .customLong("key-file")], help: "Use this file to authenticate the connection.")
    var privateKey: String?
    @Option(name: [.customShort("T"), .long], help: "Connection timeout in seconds.")
    var timeout: Double?
    @Flag(name: [.customShort("b"), .long], help: "Run operations with become.")
    var become = false
    @Option(name: .customLong("become-method"), help: "Privilege escalation method (sudo, su).")
    var becomeMethod: String?
    @Option(name: .customLong("become-user"), help: "Run operations as this user (default root).")
    var becomeUser: String?
    @Flag(name: [.customShort("K"), .customLong("ask-become-pass")], help: "Ask for the privilege escalation password.")
    var askBecomePass = false
    @Flag(name: [.customShort("k"), .customLong("ask-pass")], help: "Ask for the connection password.")
    var askPass = false
    @Option(name: [.customLong("connection-password-file"), .customLong("conn-pass-file")], help: "Connection password file (an executable one is run and its output used).")
    var connectionPasswordFile: String?
    @Option(name: [.customLong("become-password-file"), .customLong("become-pass-file")], help: "Become password file (an executable one is run and its output used).")
    var becomePasswordFile: String?
    // Values such as "-o Port=22" start with a dash: taken as they come, as argparse does.
    @Option(name: .customLong("ssh-common-args"), parsing: .unconditional, help: "Extra ssh options for every host (e.g. ProxyCommand), as ansible_ssh_common_args.")
    var sshCommonArgs: String?
    @Option(name: .customLong("ssh-extra-args"), parsing: .unconditional, help: "Extra ssh-only options, as ansible_ssh_extra_args.")
    var sshExtraArgs: String?
    @Option(name: [.customShort("M"), .customLong("module-path")], help: "Prepend paths to the module library.")
    var modulePath: [String] = []
    @OptionGroup var vault: VaultOptions
}

/// What a run needs, assembled from the command line, ansible.cfg and the environment.
struct RunSetup {
    let config: AnsibleConfig
    let display: Display
    let loader: DataLoader
    let inventory: InventoryView
    let options: ExecutionOptions
    let extraVars: OrderedDict
    /// Secrets for vaulted files and `!vault` values.
    let vaultSecrets: [VaultSecret]

    init(_ common: CommonOptions, baseDirectory: String, hostPattern: String = "all") throws {
        config = try AnsibleConfig.load()
        display = Display.configured(config: config, verbosity: common.verbose)
        let display = self.display
        Self.announce(config: config, display: display)
        loader = DataLoader(baseDirectory: baseDirectory, warn: { display.warning($0) })
        vaultSecrets = try common.vault.secrets(config: config, display: display)
        loader.vaultSecrets = vaultSecrets
        var options = ExecutionOptions(config: config)
        options.forks = common.forks ?? config.forks
        options.check = common.check
        options.diff = common.diff || config.diffAlways
        options.verbosity = common.verbose
        options.connection = common.connection
        options.remoteUser = common.u ?? config.remoteUser
        options.privateKeyFile = common.privateKey ?? config.privateKeyFile
        options.timeout = common.timeout ?? Double(config.timeout)
        options.become = common.become || config.become
        options.becomeMethod = common.becomeMethod ?? config.becomeMethod
        options.becomeUser = common.becomeUser ?? config.becomeUser
        options.limit = try common.limit.map { try CommandLineValues.limitPattern($0) }
        options.modulePaths = common.modulePath + config.modulePath
        options.pythonInterpreter = config.string(.interpreterPython) ?? "auto"
        if let file = common.connectionPasswordFile { options.connectionPassword = try PasswordFile.read(file) }
        if let file = common.becomePasswordFile { options.becomePassword = try PasswordFile.read(file) }
        if common.askPass { options.connectionPassword = Prompt.secret("SSH password: ") }
        if common.askBecomePass { options.becomePassword = Prompt.secret("BECOME password: ") }
        if let args = common.sshCommonArgs { options.sshCommonArgs = args }
        if let args = common.sshExtraArgs { options.sshExtraArgs = args }
        let sources = common.inventory.isEmpty ? config.inventory : common.inventory
        options.inventorySources = sources
        var extra = OrderedDict()
        for text in common.extraVars { extra.merge(try CommandLineValues.extraVars(text, loader: loader)) }
        options.extraVars = extra
        self.extraVars = extra
        self.options = options
        inventory = try InventorySources.load(sources, loader: loader, warn: { display.warning($0) }, verbose: { display.vvv($0) },
                                              hostPattern: hostPattern)
    }

    /// What ansible's CLIs print first: the version block at `-vv`, the config file at `-v`.
    static func announce(config: AnsibleConfig, display: Display) {
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        display.vv("""
            \(TroupeVersion.text)
              config file = \(config.filePath ?? "None")
              configured module search path = \(Value.list(config.modulePath.map(Value.string)).pythonRepr)
              collection location = \(config.list(.collectionsPath).joined(separator: ":"))
              executable location = \(executable)
            """)
        if let file = config.filePath {
            display.v("Using \(file) as config file")
        } else {
            display.v("No config file found; using defaults")
        }
    }

    /// The stdout callback (and any enabled ones) for this run.
    func callbacks(adHoc: Bool = false, oneLine: Bool = false, treeDirectory: String? = nil) throws -> [CallbackPlugin] {
        let context = CallbackContext(display: display, config: config, checkMode: options.check, treeDirectory: treeDirectory)
        return try CallbackSelector().makeCallbacks(context: context, adHoc: adHoc, oneLine: oneLine)
    }
}

/// Reads a password from the terminal without echo.
enum Prompt {
    static func secret(_ prompt: String) -> String {
        guard let p = getpass(prompt) else { return "" }
        return String(cString: p)
    }
}
