// Index options in a requirements file act as pip applies them, after the command line
// (pip/_internal/req/req_file.py `handle_option_line`): an `--index-url` line replaces every index
// pip had, the command line's extra indexes included; a `--no-index` line empties the list, and
// index lines after it are ignored. safe-pip must search the same places, or it checks (and
// stages) versions pip would never have picked. Compared with plain pip's own report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { REAL_PIP, SAFE_PIP } from '../../policy/vector-world.js';

let server: IndexServer;

beforeAll(async () => {
  server = await startIndexServer({
    indexes: {
      main: { app: [await buildWheel({ name: 'app', version: '1.0' })] },
      extra: { app: [await buildWheel({ name: 'app', version: '2.0' })] },
    },
  });
});
afterAll(async () => {
  await server?.close();
});

/** The version of app pip (its --dry-run report: wheels only, no code runs) and safe-pip pick. */
async function picks(requirementsFile: string, args: string[]): Promise<{ pip: string; safePip: string }> {
  const cwd = makeTempDir('reqfile-indexes-');
  writeFileSync(join(cwd, 'reqs.txt'), requirementsFile);
  const command = ['install', '--target', 'T', ...args, '-r', 'reqs.txt'];
  const plain = await runPlainPip([...command, '--dry-run', '--quiet', '--report', '-'], { cwd });
  expect(plain.exitCode, plain.stderr).toBe(0);
  const explain = await runCommand(SAFE_PIP, ['explain', '--json', ...command], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP, SAFE_PIP_CACHE_DIR: join(cwd, 'cache') }, cwd });
  expect(explain.exitCode, explain.stderr).toBe(0);
  const report = JSON.parse(plain.stdout) as { install: { metadata: { name: string; version: string } }[] };
  const plan = JSON.parse(explain.stdout) as { packages: { name: string; version: string }[] };
  return { pip: report.install.find((i) => i.metadata.name === 'app')!.metadata.version, safePip: plan.packages.find((p) => p.name === 'app')!.version };
}

describe('index options in a requirements file', () => {
  it('an --index-url line replaces the command line\'s extra index too', async () => {
    const result = await picks(`--index-url ${server.indexUrl('main')}\napp\n`, ['--extra-index-url', server.indexUrl('extra')]);
    expect(result).toEqual({ pip: '1.0', safePip: '1.0' });
  });

  it('an --extra-index-url line adds to the command line\'s index', async () => {
    const result = await picks(`--extra-index-url ${server.indexUrl('extra')}\napp\n`, ['-i', server.indexUrl('main')]);
    expect(result).toEqual({ pip: '2.0', safePip: '2.0' });
  });
});
