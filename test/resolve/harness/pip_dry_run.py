# Runs several pip invocations in one interpreter through pip's own CLI entry point (saves an
# interpreter start per scenario). Each run is {"args": [...], "report": bool}; with "report",
# `--report FILE` is appended (for `install --dry-run`) and the report's chosen files
# (`install[].download_info.url`, name, version) are returned. Prints exit code, installs, stderr.
# Every index the tests build is wheel-only, so pip executes no package code.
import io, json, os, sys, tempfile
from pip._internal.cli.main import main

results = []
for run in json.load(sys.stdin):
    args = run["args"]
    fd, report = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    err = io.StringIO()
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.StringIO(), err
    try:
        code = main([*args, "--report", report] if run.get("report") else args)
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    installs = []
    try:
        with open(report, encoding="utf-8") as f:
            text = f.read()
        if text:
            for item in json.loads(text)["install"]:
                installs.append({"name": item["metadata"]["name"], "version": item["metadata"]["version"], "url": item["download_info"]["url"]})
    finally:
        os.unlink(report)
    results.append({"exit": code, "installs": installs, "stderr": err.getvalue()})
print(json.dumps(results))
