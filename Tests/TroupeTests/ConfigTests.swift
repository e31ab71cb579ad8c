import Foundation
import Jinja
import XCTest
@testable import Troupe

final class ConfigTests: XCTestCase {
    private var tempDir: String!

    override func setUpWithError() throws {
        tempDir = NSTemporaryDirectory() + "troupe-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tempDir + "/home", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tempDir + "/work", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: tempDir)
    }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The same file ansible-config was checked against (see the expectations in the tests below).
    private let sampleConfig = """
    # comment
    ; another
    [defaults]
    forks = 12 ; inline comment
    remote_user: "deploy"
    roles_path = roles:~/other:/abs
    inventory = hosts, other/hosts
    log_path = logs/ansible.log
    callbacks_enabled = profile_tasks, 'timer'
    host_key_checking = no
    stdout_callback=minimal
    timeout = 30
    base = /srv
    library = %(base)s/lib
    [privilege_escalation]
    become = yes
    become_user = admin
    [ssh_connection]
    ssh_args = -o ControlMaster=auto
      -o ControlPersist=60s
    [colors]
    ok = bright green
    """

    private func sample(env: [String: String] = [:]) throws -> AnsibleConfig {
        let path = tempDir + "/work/ansible.cfg"
        try write(sampleConfig, to: path)
        var environment = env
        environment["HOME"] = tempDir + "/home"
        return try AnsibleConfig.load(environment: environment, currentDirectory: tempDir + "/work", homeDirectory: tempDir + "/home")
    }

    func testValuesFromFileMatchAnsibleConfig() throws {
        let config = try sample()
        let dir = tempDir + "/work"
        XCTAssertEqual(config.filePath, dir + "/ansible.cfg")
        XCTAssertEqual(config.forks, 12)
        XCTAssertEqual(config.remoteUser, "deploy", "quotes are removed from ini values")
        XCTAssertEqual(config.rolesPath, [dir + "/roles", tempDir + "/home/other", "/abs"], "relative to the config file's folder")
        XCTAssertEqual(config.inventory, [dir + "/hosts", dir + "/other/hosts"])
        XCTAssertEqual(config.logPath, dir + "/logs/ansible.log")
        XCTAssertEqual(config.callbacksEnabled, ["profile_tasks", "timer"])
        XCTAssertFalse(config.hostKeyChecking)
        XCTAssertEqual(config.stdoutCallback, "minimal")
        XCTAssertEqual(config.timeout, 30)
        XCTAssertEqual(config.modulePath, [dir + "/%(base)s/lib"], "ansible reads ini values raw, without interpolation")
        XCTAssertTrue(config.become)
        XCTAssertEqual(config.becomeUser, "admin")
        XCTAssertEqual(config.becomeMethod, "sudo")
        XCTAssertEqual(config.sshArgs, "-o ControlMaster=auto\n-o ControlPersist=60s")
        XCTAssertEqual(config.string(.color("ok", default: "green")), "bright green")
        XCTAssertEqual(config.gathering, "implicit")
        XCTAssertEqual(try config.value(.forks).origin, .file(path: dir + "/ansible.cfg", section: "defaults", key: "forks"))
        XCTAssertEqual(try config.value(.gathering).origin, .default)
    }

    func testEnvironmentBeatsFileBeatsDefault() throws {
        var config = try sample(env: ["ANSIBLE_FORKS": "7", "ANSIBLE_GATHERING": "explicit", "ANSIBLE_BECOME_USER": "ops"])
        XCTAssertEqual(config.forks, 7)
        XCTAssertEqual(try config.value(.forks).origin, .environment("ANSIBLE_FORKS"))
        XCTAssertEqual(config.gathering, "explicit")
        XCTAssertEqual(config.becomeUser, "ops")
        XCTAssertEqual(config.timeout, 30)
        config.set(.forks, to: 3)
        XCTAssertEqual(config.forks, 3, "explicit overrides (command line) win")
    }

