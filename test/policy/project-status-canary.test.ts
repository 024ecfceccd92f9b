// PEP 792 end to end (issue 14 §3): an index marks a project quarantined in its JSON project page
// (api-version 1.4) but still serves the file (a stale mirror). Plain pip installs it (pip reads no
// project status); through safe-pip the install is refused with the index's reason and nothing is
// written. An archived project installs with one warning line.
// Needs IndexClient.projectFiles() to pass the page's `projectStatus` on (docs/beyond-pip.md, wiring).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { buildWheel } from '../helpers/wheel-builder.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { REAL_PIP, SAFE_PIP } from './vector-world.js';

let server: IndexServer;
beforeAll(async () => {
  const held = await buildWheel({ name: 'held', version: '1.0' });
  const old = await buildWheel({ name: 'old', version: '1.0' });
  server = await startIndexServer({ projects: { held: [held], old: [old] }, format: 'json' });
  const page = (name: string, file: typeof held, status: Record<string, string>): string =>
    JSON.stringify({ meta: { 'api-version': '1.4' }, name, 'project-status': status, files: [{ filename: file.filename, url: file.filename, hashes: { sha256: file.sha256 } }] });
  const type = 'application/vnd.pypi.simple.v1+json';
  server.fault(/^\/simple\/held\/$/, { body: page('held', held, { status: 'quarantined', reason: 'credential stealer found in 1.0' }), contentType: type });
  server.fault(/^\/simple\/old\/$/, { body: page('old', old, { status: 'archived' }), contentType: type });
});
afterAll(async () => {
  await server?.close();
});

const env = { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP };

describe('a quarantined project that an index still serves', () => {
  it('plain pip installs it', async () => {
    const dest = makeTempDir('dest-plain-');
    const result = await runPlainPip(['install', '--target', dest, '-i', server.indexUrl(), 'held']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toContain('held');
  });
  it('safe-pip refuses it with the reason, even when allowed to build', async () => {
    const dest = makeTempDir('dest-safe-');
    const result = await runCommand(SAFE_PIP, ['pip', 'install', '--target', dest, '-i', server.indexUrl(), 'held'], { env: { ...env, SAFE_PIP_ALLOW_BUILD: 'held' } });
    expect(result.exitCode, result.stderr).toBe(42);
    expect(result.stderr).toContain('held 1.0: the index marks held as quarantined (PEP 792: considered unsafe for use, e.g. malware): credential stealer found in 1.0');
    expect(readdirSync(dest)).toEqual([]);
  });
  it('an archived project installs, with one warning line', async () => {
    const dest = makeTempDir('dest-safe-');
    const result = await runCommand(SAFE_PIP, ['pip', 'install', '--target', dest, '-i', server.indexUrl(), 'old'], { env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('safe-pip: old 1.0: the index marks the project as archived (no further updates expected)\n');
    expect(readdirSync(dest)).toContain('old');
  });
});
