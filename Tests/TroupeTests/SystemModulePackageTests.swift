import Foundation
import XCTest
import Jinja
@testable import Troupe

/// `apt` (with a .deb built here by dpkg-deb, no network), `package`, `dnf`/`yum` (through
/// dnf and rpm shims), `pip` (a venv and a wheel built here) and `git` (a local bare
/// repository) against a loopback SSH lab host, becoming root there.
final class SystemModulePackageTests: XCTestCase {
    static var lab: SystemModuleLab?
    override class func setUp() { lab = try? SystemModuleLab() }
    override class func tearDown() { lab?.stop(); lab = nil }
    private func requireLab() throws -> SystemModuleLab { if let lab = Self.lab { return lab }; return try SystemModuleLab() }

    private func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Builds NAME_VERSION_all.deb installing /usr/share/NAME/hello.txt.
    private func buildDeb(_ lab: SystemModuleLab, name: String, version: String) throws -> String {
        let root = "\(lab.scratch)/deb-\(name)-\(version)"
        try lab.sh("""
        mkdir -p \(root)/DEBIAN \(root)/usr/share/\(name)
        printf 'Package: \(name)\\nVersion: \(version)\\nArchitecture: all\\nMaintainer: Troupe <troupe@example.test>\\nSection: misc\\nPriority: optional\\nDescription: troupe test package\\n' > \(root)/DEBIAN/control
        echo hello > \(root)/usr/share/\(name)/hello.txt
        dpkg-deb --root-owner-group --build \(root) \(lab.scratch)/\(name)_\(version)_all.deb >/dev/null
        """)
        return "\(lab.scratch)/\(name)_\(version)_all.deb"
    }

