// OSV MAL records: parsing, the compact index, matching by name + version and by file sha256
// (src/standards/osv.ts), and the refusal built from a match (src/policy/malware.ts).
import { describe, expect, it } from 'vitest';
import { addToIndex, emptyIndex, inRange, matchMalware, parseMalwareIndex, parseMalwareRecord, type MalwareIndex } from '../../src/standards/osv.js';
import { decideMalware } from '../../src/policy/malware.js';
import { parseVersion } from '../../src/standards/versions.js';
import { malRecord } from '../helpers/osv-zip.js';

const SHA = 'a'.repeat(64);

function indexOf(records: Record<string, unknown>[]): MalwareIndex {
  const index = emptyIndex('test.zip', '2026-01-02T00:00:00.000Z');
  for (const record of records) {
    const parsed = parseMalwareRecord(record);
    if (parsed !== null) addToIndex(index, parsed);
  }
  return index;
}

describe('parseMalwareRecord', () => {
  it('keeps live MAL records about PyPI packages, with canonical names and package_integrity hashes', () => {
    const parsed = parseMalwareRecord(malRecord('MAL-2099-1', 'Evil_Pkg', { versions: ['1.0'], files: [{ filename: 'evil_pkg-1.0-py3-none-any.whl', sha256: SHA.toUpperCase() }] }));
    expect(parsed).toEqual({
      id: 'MAL-2099-1',
      summary: 'Malicious code in Evil_Pkg (PyPI)',
      packages: [{ name: 'evil-pkg', entry: { id: 'MAL-2099-1', summary: 'Malicious code in Evil_Pkg (PyPI)', versions: ['1.0'], ranges: [] }, files: [{ filename: 'evil_pkg-1.0-py3-none-any.whl', sha256: SHA }] }],
    });
  });
  it('drops other databases, withdrawn records, other ecosystems and non-objects', () => {
    expect(parseMalwareRecord({ ...malRecord('MAL-2099-1', 'x', { versions: ['1'] }), id: 'GHSA-xxxx-yyyy-zzzz' })).toBeNull();
    expect(parseMalwareRecord(malRecord('MAL-2099-2', 'x', { versions: ['1'], withdrawn: '2026-02-01T00:00:00Z' }))).toBeNull();
    expect(parseMalwareRecord(malRecord('MAL-2099-3', 'x', { versions: ['1'], ecosystem: 'npm' }))).toBeNull();
    expect(parseMalwareRecord('MAL-1')).toBeNull();
  });
  it('never takes the origins report hash for a file hash', () => {
    const index = indexOf([malRecord('MAL-2099-1', 'x', { versions: ['1.0'] })]);
    expect(Object.keys(index.files)).toEqual([]);
  });
});

describe('inRange (OSV range evaluation)', () => {
  const v = parseVersion;
  it('introduced 0 is every version; fixed and last_affected close the range', () => {
    expect(inRange([{ introduced: '0' }], v('99.1'))).toBe(true);
    expect(inRange([{ introduced: '1.0' }, { fixed: '1.2' }], v('1.1'))).toBe(true);
    expect(inRange([{ introduced: '1.0' }, { fixed: '1.2' }], v('1.2'))).toBe(false);
    expect(inRange([{ introduced: '1.0' }, { fixed: '1.2' }], v('0.9'))).toBe(false);
    expect(inRange([{ introduced: '1.0' }, { last_affected: '1.2' }], v('1.2'))).toBe(true);
    expect(inRange([{ introduced: '1.0' }, { last_affected: '1.2' }], v('1.2.1'))).toBe(false);
  });
});

describe('matchMalware', () => {
  const index = indexOf([
    malRecord('MAL-2099-1', 'evil-pkg', { versions: ['1.0'], files: [{ filename: 'evil_pkg-1.0-py3-none-any.whl', sha256: SHA }] }),
    malRecord('MAL-2099-2', 'typo.squat', { allVersions: true }),
  ]);
  it('by canonical name and PEP 440-equal version', () => {
    expect(matchMalware(index, { name: 'Evil_Pkg', version: '1.0.0' })).toEqual([expect.objectContaining({ id: 'MAL-2099-1', by: 'version' })]);
    expect(matchMalware(index, { name: 'evil-pkg', version: '1.1' })).toEqual([]);
    expect(matchMalware(index, { name: 'typo-squat', version: '3.0' })).toEqual([expect.objectContaining({ id: 'MAL-2099-2' })]);
  });
  it('by the sha256 of the file, whatever name and version it goes by', () => {
    expect(matchMalware(index, { name: 'innocent', version: '2.0', sha256s: [SHA.toUpperCase()] })).toEqual([expect.objectContaining({ id: 'MAL-2099-1', by: 'file', detail: `sha256 ${SHA} is evil_pkg-1.0-py3-none-any.whl of evil-pkg` })]);
  });
  it('the index survives its JSON round trip', () => {
    expect(parseMalwareIndex(JSON.stringify(index))).toEqual(index);
    expect(parseMalwareIndex('{"format":2}')).toBeNull();
  });
});

describe('decideMalware', () => {
  const index = indexOf([malRecord('MAL-2099-1', 'evil-pkg', { versions: ['1.0'] })]);
  it('refuses a match with the record id and no way to allow it', () => {
    const [refusal, ...rest] = decideMalware(index, [
      { name: 'evil-pkg', version: '1.0', filename: 'evil_pkg-1.0-py3-none-any.whl', hashes: {}, requiredBy: ['app==2.0'] },
      { name: 'tiny', version: '1.0', filename: 'tiny-1.0-py3-none-any.whl', hashes: {}, requiredBy: ['<user>'] },
    ]);
    expect(rest).toEqual([]);
    expect(refusal).toMatchObject({ project: 'evil-pkg', version: '1.0', requiredBy: 'app==2.0' });
    expect(refusal!.why).toContain('MAL-2099-1 (Malicious code in evil-pkg (PyPI)): evil-pkg 1.0 is listed');
    expect(refusal!.why).toContain('read 2026-01-02T00:00:00.000Z');
    expect(refusal!.allowWith).toMatch(/^nothing allows a known malicious release; remove evil-pkg from your requirements or the project that depends on it/);
  });
  it('no data, no refusals', () => {
    expect(decideMalware(null, [{ name: 'evil-pkg', version: '1.0', filename: '', hashes: {}, requiredBy: [] }])).toEqual([]);
  });
});
