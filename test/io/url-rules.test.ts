// redactUrl, isSecureOrigin and the netrc reader against pip 23.2.1 / Python's netrc module.
import { describe, expect, it } from 'vitest';
import { isSecureOrigin } from '../../src/io/index-sources.js';
import { parseNetrc } from '../../src/io/netrc.js';
import { redactText, redactUrl } from '../../src/io/redact-url.js';
import { askPip } from './io-oracle.js';

const redactCases = [
  'https://user:secret@pypi.example/simple/', 'https://token@pypi.example/simple/', 'https://pypi.example/simple/',
  'http://u%40x:p%3Ass@127.0.0.1:8080/a', 'https://:pw@h/', 'https://user:@h/', 'file:///tmp/x', 'https://a:b@c@d/e',
  'https://us er:pw@h/', 'https://ü:pw@h/',
];
const secureCases: Array<[string, string[]]> = [
  ['https://anything.example/simple/', []], ['http://anything.example/simple/', []], ['http://localhost:8000/', []],
  ['http://LOCALHOST/', []], ['http://127.0.0.1/', []], ['http://127.255.0.9:1/', []], ['http://[::1]:9/', []],
  ['http://128.0.0.1/', []], ['http://10.0.0.1/', ['10.0.0.1']], ['http://10.0.0.1:8080/', ['10.0.0.1:8080']],
  ['http://10.0.0.1:8081/', ['10.0.0.1:8080']], ['http://Mirror.Example/', ['mirror.example']], ['file:///x', []],
  ['git+ssh://h/x', []], ['ftp://h/x', []], ['http://u:p@mirror.example/', ['mirror.example']], ['git+http://h/', ['h']],
];
const netrcCases: Array<[string, string]> = [
  ['machine h.example login alice password s3cret\n', 'h.example'],
  ['machine h.example login alice password s3cret\n', 'other.example'],
  ['machine a login x password y\ndefault login d password e\n', 'zzz'],
  ['machine a\n  login x\n  password y\nmachine a login z password w\n', 'a'],
  ['machine a account acc password p\n', 'a'],
  ['# comment\nmachine a login x password "with space"\n', 'a'],
  ['macdef init\ncd /\nls\n\nmachine a login m password n\n', 'a'],
];
const pip = await askPip({ redact: redactCases, secure: secureCases, netrc: netrcCases });

describe('redactUrl', () => {
  it('redacts as pip redact_auth_from_url', () => {
    expect(redactCases.map(redactUrl)).toEqual(pip.redact);
  });
  it('redacts URLs inside free text', () => {
    expect(redactText('connect to https://bob:hunter2@h.example/x failed; http://tok@h/y')).toBe('connect to https://bob:****@h.example/x failed; http://****@h/y');
  });
});

describe('isSecureOrigin', () => {
  it('agrees with PipSession.is_secure_origin', () => {
    expect(secureCases.map(([u, t]) => isSecureOrigin(u, t))).toEqual(pip.secure);
  });
});

describe('netrc', () => {
  it('finds the credentials Python\'s netrc + requests find', () => {
    const got = netrcCases.map(([text, host]) => {
      const e = parseNetrc(text).lookup(host);
      return e ? [e.login, e.password] : null;
    });
    expect(got).toEqual(pip.netrc);
  });
});
