// install's fast hand-off (src/cli/intercept/install-staging.ts): when the closure is all index
// wheels, safe-pip fetches each wheel once, whole (the start-up code inspection reads it), and
// pip installs from those local files with --no-index --find-links (or, for a pip that scans a
// find-links directory once per project, a private per-project index): pip makes no request, the
// same distributions are installed as by plain pip, none is recorded as a direct URL, and pip's
// output names no temporary path and says where it looks as plain pip does. A closure pip must
// build from elsewhere keeps the ordinary hand-off. Compared with plain pip on a loopback index,
// for every pip release of the matrix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { buildSdist } from '../../helpers/sdist-builder.js';
import { REAL_PIP, SAFE_PIP } from '../../policy/vector-world.js';
import { describeEachPip, type PipRelease } from '../../helpers/pip-matrix.js';
import type { BuiltDistribution } from '../../helpers/archives.js';

let server: IndexServer;
let app: BuiltDistribution;
let dep: BuiltDistribution;
let leaf: BuiltDistribution;

beforeAll(async () => {
  app = await buildWheel({ name: 'app', version: '1.0', requiresDist: ['dep>=2', 'leaf; python_version < "3"'] });
  dep = await buildWheel({ name: 'dep', version: '2.1' });
  leaf = await buildWheel({ name: 'leaf', version: '1.0' });
  const old = await buildWheel({ name: 'dep', version: '1.0' });
  server = await startIndexServer({ format: 'json', projects: { app: [app], dep: [old, dep], leaf: [leaf] } });
});
afterAll(async () => {
  await server?.close();
});

async function install(pip: PipRelease, through: boolean, args: string[], prepare: (cwd: string) => void = () => {}, index: string[] = ['-i', server.indexUrl()]) {
  const cwd = makeTempDir('install-staging-');
  prepare(cwd);
  const env: Record<string, string> = { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.pip, SAFE_PIP_CACHE_DIR: join(cwd, 'cache') };
  server.clearRequests();
  const full = ['install', '--target', 'T', ...index, ...args];
  const result = through ? await runCommand(SAFE_PIP, ['pip', ...full], { env, cwd }) : await runPlainPip(full, { cwd, python: pip.python });
  const target = join(cwd, 'T');
  const installed = existsSync(target) ? readdirSync(target).filter((f) => f.endsWith('.dist-info')).sort() : [];
  const directUrls = installed.filter((d) => existsSync(join(target, d, 'direct_url.json')));
  return { ...result, installed, directUrls, requests: [...server.requests] };
}

/** pip's lines on where it looks (stdout). */
const lookingIn = (out: string): string[] => out.split('\n').filter((line) => line.startsWith('Looking in '));

