// The `.pth` case for `safe-pip demo` (src/demo/startup-code-demo.ts), run as demo would run it:
// the demo index on loopback, the real pip, then this package's bin/pip launcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildPthDemoWheel, PTH_DEMO_NAME, pthDemo } from '../../src/demo/startup-code-demo.js';
import { startDemoIndex, type DemoIndex } from '../../src/demo/demo-index.js';
import { childEnv, PLAIN_PIP_ENV, runCommand } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { REAL_PIP } from '../policy/vector-world.js';

let index: DemoIndex;
beforeAll(async () => {
  index = await startDemoIndex(PTH_DEMO_NAME, buildPthDemoWheel());
});
afterAll(async () => {
  await index?.close();
});

describe('pthDemo', () => {
  it('plain pip: installed, and a start-up runs the line; through safe-pip: refused, nothing installed, nothing ran', async () => {
    const root = makeTempDir('pth-demo-');
    const { plain, safe } = await pthDemo({
      indexUrl: index.url,
      realPip: REAL_PIP,
      python: 'python3',
      launcher: join(process.cwd(), 'bin', 'pip'),
      root,
      env: childEnv({ ...PLAIN_PIP_ENV, SAFE_PIP_CACHE_DIR: join(root, 'cache') }),
      run: async (file, argv, env) => {
        const result = await runCommand(file, argv, { env });
        return { exitCode: result.exitCode, output: `${result.stdout}${result.stderr}` };
      },
    });
    expect(plain.installed, plain.output).toBe(true);
    expect(plain.marker, plain.output).not.toBeNull();
    expect(safe.exitCode, safe.output).toBe(42);
    expect(safe.output).toContain('pth_demo.pth line 1');
    expect(safe.installed).toBe(false);
    expect(safe.marker).toBeNull();
  });
});
