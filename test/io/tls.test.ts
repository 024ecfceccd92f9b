// TLS against a loopback https index, with the real pip as the oracle: `--cert` / PIP_CERT /
// config `cert =` (a CA bundle that replaces the default roots), `--trusted-host` (pip mounts an
// adapter that does not verify for that host, any port unless one is given), `--client-cert` (one
// PEM with key and certificate) for a server that requires one. Each case runs the same options
// through `pip download`, `safe-pip fetch` and an intercepted `safe-pip explain --json download`;
// safe-pip must succeed or fail as pip does, and a failure must name the URL and the way out.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import nodeTls from 'node:tls';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeTlsFixtures, type TlsFixtures } from '../helpers/tls-fixtures.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip, type RunResult } from '../helpers/run-cli.js';
import { REAL_PIP } from '../policy/vector-world.js';
import { HttpClient } from '../../src/io/http/client.js';
import { HttpError } from '../../src/io/http/http-error.js';
import { builtinModuleLogger } from '../helpers/module-load-logger.js';
import { withEmptyIndex } from '../helpers/empty-index.js';
import { writeExecutable } from '../launcher/harness.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
const PIP_LAUNCHER = join(process.cwd(), 'bin', 'pip');
const WHEEL = 'tlspkg-1.0-py3-none-any.whl';

let tls: TlsFixtures;
let plain: IndexServer;
let mutual: IndexServer;

beforeAll(async () => {
  tls = makeTlsFixtures();
  const wheel = await buildWheel({ name: 'tlspkg', version: '1.0' });
  const key = tls.pem.serverKey;
  const cert = tls.pem.serverCert;
  plain = await startIndexServer({ projects: { tlspkg: [wheel] }, tls: { key, cert } });
  mutual = await startIndexServer({ projects: { tlspkg: [wheel] }, tls: { key, cert, requireClientCertCa: tls.pem.caCert } });
});
afterAll(async () => {
  await plain?.close();
  await mutual?.close();
});

type Outcome = 'ok' | 'fail';

interface Case {
  name: string;
  server: () => IndexServer;
  /** pip options (general options, valid for `pip download` and `safe-pip fetch` alike). */
  args: () => string[];
  env?: () => Record<string, string>;
  /** `[global]` lines for a pip.conf of the case's own. */
  config?: () => string;
  /** What pip 23.2.1 does; checked against pip itself before safe-pip is compared with it. */
  pip: Outcome;
  /** For a failure: words the message must hold (the way out). */
  hint?: RegExp;
  /** A failure names the index URL (default true). */
  namesUrl?: boolean;
}

const CASES: Case[] = [
  { name: 'no CA bundle', server: () => plain, args: () => [], pip: 'fail', hint: /--cert/ },
  { name: '--cert CA', server: () => plain, args: () => ['--cert', tls.caCert], pip: 'ok' },
  { name: 'PIP_CERT=CA', server: () => plain, args: () => [], env: () => ({ PIP_CERT: tls.caCert }), pip: 'ok' },
  { name: 'config cert = CA', server: () => plain, args: () => [], config: () => `cert = ${tls.caCert}`, pip: 'ok' },
  { name: '--cert of another CA', server: () => plain, args: () => ['--cert', tls.otherCaCert], pip: 'fail', hint: /--cert/ },
  { name: '--trusted-host 127.0.0.1', server: () => plain, args: () => ['--trusted-host', '127.0.0.1'], pip: 'ok' },
  { name: '--trusted-host 127.0.0.1:PORT', server: () => plain, args: () => ['--trusted-host', `127.0.0.1:${plain.port}`], pip: 'ok' },
  { name: '--trusted-host on another port', server: () => plain, args: () => ['--trusted-host', `127.0.0.1:${plain.port === 1 ? 2 : 1}`], pip: 'fail', hint: /--cert/ },
  { name: 'client cert required, none given', server: () => mutual, args: () => ['--cert', tls.caCert], pip: 'fail', hint: /--client-cert/ },
  { name: 'client cert required, --client-cert', server: () => mutual, args: () => ['--cert', tls.caCert, '--client-cert', tls.clientPem], pip: 'ok' },
  {
    name: '--client-cert holding only the certificate',
    server: () => mutual,
    args: () => ['--cert', tls.caCert, '--client-cert', join(tls.dir, 'client.pem')],
    pip: 'fail',
    hint: /--client-cert/,
  },
  // Fails before any connection: the message names the file instead of a URL.
  { name: '--cert of a missing file', server: () => plain, args: () => ['--cert', join(tls.dir, 'missing.pem')], pip: 'fail', hint: /certificate file .*missing\.pem/, namesUrl: false },
  // requests (session.merge_environment_settings) lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace
  // the session's `verify`, which is where pip puts --cert: the variable wins over --cert.
  {
    name: 'REQUESTS_CA_BUNDLE=CA, no --cert',
    server: () => plain,
    args: () => [],
    env: () => ({ REQUESTS_CA_BUNDLE: tls.caCert }),
    pip: 'ok',
  },
  {
    name: '--cert CA, CURL_CA_BUNDLE of another CA',
    server: () => plain,
    args: () => ['--cert', tls.caCert],
    env: () => ({ CURL_CA_BUNDLE: tls.otherCaCert }),
    pip: 'fail',
    hint: /--cert/,
  },
  {
    name: 'client cert required, PIP_CLIENT_CERT and --trusted-host',
    server: () => mutual,
    args: () => ['--trusted-host', '127.0.0.1'],
    env: () => ({ PIP_CLIENT_CERT: tls.clientPem }),
    pip: 'ok',
  },
];

