// Every requirement pip would read for a command, in pip's order (cli/req_command.py
// get_requirements): constraints files, then positional arguments, then `-e` values, then
// requirements files — each file with everything it includes. Each requirement is classified the
// way pip reads it (src/pip/requirement-line.ts) and becomes a policy Target.
// Not read here: `--group` (pyproject dependency groups), `--requirements-from-script` (PEP 723)
// and pylock files; the caller refuses command lines that use them rather than guess.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EffectiveSettings } from '../pip/effective-settings.js';
import { classifyRequirementString, RequirementLineError, type RequirementLineFs } from '../pip/requirement-line.js';
import { parseRequirementsFile, RequirementsFileError, type ParsedRequirementsFile, type RequirementsFileContent } from '../standards/requirements-file.js';
import { targetFrom, type Target } from '../policy/targets.js';
import { SafePipError } from '../errors.js';
import { describeSource } from '../pip/setting-source.js';

export interface GatheredRequirements {
  targets: Target[];
  /** Parsed constraints and requirements files (roots), in pip's order, for sanitizing. */
  files: { parsed: ParsedRequirementsFile; constraint: boolean; origin: string }[];
  /** Per-requirement `--hash` values by requirement text (hash-checking mode). */
  hashes: Map<Target, Record<string, string[]>>;
}

export interface GatherOptions {
  settings: EffectiveSettings;
  cwd: string;
  env: NodeJS.ProcessEnv;
  pipVersion: string;
  /** Reads a requirements file given by URL (http, https). */
  fetchUrl: (url: string) => Promise<RequirementsFileContent>;
}

export const localFs: RequirementLineFs = {
  isFile: (path) => statOrNull(path)?.isFile() ?? false,
  isDir: (path) => statOrNull(path)?.isDirectory() ?? false,
  dirHasProjectFile: (path) =>
    (statOrNull(join(path, 'pyproject.toml'))?.isFile() ?? false) || (statOrNull(join(path, 'setup.py'))?.isFile() ?? false),
};

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

export async function gatherRequirements(options: GatherOptions): Promise<GatheredRequirements> {
  const { settings, cwd, pipVersion } = options;
  const result: GatheredRequirements = { targets: [], files: [], hashes: new Map() };
  const classify = (text: string, origin: string, editable: boolean, constraint: boolean, lineSource: string | null): Target => {
    try {
      return targetFrom(classifyRequirementString(text, { cwd, fs: localFs, editable, pipVersion, lineSource }), origin, { constraint });
    } catch (error) {
      if (error instanceof RequirementLineError) {
        throw new SafePipError(`${error.message}${lineSource === null ? '' : ` (${lineSource})`}`, { cause: error });
      }
      throw error;
    }
  };
  const readFile = async (location: string, kind: 'path' | 'url'): Promise<RequirementsFileContent> => {
    if (kind === 'url') {
      if (/^file:/i.test(location)) {
        const path = decodeURIComponent(location.replace(/^file:(\/\/[^/]*)?/i, ''));
        return { bytes: readFileSync(path), finalLocation: location, contentType: null };
      }
      return options.fetchUrl(location);
    }
    const path = location.startsWith('/') ? location : join(cwd, location);
    return { bytes: readFileSync(path), finalLocation: location };
  };
  const parseRoot = async (location: string, constraint: boolean, origin: string): Promise<void> => {
    let parsed: ParsedRequirementsFile;
    try {
      parsed = await parseRequirementsFile(location, {
        reader: readFile,
        pathExists: (p) => existsSync(p.startsWith('/') ? p : join(cwd, p)),
        env: options.env,
        pipVersion,
        cwd,
        constraint,
      });
    } catch (error) {
      // pip's own wording for a requirements file it cannot read (pip exits 1 with "ERROR: …").
      if (error instanceof RequirementsFileError) throw new SafePipError(error.pipMessage, { cause: error });
      throw error;
    }
    result.files.push({ parsed, constraint, origin });
    for (const req of parsed.requirements) {
      const target = classify(req.requirement, req.comesFrom, req.editable, req.constraint, req.lineSource);
      result.targets.push(target);
      const hashes = req.perRequirementOptions?.['hashes'];
      if (hashes !== undefined && hashes !== null) result.hashes.set(target, toHashMap(hashes));
    }
  };

  for (const constraint of settings.constraints) await parseRoot(constraint.value, true, describeSource(constraint.source));
  for (const arg of settings.args) {
    if (arg.trim() === '') continue;
    result.targets.push(classify(arg, 'command line', false, false, null));
  }
  for (const editable of settings.editables) {
    result.targets.push(classify(editable.value, describeSource(editable.source), true, false, null));
  }
  for (const requirement of settings.requirements) await parseRoot(requirement.value, false, describeSource(requirement.source));
  return result;
}

/** pip keeps `--hash` values as {algorithm: [hex, …]}; accept the list form `alg:hex` too. */
function toHashMap(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (alg: string, hex: string): void => {
    (out[alg.toLowerCase()] ??= []).push(hex.toLowerCase());
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item);
      const colon = text.indexOf(':');
      if (colon > 0) add(text.slice(0, colon), text.slice(colon + 1));
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [alg, list] of Object.entries(value as Record<string, unknown>)) {
      for (const hex of Array.isArray(list) ? list : [list]) add(alg, String(hex));
    }
  }
  return out;
}
