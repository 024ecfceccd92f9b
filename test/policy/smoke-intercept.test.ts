// First end-to-end check of the protection: a canary sdist behind a wheel-only app.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer } from '../helpers/index-server.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { buildCanarySdist, canaryEnv, canaryFired } from '../helpers/canary.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { runCommand, runPlainPip } from '../helpers/run-cli.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');

describe('download of an sdist-only dependency', () => {
  it('plain pip runs the canary; safe-pip fetches it raw without running it', async () => {
    const canary = await buildCanarySdist({ style: 'pep517' });
    const app = await buildWheel({ name: 'app', version: '1.0', requiresDist: ['canary'] });
    const server = await startIndexServer({ projects: { app: [app], canary: [canary] } });
    try {
      const plainMarkers = makeTempDir();
      const plainDest = makeTempDir();
      await runPlainPip(['download', '-d', plainDest, '-i', server.indexUrl(), 'app'], { env: canaryEnv(plainMarkers) });
      expect(canaryFired(plainMarkers)).toBe(true);

      const markers = makeTempDir();
      const dest = makeTempDir();
      const result = await runCommand(SAFE_PIP, ['pip', 'download', '-d', dest, '-i', server.indexUrl(), 'app'], {
        env: { ...canaryEnv(markers), PIP_NO_CACHE_DIR: '1', SAFE_PIP_REAL_PIP: '/root/.pyenv/versions/3.11.7/bin/pip' },
      });
      console.log(result.stdout, result.stderr);
      expect(canaryFired(markers)).toBe(false);
      expect(result.exitCode).toBe(0);
      expect(readdirSync(dest).sort()).toEqual(readdirSync(plainDest).sort());
      expect(existsSync(join(dest, canary.filename))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
