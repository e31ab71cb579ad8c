#!/usr/bin/env python3
"""Shows where troupe's answers differ from the recorded ansible-playbook answers.

  BAD_INPUT_REPORT=/tmp/report swift test --skip-build --filter BadInputTests
  scripts/bad-input/review.py /tmp/report
"""
import glob, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Tests", "TroupeTests", "Fixtures", "bad-input")
cases = {c["name"]: c for c in json.load(open(os.path.join(FIXTURES, "cases.json")))["cases"]}
choices = json.load(open(os.path.join(FIXTURES, "troupe-choices.json")))["choices"]
same = differ = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    for row in json.load(open(path)):
        name = row["name"]
        ansible = cases[name]["ansible"]
        expected = choices.get(name) or {"rc": ansible.get("rc"), "first_error": ansible.get("first_error")}
        rc = row["rc"]
        if str(expected.get("rc")) == rc and (expected.get("first_error") or "") == row["first_error"]:
            same += 1
            continue
        differ += 1
        print("== %s  (%ss, %s MB)%s" % (name, row["seconds"], row["rss_mb"], "  [choice]" if name in choices else ""))
        print("   ansible: rc=%s %s%s" % (ansible.get("rc"), ansible.get("first_error"), " TIMEOUT" if ansible.get("timeout") else ""))
        print("   troupe:  rc=%s %s" % (rc, row["first_error"]))
print("%d as expected, %d differ" % (same, differ))
