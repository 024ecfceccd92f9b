# safe-pip's early start of the real pip (src/io/early-pip.ts): a Python that imports pip's
# command line, and the modules of the command safe-pip expects, while safe-pip decides, and runs
# pip's own script only once safe-pip hands it the argv it decided on. Run as
#   PYTHON -c BOOTSTRAP THIS_FILE PIP_SCRIPT COMMAND SITECUSTOMIZE [NODE NODE_ARGS...]
# (-c, so that sys.path[0] can be set as for `python PIP_SCRIPT` before anything is imported), by
# one of two:
#
# - safe-pip's Node (no NODE argv): the decision comes on fd 3; told nothing, this process exits 0
#   without a word; Ctrl-C before the decision ends it silently (pip has not started).
#
# - the launcher, "pip first" (bin/safe-pip): Node needs about 50 ms before it can start anything,
#   so when the launcher knows that the real pip is a script pip wrote, it execs that script's
#   interpreter on this file instead of Node, with the environment it would have given Node. This
#   process starts Node with that argv and environment plus SAFE_PIP_LAUNCHER_PIP_FIRST, which
#   names three pipes: the decision (Node writes, this process reads), pip's exit status (this
#   process writes, Node reads) and pip's stdout (when Node copies it); and a fourth, when the
#   interpreter probe would answer here as under `python -I`, with that answer, computed here while
#   Node starts, so that a cold Node starts no second Python (_send_probe_answer, and
#   src/io/interpreter-probe.ts). Adopted, it runs pip here, tells Node pip's exit status, waits
#   for Node and exits as Node does. Told nothing (a refusal, a run that does not match, a Node
#   that died), it runs nothing and only waits for Node, whose exit it passes on: the status, or
#   the same signal. Until pip runs, SIGINT, SIGTERM and SIGHUP are
#   passed on to Node, which decides what they mean; pip, once it runs, has them as a pip run by
#   the shell would. Anything that fails before Node is started execs Node as the launcher would
#   have; on Python 3.7, which has no os.posix_spawnp, that is every run.
#
# - the launcher, behind a pyenv shim, as
#     PYTHON -I -S -c BOOTSTRAP THIS_FILE --pyenv-shim SHIM COMMAND SITECUSTOMIZE NODE NODE_ARGS...
#   where PYTHON is any Python 3.8+ of pyenv's: see supervise_pyenv_shim.
#
# What is shared with a pip started through a pyenv shim (the directory, the warming, the
# decision's format) comes from SITECUSTOMIZE (python/early-pip-site/sitecustomize.py).
import os
import sys

_PIP_FIRST_VAR = 'SAFE_PIP_LAUNCHER_PIP_FIRST'
_PYENV_FIRST_VAR = 'SAFE_PIP_LAUNCHER_PYENV_FIRST'
_EARLY_START = '--safe-pip-early-start'
_FORWARDED = ('SIGINT', 'SIGTERM', 'SIGHUP')


# PYTHON* variables that `python -I` ignores but that change none of the interpreter probe's
# answers. With any other one set (PYTHONPATH, PYTHONHOME, PYTHONUSERBASE, PYTHONSAFEPATH...),
# this process's answers could differ from the isolated probe's, which Node then runs itself.
_NEUTRAL_TO_PROBE = frozenset((
    'PYTHONBREAKPOINT', 'PYTHONCOERCECLOCALE', 'PYTHONDEVMODE', 'PYTHONDONTWRITEBYTECODE',
    'PYTHONFAULTHANDLER', 'PYTHONHASHSEED', 'PYTHONINTMAXSTRDIGITS', 'PYTHONIOENCODING',
    'PYTHONMALLOC', 'PYTHONMALLOCSTATS', 'PYTHONNODEBUGRANGES', 'PYTHONOPTIMIZE',
    'PYTHONPYCACHEPREFIX', 'PYTHONSTARTUP', 'PYTHONTRACEMALLOC', 'PYTHONUNBUFFERED', 'PYTHONUTF8',
    'PYTHONWARNDEFAULTENCODING', 'PYTHONWARNINGS',
))


