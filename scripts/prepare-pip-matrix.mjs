#!/usr/bin/env node
// One virtual environment per pip release, for the differential tests (test/helpers/pip-matrix.ts
// reads what this writes). Run by `npm test` (package.json "pretest"); safe to run any time.
//
// For each release of the matrix (MATRIX below, plus the newest 26.x release on PyPI):
//   1. its wheel is fetched once with the base interpreter's pip:
//        python3 -m pip download --no-deps --only-binary=:all: pip==X -d <tmp>
//      into ${SAFE_PIP_PIP_WHEELS:-$HOME/.cache/safe-pip-pip-wheels} (kept across clones);
//   2. `python3 -m venv --without-pip .cache/pip-matrix/venvs/X` makes a bare venv (no ensurepip,
//      no setuptools: the venv holds pip X and nothing else, whatever the Python version);
//   3. pip X installs itself from its own wheel, the way ensurepip does it:
//        venvs/X/bin/python <wheel>/pip install --isolated --no-index --no-deps <wheel>
//      A wheel install runs no package code; pip's own code runs, from the wheel being installed.
//   4. `venvs/X/bin/python -I -m pip --version` must say `pip X from <venv>/...`; a stamp file
//      then records what was verified, so later runs check a few file stats instead of starting
//      Python (the whole run takes about a tenth of a second when everything is in place).
//      A venv whose stamp no longer matches is verified again, and rebuilt if that fails.
//
// The newest 26.x is looked up with `pip index versions pip` (plain releases only: PyPI also
// lists post releases such as 26.0.1.post1, which repackage a release with a different vendored
// CA bundle; pre-releases are left out) at most once a day (once an hour after a failed lookup),
// remembered in .cache/pip-matrix/newest.json; offline, the last answer or the newest 26.x wheel
// already in the wheel folder stands in. SAFE_PIP_PIP_MATRIX_REFRESH=1 looks it up now.
//
// Every pip run is hermetic: PIP_* cleared, PIP_CONFIG_FILE=/dev/null (no config file at all:
// this machine's user and site config add extra indexes and a constraint file), PYTHONPATH and
// PYTHONHOME cleared. Certificates: PIP_CERT is kept when it names a file, else the system bundle
// (/etc/ssl/certs/ca-certificates.crt) when present, else pip's own; proxies pass through.
// SAFE_PIP_PIP_MATRIX_PYTHON picks the base interpreter (default `python3` on PATH). A venv is
// rebuilt when its interpreter disappears, not when python3 on PATH changes: delete
// .cache/pip-matrix/venvs to move the matrix to another Python.
//
// A release that cannot be had is recorded as `{version, status: "missing", reason}` and the run
// goes on; the script always exits 0 and prints one line per release to stderr.
// Output: .cache/pip-matrix/manifest.json, a list of
//   {version, python, pip, status: "ready" | "missing", reason?, newestOf?: "26"}
// with absolute paths to the venv's bin/python and bin/pip.
import { spawn } from 'node:child_process';
import {
  closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync,
  renameSync, rmSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MATRIX = ['23.2.1', '24.0', '24.3.1', '25.0.1', '25.1.1', '25.2', '25.3', '26.0.1'];
const NEWEST_OF = '26';
/** Stands in for the newest 26.x in the manifest when it could not be found. */
const NEWEST_UNKNOWN = `${NEWEST_OF}.x`;
const NEWEST_TTL_MS = 24 * 60 * 60 * 1000;
/** After a failed lookup, the last answer stands this long before the next try. */
const NEWEST_RETRY_MS = 60 * 60 * 1000;
const BUILD_CONCURRENCY = 2;
const STAMP = '.pip-matrix-stamp.json';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(repo, '.cache', 'pip-matrix');
const venvsDir = join(root, 'venvs');
const manifestPath = join(root, 'manifest.json');
const newestPath = join(root, 'newest.json');
const lockPath = join(root, 'lock');
const wheelsDir = process.env.SAFE_PIP_PIP_WHEELS || join(homedir(), '.cache', 'safe-pip-pip-wheels');
const basePython = process.env.SAFE_PIP_PIP_MATRIX_PYTHON || 'python3';

function say(line) {
  process.stderr.write(`pip-matrix: ${line}\n`);
}

/** The environment of every Python/pip child: see the header. */
function hermeticEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('PIP_') || key.startsWith('_PIP_')) continue;
    if (key === 'PYTHONPATH' || key === 'PYTHONHOME' || key === 'VIRTUAL_ENV' || key === 'PYTHONUSERBASE') continue;
    env[key] = value;
  }
  env.PIP_CONFIG_FILE = '/dev/null';
  env.PIP_DISABLE_PIP_VERSION_CHECK = '1';
  env.PIP_NO_INPUT = '1';
  const cert = [process.env.PIP_CERT, '/etc/ssl/certs/ca-certificates.crt'].find((file) => file && isFile(file));
  if (cert) env.PIP_CERT = cert;
  return env;
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Runs a command; resolves `{code, stdout, stderr}` (code -1 when it could not start or timed out). */
function run(file, args, timeoutMs = 300_000) {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    let finished = false;
    const finish = (result) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done(result);
    };
    // Not spawn's own `timeout`: its timer outlives a child that failed to start (ENOENT), and
    // would hold the script for the whole timeout.
    const child = spawn(file, args, { env: hermeticEnv(), cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => finish({ code: -1, stdout, stderr: `${stderr}cannot run ${file}: ${error.code ?? error.message}` }));
    child.on('close', (code, signal) => finish({ code: code ?? -1, stdout, stderr: signal ? `${stderr}killed by ${signal}` : stderr }));
  });
}

