// What the two forms of a project page share: a file's entry, built from its link the way pip's
// `Link` reads it (filename, quoting, hash and egg/subdirectory fragments), and link resolution
// that reports a bad link as the page's fault.
import { SimpleApiError } from './error.js';
import { eggFragment, ensureQuotedUrl, hashFromUrl, linkFilename, subdirectoryFragment } from './link.js';
import { PythonUrlError, urljoin } from './python-urllib.js';
import type { IndexFile } from '../simple-api.js';

export function makeFile(rawUrl: string, pageUrl: string, extra: Omit<IndexFile, 'filename' | 'url' | 'egg' | 'subdirectory'>): IndexFile {
  let url: string;
  try {
    url = ensureQuotedUrl(rawUrl);
  } catch (e) {
    if (e instanceof PythonUrlError) throw new SimpleApiError(pageUrl, `invalid link "${rawUrl}": ${e.message}`);
    throw e;
  }
  return {
    filename: linkFilename(url),
    url,
    ...extra,
    hashes: { ...extra.hashes, ...hashFromUrl(url) },
    egg: eggFragment(url),
    subdirectory: subdirectoryFragment(url),
  };
}

export function joinLink(base: string, href: string, pageUrl: string): string {
  try {
    return urljoin(base, href);
  } catch (e) {
    if (e instanceof PythonUrlError) throw new SimpleApiError(pageUrl, `invalid link "${href}": ${e.message}`);
    throw e;
  }
}
