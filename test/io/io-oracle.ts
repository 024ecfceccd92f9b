// Runs test/standards/oracle-simple-api/io_oracle.py (pip 23.2.1's own answers) in one process.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'standards', 'oracle-simple-api', 'io_oracle.py');

export interface IoOracleRequest {
  redact?: string[];
  secure?: Array<[string, string[]]>;
  netrc?: Array<[string, string]>;
  candidates?: Array<{ name: string; indexUrls: string[]; findLinks: string[] }>;
}

export interface IoOracleAnswer {
  redact: string[];
  secure: boolean[];
  netrc: Array<[string, string] | null | 'parse-error'>;
  candidates: string[][];
}

export function askPip(request: IoOracleRequest): IoOracleAnswer {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_CACHE_DIR: '1' };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) delete env[k];
  const out = execFileSync('python3', [script], { input: JSON.stringify(request), env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as IoOracleAnswer;
}
