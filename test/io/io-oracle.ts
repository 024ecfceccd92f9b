// Runs test/standards/oracle-simple-api/io_oracle.py (pip 23.2.1's own answers) in one process.
import { spawn } from 'node:child_process';
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

/** Asynchronous on purpose: pip may be fetching from a loopback server living in this process. */
export function askPip(request: IoOracleRequest): Promise<IoOracleAnswer> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_CACHE_DIR: '1' };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`io_oracle.py exited ${code}: ${Buffer.concat(err).toString()}`));
      else resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as IoOracleAnswer);
    });
    child.stdin.end(JSON.stringify(request));
  });
}