    func testAptWithALocalDebAsRootOverSSH() throws {
        let lab = try requireLab()
        let pkg = "troupe-test-\(UUID().uuidString.prefix(6).lowercased())"
        let deb = try buildDeb(lab, name: pkg, version: "1.0")
        defer { _ = try? lab.sh("dpkg --purge \(pkg) >/dev/null 2>&1; true") }
        func installed() -> Bool { ((try? lab.sh("dpkg-query -W -f '${db:Status-Abbrev}' \(pkg)")) ?? "").hasPrefix("ii") }
        let tasks = """
            - name: install deb
              apt: deb=\(deb)
            - name: by name
              apt: name=\(pkg) state=present
            - name: predicted removal
              apt: name=\(pkg) state=absent
              check_mode: true
            - name: cache fresh
              apt: update_cache=yes cache_valid_time=999999999
            - name: unknown
              apt: name=no-such-package-\(pkg)
              ignore_errors: true
            - name: bad
              apt: name=x foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks, diff: true)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("install deb")["changed"], true)
        XCTAssertTrue(first.result("install deb")["stdout"]?.stringValue?.contains("Setting up \(pkg) (1.0)") ?? false)
        XCTAssertTrue(installed())
        XCTAssertEqual(first.result("by name")["changed"], false)
        XCTAssertEqual(first.result("predicted removal")["changed"], true)
        XCTAssertTrue(first.result("predicted removal")["diff"]?["prepared"]?.stringValue?.hasPrefix("The following packages will be REMOVED:\n  \(pkg)\n") ?? false, "\(first.result("predicted removal"))")
        XCTAssertTrue(installed(), "check mode removes nothing")
        XCTAssertEqual(first.result("cache fresh")["changed"], false)
        XCTAssertEqual(first.result("cache fresh")["cache_updated"], false)
        XCTAssertEqual(first.result("unknown")["msg"], .string("No package matching 'no-such-package-\(pkg)' is available"))
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (apt) module: foo. Supported parameters include: allow_change_held_packages, allow_downgrade, allow_unauthenticated, auto_install_module_deps, autoclean, autoremove, cache_valid_time, clean, deb, default_release, dpkg_options, fail_on_autoremove, force, force_apt_get, install_recommends, lock_timeout, only_upgrade, package, policy_rc_d, purge, state, update_cache, update_cache_retries, update_cache_retry_max_delay, upgrade (allow-downgrade, allow-downgrades, allow-unauthenticated, allow_downgrades, default-release, install-recommends, name, pkg, update-cache).")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("install deb")["changed"], false)
        let newer = try buildDeb(lab, name: pkg, version: "1.1")
        let removal = """
            - name: upgrade deb
              apt: deb=\(newer)
            - name: through package
              package: name=\(pkg) state=absent purge=yes
        """
        let (_, removed) = try lab.run(tasks: removal, gatherFacts: true)
        XCTAssertEqual(removed.result("upgrade deb")["changed"], true)
        XCTAssertEqual(removed.result("through package")["changed"], true, "package dispatches to apt on this host")
        XCTAssertFalse(installed())
        let (_, again) = try lab.run(tasks: """
            - name: purge
              apt: name=\(pkg) state=absent purge=yes
        """)
        XCTAssertEqual(again.result("purge"), ["changed": false])
    }
}

extension SystemModulePackageTests {
    func testGitCloneUpdateVersionDepthForceWithALocalBareRepo() throws {
        let lab = try requireLab()
        let bare = "\(lab.scratch)/origin.git", work = "\(lab.scratch)/work", dest = "\(lab.scratch)/checkout"
        @discardableResult
        func sh(_ command: String) throws -> String {
            try lab.sh("export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e; " + command)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try sh("""
        git init -q --bare -b main \(bare) && git clone -q \(bare) \(work) 2>/dev/null && cd \(work) &&
        echo one > file.txt && git add file.txt && git commit -q -m one && git tag v1 &&
        echo two > file.txt && git commit -q -am two && git push -q origin main v1 2>/dev/null
        """)
        let v1 = try sh("git -C \(work) rev-parse v1"), head = try sh("git -C \(work) rev-parse HEAD")
        let tasks = """
            - name: clone
              git: repo=\(bare) dest=\(dest)
            - name: predicted tag
              git: repo=\(bare) dest=\(dest) version=v1
              check_mode: true
            - name: shallow
              git: repo=\(bare) dest=\(dest)-shallow depth=1
            - name: bad
              git: repo=\(bare) dest=\(dest) foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks, diff: true)
        XCTAssertEqual(rc, 0, "\(first.results)")
        let clone = first.result("clone")
        XCTAssertEqual(clone["changed"], true)
        XCTAssertEqual(clone["before"], .null)
        XCTAssertEqual(clone["after"], .string(head))
        XCTAssertEqual(clone["diff"], ["prepared": .string(">> Newly checked out \(head)")])
        XCTAssertEqual(text(dest + "/file.txt"), "two\n")
        let predicted = first.result("predicted tag")
        XCTAssertEqual(predicted["changed"], true)
        XCTAssertEqual(predicted["after"], .string(v1))
        XCTAssertEqual(text(dest + "/file.txt"), "two\n", "check mode checks nothing out")
        XCTAssertEqual(try sh("git -C \(dest)-shallow rev-list --count HEAD"), "1")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (git) module: foo. Supported parameters include: accept_hostkey, accept_newhostkey, archive, archive_prefix, bare, clone, depth, dest, executable, force, gpg_allowlist, key_file, recursive, reference, refspec, remote, repo, separate_git_dir, single_branch, ssh_opts, track_submodules, umask, update, verify_commit, version (gpg_whitelist, name).")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("clone")["changed"], false)
        XCTAssertEqual(second.result("clone")["before"], .string(head))

        let (_, tagged) = try lab.run(tasks: """
            - name: tag
              git: repo=\(bare) dest=\(dest) version=v1
        """, diff: true)
        XCTAssertEqual(tagged.result("tag")["changed"], true)
        XCTAssertEqual(tagged.result("tag")["after"], .string(v1))
        XCTAssertTrue(tagged.result("tag")["diff"]?["prepared"]?.stringValue?.contains("-two\n+one") ?? false, "\(tagged.result("tag"))")
        XCTAssertEqual(text(dest + "/file.txt"), "one\n")

