// The Dev Container Feature (install-scripts/devcontainer/): its metadata against the spec's
// schema and conventions, and its install.sh run against a temporary root (SAFE_PIP_FEATURE_ROOT)
// with a local package (SAFE_PIP_FEATURE_PACKAGE), npm offline.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { REPO_ROOT, runCommand } from '../setup/shell-harness.js';
import { checkoutHasSetupWired, makeFixturePackage, offlineNpmEnv, packTarball, readRecord } from './fixture-package.js';
import { validate } from './json-schema-subset.js';

// A collection directory holding one Feature directory named after its id, as the spec requires.
const FEATURE_DIR = join(REPO_ROOT, 'install-scripts', 'devcontainer', 'safe-pip');
const FEATURE_JSON = join(FEATURE_DIR, 'devcontainer-feature.json');
const INSTALL = join(FEATURE_DIR, 'install.sh');
const SHIMS = '/usr/local/share/safe-pip/shims';

const feature = JSON.parse(readFileSync(FEATURE_JSON, 'utf8')) as {
  id: string;
  options: Record<string, { type: string; default: unknown }>;
  containerEnv: Record<string, string>;
  installsAfter: string[];
};
const schema = JSON.parse(readFileSync(new URL('./devContainerFeature.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('devcontainer-feature.json', () => {
  it('is valid against the Dev Container Feature schema', () => {
    expect(validate(schema, feature)).toEqual([]);
  });

  it('the schema check is not vacuous', () => {
    expect(validate(schema, { id: 'x' })).toContain('$: missing required property "version"');
    expect(validate(schema, { ...feature, option: {} }).join('\n')).toContain('$.option: not allowed');
    expect(validate(schema, { ...feature, options: { a: { type: 'boolean', default: 'yes' } } }).join('\n')).toContain('matches none of anyOf');
  });

  it('follows the spec conventions the schema cannot express', () => {
    // "id ... must match the name of the directory where the devcontainer-feature.json resides"
    expect(feature.id).toBe(basename(FEATURE_DIR));
    expect(feature.id).toBe('safe-pip');
    expect(feature.installsAfter).toContain('ghcr.io/devcontainers/features/node');
    expect(feature.options.onlyBinaryEnv).toMatchObject({ type: 'boolean', default: true });
    expect(feature.options.version).toMatchObject({ type: 'string', default: 'latest' });
    expect(feature.containerEnv.PATH).toBe(`${SHIMS}:\${PATH}`);
    // Options reach install.sh as their id upper-cased with non-word characters replaced by "_".
    const script = readFileSync(INSTALL, 'utf8');
    for (const id of Object.keys(feature.options)) {
      expect(script).toContain(`\${${id.replace(/[^\w]/g, '_').toUpperCase()}:-`);
    }
    expect(script).toContain(`share=$root${SHIMS.replace(/\/shims$/, '')}`);
  });
});

function prepareRoot(): { root: string; record: string; env: NodeJS.ProcessEnv } {
  const tmp = makeTempDir('safe-pip-feature-');
  const root = join(tmp, 'root');
  mkdirSync(join(root, 'etc', 'zsh'), { recursive: true });
  mkdirSync(join(root, 'etc', 'fish'), { recursive: true });
  writeFileSync(join(root, 'etc', 'bash.bashrc'), '# System-wide .bashrc file\n[ -z "$PS1" ] && return');
  writeFileSync(join(root, 'etc', 'environment'), 'LANG=C.UTF-8\n');
  const record = join(tmp, 'record.txt');
  const env = {
    ...offlineNpmEnv(tmp),
    SAFE_PIP_FEATURE_ROOT: root,
    SAFE_PIP_FEATURE_PACKAGE: makeFixturePackage(tmp),
    SAFE_PIP_TEST_RECORD: record,
  };
  return { root, record, env };
}

describe('devcontainer install.sh', () => {
  it('installs system-wide under the root, makes the shims, and sets PATH and PIP_ONLY_BINARY (default on)', () => {
    const t = prepareRoot();
    const r = runCommand('sh', [INSTALL], t.env);
    expect(r.status, r.stderr).toBe(0);
    const shims = `${t.root}${SHIMS}`;
    expect(existsSync(join(t.root, 'usr', 'local', 'lib', 'node_modules', 'safe-pip', 'package.json'))).toBe(true);
    expect(readRecord(t.record)).toEqual([`setup --ci --dir ${shims}`, 'init bash', 'init zsh', 'init fish']);
    expect(readFileSync(`${t.root}/usr/local/share/safe-pip/init.zsh`, 'utf8')).toBe('# init zsh\n');

    // A login shell that sources the profile script gets the shims first and the variable.
    const login = runCommand('sh', ['-c', `PATH=/usr/bin:/bin; . ${t.root}/etc/profile.d/safe-pip.sh; echo "$PATH"; echo "$PIP_ONLY_BINARY"`], {
      ...process.env,
      PIP_ONLY_BINARY: undefined,
    });
    expect(login.stdout).toBe(`${shims}:/usr/bin:/bin\n:all:\n`);
    // ... but a value the user set in devcontainer.json wins.
    const own = runCommand('sh', ['-c', `. ${t.root}/etc/profile.d/safe-pip.sh; echo "$PIP_ONLY_BINARY"`], { ...process.env, PIP_ONLY_BINARY: 'numpy' });
    expect(own.stdout).toBe('numpy\n');

    expect(readFileSync(join(t.root, 'etc', 'environment'), 'utf8')).toBe(
      'LANG=C.UTF-8\n# safe-pip (Dev Container Feature)\nPIP_ONLY_BINARY=:all:\n',
    );
    const bashrc = readFileSync(join(t.root, 'etc', 'bash.bashrc'), 'utf8');
    expect(bashrc.startsWith('# System-wide .bashrc file\n[ -z "$PS1" ] && return\n# safe-pip (Dev Container Feature)\n')).toBe(true);
    expect(bashrc).toContain(`. '${t.root}/usr/local/share/safe-pip/init.bash'`);
    expect(readFileSync(join(t.root, 'etc', 'zsh', 'zshrc'), 'utf8')).toContain('init.zsh');
    expect(readFileSync(join(t.root, 'etc', 'fish', 'conf.d', 'safe-pip.fish'), 'utf8')).toContain('set -gx PIP_ONLY_BINARY :all:');

    // An interactive bash of any user reads /etc/bash.bashrc: PATH and the variable are there.
    const interactive = runCommand('bash', ['-c', `PS1=x; . ${t.root}/etc/bash.bashrc; echo "$PATH"; echo "$PIP_ONLY_BINARY"`], {
      ...process.env,
      PATH: '/usr/bin:/bin',
    });
    expect(interactive.stdout).toBe(`${shims}:/usr/bin:/bin\n:all:\n`);

    // Building the image again (a re-run) adds nothing twice.
    expect(runCommand('sh', [INSTALL], t.env).status).toBe(0);
    expect(readFileSync(join(t.root, 'etc', 'bash.bashrc'), 'utf8')).toBe(bashrc);
    expect(readFileSync(join(t.root, 'etc', 'environment'), 'utf8').match(/PIP_ONLY_BINARY/g)).toHaveLength(1);
  });

  it('ONLYBINARYENV=false leaves PIP_ONLY_BINARY alone; a bad value is an error', () => {
    const t = prepareRoot();
    expect(runCommand('sh', [INSTALL], { ...t.env, ONLYBINARYENV: 'false', VERSION: '1.2.3' }).status).toBe(0);
    expect(readFileSync(join(t.root, 'etc', 'environment'), 'utf8')).toBe('LANG=C.UTF-8\n');
    expect(readFileSync(join(t.root, 'etc', 'profile.d', 'safe-pip.sh'), 'utf8')).not.toContain('PIP_ONLY_BINARY');
    expect(readFileSync(join(t.root, 'etc', 'fish', 'conf.d', 'safe-pip.fish'), 'utf8')).not.toContain('PIP_ONLY_BINARY');
    const bad = runCommand('sh', [INSTALL], { ...t.env, ONLYBINARYENV: 'maybe' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('onlyBinaryEnv must be true or false, not "maybe"');
  });

  it('option package: a tarball in the feature folder (offline, pinned) is installed instead of the registry', () => {
    const t = prepareRoot();
    // The feature folder as a user copies it into .devcontainer/, with the tarball beside install.sh.
    const copy = join(makeTempDir('feature-copy-'), 'safe-pip');
    cpSync(FEATURE_DIR, copy, { recursive: true });
    const tarball = packTarball(t.env.SAFE_PIP_FEATURE_PACKAGE!, copy, t.env);
    const r = runCommand('sh', [join(copy, 'install.sh')], { ...t.env, SAFE_PIP_FEATURE_PACKAGE: undefined, PACKAGE: `./${basename(tarball)}` });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`safe-pip feature: installing ${tarball}\n`);
    const installed = JSON.parse(readFileSync(join(t.root, 'usr', 'local', 'lib', 'node_modules', 'safe-pip', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe('0.0.0-test');
    // A path that is not there is named, before npm is asked.
    const missing = runCommand('sh', [join(copy, 'install.sh')], { ...t.env, SAFE_PIP_FEATURE_PACKAGE: undefined, PACKAGE: './nothing.tgz' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`safe-pip feature: error: the package option names ${copy}/nothing.tgz, which does not exist (put the \`npm pack\` tarball in the feature folder next to install.sh)\n`);
  });

  it('the feature documents what PIP_ONLY_BINARY does and that download still fetches sdists raw', () => {
    expect(feature.options.package).toMatchObject({ type: 'string', default: '' });
    const described = (feature.options.onlyBinaryEnv as unknown as { description: string }).description;
    expect(described).toContain('PIP_ONLY_BINARY=:all:');
    expect(described).toContain('pip download');
  });

  it('without Node.js it names the feature to add', () => {
    const t = prepareRoot();
    const r = runCommand('/bin/sh', [INSTALL], { ...t.env, PATH: join(t.root, 'nothing') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('add "ghcr.io/devcontainers/features/node" to the features in devcontainer.json');
  });

  it.skipIf(!checkoutHasSetupWired())(
    `with the real checkout as the package, the shims run pip through safe-pip${checkoutHasSetupWired() ? '' : ' (skipped: `safe-pip setup`/`init` are not wired into dist/main.js yet)'}`,
    () => {
      const t = prepareRoot();
      const r = runCommand('sh', [INSTALL], { ...t.env, SAFE_PIP_FEATURE_PACKAGE: REPO_ROOT });
      expect(r.status, r.stderr).toBe(0);
      const shim = readFileSync(`${t.root}${SHIMS}/pip`, 'utf8');
      expect(shim.split('\n')[1]).toMatch(/^# safe-pip-launcher:/);
      expect(readFileSync(`${t.root}/usr/local/share/safe-pip/init.bash`, 'utf8')).toContain('__safe_pip_bin=');
    },
  );
});
