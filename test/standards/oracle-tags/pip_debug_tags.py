# Runs `pip debug --verbose <args>` through pip's own CLI entry point once per argument list read
# (as JSON) from stdin, in one process, and prints per run {"count", "tags", "exit", "stderr"}.
# The "Compatible tags: N" header and the indented list are taken from pip's stdout as printed.
import io, json, re, sys
from pip._internal.cli.main import main

results = []
for args in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(["debug", "--verbose", "--disable-pip-version-check", *args])
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    lines = out.getvalue().splitlines()
    count, tags = None, []
    for i, line in enumerate(lines):
        m = re.match(r"^Compatible tags: (\d+)", line)
        if m:
            count = int(m.group(1))
            for tag_line in lines[i + 1:]:
                if not tag_line.startswith("  "):
                    break
                tags.append(tag_line.strip())
            break
    results.append({"count": count, "tags": tags, "exit": code, "stderr": err.getvalue()})
print(json.dumps(results))
