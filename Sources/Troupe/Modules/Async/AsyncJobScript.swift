import Foundation
import Jinja

/// The POSIX shell (and awk) text behind async jobs. Everything runs with the host's own
/// tools: sh, mkdir, mv, date, sleep, kill, awk, and setsid when present.
enum AsyncJobScript {
    /// The job directory as a shell word: a leading `~` or `~user` stays unquoted so the
    /// shell expands it on the host (with the task's become user), the rest is quoted.
    static func directoryWord(_ directory: String) -> String {
        guard directory.hasPrefix("~") else { return shellQuote(directory) }
        let slash = directory.firstIndex(of: "/") ?? directory.endIndex
        let prefix = directory[..<slash]
        guard prefix.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else { return shellQuote(directory) }
        let rest = directory[slash...]
        return String(prefix) + (rest.isEmpty ? "" : shellQuote(String(rest)))
    }

    /// Sets `d` (job directory), `j` (job id, `j<random>.<pid>` like Ansible's) and `f`
    /// (results file); prints `ERROR <reason>` and stops when the directory cannot be made.
    private static func prelude(_ options: AsyncJobOptions) -> String {
        let random = UInt64.random(in: 0..<999_999_999_999)
        return """
            d=\(directoryWord(options.directory))
            m=$(mkdir -p "$d" 2>&1) || { printf 'ERROR %s\\n' "$m"; exit 0; }
            j=j\(random).$$
            f="$d/$j"
            """
    }

    /// Stores a finished result (given on stdin) as the job's results file.
    static func store(_ options: AsyncJobOptions) -> String {
        prelude(options) + """

            cat > "$f.tmp" && mv -f "$f.tmp" "$f" || exit 1
            printf '%s\\n%s\\n' "$j" "$f"
            """
    }

    /// Marks the job started, then starts the supervisor detached from the session (its
    /// output goes nowhere, so the connection does not wait for it) and prints the job id.
    /// `notFound`: the result for an argv command whose program does not exist.
    static func launch(_ request: CommandRequest, cmd: Value, strip: Bool, notFound: Value?, options: AsyncJobOptions) -> String {
        var command = request
        command.environment = [:]
        command.workingDirectory = nil
        command.become = nil
        command.timeout = nil
        let line = (try? ShellScriptBuilder.inner(command)) ?? "exit 127"
        let job = supervisor(command: line, cmd: cmd, strip: strip, notFound: notFound, limit: options.limit)
        let stdin = request.stdin.map { "printf '%s' \(shellQuote(String(decoding: $0, as: UTF8.self))) > \"$w/in\"" } ?? ": > \"$w/in\""
        return prelude(options) + """

            w="$f.troupe"
            mkdir -p "$w" || exit 1
            printf '{"started": true, "finished": false, "ansible_job_id": "%s"}' "$j" > "$f.tmp" && mv -f "$f.tmp" "$f" || exit 1
            \(stdin)
            if command -v setsid >/dev/null 2>&1; then s=setsid; else s=nohup; fi
            $s /bin/sh -c \(shellQuote(job)) troupe-async "$f" </dev/null >/dev/null 2>&1 &
            printf '%s\\n%s\\n' "$j" "$f"
            """
    }

    /// Runs the command in a session of its own (so a timeout kills all of it),
    /// watches the time limit, then writes command's result JSON and renames it into place.
    private static func supervisor(command: String, cmd: Value, strip: Bool, notFound: Value?, limit: Int) -> String {
        """
        f=$1
        w="$f.troupe"
        now() { date '+%s.%N %Y-%m-%d %H:%M:%S.%N' 2>/dev/null; }
        s=$(now)
        x=\(shellQuote(command))
        if command -v setsid >/dev/null 2>&1; then g=setsid; else g=; fi
        $g /bin/sh -c "$x" <"$w/in" >"$w/out" 2>"$w/err" &
        c=$!
        n=\(limit)
        ( while kill -0 "$c" 2>/dev/null; do
            if [ "$n" -le 0 ]; then : > "$w/timeout"; kill -9 -"$c" 2>/dev/null || kill -9 "$c" 2>/dev/null; exit 0; fi
            sleep 1; n=$((n - 1))
          done ) </dev/null >/dev/null 2>&1 &
        wait "$c"
        r=$?
        e=$(now)
        if [ -e "$w/timeout" ]; then
          printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' "$c" > "$f.tmp"
        elif [ "$r" -eq 127 ] && [ ! -s "$w/out" ] && [ -n \(shellQuote(notFound?.jsonString ?? "")) ]; then
          printf '%s' \(shellQuote(notFound?.jsonString ?? "")) > "$f.tmp"
        else
          nl() { [ -s "$1" ] && [ "$(tail -c 1 "$1" | wc -l)" -eq 1 ] && echo 1 || echo 0; }
          TROUPE_CMD=\(shellQuote(cmd.jsonString)) TROUPE_RC=$r TROUPE_START=$s TROUPE_END=$e TROUPE_ERR="$w/err" \\
          TROUPE_STRIP=\(strip ? 1 : 0) TROUPE_OUT_NL=$(nl "$w/out") TROUPE_ERR_NL=$(nl "$w/err") \\
          LC_ALL=C awk \(shellQuote(resultProgram)) "$w/out" "$w/err" > "$f.tmp"
        fi
        mv -f "$f.tmp" "$f"
        rm -rf "$w"
        """
    }

