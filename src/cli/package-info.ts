// safe-pip's own name and version, read from package.json at run time (it sits outside the
// TypeScript rootDir, so it is not imported; dist/cli/ and src/cli/ are both two levels down).
import { readFileSync } from 'node:fs';

export function safePipVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const version: unknown = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}
