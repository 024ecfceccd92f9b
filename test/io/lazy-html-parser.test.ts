// Issue 12 §2: the HTML page parser (htmlparser2 and the entity tables, most of the parsing code)
// loads only when an index answers in HTML; an index that answers in JSON (PyPI does, to the
// Accept header safe-pip sends) is read without it. A module hook (node:module register) logs
// every module of htmlparser2 that tsc's unbundled CLI (dist/main.js) imports; the bundle keeps
// the same imports lazy (scripts/bundle.mjs).
// The facts of the interpreter are cached by a first run: a cold probe preloads both parsers
// while Python runs (index-client.ts preloadIndexClient), which is what the second run skips.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { moduleLoadLogger } from '../helpers/module-load-logger.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { BIN, ensureBuilt, envWith, start, unbundledProgram } from '../launcher/harness.js';

const servers: IndexServer[] = [];
beforeAll(() => ensureBuilt());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('the HTML page parser is loaded for an HTML index only', () => {
  for (const format of ['json', 'html'] as const) {
    it(`an index answering in ${format.toUpperCase()}: ${format === 'json' ? 'not loaded' : 'loaded'}, and the page read all the same`, async () => {
      const wheel = await buildWheel({ name: 'tiny', version: '1.0' });
      const server = await startIndexServer({ format, projects: { tiny: [wheel] } });
      servers.push(server);
      const dir = makeTempDir();
      const log = join(dir, 'parser.log');
      writeFileSync(log, '');
      const env = envWith({ SAFE_PIP_CACHE_DIR: join(dir, 'cache') });
      const args = ['explain', 'install', '--target', join(dir, 'target'), '-i', server.indexUrl(), 'tiny'];
      // Asynchronously: the index answers from this process.
      expect((await start(join(BIN, 'safe-pip'), args, env).done).exitCode).toBe(0);
      const result = await start(process.execPath, [unbundledProgram(), ...args], { ...env, NODE_OPTIONS: `--import=${moduleLoadLogger(dir, log, 'htmlparser2')}` }).done;
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('tiny-1.0-py3-none-any.whl');
      const pages = server.requests.filter((r) => r.kind === 'page');
      expect(pages.length).toBeGreaterThan(0);
      if (format === 'json') expect(readFileSync(log, 'utf8')).toBe('');
      else expect(readFileSync(log, 'utf8')).not.toBe('');
    });
  }
});
