// 2–5. safe-pip against the real pip on a generated wheel-only closure served over loopback:
//   fetch     `safe-pip fetch ROOT` (cold and warm cache) vs `pip download --only-binary :all: ROOT`
//   download  `bin/pip download ROOT` (intercepted) vs plain `pip download ROOT`
//   install   `bin/pip install --target DIR ROOT` (intercepted) vs plain `pip install --target DIR ROOT`
// Every run gets a fresh destination and (except "warm") fresh caches: PIP_CACHE_DIR,
// SAFE_PIP_CACHE_DIR and XDG_CACHE_HOME all point into a new directory, so safe-pip also probes
// its interpreter again. safe-pip runs carry rss-preload.cjs (NODE_OPTIONS=--require) to report the
// Node process's own peak RSS. After each run (outside the timing) the destination is checked
// against the files both tools must pick, and the index's request counts for the run are kept.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, removeDir, round, summarize, timeCommand } from '../lib/measure.mjs';

export const TARGETS = {
  fetch: { maxRatio: 0.5, aimRatio: 0.25 },
  // Issue 12: at or under plain pip's time, at 10, 100 and 500 packages (issue 6 had allowed 1.1×).
  download: { maxRatio: 1.0 },
  install: { maxRatio: 1.0 },
  peakRssMb: 150,
};

const RSS_PRELOAD = fileURLToPath(new URL('../lib/rss-preload.cjs', import.meta.url));

function peakRssMb(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const kbs = text.split('\n').filter(Boolean).map((line) => Number(line.split(' ')[1]));
  return kbs.length === 0 ? null : round(Math.max(...kbs) / 1024, 1);
}

function checkDestination(kind, dest, closure) {
  const names = readdirSync(dest);
  if (kind === 'install') {
    const distInfos = names.filter((n) => n.endsWith('.dist-info'));
    if (distInfos.length !== closure.size) return `expected ${closure.size} .dist-info directories in the target, found ${distInfos.length}`;
    return null;
  }
  const got = new Set(names);
  const missing = [...closure.expectedFiles].filter((f) => !got.has(f));
  const extra = names.filter((f) => !closure.expectedFiles.has(f));
  if (missing.length === 0 && extra.length === 0) return null;
  return `destination differs from pip's picks: missing ${missing.slice(0, 3).join(', ') || 'none'}${missing.length > 3 ? ` (+${missing.length - 3})` : ''}; unexpected ${extra.slice(0, 3).join(', ') || 'none'}`;
}

/**
 * @param {{ kind: 'fetch'|'download'|'install', closure: object, server: object, rounds: number,
 *   warmUp: boolean, bin: string, realPip: string, env: Record<string,string>, scratch: string, log: (m: string) => void }} o
 */
export async function runAgainstPip(o) {
  const { kind, closure, server, bin, realPip, env, scratch } = o;
  const index = ['-i', server.indexUrl];
  // One requirement (a generated closure's root) or several (a real set, real-sets.mjs).
  const roots = [closure.root].flat();
  const warmCache = join(scratch, `warm-cache-${kind}-${closure.size}-${server.mode}`);
  const commands = {
    fetch: [
      { name: 'pip', file: realPip, args: (d) => ['download', '--only-binary', ':all:', '-d', d, ...index, ...roots], safePip: false },
      { name: 'safe-pip cold', file: join(bin, 'safe-pip'), args: (d) => ['fetch', '-d', d, ...index, ...roots], safePip: true },
      { name: 'safe-pip warm', file: join(bin, 'safe-pip'), args: (d) => ['fetch', '-d', d, ...index, ...roots], safePip: true, cache: warmCache },
    ],
    download: [
      { name: 'pip', file: realPip, args: (d) => ['download', '-d', d, ...index, ...roots], safePip: false },
      { name: 'bin/pip', file: join(bin, 'pip'), args: (d) => ['download', '-d', d, ...index, ...roots], safePip: true },
    ],
    install: [
      { name: 'pip', file: realPip, args: (d) => ['install', '--target', d, ...index, ...roots], safePip: false },
      { name: 'bin/pip', file: join(bin, 'pip'), args: (d) => ['install', '--target', d, ...index, ...roots], safePip: true },
    ],
  }[kind];

  const requests = {};
  const peakRss = {};
  const problems = [];
  const runOnce = async (command) => {
    const runDir = mkdtempSync(join(scratch, 'run-'));
    const dest = join(runDir, 'dest');
    const cache = command.cache ?? join(runDir, 'cache');
    mkdirSync(cache, { recursive: true });
    const rssFile = join(runDir, 'rss.txt');
    const runEnv = { ...env, PIP_CACHE_DIR: join(cache, 'pip'), SAFE_PIP_CACHE_DIR: join(cache, 'safe-pip'), XDG_CACHE_HOME: cache };
    if (command.safePip) Object.assign(runEnv, { NODE_OPTIONS: `--require=${JSON.stringify(RSS_PRELOAD)}`, SAFE_PIP_BENCH_RSS_FILE: rssFile });
    server.takeCounts();
    try {
      const ms = await timeCommand(command.file, command.args(dest), { env: runEnv, cwd: runDir });
      const counts = server.takeCounts();
      const problem = checkDestination(kind, dest, closure);
      if (problem !== null) problems.push(`${command.name}: ${problem}`);
      requests[command.name] = counts;
      if (command.safePip) {
        const mb = peakRssMb(rssFile);
        if (mb !== null) peakRss[command.name] = Math.max(peakRss[command.name] ?? 0, mb);
      }
      return ms;
    } finally {
      removeDir(runDir);
    }
  };

  if (commands.some((c) => c.cache === warmCache)) {
    mkdirSync(warmCache, { recursive: true });
    await runOnce({ ...commands.find((c) => c.cache === warmCache), name: 'warm-up' });
  }
  if (o.warmUp) for (const command of commands) await runOnce({ ...command, name: `warm-up ${command.name}` });
  const samples = await interleave(
    commands.map((c) => ({ name: c.name, run: () => runOnce(c) })),
    o.rounds,
    { onRound: (r) => o.log(`  round ${r}/${o.rounds}`) },
  );
  removeDir(warmCache);
  for (const key of Object.keys(requests)) if (key.startsWith('warm-up')) delete requests[key];

  const variants = {};
  for (const command of commands) {
    const summary = summarize(samples[command.name]);
    variants[command.name] = {
      ...summary,
      msPerPackage: round(summary.medianMs / closure.size, 2),
      peakRssMb: peakRss[command.name] ?? null,
      requests: requests[command.name] ?? null,
    };
  }
  const pipMedian = variants.pip.medianMs;
  const ratios = {};
  for (const command of commands) if (command.name !== 'pip') ratios[command.name] = round(variants[command.name].medianMs / pipMedian, 3);
  const target = TARGETS[kind];
  const checked = kind === 'fetch' ? ['safe-pip cold'] : ['bin/pip'];
  return {
    name: `${kind}-${closure.size}-${server.mode}`,
    kind,
    size: closure.size,
    index: server.mode,
    rounds: o.rounds,
    wheelsOnIndex: closure.wheelCount,
    variants,
    ratios,
    target: { ...target, met: checked.every((n) => ratios[n] <= target.maxRatio), aimMet: target.aimRatio === undefined ? null : checked.every((n) => ratios[n] <= target.aimRatio) },
    problems,
  };
}