        try sh("cd \(work) && echo three > file.txt && git commit -q -am three && git push -q origin main 2>/dev/null")
        try "local edit\n".write(toFile: dest + "/file.txt", atomically: true, encoding: .utf8)
        let update = """
            - name: refuse
              git: repo=\(bare) dest=\(dest) version=main
              ignore_errors: true
            - name: forced
              git: repo=\(bare) dest=\(dest) version=main force=yes
        """
        let (_, updated) = try lab.run(tasks: update)
        XCTAssertEqual(updated.result("refuse")["msg"], .string("Local modifications exist in the destination: \(dest) (force=no)."))
        XCTAssertEqual(updated.result("forced")["changed"], true)
        XCTAssertEqual(updated.result("forced")["after"], .string(try sh("git -C \(work) rev-parse HEAD")))
        XCTAssertEqual(text(dest + "/file.txt"), "three\n")
    }
}

extension SystemModulePackageTests {
    /// A minimal pure-Python wheel, written as the zip it is.
    private func buildWheel(_ lab: SystemModuleLab, directory: String, version: String) throws {
        try lab.sh("""
        mkdir -p \(directory) && cd \(directory) && python3 - <<'PY'
        import zipfile
        v = "\(version)"
        info = f"troupe_demo-{v}.dist-info"
        files = {"troupe_demo/__init__.py": f"VERSION = '{v}'\\n",
                 f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: troupe-demo\\nVersion: {v}\\n",
                 f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: troupe-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
        record = "".join(f"{n},,\\n" for n in files) + f"{info}/RECORD,,\\n"
        with zipfile.ZipFile(f"troupe_demo-{v}-py3-none-any.whl", "w") as z:
            for n, t in files.items():
                z.writestr(n, t)
            z.writestr(f"{info}/RECORD", record)
        PY
        """)
    }

