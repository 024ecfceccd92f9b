// Issue 13 item 1: `explain` says the truth about every target and package, whatever the verdict
// (refuse, fetch, skip, build, prepare), in text and JSON: a refused target never reads "resolved
// to wheels only", and a refused package is listed with `via: "refuse"` (DESIGN.md "explain --json").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, PLAIN_PIP_ENV } from '../../helpers/run-cli.js';
import { SAFE_PIP, startVectorWorld, type VectorWorld } from '../../policy/vector-world.js';
import { createRecordingPip, type RecordingPip } from '../intercept/recording-pip.js';
import type { ExplainDoc } from '../intercept/explain-doc.js';
import { plannedStagingArgs } from '../../helpers/staging-options.js';

let world: VectorWorld;
let pip: RecordingPip;
beforeAll(async () => {
  world = await startVectorWorld();
  pip = createRecordingPip();
});
afterAll(async () => {
  await world?.close();
});

async function explain(args: string[], options: { json?: boolean; env?: Record<string, string> } = {}): Promise<{ exitCode: number; out: string }> {
  const result = await runCommand(SAFE_PIP, ['explain', ...(options.json === true ? ['--json'] : []), ...args], {
    env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.path, ...options.env },
  });
  expect(result.stderr).toBe('');
  const out = result.stdout.replaceAll(world.index.replace(/\/simple\/?$/, ''), '<index>');
  return { exitCode: result.exitCode, out };
}

type Verdicts = { targets: [string, string, string][]; packages: [string, string, string, string][] };
async function verdicts(args: string[], env: Record<string, string> = {}): Promise<Verdicts & { exitCode: number }> {
  const { exitCode, out } = await explain(args, { json: true, env });
  const doc = JSON.parse(out) as ExplainDoc;
  return {
    exitCode,
    targets: doc.targets.map((t) => [t.requirement, t.action, t.reason]),
    packages: doc.packages.map((p) => [p.name, p.version, p.filename, p.via]),
  };
}

