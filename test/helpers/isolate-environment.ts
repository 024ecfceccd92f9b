// Runs before every test file (vitest setupFiles): test/helpers/isolation.ts says what and why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolate } from './isolation.js';

const dir = mkdtempSync(join(tmpdir(), 'safe-pip-test-env-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
isolate(process.env, dir);
