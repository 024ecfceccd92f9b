"""pip's own parser as a test oracle: one process answers a whole batch of cases.

stdin: a JSON list of cases {"id", "argv", "env"}. Each case runs with os.environ replaced by
"env" (default: this process's environment without PIP_*, and PIP_CONFIG_FILE=/dev/null) (plus _PIP_RUNNING_IN_SUBPROCESS=1 so that --python does not re-run pip) and sys.argv[0]
"pip". It calls pip._internal.cli.main_parser.parse_command(argv), then
create_command(name, isolated="--isolated" in cmd_args).parse_args(cmd_args) for
install/download/wheel/lock, and reports the options namespace (FormatControl as two sorted lists,
tuples as lists), the positional args, or the exit code and the text written to stdout/stderr.
base_command._main's "--python after the command" check is emulated (it runs after parsing).
stdout: a JSON list of results in the same order. Each case runs in a forked child.
"""

import gc
import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout

sys.argv[0] = "pip"
from pip._internal.cli.main_parser import create_main_parser, parse_command  # noqa: E402
from pip._internal.commands import create_command  # noqa: E402
from pip._internal.exceptions import CommandError, PipError  # noqa: E402

INTERCEPTED = {"install", "download", "wheel", "lock"}
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
BASE_ENV["PIP_CONFIG_FILE"] = os.devnull


def jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if type(value).__name__ == "FormatControl":
        return {"no_binary": sorted(value.no_binary), "only_binary": sorted(value.only_binary)}
    if type(value).__name__ == "ReleaseControl":
        return {"all_releases": sorted(value.all_releases), "only_final": sorted(value.only_final)}
    return repr(value)


def run_case(case):
    os.environ.clear()
    os.environ.update(case.get("env", BASE_ENV))
    os.environ["_PIP_RUNNING_IN_SUBPROCESS"] = "1"
    argv = list(case["argv"])
    out = io.StringIO()
    err = io.StringIO()
    result = {"id": case["id"]}
    stage = "main"
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main_python = None
            try:
                with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                    general, _ = create_main_parser().parse_args(list(argv))
                main_python = general.python
            except SystemExit:
                pass
            try:
                cmd_name, cmd_args = parse_command(list(argv))
            except PipError as exc:
                # pip/_internal/cli/main.py
                sys.stderr.write(f"ERROR: {exc}")
                sys.stderr.write(os.linesep)
                raise SystemExit(1)
            stage = "command"
            result["command"] = cmd_name
            result["cmdArgs"] = cmd_args
            if cmd_name in INTERCEPTED:
                cmd = create_command(cmd_name, isolated=("--isolated" in cmd_args))
                options, args = cmd.parse_args(cmd_args)
                if options.python and main_python is None:
                    sys.stderr.write(
                        "ERROR: The --python option must be placed before the pip subcommand name\n"
                    )
                    raise SystemExit(1)
                result["values"] = {k: jsonable(v) for k, v in vars(options).items()}
                result["args"] = args
        result["exit"] = None
    except SystemExit as exc:
        code = exc.code
        result["exit"] = 0 if code is None else code
        result["stage"] = stage
    except CommandError as exc:
        result["exit"] = 1
        result["crash"] = f"pip._internal.exceptions.CommandError: {exc}"
    result["stdout"] = out.getvalue()
    result["stderr"] = err.getvalue()
    return result


def run_isolated(case):
    # pip's option defaults include list objects shared by every parser it builds (one process
    # is one pip run), so each case runs in a forked child that starts from the imported state.
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            payload = json.dumps(run_case(case)).encode()
        except BaseException as exc:  # report, never hang the parent
            payload = json.dumps({"id": case["id"], "oracleError": repr(exc)}).encode()
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def warm_up():
    # Import every command module once, so forked children do not each import them again.
    from pip._internal.commands import commands_dict

    create_main_parser()
    for name in commands_dict:
        create_command(name)


def main():
    cases = json.load(sys.stdin)
    warm_up()
    # Keep the forked children from touching (and so copying) the parent's objects.
    gc.freeze()
    gc.disable()
    results = [run_isolated(case) for case in cases]
    sys.__stdout__.write(json.dumps(results))


if __name__ == "__main__":
    main()
