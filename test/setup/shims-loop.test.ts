// `safe-pip setup --ci` shims whose "real pip" leads back to the shim (issue 11 item 8): with pyenv,
// `pip3.9` is a pyenv shim; when the selected Python has no pip3.9, pyenv falls back to the next
// `pip3.9` on PATH outside its own shims directory — the safe-pip shim — which ran the pyenv shim
// again, forever ("started 5 times inside itself ... WITHOUT its protection", repeated). A shim
// must end with the answer pip, pyenv or the shell gives without safe-pip, and never run anything
// unprotected because safe-pip's own recursion guard stopped it.
//
// Each run has a kill timeout only so a regression fails instead of hanging the suite; nothing is
// asserted about time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSetup } from '../../src/setup/setup-command.js';
import { ensureBuilt } from '../launcher/harness.js';
import { collectingIo, makeFakes, makeHome, readCalls, REPO_BIN, writeExecutable, type ShellResult } from './shell-harness.js';

function run(script: string, env: NodeJS.ProcessEnv): ShellResult & { timedOut: boolean } {
  const result = spawnSync('sh', ['-c', script], { env, encoding: 'utf8', input: '', timeout: 60_000, killSignal: 'SIGKILL' });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', timedOut: result.error !== undefined };
}

/** A pip3.X pyenv shim on this machine whose name the selected pyenv version does not provide. */
function unresolvedPyenvPip(env: NodeJS.ProcessEnv): { name: string; shims: string } | undefined {
  const shims = (env.PATH ?? '').split(':').find((dir) => /\/\.pyenv\/shims$/.test(dir));
  if (shims === undefined || !existsSync(shims)) return undefined;
  for (const name of readdirSync(shims).filter((n) => /^pip3\.\d+$/.test(n))) {
    const which = spawnSync('pyenv', ['which', name], { env, encoding: 'utf8' });
    if (which.status !== 0) return { name, shims };
  }
  return undefined;
}

const pyenvCase = unresolvedPyenvPip(makeHome().env);

describe('setup --ci shims end with the answer pip or the shell would give', () => {
  it.skipIf(pyenvCase === undefined)(`pyenv: a pip3.X the selected Python does not have (${pyenvCase?.name}) says pyenv's "command not found", exit 127`, async () => {
    ensureBuilt();
    const { name } = pyenvCase!;
    const t = makeHome();
    const plain = run(`${name} --version`, t.env);
    expect(plain.status).toBe(127);
    expect(plain.stderr).toContain(`pyenv: ${name}: command not found`);
    const setup = collectingIo(t.env);
    expect(await runSetup(['--ci'], setup.io, { launcherDir: REPO_BIN })).toBe(0);
    const shimmed = run(`${setup.out()}command -v ${name}; ${name} --version`, t.env);
    expect(shimmed.timedOut, shimmed.stderr.slice(0, 2000)).toBe(false);
    expect(shimmed.stdout.trim()).toBe(join(t.home, '.local', 'share', 'safe-pip', 'shims', name));
    expect(shimmed.status).toBe(127);
    expect(shimmed.stderr).toBe(plain.stderr);
    // A command safe-pip would handle itself (not the launcher's pass-through) gets the same answer.
    const install = run(`${setup.out()}${name} install --no-index six`, t.env);
    expect(install.status).toBe(127);
    expect(install.stderr).toBe(plain.stderr);
  });

  it('a pip3.X wrapper that runs the next pip3.X on PATH outside its own directory (as pyenv does) ends at once', async () => {
    ensureBuilt();
    const t = makeHome();
    const wrappers = join(t.root, 'wrappers');
    // Looks the command up without its own directory, then runs it with the caller's PATH.
    const wrapper = `#!/bin/sh\nself=\${0%/*}\nfound=$(PATH=$(printf %s "$PATH" | tr : '\\n' | grep -vx "$self" | paste -sd: -) command -v "\${0##*/}") || { echo "wrapper: \${0##*/}: command not found" >&2; exit 127; }\nexec "$found" "$@"\n`;
    makeFakes(wrappers, []);
    writeExecutable(join(wrappers, 'pip3.42'), wrapper);
    const env = { ...t.env, PATH: `${wrappers}:${t.env.PATH}` };
    const dir = join(t.root, 'shims');
    await runSetup(['--ci', '--dir', dir], collectingIo(env).io, { launcherDir: REPO_BIN });
    expect(readdirSync(dir)).toContain('pip3.42');
    const r = run('pip3.42 --version; echo "status=$?"', { ...env, PATH: `${dir}:${env.PATH}` });
    expect(r.timedOut, r.stderr.slice(0, 2000)).toBe(false);
    expect(r.stderr).not.toContain('WITHOUT its protection');
    expect(r.stdout).not.toContain('status=0');
    // One answer, not one per round.
    expect(r.stderr.split('\n').filter((line) => /inside itself|command not found/.test(line)), r.stderr).toHaveLength(1);
  });

  it('a pip wrapper that leads back to the pip shim stops at safe-pip\'s recursion guard, and nothing runs unprotected', async () => {
    ensureBuilt();
    const t = makeHome();
    const wrappers = join(t.root, 'wrappers');
    const fakes = makeFakes(join(t.root, 'fakes'), ['pip3']);
    makeFakes(wrappers, []);
    writeExecutable(join(wrappers, 'pip'), `#!/bin/sh\necho "wrapper ran" >>"$SAFE_PIP_TEST_RECORD.wrapper"\nexec "$LOOP_BACK_TO" "$@"\n`);
    const env = { ...t.env, PATH: `${wrappers}:${fakes}:${t.env.PATH}` };
    const dir = join(t.root, 'shims');
    await runSetup(['--ci', '--dir', dir], collectingIo(env).io, { launcherDir: REPO_BIN });
    const r = run('pip list; echo "status=$?"', { ...env, PATH: `${dir}:${env.PATH}`, LOOP_BACK_TO: join(dir, 'pip') });
    expect(r.timedOut, r.stderr.slice(0, 2000)).toBe(false);
    expect(r.stdout).toContain('status=43');
    expect(r.stderr).not.toContain('WITHOUT its protection');
    expect(r.stderr.split('\n').filter((line) => line.includes('inside itself'))).toHaveLength(1);
    expect(readFileSync(`${t.record}.wrapper`, 'utf8').split('\n').filter(Boolean).length).toBeLessThanOrEqual(5);
    expect(readCalls(t.record)).toEqual([]);
  });
});