def _start_node(argv, script):
    """Starts Node with the four pipes; returns (pid, decision fd, status fd, stdout fd, probe fd or None)."""
    # Before any pipe exists: on Python 3.7 the caller's fallback execs Node, which must not
    # inherit Node's ends of pipes nobody reads.
    spawn = os.posix_spawnp
    decision_read, decision_write = os.pipe()
    status_read, status_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    probe_read, probe_write = os.pipe() if _probe_answers_hold() else (-1, None)
    nodes_ends = tuple(fd for fd in (decision_write, status_read, stdout_read, probe_read) if fd >= 0)
    for fd in nodes_ends:
        os.set_inheritable(fd, True)
    env = dict(os.environ)
    env[_PIP_FIRST_VAR] = '%d %d %d %d %s' % (decision_write, status_read, stdout_read, probe_read, script)
    pid = spawn(argv[0], argv, env)
    for fd in nodes_ends:
        os.close(fd)
    return pid, decision_read, status_write, stdout_write, probe_write


def _probe_answers_hold():
    """Whether the probe run here answers as `python -I` would (see _NEUTRAL_TO_PROBE)."""
    return not any(name.startswith('PYTHON') and name not in _NEUTRAL_TO_PROBE for name in os.environ)


def _send_probe_answer(fd, loader):
    """Runs the interpreter probe here and sends its answer to Node, which then runs none."""
    # python/interpreter-probe.py, as Node would run it with -I; any failure leaves that to Node.
    try:
        import json
        import _frozen_importlib_external as bootstrap
        path = os.path.join(os.path.dirname(loader), 'interpreter-probe.py')
        probe = {'__name__': '_safe_pip_probe', '__file__': path}
        exec(bootstrap.SourceFileLoader('_safe_pip_probe', path).get_code('_safe_pip_probe'), probe)
        data = json.dumps(probe['interpreter_facts']()).encode('utf-8')
        while data:
            data = data[os.write(fd, data):]
    except Exception:
        pass
    finally:
        os.close(fd)


# The handlers Python started with (SIG_IGN under nohup, say), which pip gets back.
_started_with = {}


def _forward_signals(node):
    import signal

    def forward(number, _frame):
        try:
            os.kill(node, number)
        except OSError:
            pass

    for name in _FORWARDED:
        number = getattr(signal, name)
        previous = signal.signal(number, forward)
        _started_with.setdefault(number, previous)


def _restore_signals():
    import signal
    for number, handler in _started_with.items():
        signal.signal(number, handler)


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _exit_as(node):
    """Waits for Node and ends this process as Node ended."""
    _, status = os.waitpid(node, 0)
    _exit_with(status)