    func testDefaultsWithoutAnyFile() throws {
        let config = AnsibleConfig(file: nil, environment: ["HOME": "/home/u"], currentDirectory: "/w", homeDirectory: "/home/u")
        XCTAssertNil(config.filePath)
        XCTAssertEqual(config.forks, 5)
        XCTAssertTrue(config.hostKeyChecking)
        XCTAssertEqual(config.stdoutCallback, "default")
        XCTAssertEqual(config.callbacksEnabled, [])
        XCTAssertEqual(config.timeout, 10)
        XCTAssertNil(config.remoteUser)
        XCTAssertNil(config.remotePort)
        XCTAssertEqual(config.moduleName, "command")
        XCTAssertFalse(config.retryFilesEnabled)
        XCTAssertEqual(config.hashBehaviour, "replace")
        XCTAssertEqual(config.factCaching, "memory")
        XCTAssertEqual(config.factCachingTimeout, 86400)
        XCTAssertEqual(config.hostPatternMismatch, "warning")
        XCTAssertTrue(config.deprecationWarnings)
        XCTAssertFalse(config.pipelining)
        XCTAssertEqual(config.inventory, ["/etc/ansible/hosts"])
        XCTAssertEqual(config.rolesPath, ["/home/u/.ansible/roles", "/usr/share/ansible/roles", "/etc/ansible/roles"])
        XCTAssertEqual(config.sshArgs, "-C -o ControlMaster=auto -o ControlPersist=60s")
        XCTAssertTrue(config.errorOnUndefinedVars)
        XCTAssertEqual(config.diffContext, 3)
        let withHome = AnsibleConfig(file: nil, environment: ["ANSIBLE_HOME": "/opt/ah"], currentDirectory: "/w", homeDirectory: "/home/u")
        XCTAssertEqual(withHome.modulePath, ["/opt/ah/plugins/modules", "/usr/share/ansible/plugins/modules"])
    }

    func testBooleansAreParsedTheAnsibleWay() throws {
        for (text, expected) in [("yes", true), ("On", true), ("1", true), ("true", true), ("y", true), ("t", true),
                                 ("no", false), ("off", false), ("0", false), ("False", false), ("banana", false)] {
            let config = AnsibleConfig(file: nil, environment: ["ANSIBLE_BECOME": text], currentDirectory: "/", homeDirectory: "/")
            XCTAssertEqual(config.become, expected, text)
        }
        XCTAssertNil(AnsibleBoolean.parse("banana"))
        XCTAssertEqual(AnsibleBoolean.parse(" YES "), true)
    }

    func testInvalidIntegerIsAnErrorButEmptyEnvFallsBackToDefault() throws {
        var config = AnsibleConfig(file: nil, environment: ["ANSIBLE_FORKS": "many"], currentDirectory: "/", homeDirectory: "/")
        XCTAssertThrowsError(try config.value(.forks)) { error in
            XCTAssertTrue("\(error)".contains("DEFAULT_FORKS"), "\(error)")
        }
        XCTAssertEqual(config.forks, 5, "typed accessors fall back to the default")
        config = AnsibleConfig(file: nil, environment: ["ANSIBLE_FORKS": ""], currentDirectory: "/", homeDirectory: "/")
        XCTAssertEqual(try config.value(.forks).value, 5)
        config = AnsibleConfig(file: nil, environment: ["ANSIBLE_FORKS": "8.0"], currentDirectory: "/", homeDirectory: "/")
        XCTAssertEqual(config.forks, 8)
    }

    func testLaterEnvironmentSpellingWins() {
        let config = AnsibleConfig(file: nil, environment: ["ANSIBLE_NOCOLOR": "0", "NO_COLOR": "1", "ANSIBLE_SSH_PIPELINING": "yes"],
                                   currentDirectory: "/", homeDirectory: "/")
        XCTAssertTrue(config.noColor)
        XCTAssertTrue(config.pipelining)
    }

    func testSectionsMatter() throws {
        let file = try IniFile(text: "[defaults]\nbecome = yes\n[privilege_escalation]\nbecome_user = x\n")
        let config = AnsibleConfig(file: file, environment: [:], currentDirectory: "/", homeDirectory: "/")
        XCTAssertFalse(config.become, "become is read from [privilege_escalation] only")
        XCTAssertEqual(config.becomeUser, "x")
        XCTAssertEqual(config.string(section: "defaults", key: "become"), "yes")
        XCTAssertEqual(config.string(section: "custom", key: "k", env: "MY_ENV"), nil)
    }

