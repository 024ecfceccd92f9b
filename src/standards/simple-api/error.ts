// The one error class of the simple-API page parser: which page (URL, credentials redacted by the
// caller before display) and what is malformed in it, quoting the offending value.

export class SimpleApiError extends Error {
  readonly url: string;
  readonly detail: string;
  constructor(url: string, detail: string) {
    super(`Invalid simple-API page ${url}: ${detail}`);
    this.name = 'SimpleApiError';
    this.url = url;
    this.detail = detail;
  }
}

/** A short quotation of a JSON value for an error message. */
export function quoteValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
