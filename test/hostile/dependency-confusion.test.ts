// Dependency confusion (issue 11, beyond pip): a project found on both `--index-url` and an
// `--extra-index-url` with different files. pip merges them and silently takes the highest version
// from either; safe-pip saves the same file and says so in one warning line naming both indexes
// and their versions. The same files on both indexes (a mirror) say nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { REAL_PIP, SAFE_PIP } from './harness.js';

let server: IndexServer;
beforeAll(async () => {
  const internal = await buildWheel({ name: 'internal-tool', version: '1.0' });
  const hijack = await buildWheel({ name: 'internal-tool', version: '99.0' });
  const mirrored = await buildWheel({ name: 'mirrored', version: '2.0' });
  server = await startIndexServer({
    projects: { 'internal-tool': [internal], mirrored: [mirrored] },
    indexes: { public: { 'internal-tool': [hijack], mirrored: [mirrored] } },
  });
});
afterAll(() => server?.close());

const indexes = (): string[] => ['-i', server.indexUrl(), '--extra-index-url', server.indexUrl('public')];

describe('one project on two indexes', () => {
  it('different files: pip silently takes 99.0 from the extra index; safe-pip saves the same and warns once', async () => {
    const plainDest = makeTempDir('plain-');
    const plain = await runPlainPip(['download', '-d', plainDest, ...indexes(), 'internal-tool']);
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(readdirSync(plainDest)).toEqual(['internal_tool-99.0-py3-none-any.whl']);
    expect(`${plain.stdout}${plain.stderr}`).not.toMatch(/confusion/i);

    const dest = makeTempDir('safe-');
    const safe = await runCommand(SAFE_PIP, ['pip', 'download', '-d', dest, ...indexes(), 'internal-tool'], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP } });
    expect(safe.exitCode, safe.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual(readdirSync(plainDest));
    const warnings = safe.stderr.split('\n').filter((line) => line.includes('dependency confusion'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('safe-pip: warning: internal-tool is offered by 2 indexes with different files');
    expect(warnings[0]).toContain(`${server.indexUrl()}internal-tool/ (version 1.0)`);
    expect(warnings[0]).toContain(`${server.indexUrl('public')}internal-tool/ (version 99.0)`);
  });
  it('the same files on both (a mirror): no warning', async () => {
    const safe = await runCommand(SAFE_PIP, ['explain', 'download', '-d', makeTempDir('safe-'), ...indexes(), 'mirrored'], { env: { SAFE_PIP_REAL_PIP: REAL_PIP } });
    expect(safe.exitCode, safe.stderr).toBe(0);
    expect(safe.stderr).not.toContain('dependency confusion');
  });
});
