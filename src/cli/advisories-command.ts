// `safe-pip update-advisories [--file PATH | --url URL] [--json]`: refreshes the offline malware
// data (OSV `MAL-` records for PyPI) that every install, wheel, lock and download is matched
// against (src/io/advisories.ts, src/policy/malware.ts). Without --file it downloads OSV's PyPI
// bulk file from --url, SAFE_PIP_ADVISORIES_URL, `advisories-url` in safe-pip's config, or OSV.
import { SafePipError } from '../errors.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { HttpClient, proxyEnvFrom } from '../io/http/client.js';
import { advisoriesStatus, DEFAULT_ADVISORIES_URL, updateAdvisories, type AdvisoriesOrigin } from '../io/advisories.js';
import { safePipCacheDir } from '../io/cache-dir.js';
import { redactUrl } from '../io/redact-url.js';
import type { CliContext } from './context.js';
import { advisoriesUrl } from './intercept/beyond-pip-settings.js';

export function updateAdvisoriesHelp(): string {
  return [
    'usage: safe-pip update-advisories [--file PATH | --url URL] [--status] [--json]',
    '',
    "Refreshes safe-pip's offline list of known malicious PyPI releases (OSV MAL- records, kept in",
    "safe-pip's cache). pip install, wheel, lock and download then refuse any release on it, matched",
    'by name and version or by file sha256, whatever the allow-lists say (docs/beyond-pip.md).',
    '',
    'Options:',
    '  --file PATH   read an OSV bulk zip you already have (e.g. PyPI/all.zip) instead of downloading',
    '  --url URL     download from URL instead of the default below',
    '  --status      show what is there and when it was read; change nothing',
    '  --json        print the result as JSON',
    '  -h, --help    show this help',
    '',
    'Environment:',
    '  SAFE_PIP_ADVISORIES_URL=URL  where to download from (else advisories-url = "URL" in',
    '                               ~/.config/safe-pip/config.toml, else',
    `                               ${DEFAULT_ADVISORIES_URL})`,
    "  SAFE_PIP_CACHE_DIR=DIR       safe-pip's cache (default $XDG_CACHE_HOME/safe-pip)",
    '  HTTPS_PROXY, NO_PROXY        used for the download',
    '',
    'Exit status:',
    '  0     the data was read and written (or --status shown)',
    '  1     the file or URL could not be read; the previous data is kept',
    '  2     a usage error',
    '',
  ].join('\n');
}

interface Options {
  file: string | null;
  url: string | null;
  json: boolean;
  status: boolean;
}

function parseArgs(args: readonly string[]): Options | 'help' {
  const options: Options = { file: null, url: null, json: false, status: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const value = (flag: string): string => {
      const inline = arg.startsWith(`${flag}=`) ? arg.slice(flag.length + 1) : null;
      if (inline !== null) return inline;
      const next = args[i + 1];
      if (next === undefined) throw new SafePipError(`${flag} needs a value`, { exitCode: EXIT_USAGE, hint: 'safe-pip update-advisories --help' });
      i += 1;
      return next;
    };
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--json') options.json = true;
    else if (arg === '--status') options.status = true;
    else if (arg === '--file' || arg.startsWith('--file=')) options.file = value('--file');
    else if (arg === '--url' || arg.startsWith('--url=')) options.url = value('--url');
    else throw new SafePipError(`update-advisories: unknown argument ${JSON.stringify(arg)}`, { exitCode: EXIT_USAGE, hint: 'safe-pip update-advisories --help' });
  }
  if (options.file !== null && options.url !== null) throw new SafePipError('update-advisories: give --file or --url, not both', { exitCode: EXIT_USAGE });
  return options;
}

export async function runUpdateAdvisories(args: readonly string[], context: CliContext): Promise<number> {
  const options = parseArgs(args);
  if (options === 'help') {
    process.stdout.write(updateAdvisoriesHelp());
    return 0;
  }
  const cacheDir = safePipCacheDir(context.env);
  if (options.status) {
    const status = await advisoriesStatus(cacheDir);
    process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : status === null ? 'no offline advisories yet: run `safe-pip update-advisories`\n' : `${status.records} malicious-release records from ${status.source}, read ${status.updatedAt} (${status.path})\n`);
    return 0;
  }
  let origin: AdvisoriesOrigin;
  let http: HttpClient | null = null;
  if (options.file !== null) origin = { kind: 'file', path: options.file };
  else {
    const url = options.url ?? advisoriesUrl(context.env).url;
    http = new HttpClient({ proxyEnv: proxyEnvFrom(context.env), timeoutSeconds: 60 });
    origin = { kind: 'url', url, http };
    if (!options.json) process.stderr.write(`safe-pip: downloading ${redactUrl(url)}\n`);
  }
  try {
    const result = await updateAdvisories(cacheDir, origin);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...result.status, skipped: result.skipped }, null, 2)}\n`);
    else {
      process.stdout.write(`safe-pip: kept ${result.status.records} malicious-release records (OSV MAL-) from ${result.status.source} in ${result.status.path}\n`);
      if (result.skipped.length > 0) process.stderr.write(`safe-pip: ${result.skipped.length} members were not readable JSON and were skipped (first: ${result.skipped[0]})\n`);
    }
    return 0;
  } finally {
    await http?.close();
  }
}
