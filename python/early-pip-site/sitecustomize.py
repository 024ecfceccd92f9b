# safe-pip's early start of the real pip (src/io/early-pip.ts).
#
# Behind a pyenv shim: safe-pip ran the shim as `pip --safe-pip-early-start[=COMMAND] ARGS...` with
# this directory first on PYTHONPATH, so pyenv does all it always does (version selection, exec
# hooks, pip-rehash's wrapper) while safe-pip is still deciding. In the pip process that pyenv
# starts, this file imports pip's command line and COMMAND's modules (unless the user has a
# sitecustomize or usercustomize, which must run before pip is imported), then waits on fd 3 for
# the argv safe-pip decided on, before pip's own script goes on; told nothing, it exits with
# status 1 (pip-rehash then does not rehash) and pip never runs. Without this file (a Python that
# ignores PYTHONPATH), pip itself stops at the unknown option. Every process takes this directory
# back out of sys.path and PYTHONPATH, and imports the sitecustomize Python would have imported,
# the way site.py does: a Python that a pyenv hook starts is left as it was.
#
# A venv's pip: safe-pip's loader (python/early-pip-loader.py) takes
# _safe_pip_use_script_directory, _safe_pip_warm and _safe_pip_wait or _safe_pip_receive from this
# file.
import os
import sys

_EARLY_START = '--safe-pip-early-start'


# What pip imports only once it has parsed its argv (pip 26 puts even its own argv parser there),
# and, for a building command, what its run imports next: the resolver and the distro module the
# session's user agent reads.
_PIP_CLI_MODULES = ('pip._internal.cli.main_parser', 'pip._internal.cli.autocompletion')
_BUILDING_MODULES = ('pip._internal.resolution.resolvelib.resolver', 'pip._vendor.distro')


def _safe_pip_warm(command):
    """Imports pip's command line and, given the command safe-pip expects, what that command's run imports."""
    # Module imports only, none of them run pip: pip would import the same a moment later. A
    # module that fails to import is left for pip's own run to hit and report as it would.
    try:
        import pip._internal.cli.main  # noqa: F401
        from pip._internal.commands import commands_dict
    except Exception:
        return
    import importlib
    info = commands_dict.get(command) if command else None
    names = _PIP_CLI_MODULES if info is None else _PIP_CLI_MODULES + (info.module_path,) + _BUILDING_MODULES
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass


def _safe_pip_wait(discarded_status):
    """Puts the argv (and PIP_* changes) safe-pip sends on fd 3 in place; ends the process when told nothing."""
    # Any BaseException while waiting (Ctrl-C, a closed socket) ends pip silently: it has not started.
    try:
        go = _safe_pip_receive(3)
    except BaseException:
        os._exit(1)
    if go is None:
        os._exit(discarded_status)


def _safe_pip_receive(fd):
    """Reads safe-pip's decision from fd to its end and puts its argv and variables in place; None when told nothing."""
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    if not chunks:
        return None
    import json
    go = json.loads(b''.join(chunks).decode('utf-8'))
    for name, value in go['env'].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    sys.argv[1:] = go['args']
    return go


def _safe_pip_restore():
    here = os.path.dirname(os.path.abspath(__file__))
    saved = os.environ.pop('SAFE_PIP_EARLY_SITE', None)
    if saved is not None:
        if saved.startswith('='):
            os.environ['PYTHONPATH'] = saved[1:]
        else:
            os.environ.pop('PYTHONPATH', None)
    sys.path[:] = [entry for entry in sys.path if not entry or os.path.abspath(entry) != here]


def _safe_pip_customized():
    """Whether Python would import a sitecustomize or usercustomize of the user's after this file."""
    try:
        from importlib.machinery import PathFinder
        return any(PathFinder.find_spec(name, sys.path) is not None for name in ('sitecustomize', 'usercustomize'))
    except Exception:
        return True


def _safe_pip_script_directory(script):
    """What Python puts first on sys.path for `python script` (symlinks resolved), or None under safe_path (-P)."""
    return None if getattr(sys.flags, 'safe_path', False) else os.path.dirname(os.path.realpath(script))


def _safe_pip_use_script_directory(script):
    """In a loader run as `python -c`: the script's directory where -c put the working directory."""
    directory = _safe_pip_script_directory(script)
    if directory is not None and sys.path and sys.path[0] == '':
        sys.path[0] = directory


def _safe_pip_warm_script(script, command):
    """_safe_pip_warm with the script's directory first on sys.path, where Python will put it for the script."""
    # A customization of the user's runs before pip is imported, as without safe-pip: then nothing
    # is imported early. site runs before Python adds the script's directory; pip is imported as
    # the script would import it, and sys.path is then left as Python set it.
    if _safe_pip_customized():
        return
    directory = _safe_pip_script_directory(script)
    if directory is not None:
        sys.path.insert(0, directory)
    try:
        _safe_pip_warm(command)
    finally:
        if directory is not None and sys.path and sys.path[0] == directory:
            del sys.path[0]


if __name__ == 'sitecustomize':
    _safe_pip_restore()
    _safe_pip_argv = getattr(sys, 'argv', ())
    _safe_pip_flag, _, _safe_pip_command = _safe_pip_argv[1].partition('=') if len(_safe_pip_argv) > 1 else ('', '', '')
    if _safe_pip_flag == _EARLY_START:
        try:
            _safe_pip_warm_script(_safe_pip_argv[0], _safe_pip_command)
        except BaseException:
            os._exit(1)  # Ctrl-C while warming: pip has not started, as in _safe_pip_wait
        _safe_pip_wait(1)
    _safe_pip_self = sys.modules.pop(__name__)
    try:
        import sitecustomize  # noqa: F401  the user's own, found on the rest of sys.path
    except ImportError as exc:
        if exc.name != 'sitecustomize':
            raise
        sys.modules[__name__] = _safe_pip_self
