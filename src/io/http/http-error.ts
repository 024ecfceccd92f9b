// The one error of the HTTP transport: which URL (credentials redacted), what happened, and the
// HTTP status when there was one. A SafePipError, so it is printed without a stack.
import { SafePipError } from '../../errors.js';
import { redactText, redactUrl } from '../redact-url.js';

export type HttpErrorKind = 'status' | 'network' | 'timeout' | 'redirect' | 'too-large' | 'tls' | 'decode' | 'refused-scheme';

export class HttpError extends SafePipError {
  readonly url: string;
  readonly kind: HttpErrorKind;
  readonly status: number | null;
  /** What happened, without the URL (credentials redacted), for messages that name the URL themselves. */
  readonly detail: string;
  constructor(url: string, kind: HttpErrorKind, detail: string, options: { status?: number; cause?: unknown } = {}) {
    super(`${redactUrl(url)}: ${redactText(detail)}`, options.cause === undefined ? {} : { cause: options.cause });
    this.detail = redactText(detail);
    this.name = 'HttpError';
    this.url = redactUrl(url);
    this.kind = kind;
    this.status = options.status ?? null;
  }
}
