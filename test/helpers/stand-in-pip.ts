// A stand-in for the real pip, for tests of what starts it and when: pip's own console script (as
// pip/distlib write it) next to a stand-in `pip` package, found only through sys.path[0] (pip's own
// script finds nothing there), which logs when it is imported and what main() is given.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';
import { writeExecutable } from '../launcher/harness.js';

export const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

/** pip's own console script, as pip/distlib write it, for `python`. */
export function pipScriptText(python: string): string {
  return `#!${python}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n`;
}

/**
 * A pip script plus a stand-in pip package that logs "import <pid>" and "main <pid> <json>" lines
 * (and, in `<log>.process`, main()'s pid, parent, signal handlers and safe-pip's hand-off variables), in `bin`
 * (default <dir>/bin), for `python` (default the machine's).
 */
export function standInPip(options: { dir?: string; bin?: string; python?: string } = {}): { pip: string; log: string; dir: string } {
  const dir = options.dir ?? makeTempDir();
  const bin = options.bin ?? join(dir, 'bin');
  const log = join(dir, 'log');
  const cli = join(bin, 'pip', '_internal', 'cli');
  mkdirSync(cli, { recursive: true });
  for (const init of ['pip', 'pip/_internal', 'pip/_internal/cli']) writeFileSync(join(bin, init, '__init__.py'), '');
  // pip's command table (pip._internal.commands.commands_dict) and two command modules that log
  // "command <pid> <name>" when imported; `lock` is in the table but its module fails to import.
  const commands = join(bin, 'pip', '_internal', 'commands');
  mkdirSync(commands);
  writeFileSync(
    join(commands, '__init__.py'),
    `from collections import namedtuple\nCommandInfo = namedtuple('CommandInfo', 'module_path, class_name, summary')\ncommands_dict = {name: CommandInfo('pip._internal.commands.' + name, name.title() + 'Command', '') for name in ('install', 'download', 'lock')}\n`,
  );
  for (const name of ['install', 'download']) {
    writeFileSync(join(commands, `${name}.py`), `import os\nwith open(${JSON.stringify(log)}, 'a') as f:\n    f.write('command %d ${name}\\n' % os.getpid())\n`);
  }
  writeFileSync(join(commands, 'lock.py'), 'raise ImportError("a module that does not import")\n');
  writeFileSync(
    join(cli, 'main.py'),
    `import json, os, sys
with open(${JSON.stringify(log)}, 'a') as f:
    f.write('import %d %s\\n' % (os.getpid(), json.dumps({'argv': sys.argv})))
def main():
    import __main__
    seen = {
        'argv': sys.argv, 'path0': sys.path[0], 'mainFile': getattr(__main__, '__file__', None), 'name': __main__.__name__,
        'env': {k: v for k, v in os.environ.items() if k.startswith(('PIP_', 'EARLY_TEST_', 'SAFE_PIP_EARLY')) or k in ('SAFE_PIP_DEPTH', 'PYTHONPATH')},
        'cwd': os.getcwd(), 'fd3': os.path.exists('/proc/self/fd/3'), 'earlySite': [p for p in sys.path if 'early-pip-site' in p],
    }
    with open(${JSON.stringify(log)}, 'a') as f:
        f.write('main %d %s\\n' % (os.getpid(), json.dumps(seen)))
    # Where pip runs (its parent) and what of safe-pip's own hand-offs it was given (none is for pip).
    with open(${JSON.stringify(`${log}.process`)}, 'a') as f:
        import signal
        handlers = {name: ('ignored' if h == signal.SIG_IGN else 'default' if h in (signal.SIG_DFL, signal.default_int_handler) else 'other') for name, h in (('SIGINT', signal.getsignal(signal.SIGINT)), ('SIGTERM', signal.getsignal(signal.SIGTERM)), ('SIGHUP', signal.getsignal(signal.SIGHUP)))}
        f.write('%d %s\\n' % (os.getpid(), json.dumps({'ppid': os.getppid(), 'env': {k: v for k, v in os.environ.items() if k.startswith('SAFE_PIP_LAUNCHER') or k == 'NODE_EXTRA_CA_CERTS'}, 'signals': handlers})))
    if os.environ.get('EARLY_TEST_PRINT') == '1':
        print('pip says hello', flush=True)
    return int(os.environ.get('EARLY_TEST_EXIT', '0'))
`,
  );
  // Named pip3 (as pip also installs itself) so that the stand-in package can be called pip.
  const pip = writeExecutable(join(bin, 'pip3'), pipScriptText(options.python ?? PYTHON));
  return { pip, log, dir };
}

export interface LogLine {
  kind: 'import' | 'main' | 'site' | 'command';
  pid: number;
  /** For command: the command module imported. */
  command?: string;
  /** For import: only argv. */
  seen?: { argv: string[]; path0?: string; mainFile?: string | null; name?: string; env?: Record<string, string>; cwd?: string; fd3?: boolean; earlySite?: string[] };
}

export function readLog(log: string): LogLine[] {
  if (!existsSync(log)) return [];
  // A fake pyenv's own lines ("exec …", "child …") are left to logText.
  return readFileSync(log, 'utf8').trim().split('\n').filter((line) => /^(import|main|site|command) /.test(line)).map((line) => {
    const [kind, pid, ...rest] = line.split(' ');
    if (kind === 'command') return { kind, pid: Number(pid), command: rest[0] };
    return { kind: kind as LogLine['kind'], pid: Number(pid), ...(rest.length > 0 ? { seen: JSON.parse(rest.join(' ')) } : {}) };
  });
}