    func testPipInAVenvWithALocalWheelAsRootOverSSH() throws {
        let lab = try requireLab()
        let wheels = "\(lab.scratch)/wheels", venv = "\(lab.scratch)/venv"
        try buildWheel(lab, directory: wheels, version: "1.0")
        // `python3 -m venv` with ensurepip takes ~30 s on this machine; this virtualenv
        // command makes a venv without its own pip and a pip3 that runs the system's pip
        // module with the venv's python (so packages still go into the venv).
        let maker = "\(lab.scratch)/mkvenv"
        try """
        #!/bin/sh
        python3 -m venv --without-pip --system-site-packages "$1" || exit 1
        printf '#!/bin/sh\\nexec "%s/bin/python" -m pip "$@"\\n' "$1" > "$1/bin/pip3" && chmod +x "$1/bin/pip3"
        """.write(toFile: maker, atomically: true, encoding: .utf8)
        chmod(maker, 0o755)
        let offline = "extra_args='--no-index --find-links \(wheels)'"
        let tasks = """
            - name: install
              pip: name=troupe-demo virtualenv=\(venv) virtualenv_command=\(maker) \(offline)
            - name: predicted pinned
              pip: name=troupe-demo version=2.0 virtualenv=\(venv)
              check_mode: true
            - name: bad
              pip: name=x foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(first.results)")
        let install = first.result("install")
        XCTAssertEqual(install["changed"], true)
        XCTAssertEqual(install["virtualenv"], .string(venv))
        XCTAssertEqual(install["cmd"], .list([.string(venv + "/bin/pip3"), "install", "--no-index", "--find-links", .string(wheels), "troupe-demo"]))
        XCTAssertEqual(try lab.sh("\(venv)/bin/python -c 'import troupe_demo; print(troupe_demo.VERSION)'"), "1.0\n")
        XCTAssertEqual(first.result("predicted pinned")["changed"], true)
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (pip) module: foo. Supported parameters include: break_system_packages, chdir, editable, executable, extra_args, name, requirements, state, umask, version, virtualenv, virtualenv_command, virtualenv_python, virtualenv_site_packages.")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("install")["changed"], false)
        let remove = """
            - name: remove
              pip: name=troupe-demo state=absent virtualenv=\(venv)
        """
        let (_, removed) = try lab.run(tasks: remove)
        XCTAssertEqual(removed.result("remove")["changed"], true)
        XCTAssertThrowsError(try lab.sh("\(venv)/bin/python -c 'import troupe_demo'"))
    }
}

extension SystemModulePackageTests {
    /// This Debian host has no dnf: `dnf` and `rpm` shims on PATH keep an installed-package
    /// list in a file and record their calls.
    func testDnfAndYumThroughDnfAndRpmShims() throws {
        let lab = try requireLab()
        let shim = "\(lab.scratch)/dnf-shim"
        try FileManager.default.createDirectory(atPath: shim, withIntermediateDirectories: true)
        try "".write(toFile: shim + "/installed", atomically: true, encoding: .utf8)
        try """
        #!/bin/sh
        d=\(shim); echo "dnf $*" >> $d/calls
        v=""; pkgs=""
        for a; do case "$a" in -*) ;; install|remove|upgrade|makecache|check-update) v=$a ;; *) pkgs="$pkgs $a" ;; esac; done
        case "$v" in
          install) for p in $pkgs; do grep -qx "$p" $d/installed || echo "$p" >> $d/installed; done; echo "Installed:$pkgs" ;;
          remove) for p in $pkgs; do grep -vx "$p" $d/installed > $d/tmp; mv $d/tmp $d/installed; done; echo "Removed:$pkgs" ;;
        esac
        exit 0
        """.write(toFile: shim + "/dnf", atomically: true, encoding: .utf8)
        try """
        #!/bin/sh
        for a; do n=$a; done
        if grep -qx "$n" \(shim)/installed; then echo "$n-1.0-1.noarch"; else echo "no package provides $n"; exit 1; fi
        """.write(toFile: shim + "/rpm", atomically: true, encoding: .utf8)
        chmod(shim + "/dnf", 0o755)
        chmod(shim + "/rpm", 0o755)
        let env = """
              environment:
                PATH: "\(shim):/usr/sbin:/usr/bin:/sbin:/bin"
        """
        let tasks = """
            - name: install
              dnf: name=httpd,mod_ssl state=present disablerepo=epel
        \(env)
            - name: through yum
              yum: name=httpd
        \(env)
            - name: predicted removal
              dnf: name=mod_ssl state=absent
              check_mode: true
        \(env)
            - name: bad
              dnf: name=x foo=1
              ignore_errors: true
        \(env)
        """
        let (rc, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("install"), ["changed": true, "msg": "", "results": ["Installed: httpd-1.0-1.noarch", "Installed: mod_ssl-1.0-1.noarch"], "rc": 0])
        XCTAssertEqual(text(shim + "/installed"), "httpd\nmod_ssl\n")
        XCTAssertTrue(text(shim + "/calls").contains("dnf -y --disablerepo=epel install httpd mod_ssl"), text(shim + "/calls"))
        XCTAssertEqual(first.result("through yum")["changed"], false)
        XCTAssertEqual(first.result("predicted removal")["msg"], "Check mode: No changes made, but would have if not in check mode")
        XCTAssertEqual(text(shim + "/installed"), "httpd\nmod_ssl\n", "check mode removes nothing")
        XCTAssertTrue(first.result("bad")["msg"]?.stringValue?.hasPrefix("Unsupported parameters for (dnf) module: foo. Supported parameters include: allow_downgrade, allowerasing, autoremove,") ?? false)
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("install"), ["changed": false, "msg": "Nothing to do", "results": [], "rc": 0])
        let (_, removed) = try lab.run(tasks: """
            - name: remove
              dnf: name=mod_ssl state=absent
        \(env)
        """)
        XCTAssertEqual(removed.result("remove")["results"], ["Removed: mod_ssl-1.0-1.noarch"])
        XCTAssertEqual(text(shim + "/installed"), "httpd\n")
    }
}