    func testSearchOrder() throws {
        let home = tempDir + "/home", work = tempDir + "/work"
        let env = ["HOME": home]
        XCTAssertNil(AnsibleConfig.findConfigFile(environment: env, currentDirectory: work, homeDirectory: home)
            .flatMap { $0.hasPrefix(tempDir) ? $0 : nil })
        try write("[defaults]\n", to: home + "/.ansible.cfg")
        XCTAssertEqual(AnsibleConfig.findConfigFile(environment: env, currentDirectory: work, homeDirectory: home), home + "/.ansible.cfg")
        try write("[defaults]\n", to: work + "/ansible.cfg")
        XCTAssertEqual(AnsibleConfig.findConfigFile(environment: env, currentDirectory: work, homeDirectory: home), work + "/ansible.cfg")
        let custom = tempDir + "/custom.cfg"
        try write("[defaults]\nforks = 2\n", to: custom)
        XCTAssertEqual(AnsibleConfig.findConfigFile(environment: env.merging(["ANSIBLE_CONFIG": custom]) { $1 }, currentDirectory: work,
                                                    homeDirectory: home), custom)
        // A directory in ANSIBLE_CONFIG means its ansible.cfg.
        XCTAssertEqual(AnsibleConfig.findConfigFile(environment: env.merging(["ANSIBLE_CONFIG": work]) { $1 }, currentDirectory: home,
                                                    homeDirectory: home), work + "/ansible.cfg")
        // A missing ANSIBLE_CONFIG falls through to the next location.
        XCTAssertEqual(AnsibleConfig.findConfigFile(environment: env.merging(["ANSIBLE_CONFIG": tempDir + "/nope.cfg"]) { $1 },
                                                    currentDirectory: work, homeDirectory: home), work + "/ansible.cfg")
        // A world-writable working directory is not trusted.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: work)
        XCTAssertEqual(AnsibleConfig.findConfigFile(environment: env, currentDirectory: work, homeDirectory: home), home + "/.ansible.cfg")
        let loaded = try AnsibleConfig.load(environment: env.merging(["ANSIBLE_CONFIG": custom]) { $1 }, currentDirectory: work, homeDirectory: home)
        XCTAssertEqual(loaded.forks, 2)
    }

    func testIniParsingDetails() throws {
        let ini = try IniFile(text: """
        [defaults]
        a = x;y ; z
        b = 1 # not a comment
        c =
        d = first

          second
        E:v
        [DEFAULT]
        f = inherited
        """)
        XCTAssertEqual(ini.value("a", section: "defaults"), "x;y")
        XCTAssertEqual(ini.value("b", section: "defaults"), "1 # not a comment")
        XCTAssertEqual(ini.value("c", section: "defaults"), "")
        XCTAssertEqual(ini.value("d", section: "defaults"), "first\n\nsecond")
        XCTAssertEqual(ini.value("e", section: "defaults"), "v", "keys are case-insensitive")
        XCTAssertEqual(ini.value("f", section: "defaults"), "inherited")
        XCTAssertNil(ini.value("f", section: "missing"))
        XCTAssertEqual(ini.sectionNames, ["defaults"])
        XCTAssertThrowsError(try IniFile(text: "[a]\nk = 1\n[a]\n"))
        XCTAssertThrowsError(try IniFile(text: "[a]\nk = 1\nk = 2\n"))
        XCTAssertThrowsError(try IniFile(text: "[a]\njust a line\n"))
        XCTAssertThrowsError(try IniFile(text: "k = 1\n"))
    }

