// A fake pyenv root for tests of what runs pip behind a pyenv shim (test/io/early-pip.test.ts,
// test/launcher/pyenv-first.test.ts).
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeExecutable } from '../launcher/harness.js';
import { PYTHON, standInPip } from './stand-in-pip.js';
import { makeTempDir } from './temp-dir.js';

// A pyenv root whose shim is the one pyenv-rehash writes, and whose libexec/pyenv stands for
// `pyenv exec` with pyenv's pip-rehash hook: it logs "exec <program> <args>", runs the selected
// version's program as a child ("child <pid>"), logs "status <n>" and, after a successful install,
// "rehash".
// Each `pyenv exec` also writes "<pid> <parent pid>" to <log>.pyenv.
// The version's pip3 is a pip-written script for a python3.11 (the machine's Python, linked, and
// as python3 too), next to the stand-in pip package; a user's own sitecustomize, on PYTHONPATH,
// logs "site <pid> <argv>".
export function fakePyenv(python = 'python3.11'): { shim: string; program: string; log: string; dir: string; userSite: string } {
  const dir = makeTempDir();
  const root = join(dir, 'pyenv');
  const bin = join(root, 'versions', '3.11.7', 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(realpathSync(PYTHON), join(bin, python));
  if (python !== 'python3') symlinkSync(realpathSync(PYTHON), join(bin, 'python3'));
  const { pip: program, log } = standInPip({ dir, bin, python: join(bin, python) });
  writeFileSync(join(root, 'version'), '3.11.7\n');
  const shim = writeExecutable(
    join(root, 'shims', 'pip3'),
    `#!/usr/bin/env bash\nset -e\n[ -n "$PYENV_DEBUG" ] && set -x\n\nprogram="\${0##*/}"\n\nexport PYENV_ROOT="${root}"\nSHIM_PATH=\${0%/*}\nif [[ $SHIM_PATH != "${root}/shims" ]]; then\n  export _PYENV_SHIM_PATH="$SHIM_PATH"\nfi\nexec "${root}/libexec/pyenv" exec "$program" "$@"\n`,
  );
  writeExecutable(
    join(root, 'libexec', 'pyenv'),
    `#!/usr/bin/env bash
[ "$1" = exec ] || exit 90
program="$2"; shift 2
echo "exec $program $*" >>'${log}'
echo "$$ $PPID" >>'${log}.pyenv'
export PATH="${bin}:$PATH"
status=0
sh -c 'echo "child $$" >>"$0"; exec "$@"' '${log}' "${bin}/$program" "$@" || status=$?
echo "status $status" >>'${log}'
if [ "$status" = 0 ]; then for arg in "$@"; do case $arg in install|uninstall) echo rehash >>'${log}'; break;; esac; done; fi
exit "$status"
`,
  );
  const userSite = join(dir, 'user-site');
  mkdirSync(userSite);
  writeFileSync(join(userSite, 'sitecustomize.py'), `import json, os, sys\nwith open(${JSON.stringify(log)}, 'a') as f:\n    f.write('site %d %s\\n' % (os.getpid(), json.dumps({'argv': sys.argv})))\n`);
  return { shim, program, log, dir, userSite };
}

/** The lines of a fake pyenv's log (its own and the stand-in pip's), [] before there is one. */
export const logText = (log: string): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