describe('install of an all-wheel closure: pip installs the wheels safe-pip fetched', () => {
  describeEachPip('all', (pip) => {
    it('the same distributions as plain pip, each file fetched once, by safe-pip only, no direct URL recorded', async () => {
      const plain = await install(pip, false, ['app']);
      const safe = await install(pip, true, ['app']);
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(safe.exitCode, safe.stderr).toBe(0);
      expect(safe.installed).toEqual(plain.installed);
      expect(safe.installed).toEqual(['app-1.0.dist-info', 'dep-2.1.dist-info']);
      expect(safe.directUrls).toEqual([]);
      const files = (r: { requests: { kind: string; pathname: string }[] }) => r.requests.filter((q) => q.kind === 'file').map((q) => q.pathname.split('/').pop()).sort();
      // Plain pip fetched both wheels; through safe-pip each was fetched exactly once (these small
      // wheels fit in the one tail range the resolution reads), and pip itself asked for nothing:
      // no page was read twice.
      expect(files(plain)).toEqual([app.filename, dep.filename].sort());
      expect(files(safe)).toEqual([app.filename, dep.filename].sort());
      const pages = safe.requests.filter((q) => q.kind === 'page').map((q) => q.pathname);
      expect(pages.length).toBe(new Set(pages).size);
      expect(safe.stdout).not.toMatch(/safe-pip-run-|Processing |Looking in links/);
      expect(safe.stdout).toContain(`Collecting app==1.0\n  Fetched by safe-pip from ${server.fileUrl(app.filename)}\n`);
      expect(safe.stdout).toMatch(/^Collecting dep==2\.1 \(from app(==1\.0)?\)$/m);
      const successful = (out: string) => out.split('\n').find((line) => line.startsWith('Successfully installed'));
      expect(successful(safe.stdout)).toBe(successful(plain.stdout));
      expect(lookingIn(safe.stdout)).toEqual(lookingIn(plain.stdout));
      expect(lookingIn(safe.stdout)).toEqual([`Looking in indexes: ${server.indexUrl()}`]);
    });

    it('with find-links and an index of the user\'s own, or an index named in a requirements file: pip says where it looks as plain pip does', async () => {
      const ownLinks = (cwd: string) => {
        mkdirSync(join(cwd, 'wheels'));
        writeFileSync(join(cwd, 'wheels', leaf.filename), leaf.data);
      };
      const plain = await install(pip, false, ['-f', 'wheels', 'app'], ownLinks);
      const safe = await install(pip, true, ['-f', 'wheels', 'app'], ownLinks);
      expect([safe.exitCode, plain.exitCode], safe.stderr).toEqual([0, 0]);
      expect(safe.installed).toEqual(plain.installed);
      expect(lookingIn(plain.stdout)).toEqual([`Looking in indexes: ${server.indexUrl()}`, 'Looking in links: wheels']);
      expect(lookingIn(safe.stdout)).toEqual(lookingIn(plain.stdout));
      expect(safe.requests.filter((q) => q.kind === 'file')).toHaveLength(2);

      // An --index-url line in a requirements file replaces the command line's index (here PyPI's).
      const fileIndex = (cwd: string) => writeFileSync(join(cwd, 'reqs.txt'), `--index-url ${server.indexUrl()}\napp\n`);
      const plainFile = await install(pip, false, ['-r', 'reqs.txt'], fileIndex, []);
      const safeFile = await install(pip, true, ['-r', 'reqs.txt'], fileIndex, []);
      expect([safeFile.exitCode, plainFile.exitCode], safeFile.stderr).toEqual([0, 0]);
      expect(safeFile.installed).toEqual(plainFile.installed);
      expect(lookingIn(safeFile.stdout)).toEqual(lookingIn(plainFile.stdout));
      expect(safeFile.stdout).not.toMatch(/safe-pip-run-|Processing /);
      expect(safeFile.requests.filter((q) => q.kind === 'file')).toHaveLength(2);
    });

    it('a pip that scans a find-links directory once per project (before 24.0) reads the staged wheels as a per-project index, others as a directory', async () => {
      // pip's own source says which: 24.0 added the cache of a find-links directory's listing.
      const sources = readFileSync(join(pip.python, '..', '..', 'lib', readdirSync(join(pip.python, '..', '..', 'lib'))[0]!, 'site-packages', 'pip', '_internal', 'index', 'sources.py'), 'utf8');
      const scansPerProject = !sources.includes('_FlatDirectoryToUrls');
      const explain = async (index: string[], prepare: (cwd: string) => void = () => {}): Promise<string[]> => {
        const cwd = makeTempDir('install-staging-');
        prepare(cwd);
        const result = await runCommand(SAFE_PIP, ['explain', '--json', 'install', '--target', 'T', ...index, 'app'], {
          env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.pip, SAFE_PIP_CACHE_DIR: join(cwd, 'cache') },
          cwd,
        });
        expect(result.exitCode, result.stderr).toBe(0);
        return (JSON.parse(result.stdout) as { pipArgs: string[] }).pipArgs.slice(-4);
      };
      const directory = ['--no-index', '--find-links', '<temp>/staged-wheels', '--only-binary=:all:'];
      const asIndex = ['app', '--index-url', 'file://<temp>/staged-index/', '--only-binary=:all:'];
      expect(await explain(['-i', server.indexUrl()])).toEqual(scansPerProject ? asIndex : directory);
      // Only where the private index would be the one place pip looks: another index of the
      // user's (here the same one again), or one a requirements file names, keeps the directory.
      expect(await explain(['-i', server.indexUrl(), '--extra-index-url', server.indexUrl()])).toEqual(directory);
      expect(await explain(['-r', 'reqs.txt'], (cwd) => writeFileSync(join(cwd, 'reqs.txt'), `-i ${server.indexUrl()}\n`))).toEqual(directory);
    });

    it('--report keeps the ordinary hand-off: the report names the index URLs, as plain pip\'s', async () => {
      const urls = (out: string) => (JSON.parse(out) as { install: { download_info: { url: string } }[] }).install.map((i) => i.download_info.url).sort();
      const plain = await install(pip, false, ['--dry-run', '--quiet', '--report', '-', 'app']);
      const safe = await install(pip, true, ['--dry-run', '--quiet', '--report', '-', 'app']);
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(urls(plain.stdout)).toEqual([server.fileUrl(app.filename), server.fileUrl(dep.filename)].sort());
      expect(safe.exitCode, safe.stderr).toBe(0);
      expect(urls(safe.stdout)).toEqual(urls(plain.stdout));
    });

    it('the user\'s --hash values are still checked, against the index URL, not the private copy', async () => {
      const wrong = '0'.repeat(64);
      const reqs = (cwd: string) => writeFileSync(join(cwd, 'reqs.txt'), `dep==2.1 --hash=sha256:${wrong}\n`);
      const plain = await install(pip, false, ['-r', 'reqs.txt'], reqs);
      const safe = await install(pip, true, ['-r', 'reqs.txt'], reqs);
      expect(plain.exitCode).toBe(1);
      expect(plain.stderr).toContain(`dep==2.1 from ${server.fileUrl(dep.filename)}`);
      expect({ exitCode: safe.exitCode, stderr: safe.stderr, installed: safe.installed }).toEqual({ exitCode: plain.exitCode, stderr: plain.stderr, installed: [] });
    });
  });

  it('explain shows the staging options; a closure with a local source archive keeps the ordinary hand-off', async () => {
    const sdist = await buildSdist({ name: 'mine', version: '0.1', requiresDist: ['dep>=2'] });
    const cwd = makeTempDir('install-staging-');
    writeFileSync(join(cwd, sdist.filename), sdist.data);
    const pipArgs = async (target: string): Promise<string[]> => {
      const explain = await runCommand(SAFE_PIP, ['explain', '--json', 'install', '--target', 'T', '-i', server.indexUrl(), target], {
        env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP, SAFE_PIP_CACHE_DIR: join(cwd, 'cache') },
        cwd,
      });
      expect(explain.exitCode, explain.stderr).toBe(0);
      return (JSON.parse(explain.stdout) as { pipArgs: string[] }).pipArgs;
    };
    expect((await pipArgs('app')).some((a) => a.startsWith('<temp>/staged-wheels') || a.startsWith('file://<temp>/staged-index'))).toBe(true);
    expect((await pipArgs(`./${sdist.filename}`)).some((a) => a.includes('<temp>/staged-'))).toBe(false);
  });
});