def _exit_with(status):
    """Ends this process as the child whose wait status this is ended."""
    _flush()
    if os.WIFSIGNALED(status):
        import signal
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
        os._exit(128 + number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _run_pip(script):
    """Runs pip's script as `__main__`; returns the exit status Python would have exited with."""
    import runpy
    try:
        runpy.run_path(script, run_name='__main__')
    except SystemExit as stop:
        code = stop.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code & 0xFF
        print(code, file=sys.stderr)
        return 1
    except BaseException:
        sys.excepthook(*sys.exc_info())
        return 1
    return 0


def _load_shared(script, site):
    """SITECUSTOMIZE's functions; sys.path[0] is then the script's directory, as for `python script`."""
    # Before anything is imported: `-c` put the working directory there, whose modules pip's own
    # script would never import.
    shared = {'__name__': '_safe_pip_early'}
    with open(site, 'rb') as f:
        exec(compile(f.read(), site, 'exec'), shared)
    shared['_safe_pip_use_script_directory'](script)
    return shared


def child_of_node(script, command, site):
    try:
        shared = _load_shared(script, site)
        shared['_safe_pip_warm'](command)
    except BaseException:
        os._exit(1)
    shared['_safe_pip_wait'](0)
    import runpy
    runpy.run_path(script, run_name='__main__')


def parent_of_node(loader, script, command, site, node_argv):
    try:
        shared = _load_shared(script, site)
        node, decision, status, stdout, probe = _start_node(node_argv, script)
    except Exception:
        os.execvp(node_argv[0], node_argv)
    _forward_signals(node)
    if probe is not None:
        _send_probe_answer(probe, loader)
    try:
        shared['_safe_pip_warm'](command)
    except Exception:
        pass
    try:
        go = shared['_safe_pip_receive'](decision)
    except Exception:
        go = None  # nothing that can be trusted to run: pip does not start
    if go is None:
        _exit_as(node)
    saved_stdout = None
    if go.get('stdout') == 'pipe':
        saved_stdout = os.dup(1)
        os.dup2(stdout, 1)
    os.close(stdout)
    _restore_signals()
    code = _run_pip(script)
    _forward_signals(node)
    # What Python does as it exits (wait for pip's threads, run its atexit functions), before Node
    # hears that pip is done.
    if 'threading' in sys.modules:
        sys.modules['threading']._shutdown()
    import atexit
    atexit._run_exitfuncs()
    _flush()
    if saved_stdout is not None:
        # Node copies pip's stdout until end of file: this was the last writer.
        os.dup2(saved_stdout, 1)
        os.close(saved_stdout)
    try:
        os.write(status, b'%d\n' % code)
        os.close(status)
    except OSError:
        pass
    _exit_as(node)


# --- Behind a pyenv shim --------------------------------------------------------------------
# Which pip a pyenv shim runs, as src/io/pyenv-shim.ts and earlyPyenvShim (src/io/early-pip.ts)
# decide it, read the same way but more cautiously: any case those would have to look further
# into (a `system` selection, a version without the program) is left to Node here, which only
# costs the early start. test/launcher/pyenv-first.test.ts compares the two on the same setups.
_KNOWN_WHICH_HOOKS = ('conda.bash', 'python-config.bash', 'system-site-packages.bash')


def _read_small(path):
    """The text of a file shorter than 4096 bytes, else None."""
    try:
        with open(path, 'rb') as f:
            data = f.read(4096)
    except OSError:
        return None
    return None if len(data) == 4096 else data.decode('utf-8', 'replace')


def _list_dir(path):
    try:
        return os.listdir(path)
    except OSError:
        return []


def _pyenv_has_unknown_hooks(root, env):
    dirs = env.get('PYENV_HOOK_PATH', '').split(':') + [os.path.join(root, 'pyenv.d'), '/usr/etc/pyenv.d', '/usr/local/etc/pyenv.d', '/etc/pyenv.d', '/usr/lib/pyenv/hooks']
    dirs += [os.path.join(root, 'plugins', plugin, 'etc', 'pyenv.d') for plugin in _list_dir(os.path.join(root, 'plugins'))]
    for directory in filter(None, dirs):
        if any(f.endswith('.bash') for f in _list_dir(os.path.join(directory, 'version-name'))):
            return True
        if any(f.endswith('.bash') and f not in _KNOWN_WHICH_HOOKS for f in _list_dir(os.path.join(directory, 'which'))):
            return True
    return False


def _pyenv_version_file(start):
    directory = start
    while True:
        candidate = os.path.join(directory, '.python-version')
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _pyenv_selected_versions(root, env, cwd):
    """The versions pyenv selects (pyenv-version-name), as a list; None when only pyenv can tell."""
    if env.get('PYENV_VERSION'):
        return env['PYENV_VERSION'].split(':')
    pyenv_dir = env.get('PYENV_DIR') or cwd
    found = _pyenv_version_file(pyenv_dir) or (_pyenv_version_file(cwd) if pyenv_dir != cwd else None) or os.path.join(root, 'version')
    try:
        with open(found, 'rb') as f:
            text = f.read().decode('utf-8', 'replace')
    except OSError:
        return ['system']
    versions = []
    for line in text.split('\n'):
        words = line.replace('\r', '').split()
        if not words or words[0].startswith('#'):
            continue
        if words[0] == '..' or '/' in words[0]:
            return None
        versions.append(words[0])
    return versions or ['system']


def _lines(text):
    return [line.rstrip() for line in text.split('\n')]


def _quoted_between(line, before, after):
    """The text between before and after when line is exactly that, without a quote in it, else None."""
    if not (line.startswith(before) and line.endswith(after)) or len(line) < len(before) + len(after):
        return None
    inner = line[len(before):len(line) - len(after)]
    return inner if inner and '"' not in inner else None


def _pyenv_early_pip(shim, env, cwd, site_dir):
    """The pip script a pyenv shim would run, when it can be started early (see above), else None."""
    # String tests rather than `re`, whose import would delay the shim's start.
    head = _read_small(shim)
    if head is None or not head.startswith('#!') or ':' in site_dir:
        return None
    lines = _lines(head)
    if not any(_quoted_between(line, 'exec "', '/libexec/pyenv" exec "$program" "$@"') for line in lines):
        return None
    roots = [root for root in (_quoted_between(line, 'export PYENV_ROOT="', '"') for line in lines) if root]
    if not roots or _pyenv_has_unknown_hooks(roots[0], env):
        return None
    root = roots[0]
    program = None
    for version in _pyenv_selected_versions(root, env, cwd) or ['system']:
        if version == 'system':
            return None
        directory = os.path.join(root, 'versions', version)
        if not os.path.isdir(directory):
            directory = os.path.join(root, 'versions', version[len('python-'):] if version.startswith('python-') else version)
            if not os.path.isdir(directory):
                return None
        candidate = os.path.join(directory, 'bin', os.path.basename(shim))
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            program = candidate
            break
    script = _read_small(program) if program is not None else None
    if script is None or not script.startswith('#!/') or '\n' not in script:
        return None
    interpreter = script[2:script.index('\n')]
    interpreter = interpreter[:-1] if interpreter.endswith('\r') else interpreter
    if any(c.isspace() for c in interpreter) or not any(line in ('from pip._internal.cli.main import main', 'from pip._internal.cli.main import cli') for line in (l[:-1] if l.endswith('\r') else l for l in script.split('\n'))):
        return None
    name = interpreter[interpreter.rindex('/') + 1:]
    minor = name[len('python3.'):] if name.startswith('python3.') else ''
    return program if minor and all(c in '0123456789' for c in minor) and int(minor) >= 7 else None


def _pyenv_shim_environment(site_dir):
    """What safe-pip's Node would start the shim with (early-pip.ts: guardedEnvironment, withEarlySite)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith('SAFE_PIP_LAUNCHER_')}
    if 'SAFE_PIP_LAUNCHER_EXTRA_CA_CERTS' in os.environ:
        env['NODE_EXTRA_CA_CERTS'] = os.environ['SAFE_PIP_LAUNCHER_EXTRA_CA_CERTS']
    depth = env.get('SAFE_PIP_DEPTH', '')
    env['SAFE_PIP_DEPTH'] = str((int(depth) if depth.isdigit() else 0) + 1)
    python_path = env.get('PYTHONPATH')
    env['SAFE_PIP_EARLY_SITE'] = '' if python_path is None else '=' + python_path
    env['PYTHONPATH'] = site_dir if not python_path else site_dir + ':' + python_path
    return env


def _above_two(fd):
    """fd moved above the standard descriptors and 3 (a dup2 onto itself would keep close-on-exec)."""
    import fcntl
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


def supervise_pyenv_shim(shim, command, site, node_argv):
    """The launcher's start behind a pyenv shim: the shim and Node at once, the shim's end told to Node."""
    # The shim as Node would start it (early-pip.ts), so that pyenv's 0.4 s of bash runs while Node
    # starts and decides, as soon as the command is typed. Node adopts it (pip-first.ts) or lets it
    # go; told nothing on fd 3, its pip ends without a word. This process waits for both, tells
    # Node how the shim ended (status pipe), and ends as Node ends.
    try:
        site_dir = os.path.dirname(site)
        # NODE [NODE OPTIONS...] .../dist/main.cjs pip ARGS...: the shim is given ARGS.
        entry = [i for i, word in enumerate(node_argv) if word.endswith(('/dist/main.cjs', '/dist/main.js'))][:1]
        if not entry or node_argv[entry[0] + 1:entry[0] + 2] != ['pip'] or _pyenv_early_pip(shim, os.environ, os.getcwd(), site_dir) is None:
            raise LookupError('not started early')
        pip_args = node_argv[entry[0] + 2:]
        os.posix_spawn  # Python 3.8+
        decision_read, decision_write = (_above_two(fd) for fd in os.pipe())
        status_read, status_write = os.pipe()
        stdout_read, stdout_write = (None, None) if os.isatty(1) else tuple(_above_two(fd) for fd in os.pipe())
        actions = [(os.POSIX_SPAWN_DUP2, decision_read, 3)]
        if stdout_write is not None:
            actions.append((os.POSIX_SPAWN_DUP2, stdout_write, 1))
        argv = [shim, _EARLY_START + ('=' + command if command else '')] + pip_args
        import _signal  # not signal, whose enums take longer to import than the rest of this start
        # What Python itself set aside as it started goes back to the default, as subprocess does.
        shim_pid = os.posix_spawn(shim, argv, _pyenv_shim_environment(site_dir), file_actions=actions, setsigdef=(_signal.SIGPIPE, _signal.SIGXFSZ))
    except Exception:
        os.execvp(node_argv[0], node_argv)
    os.close(decision_read)
    if stdout_write is not None:
        os.close(stdout_write)
    nodes_ends = (decision_write, status_read) + (() if stdout_read is None else (stdout_read,))
    for fd in nodes_ends:
        os.set_inheritable(fd, True)
    env = dict(os.environ)
    env[_PYENV_FIRST_VAR] = '%d %d %d %d %s' % (decision_write, status_read, -1 if stdout_read is None else stdout_read, shim_pid, shim)
    try:
        node = os.posix_spawnp(node_argv[0], node_argv, env)
    except Exception:
        os.close(decision_write)  # the waiting shim ends without a word
        del env[_PYENV_FIRST_VAR]
        os.execvpe(node_argv[0], node_argv, env)
    for fd in nodes_ends:
        os.close(fd)
    _forward_signals(node)
    while True:
        pid, status = os.waitpid(-1, 0)
        if pid == shim_pid:
            if os.WIFSIGNALED(status):
                import signal  # imported by now, for _forward_signals
                told = '%s\n' % signal.Signals(os.WTERMSIG(status)).name
            else:
                told = '%d\n' % (os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
            try:
                os.write(status_write, told.encode('ascii'))
            except OSError:
                pass  # Node let it go
            os.close(status_write)
            status_write = None
        elif pid == node:
            # A shim Node let go ends by itself: its fd 3 is at end of file.
            _exit_with(status)


def main():
    if sys.argv[2] == '--pyenv-shim':
        shim, command, site = sys.argv[3:6]
        supervise_pyenv_shim(shim, command, site, sys.argv[6:])
    loader = sys.argv[1]
    script, command, site = sys.argv[2:5]
    node_argv = sys.argv[5:]
    sys.argv[:] = [script]
    if node_argv:
        parent_of_node(loader, script, command, site, node_argv)
    else:
        child_of_node(script, command, site)


main()
