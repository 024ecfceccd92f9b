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
#   process writes, Node reads) and pip's stdout (when Node copies it). Adopted, it runs pip here,
#   tells Node pip's exit status, waits for Node and exits as Node does. Told nothing (a refusal, a
#   run that does not match, a Node that died), it runs nothing and only waits for Node, whose exit
#   it passes on: the status, or the same signal. Until pip runs, SIGINT, SIGTERM and SIGHUP are
#   passed on to Node, which decides what they mean; pip, once it runs, has them as a pip run by
#   the shell would. Anything that fails before Node is started execs Node as the launcher would
#   have; on Python 3.7, which has no os.posix_spawnp, that is every run.
#
# What is shared with a pip started through a pyenv shim (the directory, the warming, the
# decision's format) comes from SITECUSTOMIZE (python/early-pip-site/sitecustomize.py).
import os
import sys

_PIP_FIRST_VAR = 'SAFE_PIP_LAUNCHER_PIP_FIRST'
_FORWARDED = ('SIGINT', 'SIGTERM', 'SIGHUP')


def _start_node(argv, script):
    """Starts Node with the three pipes; returns (pid, decision fd, status fd, stdout fd)."""
    # Before any pipe exists: on Python 3.7 the caller's fallback execs Node, which must not
    # inherit Node's ends of pipes nobody reads.
    spawn = os.posix_spawnp
    decision_read, decision_write = os.pipe()
    status_read, status_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    nodes_ends = (decision_write, status_read, stdout_read)
    for fd in nodes_ends:
        os.set_inheritable(fd, True)
    env = dict(os.environ)
    env[_PIP_FIRST_VAR] = '%d %d %d %s' % (decision_write, status_read, stdout_read, script)
    pid = spawn(argv[0], argv, env)
    for fd in nodes_ends:
        os.close(fd)
    return pid, decision_read, status_write, stdout_write


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


def parent_of_node(script, command, site, node_argv):
    try:
        shared = _load_shared(script, site)
        node, decision, status, stdout = _start_node(node_argv, script)
    except Exception:
        os.execvp(node_argv[0], node_argv)
    _forward_signals(node)
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


def main():
    script, command, site = sys.argv[2:5]
    node_argv = sys.argv[5:]
    sys.argv[:] = [script]
    if node_argv:
        parent_of_node(script, command, site, node_argv)
    else:
        child_of_node(script, command, site)


main()
