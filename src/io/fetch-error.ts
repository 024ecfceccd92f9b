// The one error of the index client for things the user must hear about: a page pip would also
// choke on, a file whose bytes do not match its hashes, a body that breaks off, a name that cannot
// be stored safely. Says which URL (credentials redacted), which file, what was expected and what
// came. A SafePipError, so main.ts prints it without a stack.
import { SafePipError } from '../errors.js';
import { redactText, redactUrl } from './redact-url.js';

export class FetchError extends SafePipError {
  readonly url: string;
  readonly filename: string | null;
  constructor(url: string, filename: string | null, detail: string, options: { hint?: string; cause?: unknown } = {}) {
    const what = filename === null ? redactUrl(url) : `${filename} (${redactUrl(url)})`;
    super(`${what}: ${redactText(detail)}`, { ...(options.hint ? { hint: options.hint } : {}), ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.name = 'FetchError';
    this.url = redactUrl(url);
    this.filename = filename;
  }
}
