// Issue 13 item 5a: in hash-checking mode a wheel that matches none of the user's --hash values is
// reported as plain pip reports it, naming the user's requirements file and line, not safe-pip's
// temporary pins file. safe-pip checks the wheels it staged itself before pip runs
// (src/cli/intercept/staged-hash-check.ts), prints pip's block on stderr and exits 1.
// Measured against the real pip on a loopback index; pip's progress lines on stdout ("Collecting",
// "Downloading") are not reproduced, since pip never runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { REAL_PIP, SAFE_PIP } from '../../policy/vector-world.js';
import type { BuiltDistribution } from '../../helpers/archives.js';

const WRONG = (digit: string, length = 64): string => digit.repeat(length);
let servers: Record<'html' | 'json', IndexServer>;
let tiny: BuiltDistribution;

beforeAll(async () => {
  tiny = await buildWheel({ name: 'tiny', version: '1.0' });
  servers = {
    html: await startIndexServer({ format: 'html', projects: { tiny: [tiny] } }),
    json: await startIndexServer({ format: 'json', projects: { tiny: [tiny] } }),
  };
});
afterAll(async () => {
  await servers?.html.close();
  await servers?.json.close();
});

/** `pip download -d D -i <index> -r hash.txt`, plain and through safe-pip, from twin directories. */
async function both(format: 'html' | 'json', fileText: string) {
  const run = async (through: boolean) => {
    const cwd = makeTempDir('hashes-');
    writeFileSync(join(cwd, 'hash.txt'), fileText);
    const args = ['download', '-d', 'D', '-i', servers[format].indexUrl(), '-r', 'hash.txt'];
    const result = through
      ? await runCommand(SAFE_PIP, ['pip', ...args], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP }, cwd })
      : await runPlainPip(args, { cwd });
    const dest = join(cwd, 'D');
    return { ...result, saved: existsSync(dest) ? readdirSync(dest).sort() : [] };
  };
  return { plain: await run(false), safe: await run(true) };
}

describe('a staged wheel that fails the user\'s --hash: pip\'s block, the user\'s file and line', () => {
  const cases: [string, () => string][] = [
    ['one wrong sha256', () => `tiny==1.0 --hash=sha256:${WRONG('0')}\n`],
    ['two wrong sha256 on a continued line, after a comment', () => `# pinned\n\ntiny==1.0 \\\n    --hash=sha256:${WRONG('2')} --hash=sha256:${WRONG('1')}\n`],
    ['a wrong sha256 and a wrong sha512', () => `tiny==1.0 --hash=sha512:${WRONG('5', 128)} --hash=sha256:${WRONG('3')}\n`],
    ['spaces in the requirement', () => `tiny == 1.0 --hash=sha256:${WRONG('4')}\n`],
  ];
  for (const format of ['html', 'json'] as const) {
    for (const [title, text] of cases) {
      it(`${format}: ${title}: stderr and exit code of plain pip, nothing saved`, async () => {
        const { plain, safe } = await both(format, text());
        expect(plain.exitCode).toBe(1);
        expect(plain.stderr).toContain('(from -r hash.txt (line ');
        expect({ exitCode: safe.exitCode, stderr: safe.stderr, saved: safe.saved }).toEqual({ exitCode: plain.exitCode, stderr: plain.stderr, saved: plain.saved });
        expect(safe.stderr).not.toContain('safe-pip-pins.txt');
      });
    }
  }

  it('the exact block (pip 23.2.1)', async () => {
    const { safe } = await both('html', `tiny==1.0 --hash=sha256:${WRONG('0')}\n`);
    expect(safe.stderr).toBe(
      'ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.\n' +
        `    tiny==1.0 from ${servers.html.fileUrl(tiny.filename)}#sha256=${tiny.sha256} (from -r hash.txt (line 1)):\n` +
        `        Expected sha256 ${WRONG('0')}\n` +
        `             Got        ${tiny.sha256}\n\n`,
    );
  });

  it('one right hash among wrong ones: pip runs and saves the wheel, as plain pip', async () => {
    const sha512 = createHash('sha512').update(tiny.data).digest('hex');
    const { plain, safe } = await both('html', `tiny==1.0 --hash=sha256:${WRONG('0')} --hash=sha512:${sha512}\n`);
    expect(plain).toMatchObject({ exitCode: 0, saved: [tiny.filename] });
    expect({ exitCode: safe.exitCode, saved: safe.saved }).toEqual({ exitCode: 0, saved: [tiny.filename] });
  });
});