/** The machine may point requests at its own bundle (it does here); a case starts without that. */
const NO_CA_VARIABLES = { REQUESTS_CA_BUNDLE: undefined, CURL_CA_BUNDLE: undefined };

function caseEnv(c: Case): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...PLAIN_PIP_ENV, ...NO_CA_VARIABLES, ...(c.env?.() ?? {}) };
  if (c.config !== undefined) {
    const file = join(makeTempDir('pip-conf-'), 'pip.conf');
    writeFileSync(file, `[global]\n${c.config()}\n`);
    env.PIP_CONFIG_FILE = file;
  }
  return env;
}

function outcome(result: RunResult): Outcome {
  return result.exitCode === 0 ? 'ok' : 'fail';
}

describe('TLS settings behave as in pip', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const server = c.server();
      const index = server.indexUrl();
      const env = caseEnv(c);

      const pipDest = makeTempDir('pip-dest-');
      const pip = await runPlainPip(['download', '--only-binary', ':all:', '--no-deps', '--retries', '0', '-d', pipDest, ...c.args(), '-i', index, 'tlspkg'], { env });
      expect(outcome(pip), `pip: ${pip.stderr}`).toBe(c.pip);
      expect(readdirSync(pipDest)).toEqual(c.pip === 'ok' ? [WHEEL] : []);

      const fetchDest = makeTempDir('fetch-dest-');
      const fetch = await runCommand(SAFE_PIP, ['fetch', '--no-deps', '--retries', '0', '-d', fetchDest, ...c.args(), '-i', index, 'tlspkg'], { env });
      expect(outcome(fetch), `safe-pip fetch: ${fetch.stderr}`).toBe(c.pip);
      expect(readdirSync(fetchDest)).toEqual(c.pip === 'ok' ? [WHEEL] : []);

      const explainDest = makeTempDir('explain-dest-');
      const explain = await runCommand(
        SAFE_PIP,
        ['explain', '--json', 'download', '--only-binary', ':all:', '--no-deps', '--retries', '0', '-d', explainDest, ...c.args(), '-i', index, 'tlspkg'],
        { env: { ...env, SAFE_PIP_REAL_PIP: REAL_PIP } },
      );
      expect(outcome(explain), `safe-pip explain: ${explain.stderr}`).toBe(c.pip);
      if (c.pip === 'ok') {
        const doc = JSON.parse(explain.stdout) as { packages: { filename: string }[] };
        expect(doc.packages.map((p) => p.filename)).toEqual([WHEEL]);
      }

      if (c.pip === 'fail') {
        for (const result of [fetch, explain]) {
          if (process.env.SHOW_TLS_MESSAGES === '1') process.stdout.write(`--- ${c.name}\n${result.stderr}`);
          if (c.namesUrl !== false) expect(result.stderr).toContain(server.projectUrl('tlspkg'));
          expect(result.stderr).toMatch(c.hint!);
          expect(result.stderr).not.toMatch(/\n\s+at /);
        }
      }
    });
  }
});

