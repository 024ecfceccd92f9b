// Small OSV bulk files for tests, shaped like OSV's PyPI/all.zip (one `<id>.json` member per record)
// and like the OpenSSF malicious-packages reports (https://github.com/ossf/malicious-packages):
// `affected[].versions`, ECOSYSTEM ranges `introduced: "0"`, and
// `affected[].database_specific.indicators.package_integrity[]` with file hashes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipBuffer } from './archives.js';
import { makeTempDir } from './temp-dir.js';

export function malRecord(id: string, name: string, options: { versions?: string[]; allVersions?: boolean; files?: { filename: string; sha256: string }[]; ecosystem?: string; withdrawn?: string } = {}): Record<string, unknown> {
  const affected: Record<string, unknown> = { package: { ecosystem: options.ecosystem ?? 'PyPI', name, purl: `pkg:pypi/${name}` } };
  if (options.versions !== undefined) affected.versions = options.versions;
  if (options.allVersions === true) affected.ranges = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }];
  if (options.files !== undefined) {
    affected.database_specific = {
      cwes: [{ cweId: 'CWE-506', name: 'Embedded Malicious Code' }],
      indicators: { package_integrity: options.files.map((f) => ({ filename: f.filename, hashes: { md5: '0'.repeat(32), sha256: f.sha256 } })) },
    };
  }
  return {
    schema_version: '1.7.4',
    id,
    modified: '2026-01-01T00:00:00Z',
    published: '2026-01-01T00:00:00Z',
    ...(options.withdrawn === undefined ? {} : { withdrawn: options.withdrawn }),
    summary: `Malicious code in ${name} (PyPI)`,
    details: 'test record',
    affected: [affected],
    database_specific: { 'malicious-packages-origins': [{ source: 'test', sha256: 'f'.repeat(64), versions: options.versions ?? [] }] },
  };
}

/** Writes `<id>.json` members (plus any raw members) into a zip; returns its path. */
export async function writeOsvZip(records: Record<string, unknown>[], raw: Record<string, string> = {}): Promise<string> {
  const entries: Record<string, string> = { ...raw };
  for (const record of records) entries[`${String(record.id)}.json`] = JSON.stringify(record, null, 2);
  const path = join(makeTempDir('osv-'), 'all.zip');
  writeFileSync(path, await zipBuffer(entries));
  return path;
}
