// Issue 12 §3: safe-pip side by side with uv and pip, on the same loopback index and closure.
//   resolve  `uv pip compile --only-binary :all:` vs `safe-pip explain install ROOT` vs
//            `pip install --dry-run --ignore-installed --report FILE ROOT`
//   install  `uv pip install --target DIR ROOT` vs intercepted `pip install --target DIR ROOT`
//            (bin/pip) vs plain `pip install --target DIR ROOT`
// Cold caches for every tool and run (UV_CACHE_DIR, SAFE_PIP_CACHE_DIR, PIP_CACHE_DIR new), all
// three told the same interpreter. uv comes from PyPI into a venv of the bench's own
// (~/.cache/safe-pip-bench/uv-venv, `python3 -m pip install uv`: pip installs its wheel, which runs
// no code); when it cannot be installed, the suite says so instead of its uv figures.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { interleave, removeDir, round, summarize, timeCommand } from '../lib/measure.mjs';

/** The uv executable (installed on first use), or { error } saying why there is none. */
export function ensureUv(env, log) {
  const venv = join(env.SAFE_PIP_BENCH_UV_HOME ?? join(homedir(), '.cache', 'safe-pip-bench'), 'uv-venv');
  const uv = join(venv, 'bin', 'uv');
  if (existsSync(uv)) return { uv, version: execFileSync(uv, ['--version'], { encoding: 'utf8' }).trim() };
  try {
    log(`installing uv from PyPI into ${venv}`);
    mkdirSync(dirname(venv), { recursive: true });
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'ignore' });
    // The caller's environment, not the bench's clean one: it holds this machine's index settings.
    execFileSync(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--only-binary', ':all:', 'uv'], { stdio: 'ignore', timeout: 600_000 });
    return { uv, version: execFileSync(uv, ['--version'], { encoding: 'utf8' }).trim() };
  } catch (error) {
    return { error: `uv could not be installed (${String(error.message).split('\n')[0]})` };
  }
}

export async function runAgainstUv({ closure, server, rounds, bin, realPip, env, scratch, log, uv }) {
  const python = join(dirname(realPip), 'python3');
  const index = ['-i', server.indexUrl];
  const suites = [];
  const variantsFor = {
    resolve: [
      uv.uv && { name: 'uv', file: uv.uv, args: (run) => ['pip', 'compile', '--quiet', '--only-binary', ':all:', '--python', python, ...index, '-o', join(run, 'out.txt'), join(run, 'requirements.in')] },
      { name: 'safe-pip', file: join(bin, 'safe-pip'), args: () => ['explain', 'install', ...index, closure.root] },
      { name: 'pip', file: realPip, args: (run) => ['install', '--quiet', '--dry-run', '--ignore-installed', '--report', join(run, 'report.json'), ...index, closure.root] },
    ],
    install: [
      uv.uv && { name: 'uv', file: uv.uv, args: (run) => ['pip', 'install', '--quiet', '--python', python, '--target', join(run, 'dest'), ...index, closure.root], dest: true },
      { name: 'safe-pip', file: join(bin, 'pip'), args: (run) => ['install', '--target', join(run, 'dest'), ...index, closure.root], dest: true },
      { name: 'pip', file: realPip, args: (run) => ['install', '--target', join(run, 'dest'), ...index, closure.root], dest: true },
    ],
  };
  for (const [kind, variants] of Object.entries(variantsFor)) {
    const active = variants.filter(Boolean);
    const problems = [];
    const runOnce = async (v) => {
      const run = mkdtempSync(join(scratch, 'uv-run-'));
      writeFileSync(join(run, 'requirements.in'), `${closure.root}\n`);
      const cache = join(run, 'cache');
      const runEnv = { ...env, UV_CACHE_DIR: join(cache, 'uv'), UV_NO_CONFIG: '1', UV_PYTHON_DOWNLOADS: 'never', PIP_CACHE_DIR: join(cache, 'pip'), SAFE_PIP_CACHE_DIR: join(cache, 'safe-pip'), XDG_CACHE_HOME: cache };
      try {
        const ms = await timeCommand(v.file, v.args(run), { env: runEnv, cwd: run });
        if (v.dest) {
          const found = readdirSync(join(run, 'dest')).filter((n) => n.endsWith('.dist-info')).length;
          if (found !== closure.size) problems.push(`${v.name}: expected ${closure.size} .dist-info directories, found ${found}`);
        }
        return ms;
      } finally {
        removeDir(run);
      }
    };
    log(`${kind}-${closure.size} vs uv: ${rounds} rounds`);
    const samples = await interleave(active.map((v) => ({ name: v.name, run: () => runOnce(v) })), rounds, { onRound: (r) => log(`  round ${r}/${rounds}`) });
    const figures = Object.fromEntries(active.map((v) => [v.name, summarize(samples[v.name])]));
    const sp = figures['safe-pip'].medianMs;
    suites.push({
      name: `uv-${kind}-${closure.size}-${server.mode}`,
      kind: `uv-${kind}`,
      size: closure.size,
      index: server.mode,
      rounds,
      uv: uv.version ?? null,
      uvMissing: uv.error ?? null,
      variants: figures,
      safePipOverUv: figures.uv ? round(sp / figures.uv.medianMs, 2) : null,
      safePipOverPip: round(sp / figures.pip.medianMs, 2),
      problems,
    });
  }
  return suites;
}
