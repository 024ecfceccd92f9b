// Runs before every test file: the machine's own pip configuration is not a user's, so every
// PIP_* / SAFE_PIP_* variable is cleared and pip is pointed at an empty config file of our own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

for (const key of Object.keys(process.env)) {
  if (key.startsWith('PIP_') || key.startsWith('SAFE_PIP_') || key.startsWith('_PIP_')) {
    delete process.env[key];
  }
}
const dir = mkdtempSync(join(tmpdir(), 'safe-pip-test-env-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const configFile = join(dir, 'pip.conf');
writeFileSync(configFile, '');
process.env.PIP_CONFIG_FILE = configFile;
// safe-pip's own caches and config never come from the developer's home during tests.
process.env.XDG_CACHE_HOME = join(dir, 'cache');
process.env.XDG_CONFIG_HOME = join(dir, 'config');
delete process.env.NO_COLOR;
