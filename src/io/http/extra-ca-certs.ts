// NODE_EXTRA_CA_CERTS, read when safe-pip first needs it rather than when Node starts.
//
// Node 20 reads and parses that file as it starts, before any of safe-pip runs: about 50 ms for a
// system bundle of some 140 certificates (/etc/ssl/certs/ca-certificates.crt, a common value in
// containers and behind company proxies), on every command, TLS or not. Node 22 and later wait
// until a TLS connection needs it. So the launcher (bin/safe-pip) hands the variable to Node under
// another name, and takeDeferredExtraCaCerts puts it back before anything else reads the
// environment, so that pip and every other child get it unchanged. The certificates themselves
// join Node's default ones here, in one secure context made on the first TLS connection that uses
// the default trust: exactly what Node would have trusted, the file's certificates included.
//
// Node's rules kept: the extra certificates extend the default store and are not used where a
// connection names its own CAs (pip's --cert, REQUESTS_CA_BUNDLE: the `ca` option); a file that
// cannot be read is ignored with a warning. The launcher does not defer when NODE_OPTIONS picks
// another default store (--use-openssl-ca, --use-system-ca), which this module could not rebuild
// on Node 20.
import { readFileSync } from 'node:fs';
import type { SecureContext } from 'node:tls';

const LAUNCHER_EXTRA_CA_VAR = 'SAFE_PIP_LAUNCHER_EXTRA_CA_CERTS';
const NODE_VAR = 'NODE_EXTRA_CA_CERTS';

let deferredFile: string | null = null;
let warned = false;
const contexts = new Map<string, SecureContext>();

/** Restores NODE_EXTRA_CA_CERTS from the launcher's hand-off, and remembers that Node did not load it. */
export function takeDeferredExtraCaCerts(env: NodeJS.ProcessEnv): void {
  const file = env[LAUNCHER_EXTRA_CA_VAR];
  delete env[LAUNCHER_EXTRA_CA_VAR];
  if (file === undefined || file === '' || env[NODE_VAR] !== undefined) return;
  env[NODE_VAR] = file;
  deferredFile = file;
}

interface TlsWithDefaults {
  getCACertificates?: (type: 'default') => string[];
}

/**
 * The secure context for a connection with Node's default trust and, when given, a client
 * certificate (PEM with key and certificate), when the extra certificates were deferred; null
 * when Node loaded them itself (or there are none), and its defaults apply as they are.
 */
export async function deferredTrustContext(clientCert: string | null | undefined): Promise<SecureContext | null> {
  const file = deferredFile;
  if (file === null) return null;
  const key = clientCert ?? '';
  const known = contexts.get(key);
  if (known !== undefined) return known;
  // Loaded here, not at start-up: node:tls is only needed once a connection is.
  const tls = await import('node:tls');
  // Node 22.15+ can say what its default store is; Node 20 has only the bundled one.
  const defaults = (tls as TlsWithDefaults).getCACertificates?.('default') ?? [...tls.rootCertificates];
  const identity = clientCert ? { cert: clientCert, key: clientCert } : {};
  const ignore = (error: unknown): void => {
    // As Node does at start-up: the file is left out, with a warning (once).
    if (!warned) process.stderr.write(`Warning: Ignoring extra certs from \`${file}\`, load failed: ${(error as Error).message}\n`);
    warned = true;
  };
  let extra: string[] = [];
  try {
    extra = [readFileSync(file, 'latin1')];
  } catch (error) {
    ignore(error);
  }
  let context: SecureContext;
  try {
    context = tls.createSecureContext({ ca: [...defaults, ...extra], ...identity });
  } catch (error) {
    if (extra.length === 0) throw error;
    // Only the file's text can be what failed to parse if the same context without it succeeds.
    context = tls.createSecureContext({ ca: defaults, ...identity });
    ignore(error);
  }
  contexts.set(key, context);
  return context;
}
