// The checks beyond builds, on a plan: findings gathered from a loopback index and the offline data
// (src/cli/intercept/beyond-pip-checks.ts), folded into the plan (src/policy/beyond-pip.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexClient } from '../../src/io/index-client.js';
import { updateAdvisories } from '../../src/io/advisories.js';
import { beyondPipChecks } from '../../src/cli/intercept/beyond-pip-checks.js';
import { beyondPipJson, withBeyondPipFindings } from '../../src/policy/beyond-pip.js';
import type { Plan, PlannedPackage } from '../../src/policy/plan.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { malRecord, writeOsvZip } from '../helpers/osv-zip.js';

let server: IndexServer;
let client: IndexClient;
const dists: Record<string, BuiltDistribution> = {};
beforeAll(async () => {
  dists.evil = await buildWheel({ name: 'evil', version: '1.0', files: { 'evil/__init__.py': '', 'evil.pth': 'import os; os.system("id")\n' } });
  dists.tiny = await buildWheel({ name: 'tiny', version: '1.0' });
  dists.bad = await buildWheel({ name: 'bad', version: '2.0' });
  server = await startIndexServer({ projects: { evil: [dists.evil], tiny: [dists.tiny], bad: [dists.bad] } });
  client = new IndexClient({ indexUrls: [server.indexUrl()], findLinks: [], pipVersion: [23, 2], cacheDir: null, transport: {} });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

function pkg(name: string, dist: BuiltDistribution, requiredBy = ['<user>']): PlannedPackage {
  return { name, version: dist.filename.split('-')[1]!, filename: dist.filename, url: server.fileUrl(dist.filename), hashes: { sha256: dist.sha256 }, isWheel: true, requiredBy, dependencies: [], kind: 'wheel', via: 'pip' };
}

function plan(command: Plan['command'], packages: PlannedPackage[]): Plan {
  return {
    command,
    steps: ['pip'],
    refused: false,
    refusals: [],
    targets: packages.filter((p) => p.requiredBy.includes('<user>')).map((p) => ({ requirement: p.name, kind: 'named', origin: 'command line', action: 'pip', reason: 'resolved to wheels only', project: p.name })),
    packages,
    fetches: [],
    copies: [],
    builds: [],
    preparations: [],
    pipRequirements: { kind: 'as-given' },
    notes: [],
  };
}

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, ...extra });

describe('start-up code', () => {
  it('install: a wheel with a .pth import line is refused; the whole plan stops', async () => {
    const before = plan('install', [pkg('evil', dists.evil!), pkg('tiny', dists.tiny!)]);
    const findings = await beyondPipChecks({ plan: before, reader: client, env: env(), cacheDir: null });
    expect(findings.startupCode).toHaveLength(1);
    const after = withBeyondPipFindings(before, findings);
    expect(after.refused).toBe(true);
    expect(after.steps).toEqual([]);
    expect(after.packages.map((p) => [p.name, p.via])).toEqual([['evil', 'refuse'], ['tiny', 'pip']]);
    expect(after.targets.map((t) => t.action)).toEqual(['refuse', 'refuse']);
    expect(after.refusals[0]!.why).toContain('evil.pth line 1: "import os; os.system(\\"id\\")"');
    expect(before.refused).toBe(false);
    expect(beyondPipJson(findings).startupCode).toEqual([
      { name: 'evil', version: '1.0', filename: dists.evil!.filename, findings: [expect.objectContaining({ file: 'evil.pth', line: 1, reason: 'pth-import-line' })] },
    ]);
  });
  it('install: allowed with SAFE_PIP_ALLOW_STARTUP_CODE, nothing refused', async () => {
    const findings = await beyondPipChecks({ plan: plan('install', [pkg('evil', dists.evil!)]), reader: client, env: env({ SAFE_PIP_ALLOW_STARTUP_CODE: 'Evil' }), cacheDir: null });
    expect(findings.startupCode).toEqual([]);
  });
  it('download: not inspected (nothing is installed, and the read would cost a request per wheel)', async () => {
    const reader = { openFile: () => Promise.reject(new Error('download must not open wheels for inspection')), projectFiles: client.projectFiles.bind(client) };
    const findings = await beyondPipChecks({ plan: plan('download', [pkg('evil', dists.evil!)]), reader, env: env(), cacheDir: null });
    expect(findings.startupCode).toEqual([]);
    expect(findings.notes).toEqual([]);
  });
  it('install: a wheel that cannot be read is refused, not passed as clean', async () => {
    const broken = { ...pkg('tiny', dists.tiny!), url: `${server.url}/simple/tiny/missing-1.0-py3-none-any.whl`, filename: 'missing-1.0-py3-none-any.whl' };
    const findings = await beyondPipChecks({ plan: plan('install', [broken]), reader: client, env: env(), cacheDir: null });
    expect(findings.startupCode[0]!.why).toMatch(/could not be inspected/);
  });
});

describe('malware and project status', () => {
  it('a known malicious release (by version or by file sha256) is refused even when allowed to build and to run start-up code', async () => {
    const cache = makeTempDir('cache-');
    await updateAdvisories(cache, { kind: 'file', path: await writeOsvZip([malRecord('MAL-2099-7', 'bad', { versions: ['2.0'] }), malRecord('MAL-2099-8', 'other', { versions: ['9'], files: [{ filename: 'x.whl', sha256: dists.tiny!.sha256 }] })]) });
    const findings = await beyondPipChecks({ plan: plan('install', [pkg('bad', dists.bad!), pkg('tiny', dists.tiny!, ['app==1.0'])]), reader: client, env: env({ SAFE_PIP_ALLOW_BUILD: 'bad', SAFE_PIP_ALLOW_STARTUP_CODE: 'bad tiny' }), cacheDir: cache });
    expect(findings.malware.map((r) => [r.project, r.requiredBy])).toEqual([['bad', 'your requirements'], ['tiny', 'app==1.0']]);
    expect(findings.malware[0]!.why).toContain('MAL-2099-7');
    expect(findings.malware[1]!.why).toContain(`sha256 ${dists.tiny!.sha256}`);
    expect(withBeyondPipFindings(plan('install', []), findings).refused).toBe(true);
  });
  it('quarantined: refused with the reason; archived: one note', async () => {
    const statuses: Record<string, { status: string; reason: string | null }> = { bad: { status: 'quarantined', reason: 'malware found' }, tiny: { status: 'archived', reason: null } };
    const findings = await beyondPipChecks({ plan: plan('install', [pkg('bad', dists.bad!), pkg('tiny', dists.tiny!)]), reader: client, env: env(), cacheDir: null, statusOf: async (name) => statuses[name] ?? null });
    expect(findings.quarantined).toEqual([expect.objectContaining({ project: 'bad', why: expect.stringContaining('quarantined (PEP 792: considered unsafe for use, e.g. malware): malware found') })]);
    expect(findings.notes).toContain('tiny 1.0: the index marks the project as archived (no further updates expected)');
  });
  it('by default the status comes from projectFiles(), once the reader provides it', async () => {
    const reader = {
      openFile: client.openFile.bind(client),
      projectFiles: async (name: string) => ({ ...(await client.projectFiles(name)), ...(name === 'bad' ? { projectStatus: { status: 'quarantined', reason: null } } : {}) }),
    };
    const findings = await beyondPipChecks({ plan: plan('download', [pkg('bad', dists.bad!), pkg('tiny', dists.tiny!)]), reader, env: env(), cacheDir: null });
    expect(findings.quarantined.map((r) => r.project)).toEqual(['bad']);
  });
});
