// TLS material for tests, made with the machine's OpenSSL (/usr/bin/openssl) in a temp directory:
// a CA, a server certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1, as Python's ssl and
// Node both require for an IP address), a client certificate signed by the same CA, the client's
// key and certificate in one PEM (what pip's `--client-cert` expects), and a second, unrelated CA
// to prove that a wrong bundle fails. Keys are unencrypted RSA 2048; certificates last a day.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';

export const OPENSSL = '/usr/bin/openssl';

export interface TlsFixtures {
  dir: string;
  /** The CA certificate (PEM file path): the bundle for `--cert` / PIP_CERT. */
  caCert: string;
  /** An unrelated CA certificate that signed nothing here. */
  otherCaCert: string;
  /** Server key and certificate (paths), certificate signed by `caCert`, for 127.0.0.1. */
  serverKey: string;
  serverCert: string;
  /** Client key + certificate in one PEM file, certificate signed by `caCert` (for `--client-cert`). */
  clientPem: string;
  /** The same material as text, for `https.createServer`. */
  pem: { caCert: string; serverKey: string; serverCert: string };
}

function openssl(dir: string, args: string[]): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', `${name}.key`, '-out', `${name}.pem`]);
}

function makeLeaf(dir: string, name: string, ca: string, extensions: string): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '1', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
}

/** Makes a fresh set of certificates in a new temp directory (about a second of OpenSSL). */
export function makeTlsFixtures(): TlsFixtures {
  const dir = makeTempDir('safe-pip-tls-');
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(dir, 'server', 'ca', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n');
  makeLeaf(dir, 'client', 'ca', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  const clientPem = join(dir, 'client-key-and-cert.pem');
  writeFileSync(clientPem, readFileSync(join(dir, 'client.key'), 'utf8') + readFileSync(join(dir, 'client.pem'), 'utf8'));
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    otherCaCert: join(dir, 'other-ca.pem'),
    serverKey: join(dir, 'server.key'),
    serverCert: join(dir, 'server.pem'),
    clientPem,
    pem: { caCert: read('ca.pem'), serverKey: read('server.key'), serverCert: read('server.pem') },
  };
}
