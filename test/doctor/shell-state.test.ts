// Reading the shell integration's state back: the launcher directory written into the block by
// src/setup/shell-integration.ts (for each shell, with awkward paths), and the option-table
// verdict doctor gives for pip versions around the ones safe-pip knows.
import { describe, expect, it } from 'vitest';
import { optionTableStatus } from '../../src/doctor/doctor-report.js';
import { launcherDirInBlock } from '../../src/doctor/shell-state.js';
import { TABLE_VERSIONS } from '../../src/pip/option-table.js';
import { SHELL_KINDS, shellIntegrationCode } from '../../src/setup/shell-integration.js';

describe('launcherDirInBlock', () => {
  const dirs = ['/usr/lib/node_modules/safe-pip/bin', "/home/o'neil/my tools/safe-pip/bin", '/opt/back\\slash/$HOME/bin', '/tmp/ünïcode/bin'];
  for (const shell of SHELL_KINDS) {
    it.each(dirs)(`${shell}: %s`, (dir) => {
      expect(launcherDirInBlock(shellIntegrationCode(shell, dir))).toBe(dir);
    });
  }
  it('null when the text names no launcher directory', () => {
    expect(launcherDirInBlock('alias pip=pip3\n')).toBeNull();
  });
});

describe('optionTableStatus', () => {
  const oldest = TABLE_VERSIONS[0]!;
  const newest = TABLE_VERSIONS[TABLE_VERSIONS.length - 1]!;
  it('exact for every version with a table', () => {
    for (const version of TABLE_VERSIONS) expect(optionTableStatus(version)).toMatchObject({ status: 'exact', tableVersion: version });
  });
  it('nearest older between tables, newer and older outside them', () => {
    expect(optionTableStatus('23.2.2')).toMatchObject({ status: 'nearest-older', tableVersion: '23.2.1' });
    expect(optionTableStatus('99.0')).toMatchObject({ status: 'newer-than-known', tableVersion: newest });
    expect(optionTableStatus('20.0')).toMatchObject({ status: 'older-than-known', tableVersion: oldest });
    expect(optionTableStatus('not a version')).toBeNull();
  });
});
