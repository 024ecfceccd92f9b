// issue 14 §4: `doctor` shows the offline malware data's age — how to get it when there is none,
// and how many records and how old once `safe-pip update-advisories` has written it.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { advisoriesLine } from '../../src/doctor/render-report.js';
import { malRecord, writeOsvZip } from '../helpers/osv-zip.js';
import { runCommand } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
const DAY = 86_400_000;

describe('doctor: malware records', () => {
  it('the line says what to run when there is no data, and the age when there is', () => {
    expect(advisoriesLine(null, 0)).toBe('none yet: run `safe-pip update-advisories` to refuse known malicious releases offline');
    const at = Date.parse('2026-11-01T00:00:00Z');
    const data = { path: '/c/advisories/pypi-malicious.json', records: 3, updatedAt: '2026-11-01T00:00:00Z' };
    expect(advisoriesLine(data, at + 3600_000)).toBe('3 records, updated today (/c/advisories/pypi-malicious.json)');
    expect(advisoriesLine(data, at + DAY + 1)).toBe('3 records, updated 1 day ago (/c/advisories/pypi-malicious.json)');
    expect(advisoriesLine(data, at + 10 * DAY)).toBe('3 records, updated 10 days ago (/c/advisories/pypi-malicious.json)');
  });
  it('after update-advisories, doctor --offline --json reports the records', async () => {
    const cache = makeTempDir('adv-cache-');
    const env = { SAFE_PIP_CACHE_DIR: cache };
    const before = await runCommand(SAFE_PIP, ['doctor', '--offline', '--json'], { env });
    expect((JSON.parse(before.stdout) as { advisories: unknown }).advisories).toBeNull();
    const zip = await writeOsvZip([malRecord('MAL-2026-1', 'evil-pkg', { versions: ['1.0'] }), malRecord('MAL-2026-2', 'other-evil', { allVersions: true })]);
    const update = await runCommand(SAFE_PIP, ['update-advisories', '--file', zip], { env });
    expect(update.exitCode, update.stderr).toBe(0);
    const after = await runCommand(SAFE_PIP, ['doctor', '--offline', '--json'], { env });
    const report = JSON.parse(after.stdout) as { advisories: { records: number; updatedAt: string; path: string } };
    expect(report.advisories.records).toBe(2);
    expect(report.advisories.path.startsWith(cache)).toBe(true);
    expect(Date.now() - Date.parse(report.advisories.updatedAt)).toBeLessThan(DAY);
    const text = await runCommand(SAFE_PIP, ['doctor', '--offline'], { env });
    expect(text.stdout).toMatch(/malware records\s+2 records, updated today/);
  });
});
