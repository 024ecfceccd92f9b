// The wheel start-up file reader (src/io/wheel-startup-files.ts): central directory and start-up
// members only, from a file, bytes or HTTP ranges on the loopback index.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBytes } from '../../src/resolve/random-access.js';
import { inspectWheelFile, inspectWheelStartupCode, readWheelStartupFiles } from '../../src/io/wheel-startup-files.js';
import { IndexClient } from '../../src/io/index-client.js';
import { linkFromUrl } from '../../src/standards/simple-api.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const EVIL_LINE = 'import os; open(os.environ["STARTUP_MARKER"], "w").close()';

let server: IndexServer | undefined;
afterAll(async () => {
  await server?.close();
});

describe('readWheelStartupFiles', () => {
  it('lists every member and reads only the start-up files that land in site-packages', async () => {
    const wheel = await buildWheel({ name: 'evil', version: '1.0', files: { 'evil/__init__.py': '', 'evil.pth': `${EVIL_LINE}\n`, 'evil/inner.pth': 'import os\n', 'evil-1.0.data/purelib/boot.start': 'evil:run\n' } });
    const files = await readWheelStartupFiles(fromBytes(wheel.data, wheel.filename));
    expect(files.names).toContain('evil/__init__.py');
    expect(files.names).toContain('evil-1.0.dist-info/RECORD');
    expect([...files.contents.keys()].sort()).toEqual(['evil-1.0.data/purelib/boot.start', 'evil.pth']);
  });
  it('a wheel of many members costs a few reads of its source, not one per member', async () => {
    const members = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`many/m${i}.py`, `x = ${i}\n`]));
    const wheel = await buildWheel({ name: 'many', version: '1.0', files: { ...members, 'many.pth': 'many\n' } });
    const bytes = fromBytes(wheel.data, wheel.filename);
    let reads = 0;
    const counted = { ...bytes, read: (start: number, end: number) => (reads++, bytes.read(start, end)) };
    const files = await readWheelStartupFiles(counted);
    expect(files.names).toHaveLength(200 + 4);
    expect([...files.contents.keys()]).toEqual(['many.pth']);
    expect(reads).toBeLessThanOrEqual(2);
  });
  it('a file that is not a zip is an ArchiveError naming it, never a clean result', async () => {
    await expect(readWheelStartupFiles(fromBytes(Buffer.from('not a zip at all'), 'bad-1.0-py3-none-any.whl'))).rejects.toThrow(/Cannot read "bad-1\.0-py3-none-any\.whl": not a readable zip/);
  });
  it('reads every copy of a duplicated member (zipfile extracts each)', async () => {
    const { default: yazl } = await import('yazl');
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('clean\n'), 'dup.pth');
    zip.addBuffer(Buffer.from('import os\n'), 'dup.pth');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
    const findings = await inspectWheelStartupCode(fromBytes(Buffer.concat(chunks), 'dup.whl'));
    expect(findings.map((f) => f.file)).toEqual(['dup.pth (a second copy in the zip)']);
  });
});

describe('inspectWheelStartupCode', () => {
  it('a wheel on disk: the .pth import line, quoted with its line', async () => {
    const wheel = await buildWheel({ name: 'evil', version: '1.0', files: { 'evil/__init__.py': '', 'evil.pth': `evil\n${EVIL_LINE}\n` } });
    const path = join(makeTempDir('wheel-'), wheel.filename);
    writeFileSync(path, wheel.data);
    expect(await inspectWheelFile(path)).toEqual([expect.objectContaining({ file: 'evil.pth', line: 2, text: EVIL_LINE })]);
  });
  it('a clean wheel has no findings', async () => {
    const wheel = await buildWheel({ name: 'tiny', version: '1.0' });
    expect(await inspectWheelStartupCode(fromBytes(wheel.data, wheel.filename))).toEqual([]);
  });
  it('over HTTP range requests through IndexClient.openFile, without fetching the whole wheel', async () => {
    const padding = randomBytes(512 * 1024); // incompressible: the wheel stays large
    const wheel = await buildWheel({ name: 'big', version: '1.0', files: { 'big/__init__.py': '', 'big/blob.bin': padding, 'big.pth': 'import big\n' } });
    server = await startIndexServer({ projects: { big: [wheel] } });
    const client = new IndexClient({ indexUrls: [server.indexUrl()], findLinks: [], noIndex: false, pipVersion: [23, 2], cwd: process.cwd(), cacheDir: null, warn: () => undefined, transport: {} });
    try {
      const url = server.fileUrl(wheel.filename);
      const source = await client.openFile({ file: linkFromUrl(url), origin: { kind: 'find-links-file', location: url, page: null } });
      const findings = await inspectWheelStartupCode(source);
      expect(findings).toEqual([expect.objectContaining({ file: 'big.pth', line: 1, text: 'import big' })]);
      expect(source.size).toBe(wheel.data.length);
      // Only ranges: far fewer bytes than the wheel, and never the whole file.
      const fetched = server.requestsTo(wheel.filename);
      expect(fetched.every((r) => r.status === 206 && r.headers.range !== undefined)).toBe(true);
      expect(fetched.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThan(wheel.data.length / 4);
    } finally {
      await client.close();
    }
  });
});
