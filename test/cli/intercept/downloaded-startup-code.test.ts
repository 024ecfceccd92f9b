// download's report of start-up code (src/cli/intercept/downloaded-startup-code.ts): which wheels a
// run saved (what the plan says: pinned or staged wheels, wheels named by file or URL, raw fetches),
// and the lines for them, read from the destination with no network. The CLI behaviour is in
// test/policy/startup-code-canary.test.ts.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { downloadedStartupCode, wheelsSavedByDownload } from '../../../src/cli/intercept/downloaded-startup-code.js';
import type { PlannedPackage } from '../../../src/policy/plan.js';
import type { Target } from '../../../src/policy/targets.js';
import type { BuiltDistribution } from '../../helpers/archives.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

function pkg(name: string, filename: string, via: PlannedPackage['via'] = 'pip'): PlannedPackage {
  const isWheel = filename.endsWith('.whl');
  return { name, version: '1.0', filename, url: `https://index.invalid/files/${filename}`, hashes: {}, isWheel, requiredBy: ['<user>'], dependencies: [], kind: isWheel ? 'wheel' : 'sdist', via };
}

function wheelTarget(location: { url?: string; path?: string }, constraint = false): Target {
  return { requirement: location.url ?? location.path!, origin: 'command line', kind: 'wheel', name: null, url: location.url ?? null, path: location.path ?? null, localEditable: false, constraint } as Target;
}

describe('wheelsSavedByDownload', () => {
  it('pinned and staged wheels, wheels named by URL or path, raw-fetched wheels; each once, sdists left out', () => {
    const saved = wheelsSavedByDownload(
      {
        plan: { packages: [pkg('Evil_Pkg', 'evil_pkg-1.0-py3-none-any.whl'), pkg('tiny', 'tiny-1.0-py3-none-any.whl'), pkg('src', 'src-1.0.tar.gz', 'fetch')] },
        gathered: {
          targets: [
            wheelTarget({ url: 'https://files.invalid/a/byurl-2.0-py3-none-any.whl#sha256=00' }),
            wheelTarget({ path: '/somewhere/bypath-3.0-py3-none-any.whl' }),
            wheelTarget({ path: '/c/constrained-1.0-py3-none-any.whl' }, true),
          ],
        },
      },
      '/dest',
      new Map([['tiny', '/tmp/safe-pip-run-x/staged-wheels/1/tiny-1.0-py3-none-any.whl']]),
      ['/dest/src-1.0.tar.gz', '/dest/direct-1.0-py3-none-any.whl', '/dest/evil_pkg-1.0-py3-none-any.whl'],
    );
    expect(saved).toEqual([
      { name: 'evil-pkg', path: '/dest/evil_pkg-1.0-py3-none-any.whl' },
      { name: 'tiny', path: '/dest/tiny-1.0-py3-none-any.whl' },
      { name: 'byurl', path: '/dest/byurl-2.0-py3-none-any.whl' },
      { name: 'bypath', path: '/dest/bypath-3.0-py3-none-any.whl' },
      { name: 'direct', path: '/dest/direct-1.0-py3-none-any.whl' },
    ]);
  });
});

describe('downloadedStartupCode', () => {
  let evil: BuiltDistribution;
  let start: BuiltDistribution;
  let clean: BuiltDistribution;
  beforeAll(async () => {
    evil = await buildWheel({ name: 'evil', version: '1.0', files: { 'evil/__init__.py': '', 'evil.pth': '# a comment\nevil_dir\nimport os; os.system("id")\n' } });
    start = await buildWheel({ name: 'starter', version: '1.0', files: { 'starter/__init__.py': '', 'starter.start': 'starter.hook:run\nstarter.other:go\n' } });
    clean = await buildWheel({ name: 'clean', version: '1.0', files: { 'clean.pth': 'clean_dir\n' } });
  });

  function destWith(...dists: BuiltDistribution[]): string {
    const dest = makeTempDir('dest-');
    for (const dist of dists) writeFileSync(join(dest, dist.filename), dist.data);
    return dest;
  }

  it('one line per finding, in the order given; a clean wheel (a .pth with only a path line) says nothing', async () => {
    const dest = destWith(evil, start, clean);
    const lines = await downloadedStartupCode(
      [evil, clean, start].map((d) => ({ name: d.filename.split('-')[0]!, path: join(dest, d.filename) })),
      process.env,
    );
    expect(lines).toEqual([
      `warning: ${evil.filename} carries code that Python runs at every start-up once installed, with no import needed: evil.pth line 3: "import os; os.system(\\"id\\")" (a .pth line starting with "import" is executed by site.py every time Python starts); installing it through safe-pip is refused unless allowed (set SAFE_PIP_ALLOW_STARTUP_CODE=evil, or put allow-startup-code = ["evil"] in ~/.config/safe-pip/config.toml)`,
      ...['1: "starter.hook:run"', '2: "starter.other:go"'].map(
        (where) =>
          `warning: ${start.filename} carries code that Python runs at every start-up once installed, with no import needed: starter.start line ${where} (a PEP 829 .start entry point is called by site.py every time Python 3.15+ starts); installing it through safe-pip is refused unless allowed (set SAFE_PIP_ALLOW_STARTUP_CODE=starter, or put allow-startup-code = ["starter"] in ~/.config/safe-pip/config.toml)`,
      ),
    ]);
  });

  it('a project allowed with allow-startup-code is not read', async () => {
    const dest = destWith(evil);
    expect(await downloadedStartupCode([{ name: 'evil', path: join(dest, evil.filename) }], { ...process.env, SAFE_PIP_ALLOW_STARTUP_CODE: 'Evil' })).toEqual([]);
  });

  it('a file that is gone, or a destination that cannot be read, is skipped without a word', async () => {
    const dest = destWith(evil);
    const missing = await downloadedStartupCode([{ name: 'gone', path: join(dest, 'gone-1.0-py3-none-any.whl') }], process.env);
    expect(missing).toEqual([]);
    if (process.getuid?.() === 0) return; // root reads whatever the mode says
    const locked = join(makeTempDir('locked-'), 'dest');
    mkdirSync(locked);
    writeFileSync(join(locked, evil.filename), evil.data);
    chmodSync(locked, 0o000);
    try {
      expect(await downloadedStartupCode([{ name: 'evil', path: join(locked, evil.filename) }], process.env)).toEqual([]);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('a .whl that is no readable zip gets one line (install would refuse it)', async () => {
    const dest = makeTempDir('dest-');
    writeFileSync(join(dest, 'broken-1.0-py3-none-any.whl'), 'not a zip');
    const lines = await downloadedStartupCode([{ name: 'broken', path: join(dest, 'broken-1.0-py3-none-any.whl') }], process.env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: broken-1\.0-py3-none-any\.whl could not be inspected for code that runs at every Python start-up \(not a readable zip file \(.+\)\); installing it through safe-pip is refused$/);
  });
});
