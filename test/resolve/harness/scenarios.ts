// Differential scenarios: each one is a wheel-only index (plus, optionally, a second index and a
// find-links directory) and the requirements to resolve. `serveScenarios` puts every scenario on
// one loopback server (index `<name>` and `<name>-extra`); `resolveWithSafePip` runs src/resolve/
// over it and `pipArgs` gives the same request for the real pip.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWheel, type WheelSpec } from '../../helpers/wheel-builder.js';
import { startIndexServer, type IndexServer, type ServedFile } from '../../helpers/index-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { parseRequirement } from '../../../src/standards/pep508/requirement.js';
import { normalizeName } from '../../../src/standards/names.js';
import { SpecifierSet } from '../../../src/standards/specifiers.js';
import { resolve, ResolutionImpossible, type Resolution } from '../../../src/resolve/resolver.js';
import { finderContext, loopbackSource, type FinderOptions, type LoopbackEntry, type TargetEnvironment } from './loopback.js';

export interface WheelFile extends WheelSpec {
  yanked?: boolean | string;
  /** `data-requires-python` on the link (metadata Requires-Python is `requiresPython`). */
  linkRequiresPython?: string;
  /** Serve a PEP 658 metadata file. */
  pep658?: boolean;
}

export interface Scenario {
  name: string;
  index?: WheelFile[];
  extra?: WheelFile[];
  findLinks?: WheelFile[];
  noIndex?: boolean;
  requirements: string[];
  constraints?: string[];
  options?: FinderOptions;
  noDeps?: boolean;
}

/** A wheel spec in one line: `w('a', '1.0', { requiresDist: ['b'] })`. */
export function w(name: string, version: string, more: Partial<WheelFile> = {}): WheelFile {
  return { name, version, ...more };
}

export interface ServedScenarios {
  server: IndexServer;
  findLinksDir: Map<string, string>;
  constraintsFile: Map<string, string>;
}

async function served(files: readonly WheelFile[]): Promise<Map<string, ServedFile[]>> {
  const out = new Map<string, ServedFile[]>();
  for (const spec of files) {
    const built = await buildWheel(spec);
    const file: ServedFile = { filename: built.filename, data: built.data };
    if (built.metadata !== undefined) file.metadata = built.metadata;
    if (spec.yanked !== undefined) file.yanked = spec.yanked;
    if (spec.linkRequiresPython !== undefined) file.requiresPython = spec.linkRequiresPython;
    if (spec.pep658 === true) file.coreMetadata = true;
    const key = normalizeName(spec.name);
    out.set(key, [...(out.get(key) ?? []), file]);
  }
  return out;
}

export async function serveScenarios(scenarios: readonly Scenario[]): Promise<ServedScenarios> {
  const indexes: Record<string, Record<string, ServedFile[]>> = {};
  const findLinksDir = new Map<string, string>();
  const constraintsFile = new Map<string, string>();
  const root = makeTempDir('resolver-scenarios-');
  for (const scenario of scenarios) {
    indexes[scenario.name] = Object.fromEntries(await served(scenario.index ?? []));
    indexes[`${scenario.name}-extra`] = Object.fromEntries(await served(scenario.extra ?? []));
    if (scenario.findLinks !== undefined) {
      const dir = join(root, `${scenario.name}-links`);
      mkdirSync(dir);
      for (const spec of scenario.findLinks) {
        const built = await buildWheel(spec);
        writeFileSync(join(dir, built.filename), built.data);
      }
      findLinksDir.set(scenario.name, dir);
    }
    if (scenario.constraints !== undefined) {
      const path = join(root, `${scenario.name}-constraints.txt`);
      writeFileSync(path, `${scenario.constraints.join('\n')}\n`);
      constraintsFile.set(scenario.name, path);
    }
  }
  const server = await startIndexServer({ indexes });
  return { server, findLinksDir, constraintsFile };
}

/** The pip arguments for a scenario (without the command and --report). */
export function pipArgs(scenario: Scenario, servedScenarios: ServedScenarios): string[] {
  const args: string[] = [];
  if (scenario.noIndex === true) args.push('--no-index');
  else args.push('-i', servedScenarios.server.indexUrl(scenario.name), '--extra-index-url', servedScenarios.server.indexUrl(`${scenario.name}-extra`));
  const dir = servedScenarios.findLinksDir.get(scenario.name);
  if (dir !== undefined) args.push('-f', dir);
  const constraints = servedScenarios.constraintsFile.get(scenario.name);
  if (constraints !== undefined) args.push('-c', constraints);
  if (scenario.options?.pre === true) args.push('--pre');
  if (scenario.options?.preferBinary === true) args.push('--prefer-binary');
  if (scenario.options?.ignoreRequiresPython === true) args.push('--ignore-requires-python');
  if (scenario.noDeps === true) args.push('--no-deps');
  args.push(...scenario.requirements);
  return args;
}

export type SafePipOutcome = { ok: true; resolution: Resolution<LoopbackEntry> } | { ok: false; error: ResolutionImpossible };

/** Resolve a scenario as pip `pipVersion` (default: the machine's pip) would. */
export async function resolveWithSafePip(scenario: Scenario, servedScenarios: ServedScenarios, env: TargetEnvironment, pipVersion: string = env.pipVersion): Promise<SafePipOutcome> {
  const { server } = servedScenarios;
  const source = loopbackSource({
    indexUrls: scenario.noIndex === true ? [] : [server.indexUrl(scenario.name), server.indexUrl(`${scenario.name}-extra`)],
    findLinks: servedScenarios.findLinksDir.has(scenario.name) ? [servedScenarios.findLinksDir.get(scenario.name)!] : [],
  });
  const constraints = new Map<string, { specifier: SpecifierSet; origin: string }[]>();
  for (const line of scenario.constraints ?? []) {
    const req = parseRequirement(line);
    const name = normalizeName(req.name);
    constraints.set(name, [...(constraints.get(name) ?? []), { specifier: SpecifierSet.parse(req.specifier), origin: 'constraints file' }]);
  }
  try {
    const resolution = await resolve({
      pipVersion,
      roots: scenario.requirements.map((text) => ({ requirement: parseRequirement(text), origin: 'command line' })),
      constraints,
      finder: finderContext(env, { onlyBinary: true, ...scenario.options }),
      markers: env.markers,
      source,
      noDeps: scenario.noDeps === true,
    });
    return { ok: true, resolution };
  } catch (error) {
    if (error instanceof ResolutionImpossible) return { ok: false, error };
    throw error;
  }
}

/** `name -> url` (without fragment) of a resolution, or of a pip report; sorted for comparison. */
export function choices(packages: ReadonlyArray<{ name: string; url: string }>): string[] {
  return packages.map((p) => `${normalizeName(p.name)} ${p.url.split('#')[0]}`).sort();
}
