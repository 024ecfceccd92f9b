#!/usr/bin/env node
// The second half of `npm run build` (issue 12 §2): after tsc has emitted dist/ module by module
// (what the tests and dist/**/*.js readers use), bundle the CLI so that starting it reads one file
// and, from the second run on, compiles next to nothing.
//
//   dist/bundle/safe-pip.cjs   esbuild, one CommonJS file, platform node, target node20. Every
//                              `await import()` in src/ (each subcommand, the intercept path,
//                              pip's option tables, undici, ora, execa) stays lazy: esbuild wraps
//                              the module in a function that runs on first import.
//   dist/main.cjs              the launchers' entry: src/code-cache.ts, which runs the bundle
//                              with V8's code cache, the bundle's sha256, so that no cache of
//                              another build is used, and safe-pip's subcommand names (one cache
//                              file each); first, src/v8-options.ts sets V8's options, and
//                              src/probe-ahead.ts starts the interpreter probe (cold cache). A
//                              CommonJS file: Node starts it ~4 ms sooner than an ES module.
//                              tsc's dist/main.js stays the unbundled CLI (what the tests that
//                              check a command's imports run).
//
// undici's HTTP/2 client (lib/dispatcher/client-h2.js, which loads node:http2 as it is imported) is
// replaced by scripts/undici-without-h2.cjs: safe-pip never enables HTTP/2. node:http, which two
// of undici's modules load for a class and a number, by scripts/undici-without-http.cjs for those
// two. htmlparser2's index by scripts/htmlparser2-tokenizer.mjs: safe-pip uses only its Tokenizer.
//
// dist/bundle/ sits two levels below the package root like dist/<dir>/*.js, so the few
// `new URL('../../…', import.meta.url)` in src/ (package.json, python/) resolve the same in both.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
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

// node:http, which undici's core/util.js and dispatcher/client.js load for a class and a number,
// is replaced for those two by scripts/undici-without-http.cjs.
const undiciWithoutHttp = {
  name: 'undici-without-http',
  setup(b) {
    b.onResolve({ filter: /^node:http$/ }, (args) =>
      /[\\/]node_modules[\\/]undici[\\/]lib[\\/](core[\\/]util|dispatcher[\\/]client)\.js$/.test(args.importer) ? { path: join(root, 'scripts', 'undici-without-http.cjs') } : undefined,
    );
  },
};

// htmlparser2's index, of which safe-pip uses the Tokenizer alone, is replaced by scripts/htmlparser2-tokenizer.mjs.
const htmlparser2TokenizerOnly = {
  name: 'htmlparser2-tokenizer-only',
  setup(b) {
    b.onResolve({ filter: /^htmlparser2$/ }, () => ({ path: join(root, 'scripts', 'htmlparser2-tokenizer.mjs') }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const bundle = join(outdir, 'safe-pip.cjs');
const result = await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // import() of Node's built-ins becomes require(): a vm.Script has no module loader for import().
  supported: { 'dynamic-import': false },
  sourcemap: 'linked',
  legalComments: 'none',
  // Smaller source is less for V8 to parse when there is no code cache yet. keepNames keeps
  // function names in stack traces; the linked source map leads back to src/.
  minify: true,
  keepNames: true,
  // ASCII only (non-ASCII escaped), so that src/code-cache.ts can read the bundle as Latin-1; a
  // character esbuild cannot escape (in a regular expression literal) fails the build below.
  charset: 'ascii',
  metafile: true,
  logLevel: 'warning',
  // src/ finds package.json and python/ relative to its own module's URL.
  define: { 'import.meta.url': '__safePipModuleUrl' },
  banner: { js: "var __safePipModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [withoutUndiciHttp2, undiciWithoutHttp, htmlparser2TokenizerOnly],
});

const bundleBytes = readFileSync(bundle);
const nonAscii = bundleBytes.findIndex((byte) => byte > 0x7f);
if (nonAscii >= 0) {
  const near = bundleBytes.subarray(Math.max(0, nonAscii - 40), nonAscii + 4).toString('utf8');
  throw new Error(`the bundle must be ASCII (src/code-cache.ts reads it as Latin-1): write the character in ${JSON.stringify(near)} as a \\u escape in src/`);
}

// The launchers' entry: src/code-cache.ts and the call that runs the bundle, naming its sha256 and
// safe-pip's subcommands (a code cache file for each; tsc has just written dist/cli/).
const buildId = createHash('sha256').update(bundleBytes).digest('hex');
const { SUBCOMMANDS } = await import(new URL('../dist/cli/subcommands.js', import.meta.url).href);
const bundleBuild = { build: buildId, words: SUBCOMMANDS.map((command) => command.name) };
await build({
  stdin: {
    contents: [
      "import { applyV8Options } from './src/v8-options.ts';",
      'applyV8Options(process.argv[2]);',
      // After the options: code-cache.ts's own built-ins (crypto…) load within applyV8Options's window.
      "const { runBundle } = require('./src/code-cache.ts');",
      // The interpreter probe runs while the bundle loads (src/io/early-probe.ts).
      "require('./src/probe-ahead.ts').probeAhead(process.argv[2], process.env);",
      `runBundle(require('node:path').join(__dirname, 'bundle', 'safe-pip.cjs'), ${JSON.stringify(bundleBuild)}, process.env, process.argv);`,
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'main-entry.ts',
    loader: 'ts',
  },
  outfile: join(root, 'dist', 'main.cjs'),
  bundle: true,
  // As in the bundle (python/ relative to a module's URL), from the bundle's folder: this file is a level higher.
  define: { 'import.meta.url': '__safePipModuleUrl' },
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: [
      "// Written by scripts/bundle.mjs: the bundled CLI's entry (the launchers in bin/ run this file).",
      "var __safePipModuleUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, 'bundle', 'main.cjs')).href;",
    ].join('\n'),
  },
});

if (process.argv.includes('--sizes')) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (/\.c?js$/.test(file)) process.stdout.write(`${String(Math.round(output.bytes / 1024)).padStart(6)} KB  ${file}\n`);
  }
}