describe('pip download through bin/pip on an https index', () => {
  it('with --cert and --client-cert, the real pip gets the options and downloads the wheel', async () => {
    const dest = makeTempDir('launcher-dest-');
    const result = await runCommand(
      PIP_LAUNCHER,
      ['download', '--no-deps', '--cert', tls.caCert, '--client-cert', tls.clientPem, '-d', dest, '-i', mutual.indexUrl(), 'tlspkg'],
      { env: { ...PLAIN_PIP_ENV, ...NO_CA_VARIABLES, SAFE_PIP_REAL_PIP: REAL_PIP } },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual([WHEEL]);
  });

  it('without a CA bundle, safe-pip stops before pip and says how to trust the index', async () => {
    const dest = makeTempDir('launcher-dest-');
    const result = await runCommand(PIP_LAUNCHER, ['download', '--no-deps', '--retries', '0', '-d', dest, '-i', plain.indexUrl(), 'tlspkg'], {
      env: { ...PLAIN_PIP_ENV, ...NO_CA_VARIABLES, SAFE_PIP_REAL_PIP: REAL_PIP },
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(plain.projectUrl('tlspkg'));
    expect(result.stderr).toMatch(/--cert/);
    expect(readdirSync(dest)).toEqual([]);
  });
});

describe('HttpClient TLS errors', () => {
  it('an untrusted server certificate is a tls HttpError that names the URL and is not retried', async () => {
    const client = new HttpClient({ retries: 3 });
    const url = plain.projectUrl('tlspkg');
    plain.clearRequests();
    const error = await client.fetchBuffered(url).then(
      () => null,
      (e: unknown) => e,
    );
    await client.close();
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).kind).toBe('tls');
    expect((error as HttpError).url).toBe(url);
    expect((error as HttpError).detail).toMatch(/--cert/);
    expect(plain.requests).toEqual([]); // the handshake failed: no request reached the server
  });

  it('a trusted host is not verified, and only on the port given', async () => {
    const any = new HttpClient({ trustedHosts: ['127.0.0.1'] });
    const samePort = new HttpClient({ trustedHosts: [`127.0.0.1:${plain.port}`] });
    try {
      expect((await any.fetchBuffered(plain.projectUrl('tlspkg'))).status).toBe(200);
      expect((await samePort.fetchBuffered(plain.projectUrl('tlspkg'))).status).toBe(200);
      expect(samePort.isTrustedHost(`https://127.0.0.1:${plain.port + 1}/`)).toBe(false);
    } finally {
      await any.close();
      await samePort.close();
    }
  });
});

// Node 20 parses NODE_EXTRA_CA_CERTS as it starts; the launcher hands it to safe-pip instead,
// which restores it and adds the file to Node's default trust itself (src/io/http/extra-ca-certs.ts).
// What Node would trust is what safe-pip trusts, and every child sees the variable as it was given.
describe('NODE_EXTRA_CA_CERTS, read by safe-pip when it first needs TLS', () => {
  const fetchFrom = (server: IndexServer, extraCa: string | undefined, args: string[] = []): Promise<RunResult> =>
    runCommand(SAFE_PIP, ['fetch', '--no-deps', '--retries', '0', '-d', makeTempDir('fetch-dest-'), ...args, '-i', server.indexUrl(), 'tlspkg'], {
      env: { ...PLAIN_PIP_ENV, ...NO_CA_VARIABLES, NODE_EXTRA_CA_CERTS: extraCa, SAFE_PIP_REAL_PIP: REAL_PIP },
    });

  it('the index CA given only there is trusted, as Node trusts it; another CA is not', async () => {
    const trusted = await fetchFrom(plain, tls.caCert);
    expect(trusted.exitCode, trusted.stderr).toBe(0);
    expect(trusted.stderr).toContain(WHEEL);
    const other = await fetchFrom(plain, tls.otherCaCert);
    expect(other.exitCode).not.toBe(0);
    expect(other.stderr).toMatch(/--cert/);
    expect(other.stderr).not.toMatch(/Ignoring extra certs/);
  });

  it('with a client certificate, both are used', async () => {
    const result = await fetchFrom(mutual, tls.caCert, ['--client-cert', tls.clientPem]);
    expect(result.exitCode, result.stderr).toBe(0);
    const without = await fetchFrom(mutual, tls.caCert);
    expect(without.exitCode).not.toBe(0);
    expect(without.stderr).toMatch(/--client-cert/);
  });

  it('a file that cannot be read is ignored with one warning, as Node does', async () => {
    const missing = join(tls.dir, 'missing-extra.pem');
    const result = await fetchFrom(plain, missing);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.match(/Ignoring extra certs from `[^`]*missing-extra\.pem`/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/--cert/);
  });

  it('pip, and whatever else safe-pip starts, get the variable unchanged and nothing of the hand-off', async () => {
    const dir = makeTempDir('extra-ca-env-');
    const log = join(dir, 'env.log');
    const pip = writeExecutable(
      join(dir, 'pip'),
      `#!/bin/sh\necho "extra=\${NODE_EXTRA_CA_CERTS-unset} handoff=\${SAFE_PIP_LAUNCHER_EXTRA_CA_CERTS-unset}" >>'${log}'\nexec '${REAL_PIP}' "$@"\n`,
    );
    const dest = makeTempDir('launcher-dest-');
    const result = await runCommand(PIP_LAUNCHER, ['download', '--no-deps', '--cert', tls.caCert, '-d', dest, '-i', plain.indexUrl(), 'tlspkg'], {
      env: { ...PLAIN_PIP_ENV, ...NO_CA_VARIABLES, NODE_EXTRA_CA_CERTS: tls.otherCaCert, SAFE_PIP_REAL_PIP: pip },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual([WHEEL]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines)).toEqual(new Set([`extra=${tls.otherCaCert} handoff=unset`]));
  });
});

// What TLS costs is paid once, and only where TLS is used: a secure context made from a system
// bundle takes about 20 ms, which Node would spend again on every connection given the bundle as
// `ca`, and which an http index does not need at all.
describe('the TLS set-up is made once, on the first https connection', () => {
  it('connections to an https index with a CA bundle share one secure context', async () => {
    const connect = vi.spyOn(nodeTls, 'connect');
    const client = new HttpClient({ caBundle: readFileSync(tls.caCert, 'utf8'), clientCert: readFileSync(tls.clientPem, 'utf8') });
    let options: nodeTls.ConnectionOptions[];
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, () => client.fetchBuffered(plain.projectUrl('tlspkg'))));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      options = connect.mock.calls.map(([given]) => given as nodeTls.ConnectionOptions);
    } finally {
      await client.close();
      connect.mockRestore();
    }
    expect(options.length).toBeGreaterThan(1);
    expect(options.filter((o) => o.ca !== undefined || o.cert !== undefined)).toEqual([]);
    expect(new Set(options.map((o) => o.secureContext)).size).toBe(1);
    expect(options[0]!.secureContext).toBeDefined();
  });

  it.each([
    ['NODE_EXTRA_CA_CERTS left to safe-pip', false],
    ['that and a CA bundle given', true],
  ])('an http index loads no TLS at all (%s)', async (_what, withCert) => {
    const dir = makeTempDir('tls-unused-');
    const log = join(dir, 'builtins.log');
    const certArgs = withCert ? ['--cert', tls.caCert] : [];
    const requests = await withEmptyIndex(async (index) => {
      await runCommand(SAFE_PIP, ['explain', 'download', '--retries', '0', ...certArgs, '-d', join(dir, 'dest'), '-i', index, 'tlspkg'], {
        env: { ...PLAIN_PIP_ENV, ...NO_CA_VARIABLES, NODE_EXTRA_CA_CERTS: tls.otherCaCert, NODE_OPTIONS: `--import=${builtinModuleLogger(dir, log)}`, SAFE_PIP_REAL_PIP: REAL_PIP },
      });
    });
    expect(requests).toBeGreaterThan(0);
    const loaded = readFileSync(log, 'utf8').split('\n');
    expect(loaded).toContain('net');
    expect(loaded).not.toContain('tls');
  });
});
