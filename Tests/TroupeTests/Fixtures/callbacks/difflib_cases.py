"""Regenerates difflib_cases.json: Python difflib's unified diffs (as ansible renders --diff)
for inputs exercising hunk grouping, context trimming, missing final newlines and auto-junk."""
import difflib, json

def ansible_lines(text):
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith('\n'):
        lines[-1] += '\n\\ No newline at end of file\n'
    return lines

cases = {
    "middle_change": ("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n", "a\nb\nc\nd\ne\nF\ng\nh\ni\nj\nk\nL\nm\n"),
    "far_apart": ("".join(f"line{i}\n" for i in range(30)),
                  "".join((f"line{i}\n" if i not in (2, 25) else f"new{i}\n") for i in range(30))),
    "delete_all": ("x\ny\n", ""),
    "insert_middle": ("1\n2\n3\n4\n", "1\n2\nnew\n3\n4\n"),
    "no_trailing_newline": ("a\nb", "a\nc"),
    "repeated": ("a\nb\na\nb\na\nb\n", "b\na\nb\na\nc\n"),
}
popular = "".join("x\n" if i % 2 else f"l{i}\n" for i in range(400))
cases["autojunk"] = (popular, popular.replace("l100\n", "changed\n").replace("l300\n", ""))

out = {}
for name, (a, b) in cases.items():
    diff = "".join(difflib.unified_diff(ansible_lines(a), ansible_lines(b), fromfile="before", tofile="after",
                                        fromfiledate='', tofiledate='', n=3))
    out[name] = {"before": a, "after": b, "diff": diff}
with open("difflib_cases.json", "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