describe('explain: targets and packages agree with the verdict', () => {
  it('install of an sdist-only project (text): the target and the package say refuse', async () => {
    const { exitCode, out } = await explain(['install', '-i', world.index, 'canary']);
    expect(exitCode).toBe(42);
    expect(out).toMatchInlineSnapshot(`
      "safe-pip plan for \`pip install\`:
        targets:
          canary [named] -> refuse: no version of canary that fits has a compatible wheel; pip would build the 1.0 source archive, running its code
        packages:
          canary 1.0 (canary-1.0.tar.gz) -> refuse
        refused: running this command would run package code nobody allowed.
          canary 1.0: no version of canary that fits has a compatible wheel; pip would build the 1.0 source archive, running its code
            required by: canary (command line)
            to allow it: set SAFE_PIP_ALLOW_BUILD=canary, add the flag --safe-pip-allow-build=canary, or put allow-build = ["canary"] in ~/.config/safe-pip/config.toml
        stopped before pip could run it (exit code 42).
      "
    `);
  });
  it('install of an sdist-only project (JSON)', async () => {
    expect(await verdicts(['install', '-i', world.index, 'canary'])).toMatchInlineSnapshot(`
      {
        "exitCode": 42,
        "packages": [
          [
            "canary",
            "1.0",
            "canary-1.0.tar.gz",
            "refuse",
          ],
        ],
        "targets": [
          [
            "canary",
            "refuse",
            "no version of canary that fits has a compatible wheel; pip would build the 1.0 source archive, running its code",
          ],
        ],
      }
    `);
  });
  it('wheel of a project whose dependency is sdist-only: the target is refused because of the dependency', async () => {
    expect(await verdicts(['wheel', '-i', world.index, 'app', 'tiny'])).toMatchInlineSnapshot(`
      {
        "exitCode": 42,
        "packages": [
          [
            "canary",
            "1.0",
            "canary-1.0.tar.gz",
            "refuse",
          ],
        ],
        "targets": [
          [
            "app",
            "refuse",
            "the whole command is refused, so nothing is built: canary 1.0 would run build code (see the refusal)",
          ],
          [
            "tiny",
            "refuse",
            "the whole command is refused, so nothing is built: canary 1.0 would run build code (see the refusal)",
          ],
        ],
      }
    `);
  });
  it('install of a wheel that depends on a direct URL: the URL dependency is the refused package', async () => {
    expect(await verdicts(['install', '-i', world.index, 'dropper'])).toMatchInlineSnapshot(`
      {
        "exitCode": 42,
        "packages": [
          [
            "dropper",
            "1.0",
            "dropper-1.0-py3-none-any.whl",
            "pip",
          ],
          [
            "canary",
            "",
            "canary-1.0.tar.gz",
            "refuse",
          ],
        ],
        "targets": [
          [
            "dropper",
            "refuse",
            "the whole command is refused, so nothing is installed: canary would run build code (see the refusal)",
          ],
        ],
      }
    `);
  });
  it('download: an sdist-only target is fetched raw, a wheel target goes through pip', async () => {
    expect(await verdicts(['download', '-d', '/nonexistent-dest', '-i', world.index, 'canary', 'app'])).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "packages": [
          [
            "canary",
            "1.0",
            "canary-1.0.tar.gz",
            "fetch",
          ],
          [
            "app",
            "1.0",
            "app-1.0-py3-none-any.whl",
            "pip",
          ],
        ],
        "targets": [
          [
            "canary",
            "fetch",
            "canary 1.0 has only a source archive (canary-1.0.tar.gz): fetched raw, not built (pip would build it to read its metadata)",
          ],
          [
            "app",
            "pip",
            "pip downloads app 1.0 as the wheel app-1.0-py3-none-any.whl",
          ],
        ],
      }
    `);
  });
  it('download: a direct URL dependency is listed as fetched', async () => {
    expect(await verdicts(['download', '-d', '/nonexistent-dest', '-i', world.index, 'dropper'])).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "packages": [
          [
            "dropper",
            "1.0",
            "dropper-1.0-py3-none-any.whl",
            "pip",
          ],
          [
            "canary",
            "",
            "canary-1.0.tar.gz",
            "fetch",
          ],
        ],
        "targets": [
          [
            "dropper",
            "pip",
            "pip downloads dropper 1.0 as the wheel dropper-1.0-py3-none-any.whl",
          ],
        ],
      }
    `);
  });
  it('install of an allowed sdist-only project: the target and the package say build', async () => {
    expect(await verdicts(['install', '-i', world.index, 'canary'], { SAFE_PIP_ALLOW_BUILD: 'canary' })).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "packages": [
          [
            "canary",
            "1.0",
            "canary-1.0.tar.gz",
            "build",
          ],
        ],
        "targets": [
          [
            "canary",
            "build",
            "canary 1.0 has only a source archive that fits; allowed by name (canary): built on its own first, its build dependencies binary-only",
          ],
        ],
      }
    `);
  });
  it('install of a wheel: the target names the wheel', async () => {
    const { exitCode, out } = await explain(['install', '-i', world.index, 'newer']);
    expect(exitCode).toBe(0);
    // The staging options depend on the machine's pip (staging-options.ts); the rest is fixed.
    const staging = plannedStagingArgs().map((a) => (a.includes('<') ? `'${a}'` : a)).join(' ');
    expect(out).toContain(` newer ${staging} --only-binary=:all:\n`);
    expect(out.replace(staging, '<staging options>')).toMatchInlineSnapshot(`
      "safe-pip plan for \`pip install\`:
        targets:
          newer [named] -> pip: newer 1.0 comes as the wheel newer-1.0-py3-none-any.whl; pip runs with --only-binary=:all:
        packages:
          newer 1.0 (newer-1.0-py3-none-any.whl) -> pip
        then: pip install -i <index>/simple/ newer <staging options> --only-binary=:all:
        note: newer 2.0 exists only as a source archive; using the newest wheel, newer 1.0
      "
    `);
  });
});
