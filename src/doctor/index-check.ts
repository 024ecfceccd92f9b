// Does the index answer? One GET of the index's project page for `pip` (the simple API,
// https://packaging.python.org/en/latest/specifications/simple-repository-api/) with pip's
// network settings (proxy, trusted hosts, the URL's own credentials) and a short timeout, no
// retries. Any HTTP answer means the index is reachable; 401/403 mean it wants other
// credentials. A `file:` index is checked by looking at the directory. Offline is a warning in
// the report, never a failure: safe-pip's protection does not depend on it.
import { readFileSync, statSync } from 'node:fs';
import { HttpClient, proxyEnvFrom } from '../io/http/client.js';
import { HttpError } from '../io/http/http-error.js';
import { indexPageLocation, urlToPath } from '../io/index-sources.js';
import { redactText, redactUrl } from '../io/redact-url.js';

export type IndexStatus = 'answers' | 'refuses' | 'error-status' | 'unreachable';

export interface IndexCheck {
  /** The index URL, credentials redacted. */
  url: string;
  /** The URL requested, credentials redacted. */
  checked: string;
  status: IndexStatus;
  httpStatus: number | null;
  detail: string;
}

export interface IndexCheckOptions {
  env: NodeJS.ProcessEnv;
  timeoutSeconds?: number;
  proxy?: string | null;
  trustedHosts?: readonly string[];
  /** `--cert` (a CA bundle file) and `--client-cert` paths; unreadable ones are ignored here. */
  cert?: string | null;
  clientCert?: string | null;
}

function readPem(path: string | null | undefined): string | null {
  if (path === null || path === undefined || path === '') return null;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export const INDEX_CHECK_TIMEOUT_SECONDS = 4;

export async function checkIndex(indexUrl: string, options: IndexCheckOptions): Promise<IndexCheck> {
  const checked = indexPageLocation(indexUrl, 'pip');
  const base = { url: redactUrl(indexUrl), checked: redactUrl(checked) };
  if (/^file:/i.test(indexUrl)) {
    const path = urlToPath(indexUrl);
    let isDir = false;
    try {
      isDir = path !== null && statSync(path).isDirectory();
    } catch {
      isDir = false;
    }
    return isDir
      ? { ...base, status: 'answers', httpStatus: null, detail: 'a local directory' }
      : { ...base, status: 'unreachable', httpStatus: null, detail: `${path ?? indexUrl} is not a directory` };
  }
  const client = new HttpClient({
    timeoutSeconds: options.timeoutSeconds ?? INDEX_CHECK_TIMEOUT_SECONDS,
    retries: 0,
    proxy: options.proxy ?? null,
    proxyEnv: proxyEnvFrom(options.env),
    trustedHosts: options.trustedHosts ?? [],
    caBundle: readPem(options.cert ?? options.env.REQUESTS_CA_BUNDLE),
    clientCert: readPem(options.clientCert),
    credentialUrls: [indexUrl],
    maxRedirects: 5,
  });
  try {
    const status = await client.fetchStream(
      checked,
      { headers: { accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' } },
      async (head, body) => {
        // Read the page to its end: it is small, and a body abandoned unread ends in an abort
        // error nobody listens to. A failure while reading does not undo "it answered".
        try {
          for await (const chunk of body) void chunk;
        } catch {
          // The status line arrived; that is all this check needs.
        }
        return head.status;
      },
    );
    if (status < 400) return { ...base, status: 'answers', httpStatus: status, detail: `HTTP ${status}` };
    if (status === 404) return { ...base, status: 'answers', httpStatus: status, detail: 'HTTP 404 (it has no "pip" project; that is fine)' };
    if (status === 401 || status === 403) {
      return { ...base, status: 'refuses', httpStatus: status, detail: `HTTP ${status}: it wants credentials (or other ones)` };
    }
    return { ...base, status: 'error-status', httpStatus: status, detail: `HTTP ${status}` };
  } catch (error) {
    const detail = error instanceof HttpError ? error.message.slice(error.url.length + 2) : String(error);
    return { ...base, status: 'unreachable', httpStatus: null, detail: redactText(detail) };
  } finally {
    await client.close();
  }
}
