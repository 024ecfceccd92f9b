// What `safe-pip fetch` prints: its usage, and a short summary (or JSON for machines).
export interface FetchedFile {
  name: string;
  version: string | null;
  filename: string;
  path: string;
  sha256: string;
  size: number;
  via: 'existing' | 'cache' | 'network' | 'local';
  url: string;
}

export function fetchUsage(): string {
  return `Usage: safe-pip fetch <requirement>... [options]

Downloads the files \`pip download\` would choose (wheels, or sdists raw) for the requirements and
their dependencies, checked against the index hashes. Never runs pip or any package code.

Options:
  -r, --requirement FILE     requirements file (pip's format)
  -c, --constraint FILE      constraints file
  -d, --dest DIR             where to save the files (default: .)
  -i, --index-url URL        base URL of the simple API
  --extra-index-url URL      more indexes (merged without priority, like pip)
  -f, --find-links LOC       directories, HTML pages or URLs with distribution links
  --no-index                 ignore indexes (find-links only)
  --no-deps                  only the named requirements
  --pre                      allow pre-releases
  --prefer-binary            prefer older wheels over newer sdists
  --uploaded-prior-to WHEN   only files uploaded before WHEN (pip 26.0+: an ISO 8601 date, or P<n>D)
  --safe-pip-min-age D       hold back releases uploaded less than D ago (3d, 12h, 90m, 2w; 0 = off);
                             wins over SAFE_PIP_MIN_AGE and min-age in safe-pip's config
  --sdist                    take each chosen version's sdist instead (for reading the source)
  --platform P, --python-version V, --implementation I, --abi A
                             the target interpreter (default: the one your pip runs)
  --timeout S, --retries N   network settings
  --cert FILE                CA bundle (PEM) that verifies the index, instead of the default roots
  --client-cert FILE         client certificate: one PEM file with the key and the certificate
  --trusted-host HOST[:PORT] do not verify TLS for this host (and allow plain http to it), as pip
  --json                     print a JSON summary on stdout
  -q, --quiet                no progress lines
  -h, --help                 show this help

Environment:
  SAFE_PIP_REAL_PIP=/path/to/pip  the pip whose Python is the target (default: the next pip on PATH)
  PIP_*, pip's config files       read as \`pip download\` reads them (index, find-links, hashes…)
  SAFE_PIP_MIN_AGE, SAFE_PIP_MIN_AGE_EXEMPT
                                  hold back releases uploaded too recently (as for pip commands)
  SAFE_PIP_CACHE_DIR=DIR          safe-pip's cache (default $XDG_CACHE_HOME/safe-pip)
  HTTP_PROXY, HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, NETRC
                                  network settings, read as pip reads them
  CI, TERM=dumb, NO_COLOR         no spinner (CI, dumb terminal), no colour (NO_COLOR)
  SAFE_PIP_DEBUG=1                show stack traces of internal errors

Exit status:
  0   every file fetched (or this help)
  1   a file could not be fetched or failed its hash check, a requirements file could not be
      read, or no version satisfies a requirement
  2   a usage error, or no Python to describe the target (give --python-version and --platform)
  70  a bug in safe-pip
`;
}

export function fetchSummary(files: readonly FetchedFile[], dest: string, notes: readonly string[], json: boolean): string {
  if (json) return `${JSON.stringify({ dest, files, notes }, null, 2)}\n`;
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const lines = notes.map((n) => `safe-pip: ${n}`);
  lines.push(`safe-pip: fetched ${files.length} file${files.length === 1 ? '' : 's'} (${formatBytes(bytes)}) into ${dest}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The progress line while files download: files done, bytes written so far and the mean rate since
 * the downloads began (shown once half a second has passed, so the first figure is not noise).
 */
export function downloadProgressText(progress: { done: number; total: number; bytes: number; seconds: number }): string {
  const parts = [`downloading ${progress.done}/${progress.total} file${progress.total === 1 ? '' : 's'}`];
  if (progress.bytes > 0) parts.push(formatBytes(progress.bytes));
  if (progress.bytes > 0 && progress.seconds >= 0.5) parts.push(`${formatBytes(Math.round(progress.bytes / progress.seconds))}/s`);
  return `safe-pip: ${parts.join(', ')}…`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
