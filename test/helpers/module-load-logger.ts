// Preloads for NODE_OPTIONS=--import that record what the CLI loads, for the tests that check
// what a command does not load (issue 12 §2). moduleLoadLogger: every module of one npm package
// that tsc's unbundled CLI imports (node:module register's load hook: the package's own files in
// node_modules), one line (its URL) a module in `log`; the bundle is one file, which it cannot
// see into.
// builtinModuleLogger: the Node built-in modules loaded, written as the process exits.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function moduleLoadLogger(dir: string, log: string, packageName: string): string {
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function load(url, context, next) {\n` +
      `  const result = await next(url, context);\n` +
      `  if (url.includes(${JSON.stringify(`/node_modules/${packageName}/`)})) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n` +
      `  return result;\n}\n`,
  );
  const preload = join(dir, 'preload.mjs');
  writeFileSync(preload, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return preload;
}

/** A preload for NODE_OPTIONS=--import that writes, as the process exits, the Node built-in modules it loaded (one name a line) into `log`. */
export function builtinModuleLogger(dir: string, log: string): string {
  const preload = join(dir, 'builtins.mjs');
  writeFileSync(
    preload,
    `import { writeFileSync } from 'node:fs';\n` +
      `process.on('exit', () => writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join('\\n') + '\\n'));\n`,
  );
  return preload;
}
