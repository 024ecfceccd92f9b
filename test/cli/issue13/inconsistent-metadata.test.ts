// Issue 13 §6: an sdist whose PKG-INFO names another project is said so, in the user's terms. pip
// (after building it) warns "Discarding … has inconsistent name" and then fails with "Could not
// find a version"; safe-pip said only the latter ("(from versions: 1.0)"), which reads as
// nonsense. Now one `safe-pip: discarded …` line says which file and why, before pip's two error
// lines. Plain pip is not run: it would build the sdist to learn its name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../../helpers/index-server.js';
import { runCommand } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildSdist } from '../../helpers/sdist-builder.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
let server: IndexServer;

beforeAll(async () => {
  const sdist = await buildSdist({ name: 'baz', version: '1.0', metadataVersion: '2.2', pkgInfo: 'Metadata-Version: 2.2\nName: qux\nVersion: 1.0\n' });
  server = await startIndexServer({ projects: { baz: [sdist] } });
});
afterAll(() => server?.close());

describe('a file whose metadata names another project', () => {
  it('an sdist whose PKG-INFO names another project: said the same way', async () => {
    const safe = await runCommand(SAFE_PIP, ['explain', 'download', '--no-deps', '-d', makeTempDir('s-'), '-i', server.indexUrl(), 'baz']);
    expect(safe.exitCode).toBe(1);
    expect(safe.stderr).toMatch(/^safe-pip: discarded baz-1\.0\.tar\.gz: its static metadata \(PKG-INFO\) names the project "qux", not "baz"\.$/m);
    expect(safe.stderr.split('\n').slice(-3).join('\n')).toBe(
      'ERROR: Could not find a version that satisfies the requirement baz (from versions: 1.0)\nERROR: No matching distribution found for baz\n',
    );
  });
});
