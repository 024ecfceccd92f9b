import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('makeTempDir', () => {
  let made = '';
  it('makes a fresh directory', () => {
    made = makeTempDir('selftest-');
    writeFileSync(join(made, 'file'), 'x');
    expect(existsSync(join(made, 'file'))).toBe(true);
    expect(makeTempDir('selftest-')).not.toBe(made);
  });
  it('removed it when the previous test finished', () => {
    expect(made).not.toBe('');
    expect(existsSync(made)).toBe(false);
  });
});
