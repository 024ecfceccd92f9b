// Redaction of PIP_* values: every URL-ish word loses its password (pip's redact_auth_from_url
// shape: `user:****@host`, `****@host` for a bare token), secrets named as such are hidden whole.
import { describe, expect, it } from 'vitest';
import { redactVariableValue, shownVariables } from '../../src/doctor/pip-variables.js';

describe('redactVariableValue', () => {
  const cases: Array<[string, string, string]> = [
    ['PIP_INDEX_URL', 'https://user:pw@example.org/simple', 'https://user:****@example.org/simple'],
    ['PIP_INDEX_URL', 'https://token@example.org/simple', 'https://****@example.org/simple'],
    ['PIP_INDEX_URL', 'https://example.org/simple', 'https://example.org/simple'],
    ['PIP_EXTRA_INDEX_URL', 'https://a:b@x.org/s  https://c@y.org/s\nhttps://z.org/', 'https://a:****@x.org/s  https://****@y.org/s\nhttps://z.org/'],
    ['PIP_FIND_LINKS', '/home/me/wheels@2 ./dist', '/home/me/wheels@2 ./dist'],
    ['PIP_PROXY', 'user:pass@proxy:3128', 'user:****@proxy:3128'],
    ['PIP_PROXY', 'http://user:p%40ss@proxy:3128', 'http://user:****@proxy:3128'],
    ['PIP_TIMEOUT', '60', '60'],
    ['PIP_INDEX_TOKEN', 'abc', '****'],
    ['PIP_SOME_PASSWORD', '', ''],
  ];
  it.each(cases)('%s=%j', (name, value, expected) => {
    expect(redactVariableValue(name, value)).toBe(expected);
  });
});

describe('shownVariables', () => {
  it('keeps only the prefix, sorted by name, redacted', () => {
    const env = { PIP_Z: 'http://u:secret@h/', PIP_A: '1', SAFE_PIP_REAL_PIP: '/usr/bin/pip', PATH: '/bin', PIPX_HOME: '/x' };
    expect(shownVariables(env, 'PIP_')).toEqual([
      { name: 'PIP_A', value: '1' },
      { name: 'PIP_Z', value: 'http://u:****@h/' },
    ]);
    expect(shownVariables(env, 'SAFE_PIP_')).toEqual([{ name: 'SAFE_PIP_REAL_PIP', value: '/usr/bin/pip' }]);
  });
});
