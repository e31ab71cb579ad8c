#!/usr/bin/env python3
"""Records how ansible-playbook answers each bad-input case (scripts/bad-input/cases.py):
exit code and first error line, into Tests/TroupeTests/Fixtures/bad-input/cases.json,
which BadInputTests replays against troupe.

Usage: scripts/bad-input/record.py [NAME-SUBSTRING...]   (re-records only matching cases)
       scripts/bad-input/record.py --timeouts                (re-records cases that timed out)
"""
import base64, concurrent.futures, json, os, re, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases  # noqa: E402

FIXTURE = os.path.join(HERE, "..", "..", "Tests", "TroupeTests", "Fixtures", "bad-input", "cases.json")
TIMEOUT = int(os.environ.get("RECORD_TIMEOUT", "120"))

# The line a user reads first: an engine error, a failed task, or an argument error.
# An argparse error names the program ("ansible-playbook: error: …"); it is replaced by
# "<prog>" so troupe's "troupe playbook: error: …" compares equal.
ERROR_LINE = re.compile(r"^(\[ERROR\]|ERROR!|fatal: |failed: )")
ARGUMENT_ERROR = re.compile(r"^[\w.-]+(?: [\w.-]+)?: error: ")


def first_error(output, directory):
    for line in output.splitlines():
        if ERROR_LINE.match(line):
            return line.replace(directory, "<dir>")[:400]
        if ARGUMENT_ERROR.match(line):
            return ARGUMENT_ERROR.sub("<prog>: error: ", line).replace(directory, "<dir>")[:400]
    return None


def encode(content):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    return base64.b64encode(data).decode("ascii")


def run(case):
    with tempfile.TemporaryDirectory(prefix="bad-input-") as directory:
        directory = os.path.realpath(directory)
        for path, content in case["files"].items():
            full = os.path.join(directory, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as handle:
                handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="False",
                   ANSIBLE_RETRY_FILES_ENABLED="0", **case["env"])
        env.pop("ANSIBLE_CONFIG", None)
        env.pop("ANSIBLE_FORCE_COLOR", None)
        started = time.time()
        try:
            proc = subprocess.run(["ansible-playbook"] + case["args"], cwd=directory, env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return {"rc": None, "first_error": None, "timeout": True, "seconds": TIMEOUT}
        output = proc.stdout.decode("utf-8", "replace")
        return {"rc": proc.returncode, "first_error": first_error(output, directory),
                "seconds": round(time.time() - started, 1),
                "crashed": "Unexpected Exception, this is probably a bug" in output}


def main():
    only = [word for word in sys.argv[1:] if word != "--timeouts"]
    timeouts_only = "--timeouts" in sys.argv[1:]
    recorded = {}
    if os.path.exists(FIXTURE) and (only or timeouts_only):
        recorded = {c["name"]: c for c in json.load(open(FIXTURE))["cases"]}
    def record(case):
        previous = recorded.get(case["name"])
        if previous and only and not any(word in case["name"] for word in only):
            return previous
        if previous and timeouts_only and not previous["ansible"].get("timeout"):
            return previous
        result = run(case)
        print("%-45s rc=%s %s" % (case["name"], result.get("rc"), (result.get("first_error") or "")[:100]), flush=True)
        return {"name": case["name"], "group": case["group"], "args": case["args"], "env": case["env"],
                "files": {p: encode(c) for p, c in case["files"].items()}, "ansible": result}

    # Each case is a separate ansible-playbook run; a few at once keep recording short.
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("RECORD_JOBS", "4"))) as pool:
        out = list(pool.map(record, cases.CASES))
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, "w") as handle:
        json.dump({"recorded_with": subprocess.run(["ansible-playbook", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
                   "cases": out}, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("%d cases written to %s" % (len(out), os.path.normpath(FIXTURE)))


if __name__ == "__main__":
    main()