    /// Builds the `command` module's result from the output files: stdout and stderr
    /// escaped line by line (trailing empty lines dropped with `strip_empty_ends`), rc,
    /// start/end/delta in Ansible's formats.
    static let resultProgram = #"""
        function esc(s,   i, n, c, o) {
          if (s !~ /[\\"[:cntrl:]]/) return s
          o = ""; n = length(s)
          for (i = 1; i <= n; i++) { c = substr(s, i, 1); o = o ((c in m) ? m[c] : c) }
          return o
        }
        function closeSection(nlFlag) {
          if (!strip && nlFlag == 1) printf "\\n"
          pend = 0; first = 1
        }
        function stamp(t,   a, frac, k) {
          split(t, a, " ")
          frac = a[3]; k = index(frac, ".")
          if (k > 0) { frac = substr(frac, k + 1); a[3] = substr(a[3], 1, k - 1) } else frac = ""
          if (frac !~ /^[0-9]+$/) frac = "000000"
          return a[2] " " a[3] "." substr(frac "000000", 1, 6)
        }
        function epoch(t,   a, k) {
          split(t, a, " ")
          k = index(a[1], ".")
          if (k > 0 && substr(a[1], k + 1) !~ /^[0-9]+$/) return substr(a[1], 1, k - 1) + 0
          return a[1] + 0
        }
        BEGIN {
          for (i = 1; i < 32; i++) m[sprintf("%c", i)] = sprintf("\\u%04x", i)
          m["\t"] = "\\t"; m["\n"] = "\\n"; m["\r"] = "\\r"; m["\\"] = "\\\\"; m["\""] = "\\\""
          strip = ENVIRON["TROUPE_STRIP"] == 1
          printf "{\"changed\": true, \"stdout\": \""
          section = "out"; first = 1; pend = 0
        }
        FILENAME == ENVIRON["TROUPE_ERR"] && section == "out" {
          closeSection(ENVIRON["TROUPE_OUT_NL"]); printf "\", \"stderr\": \""; section = "err"
        }
        {
          if (strip && $0 == "") { pend++; next }
          if (!first) printf "\\n"
          for (; pend > 0; pend--) printf "\\n"
          printf "%s", esc($0); first = 0
        }
        END {
          if (section == "out") { closeSection(ENVIRON["TROUPE_OUT_NL"]); printf "\", \"stderr\": \"" }
          closeSection(ENVIRON["TROUPE_ERR_NL"])
          rc = ENVIRON["TROUPE_RC"] + 0
          d = epoch(ENVIRON["TROUPE_END"]) - epoch(ENVIRON["TROUPE_START"]); if (d < 0) d = 0
          h = int(d / 3600); mi = int((d - h * 3600) / 60); sec = d - h * 3600 - mi * 60
          printf "\", \"rc\": %d, \"cmd\": %s, \"start\": \"%s\", \"end\": \"%s\", \"delta\": \"%d:%02d:%09.6f\"", \
            rc, ENVIRON["TROUPE_CMD"], stamp(ENVIRON["TROUPE_START"]), stamp(ENVIRON["TROUPE_END"]), h, mi, sec
          if (rc != 0) printf ", \"failed\": true, \"msg\": \"non-zero return code\"}"
          else printf ", \"msg\": \"\"}"
        }
        """#
}
