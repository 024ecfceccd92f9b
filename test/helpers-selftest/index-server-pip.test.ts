// The loopback index, checked by the real pip: what pip picks from it is the proof that pages,
// hashes, yanked files, Requires-Python and PEP 658 metadata are served the way pip reads them.
// Every candidate is a wheel, so none of these pip runs executes package code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDistribution } from '../helpers/archives.js';
import { startIndexServer, type IndexServer, type ServedFile } from '../helpers/index-server.js';
import { runPlainPip } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';

interface Report {
  install: { metadata: { name: string; version: string; requires_dist?: string[] }; download_info: { url: string }; requested_extras?: string[] }[];
}

let wheels: Record<string, BuiltDistribution>;
let projects: Record<string, ServedFile[]>;

beforeAll(async () => {
  const w = async (name: string, version: string, extra: object = {}): Promise<BuiltDistribution> => buildWheel({ name, version, ...extra });
  wheels = {
    app: await w('app', '1.0', {
      requiresDist: ['lib>=1', 'opt; extra == "fancy"', 'never; python_version < "3"', 'winonly; sys_platform == "win32"'],
    }),
    lib1: await w('lib', '1.0'),
    lib15: await w('lib', '1.5'),
    lib2: await w('lib', '2.0'),
    opt: await w('opt', '1.0'),
    pinned: await w('pinned', '1.0'),
  };
  projects = {
    app: [{ ...wheels.app!, coreMetadata: true }],
    lib: [wheels.lib1!, { ...wheels.lib15!, requiresPython: '<3' }, { ...wheels.lib2!, yanked: 'bad release' }],
    opt: [{ ...wheels.opt!, coreMetadata: { attribute: 'both' } }],
    pinned: [{ ...wheels.pinned!, yanked: true }],
  };
});

async function dryRun(server: IndexServer, python: string, args: string[]): Promise<{ report: Report; stderr: string }> {
  const result = await runPlainPip(
    ['install', '--dry-run', '--ignore-installed', '--quiet', '--report', '-', '-i', server.indexUrl(), ...args],
    { python },
  );
  expect(result.exitCode, result.stderr).toBe(0);
  return { report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

const chosen = (report: Report): string[] => report.install.map((i) => `${i.metadata.name}==${i.metadata.version}`).sort();

describe.each([
  ['html', 'python3'],
  ['json', 'python3'],
  // pip 23.0.1 crashes on a JSON `dist-info-metadata` hash dict (TypeError: unhashable type:
  // 'dict' in Link.metadata_link), so it reads the HTML form here.
  ['html', '/usr/bin/python3'],
] as const)('pip on the %s index (%s)', (format, python) => {
  let server: IndexServer;
  beforeAll(async () => {
    server = await startIndexServer({ projects, format });
  });
  afterAll(async () => {
    await server.close();
  });

  it('resolves a wheel-only closure with extras and markers, skips yanked and Requires-Python-excluded files, takes a pinned yanked file, uses PEP 658 metadata', async () => {
    const { report, stderr } = await dryRun(server, python, ['app[fancy]', 'pinned==1.0']);
    expect(chosen(report)).toEqual(['app==1.0', 'lib==1.0', 'opt==1.0', 'pinned==1.0']);
    const byName = new Map(report.install.map((i) => [i.metadata.name, i]));
    expect(byName.get('app')?.requested_extras).toEqual(['fancy']);
    expect(byName.get('lib')?.download_info.url).toBe(server.fileUrl(wheels.lib1!.filename));
    expect(stderr).toContain("The candidate selected for download or install is a yanked version: 'pinned' candidate");

    const pages = server.requests.filter((r) => r.kind === 'page');
    const expectedType = format === 'html' ? 'text/html' : 'application/vnd.pypi.simple.v1+json';
    expect(new Set(pages.map((r) => r.contentType))).toEqual(new Set([expectedType]));
    expect(pages.map((r) => r.pathname).sort()).toEqual(['/simple/app/', '/simple/lib/', '/simple/opt/', '/simple/pinned/']);
    expect(pages.every((r) => r.headers.accept?.startsWith('application/vnd.pypi.simple.v1+json'))).toBe(true);

    // pip 23.2 reads data-core-metadata / core-metadata; 23.0 only the older dist-info-metadata name.
    const metadataFetched = server.requests.filter((r) => r.kind === 'metadata').map((r) => r.pathname).sort();
    if (python === 'python3') {
      expect(metadataFetched).toEqual([`/simple/app/${wheels.app!.filename}.metadata`, `/simple/opt/${wheels.opt!.filename}.metadata`]);
    } else {
      expect(metadataFetched).toEqual([`/simple/opt/${wheels.opt!.filename}.metadata`]);
    }
    expect(server.requestsTo(`/simple/lib/${wheels.lib2!.filename}`)).toEqual([]);
    expect(server.requestsTo(`/simple/lib/${wheels.lib15!.filename}`)).toEqual([]);
    server.clearRequests();
  });

  it('downloads the chosen wheel with --only-binary :all: --no-deps', async () => {
    const dest = makeTempDir();
    const result = await runPlainPip(
      ['download', '--only-binary', ':all:', '--no-deps', '-d', dest, '-i', server.indexUrl(), 'lib'],
      { python },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual([wheels.lib1!.filename]);
    expect(readFileSync(join(dest, wheels.lib1!.filename)).equals(wheels.lib1!.data)).toBe(true);
    server.clearRequests();
  });
});

describe('pip and bad hashes', () => {
  it('refuses a file whose hash fragment is wrong, accepts one without a hash', async () => {
    const w = await buildWheel({ name: 'hashy', version: '1.0' });
    const v = await buildWheel({ name: 'nohash', version: '1.0' });
    const server = await startIndexServer({ projects: { hashy: [{ ...w, hash: 'wrong' }], nohash: [{ ...v, hash: 'none' }] } });
    try {
      const dest = makeTempDir();
      const bad = await runPlainPip(['download', '--no-deps', '-d', dest, '-i', server.indexUrl(), 'hashy']);
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stderr).toContain('THESE PACKAGES DO NOT MATCH THE HASHES');
      const good = await runPlainPip(['download', '--no-deps', '-d', dest, '-i', server.indexUrl(), 'nohash']);
      expect(good.exitCode, good.stderr).toBe(0);
      expect(readdirSync(dest)).toEqual([v.filename]);
    } finally {
      await server.close();
    }
  });
});