    func testCallbackOptionsAndSelectorFromConfig() throws {
        let file = try IniFile(text: "[defaults]\ndisplay_skipped_hosts = false\ncheck_mode_markers = yes\ncallbacks_enabled = nosuch\n")
        let config = AnsibleConfig(file: file, environment: ["ANSIBLE_DISPLAY_OK_HOSTS": "no"], currentDirectory: "/", homeDirectory: "/")
        let options = DefaultCallbackOptions(config: config)
        XCTAssertFalse(options.displaySkippedHosts)
        XCTAssertFalse(options.displayOkHosts)
        XCTAssertTrue(options.checkModeMarkers)
        XCTAssertFalse(options.displayFailedStderr)

        let out = CapturedOutput()
        let display = out.makeDisplay(verbosity: 2)
        let registry = CallbackRegistry()
        final class Recorder: CallbackPlugin {}
        registry.register("ansible.builtin.recorder", kind: .notification, enabledByDefault: true) { _ in Recorder() }
        let plugins = try CallbackSelector(registry: registry).makeCallbacks(context: CallbackContext(display: display, config: config))
        XCTAssertTrue(plugins.first is DefaultCallback)
        XCTAssertTrue(plugins.last is Recorder)
        XCTAssertEqual(plugins.count, 2)
        XCTAssertEqual(out.stdout, "Skipping callback 'minimal', as we already have a stdout callback.\n"
                       + "Skipping callback 'oneline', as we already have a stdout callback.\n")
        XCTAssertEqual(out.stderr, "[WARNING]: Skipping callback plugin 'nosuch', unable to load\n")

        let selector = CallbackSelector(registry: registry)
        XCTAssertEqual(selector.stdoutCallbackName(config: config, adHoc: true), "minimal")
        XCTAssertEqual(selector.stdoutCallbackName(config: config, adHoc: true, oneLine: true), "oneline")
        let adhoc = try selector.makeCallbacks(context: CallbackContext(display: display, config: config), adHoc: true)
        XCTAssertEqual(adhoc.count, 1, "ad-hoc loads other callbacks only with bin_ansible_callbacks")
        XCTAssertTrue(adhoc.first is MinimalCallback)
        let bad = AnsibleConfig(file: nil, environment: ["ANSIBLE_STDOUT_CALLBACK": "nope"], currentDirectory: "/", homeDirectory: "/")
        XCTAssertThrowsError(try selector.makeCallbacks(context: CallbackContext(display: display, config: bad)))
    }
}

final class ConfigDisplayTests: XCTestCase {
    func testDisplayConfiguredFromSettings() throws {
        let file = try IniFile(text: "[defaults]\nverbosity = 1\nverbose_to_stderr = yes\ndeprecation_warnings = no\n[colors]\nok = bright green\n")
        var config = AnsibleConfig(file: file, environment: ["TERM": "xterm"], currentDirectory: "/", homeDirectory: "/")
        var captured = ""
        var display = Display.configured(config: config, verbosity: 2, sink: { text, _ in captured += text }, stdoutIsTTY: true)
        XCTAssertEqual(display.verbosity, 3)
        XCTAssertTrue(display.colorEnabled)
        XCTAssertTrue(display.verboseToStderr)
        XCTAssertFalse(display.deprecationWarningsEnabled)
        XCTAssertEqual(display.colors.ok, "bright green")
        XCTAssertEqual(display.colors.changed, "yellow")
        display.display("x", color: display.colors.ok)
        XCTAssertEqual(captured, "\u{1B}[1;32mx\u{1B}[0m\n")

        config.environment["NO_COLOR"] = "1"
        display = Display.configured(config: config, sink: { _, _ in }, stdoutIsTTY: true)
        XCTAssertFalse(display.colorEnabled)
        config.environment["ANSIBLE_FORCE_COLOR"] = "1"
        display = Display.configured(config: config, sink: { _, _ in }, stdoutIsTTY: false)
        XCTAssertTrue(display.colorEnabled)
    }
}

final class ConfigDumpTests: XCTestCase {
    func testDumpLinesLikeAnsibleConfig() {
        let config = AnsibleConfig(file: nil, environment: ["ANSIBLE_FORKS": "9", "HOME": "/root"], currentDirectory: "/", homeDirectory: "/root")
        XCTAssertEqual(config.dumpLines(onlyChanged: true), ["CONFIG_FILE() = None", "DEFAULT_FORKS(env: ANSIBLE_FORKS) = 9"])
        let all = config.dumpLines()
        for line in ["ANSIBLE_NOCOLOR(default) = False", "CALLBACKS_ENABLED(default) = []", "DEFAULT_REMOTE_USER(default) = None",
                     "DEFAULT_HOST_LIST(default) = ['/etc/ansible/hosts']", "HOST_KEY_CHECKING(default) = True",
                     "DEFAULT_ROLES_PATH(default) = ['/root/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles']",
                     "COLOR_OK(default) = green"] {
            XCTAssertTrue(all.contains(line), line)
        }
        XCTAssertEqual(all.dropFirst().sorted(), Array(all.dropFirst()))
    }
}
