// What `npm pack` publishes (issue 13 item 11): no source maps (the sources are not shipped), no
// script that runs when the tarball is installed, and the tarball installs into a temporary prefix
// — dependencies from a loopback registry, npm's cache private — after which `safe-pip --version`
// works. `prepare` stays for the repository (npm runs it for `npm install` in a checkout, a git
// dependency and a linked folder; never for a tarball or a registry install), which the install
// here proves: the installed package has no tsconfig.json, so a `prepare` that ran would fail.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ensureBuilt } from '../launcher/harness.js';
import { REPO_ROOT } from '../setup/shell-harness.js';
import { offlineNpmEnv } from './fixture-package.js';
import { startLoopbackRegistry } from './loopback-registry.js';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };

interface PackResult {
  filename: string;
  files: { path: string }[];
}

let registry: Awaited<ReturnType<typeof startLoopbackRegistry>>;
beforeAll(async () => {
  ensureBuilt();
  registry = await startLoopbackRegistry();
});
afterAll(async () => registry?.close());

/** `npm pack` of the checkout as it is (its scripts not run: dist/ is already built). */
function npmPack(root: string, dryRun: boolean): PackResult {
  const args = ['pack', '--json', '--ignore-scripts', ...(dryRun ? ['--dry-run'] : ['--pack-destination', root]), REPO_ROOT];
  const result = spawnSync('npm', args, { env: offlineNpmEnv(root), encoding: 'utf8', cwd: root });
  if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as PackResult[])[0]!;
}

describe('the published tarball', () => {
  it('npm pack --dry-run --json: no .map files, only bin/, dist/, install-scripts/, docs/, the early-start sitecustomize and pip-first loader, and the top-level files', () => {
    const packed = npmPack(makeTempDir('pack-'), true);
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => !/^(bin|dist|install-scripts|docs)\//.test(p)).sort()).toEqual(['LICENSE', 'README.md', 'package.json', 'python/early-pip-site/sitecustomize.py', 'python/early-pip-loader.py', 'python/interpreter-probe.py'].filter((p) => p.startsWith('python/') || paths.includes(p)).sort());
    expect(paths).toContain('dist/main.js');
    expect(paths).toContain('dist/main.cjs');
    expect(paths).toContain('dist/bundle/safe-pip.cjs');
    expect(paths).toContain('docs/policy.md');
    expect(paths.filter((p) => p.endsWith('.ts'))).toEqual([]);
  });

  it('declares no install-time script; the repository builds through prepare, which npm also runs before packing', () => {
    for (const name of ['preinstall', 'install', 'postinstall', 'prepack', 'postpack']) expect(manifest.scripts[name], name).toBeUndefined();
    expect(manifest.scripts.prepare).toBe('npm run build');
  });

  it('installs into a temporary prefix from the tarball with npm kept on loopback, runs no script, and safe-pip --version works', async () => {
    const root = makeTempDir('pack-install-');
    const packed = npmPack(root, false);
    const prefix = join(root, 'prefix');
    const env = { ...offlineNpmEnv(root), npm_config_offline: 'false', npm_config_registry: registry.url, npm_config_foreground_scripts: 'true', npm_config_loglevel: 'info' };
    // Asynchronously: the registry answers from this process.
    const install = await execa('npm', ['install', '--global', '--prefix', prefix, join(root, packed.filename)], { env, extendEnv: false, cwd: root, reject: false, timeout: 120_000 });
    expect(install.exitCode, install.stderr).toBe(0);
    // npm announces every lifecycle script it runs as `> safe-pip@0.1.0 <script>`.
    for (const script of INSTALL_SCRIPTS) expect(`${install.stdout}${install.stderr}`).not.toContain(`safe-pip@${manifest.version} ${script}`);
    expect(existsSync(join(prefix, 'lib', 'node_modules', 'safe-pip', 'tsconfig.json'))).toBe(false);
    const version = spawnSync(join(prefix, 'bin', 'safe-pip'), ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: `${prefix}/bin:${process.env.PATH}` } });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toMatch(new RegExp(`^safe-pip ${manifest.version.replace(/\./g, '\\.')}\\b`));
  });
});