/** One line saying why a command failed: pip's ERROR line if it printed one, else its last line. */
function failureLine(what, result) {
  const lines = `${result.stderr}\n${result.stdout}`.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith('ERROR:')) ?? lines.at(-1) ?? `exit code ${result.code}`;
  const short = line.length > 240 ? `${line.slice(0, 237)}...` : line;
  return `${what} failed: ${short}`;
}

// ---- the lock: two `npm test` runs in one checkout must not build the same venv at once -----

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function acquireLock() {
  const deadline = Date.now() + 15 * 60 * 1000;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readText(lockPath) ?? '', 10);
    if (!Number.isInteger(holder) || !isAlive(holder) || Date.now() > deadline) {
      rmSync(lockPath, { force: true });
      continue;
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

function releaseLock() {
  if (readText(lockPath) === String(process.pid)) rmSync(lockPath, { force: true });
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function readJson(path) {
  const text = readText(path);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Writes through a temporary name, and only when the content changes (no needless mtimes). */
function writeJson(path, value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (readText(path) === text) return;
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

// ---- versions ---------------------------------------------------------------------------------

const PLAIN_RELEASE = /^\d+(\.\d+)*$/;

function compareReleases(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function newestOf(versions) {
  const candidates = versions.filter((v) => PLAIN_RELEASE.test(v) && v.split('.')[0] === NEWEST_OF);
  return candidates.sort(compareReleases).at(-1) ?? null;
}

function cachedWheelVersions() {
  try {
    return readdirSync(wheelsDir)
      .map((name) => /^pip-([^-]+)-py3-none-any\.whl$/.exec(name)?.[1])
      .filter((v) => v !== undefined);
  } catch {
    return [];
  }
}

/** `{version, reason}`: the newest 26.x, or null and why not. */
async function findNewest() {
  const known = readJson(newestPath);
  const fresh = known && typeof known.version === 'string' && Date.now() < Date.parse(known.nextCheck);
  if (fresh && process.env.SAFE_PIP_PIP_MATRIX_REFRESH !== '1') return { version: known.version, reason: null };
  // No retries: offline, this should fail fast (the last answer or the cached wheels stand in).
  const result = await run(basePython, ['-I', '-m', 'pip', 'index', 'versions', 'pip', '--retries', '0', '--timeout', '20'], 120_000);
  const listed = /^Available versions: (.*)$/m.exec(result.stdout)?.[1]?.split(',').map((v) => v.trim());
  const found = result.code === 0 && listed ? newestOf(listed) : null;
  if (found) {
    const now = Date.now();
    writeJson(newestPath, {
      version: found,
      checkedAt: new Date(now).toISOString(),
      nextCheck: new Date(now + NEWEST_TTL_MS).toISOString(),
      source: `${basePython} -m pip index versions pip`,
    });
    return { version: found, reason: null };
  }
  const why = result.code === 0 ? `no ${NEWEST_OF}.x release in \`pip index versions pip\`` : failureLine('`pip index versions pip`', result);
  if (known && typeof known.version === 'string') {
    say(`newest ${NEWEST_OF}.x not rechecked (${why}); keeping ${known.version}`);
    writeJson(newestPath, { ...known, nextCheck: new Date(Date.now() + NEWEST_RETRY_MS).toISOString() });
    return { version: known.version, reason: null };
  }
  const cached = newestOf(cachedWheelVersions());
  if (cached) {
    say(`newest ${NEWEST_OF}.x not looked up (${why}); using the cached wheel of ${cached}`);
    return { version: cached, reason: null };
  }
  return { version: null, reason: `newest ${NEWEST_OF}.x unknown: ${why}` };
}

// ---- one release ------------------------------------------------------------------------------

function venvPaths(version) {
  const dir = join(venvsDir, version);
  return { dir, python: join(dir, 'bin', 'python'), pip: join(dir, 'bin', 'pip'), stamp: join(dir, STAMP) };
}

function sitePackages(dir) {
  const lib = join(dir, 'lib');
  const python = readdirSync(lib).find((name) => /^python\d+\.\d+$/.test(name));
  if (!python) throw new Error(`no ${lib}/pythonX.Y`);
  return join(lib, python, 'site-packages');
}

/** What the stamp records: enough to notice a changed interpreter or a replaced/removed pip. */
function fingerprint(version, paths) {
  const site = sitePackages(paths.dir);
  const distInfos = readdirSync(site).filter((name) => /^pip-.*\.(dist|egg)-info$/.test(name)).sort();
  const record = statSync(join(site, `pip-${version}.dist-info`, 'RECORD'));
  statSync(paths.pip);
  return {
    version,
    interpreter: realpathSync(paths.python),
    distInfos,
    record: { size: record.size, mtimeMs: record.mtimeMs },
  };
}

function stampStillHolds(version, paths) {
  const stamp = readJson(paths.stamp);
  if (!stamp) return false;
  try {
    return JSON.stringify(fingerprint(version, paths)) === JSON.stringify(stamp);
  } catch {
    return false;
  }
}

/** null when `pip --version` says `pip <version> from <venv>/...`, else why not. */
async function verify(version, paths) {
  const result = await run(paths.python, ['-I', '-m', 'pip', '--version'], 120_000);
  if (result.code !== 0) return failureLine('`pip --version`', result);
  const match = /^pip (\S+) from (.*) \(python [^)]*\)\s*$/m.exec(result.stdout);
  if (!match) return `\`pip --version\` printed ${JSON.stringify(result.stdout.trim().slice(0, 120))}`;
  if (match[1] !== version) return `\`pip --version\` says ${match[1]}, not ${version}`;
  if (!resolve(match[2]).startsWith(`${realpathSync(paths.dir)}/`) && !resolve(match[2]).startsWith(`${paths.dir}/`)) {
    return `pip is imported from ${match[2]}, outside the venv`;
  }
  return null;
}

/** The path of pip X's wheel in the wheel folder, downloading it when absent; throws a reason. */
async function ensureWheel(version, { fresh = false } = {}) {
  const wheel = join(wheelsDir, `pip-${version}-py3-none-any.whl`);
  if (fresh) rmSync(wheel, { force: true });
  if (isFile(wheel)) return wheel;
  mkdirSync(wheelsDir, { recursive: true });
  // Into a private folder first: a half-written wheel never appears under its final name.
  const temporary = mkdtempSync(join(wheelsDir, '.download-'));
  try {
    const result = await run(basePython, ['-I', '-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', `pip==${version}`, '-d', temporary]);
    if (result.code !== 0) throw new Error(failureLine(`\`pip download pip==${version}\``, result));
    const name = readdirSync(temporary).find((file) => file.endsWith('.whl'));
    if (!name) throw new Error(`\`pip download pip==${version}\` saved no wheel`);
    renameSync(join(temporary, name), join(wheelsDir, name));
    if (!isFile(wheel)) throw new Error(`\`pip download pip==${version}\` saved ${name}, not pip-${version}-py3-none-any.whl`);
    return wheel;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

async function build(version, paths, wheel) {
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(venvsDir, { recursive: true });
  const venv = await run(basePython, ['-I', '-m', 'venv', '--without-pip', paths.dir]);
  if (venv.code !== 0) throw new Error(failureLine(`\`${basePython} -m venv\``, venv));
  const install = await run(paths.python, [join(wheel, 'pip'), 'install', '--isolated', '--no-index', '--no-deps', '--no-cache-dir', wheel]);
  if (install.code !== 0) throw new Error(failureLine(`installing pip ${version} from its wheel`, install));
  const problem = await verify(version, paths);
  if (problem) throw new Error(problem);
}

/** `{status, reason?}` for one release, building or repairing its venv as needed. */
async function ensureRelease(version) {
  const paths = venvPaths(version);
  if (stampStillHolds(version, paths)) return { status: 'ready' };
  // Present but not (or no longer) stamped: verify it once before rebuilding it.
  if (existsSync(paths.python) && (await verify(version, paths)) === null) {
    try {
      writeJson(paths.stamp, fingerprint(version, paths));
      return { status: 'ready' };
    } catch {
      // an odd layout (no bin/pip, several dist-infos): rebuild below
    }
  }
  try {
    let wheel = await ensureWheel(version);
    try {
      await build(version, paths, wheel);
    } catch (error) {
      // A cached wheel might be damaged: fetch it again once.
      say(`${version}: first build failed (${error.message}); retrying with a fresh wheel`);
      wheel = await ensureWheel(version, { fresh: true });
      await build(version, paths, wheel);
    }
    writeJson(paths.stamp, fingerprint(version, paths));
    return { status: 'ready' };
  } catch (error) {
    rmSync(paths.dir, { recursive: true, force: true });
    return { status: 'missing', reason: error.message };
  }
}

// ---- main ---------------------------------------------------------------------------------------

/** Runs `task` over `items` at most `limit` at a time; one promise per item, in their order. */
function mapLimited(items, limit, task) {
  let active = 0;
  const queue = [];
  const next = () => {
    if (active >= limit || queue.length === 0) return;
    active += 1;
    const { item, done } = queue.shift();
    task(item)
      .catch((error) => ({ status: 'missing', reason: error instanceof Error ? error.message : String(error) }))
      .then(done)
      .finally(() => {
        active -= 1;
        next();
      });
  };
  return items.map((item) => new Promise((done) => {
    queue.push({ item, done });
    next();
  }));
}

async function main() {
  mkdirSync(root, { recursive: true });
  await acquireLock();
  try {
    const newest = await findNewest();
    const versions = [...MATRIX];
    if (newest.version && !versions.includes(newest.version)) versions.push(newest.version);
    const outcomes = mapLimited(versions, BUILD_CONCURRENCY, ensureRelease);
    const manifest = [];
    for (const [index, version] of versions.entries()) {
      const outcome = await outcomes[index];
      const paths = venvPaths(version);
      const entry = { version, python: paths.python, pip: paths.pip, status: outcome.status };
      if (outcome.reason) entry.reason = outcome.reason;
      if (version === newest.version) entry.newestOf = NEWEST_OF;
      manifest.push(entry);
      say(outcome.status === 'ready' ? `${version} ready` : `${version} unavailable: ${outcome.reason}`);
    }
    if (!newest.version) {
      const paths = venvPaths(NEWEST_UNKNOWN);
      manifest.push({ version: NEWEST_UNKNOWN, python: paths.python, pip: paths.pip, status: 'missing', reason: newest.reason, newestOf: NEWEST_OF });
      say(`${NEWEST_UNKNOWN} unavailable: ${newest.reason}`);
    }
    writeJson(manifestPath, manifest);
  } finally {
    releaseLock();
  }
}

try {
  await main();
} catch (error) {
  // Never fail `npm test` here: without a manifest the matrix tests are skipped with a reason.
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
}
process.exitCode = 0;
