#!/usr/bin/env node
// The second half of `npm run build` (issue 12 §2): after tsc has emitted dist/ module by module
// (what the tests and dist/**/*.js readers use), bundle the CLI so that starting it reads a
// handful of files instead of a few hundred.
//
//   dist/bundle/main.js + dist/bundle/*.js  esbuild, ESM, platform node, target node20, code
//                                           splitting: every `await import()` in src/ (each
//                                           subcommand, the intercept path, pip's option tables,
//                                           ora, execa) stays a chunk loaded only when used
//   dist/main.js                            replaced by a small entry that turns on Node's
//                                           compile cache where Node has one (22.1+,
//                                           src/node-compile-cache.ts), then loads
//                                           dist/bundle/main.js
//
// undici's HTTP/2 client (lib/dispatcher/client-h2.js, which loads node:http2 as it is imported) is
// replaced by scripts/undici-without-h2.cjs: safe-pip never enables HTTP/2.
//
// dist/bundle/ sits two levels below the package root like dist/<dir>/*.js, so the few
// `new URL('../../…', import.meta.url)` in src/ (package.json, bin/) resolve the same in both.
// When tsc runs again alone (test/launcher/harness.ts does when src/ is newer), it rewrites
// dist/main.js as the unbundled entry, which is as correct, only slower to start.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

// undici's HTTP/2 client, which safe-pip never enables, is replaced by scripts/undici-without-h2.cjs.
const withoutUndiciHttp2 = {
  name: 'undici-without-h2',
  setup(b) {
    b.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]undici[\\/]lib[\\/]dispatcher$/.test(args.resolveDir) ? { path: join(root, 'scripts', 'undici-without-h2.cjs') } : undefined,
    );
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: join(root, 'src', 'main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // Smaller source is less for V8 to parse on every start (Node 20 has no compile cache): about
  // 30 ms of an intercepted command here. keepNames keeps function names in stack traces; the
  // linked source maps lead back to src/ (node --enable-source-maps).
  minify: true,
  keepNames: true,
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS dependencies (undici, htmlparser2, yauzl…) call require() for Node's
  // built-ins, which an ES module only has through createRequire.
  banner: { js: "import { createRequire as __safePipCreateRequire } from 'node:module'; const require = __safePipCreateRequire(import.meta.url);" },
  plugins: [withoutUndiciHttp2],
});

writeFileSync(
  join(root, 'dist', 'main.js'),
  `// Written by scripts/bundle.mjs: the bundled CLI's entry (the launchers in bin/ run this file).
// Node's compile cache (22.1+; a no-op on Node 20) is turned on before the bundle loads, so the
// bundle's own chunks are cached too (src/node-compile-cache.ts, emitted by tsc next to this file).
import { enableCompileCache } from './node-compile-cache.js';
enableCompileCache(process.env);
await import('./bundle/main.js');
`,
);

if (process.argv.includes('--sizes')) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) process.stdout.write(`${String(Math.round(output.bytes / 1024)).padStart(6)} KB  ${file}\n`);
  }
}
