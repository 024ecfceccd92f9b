// Differential tests: safe-pip's requirements-file parser against pip's own (req_file.parse_requirements with
// a PipSession, a PackageFinder and options), for pip 23.2.1, 24.2 and 23.0.1 on this machine. Every case is
// compared field by field: each parsed line (nested files included), each ParsedRequirement, the finder's
// final index/find-links/format-control/prerelease state, trusted hosts, require-hashes, features, warnings,
// and the error pip raises (type and message).
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyRequirementsFileEvents,
  parseRequirementsFile,
  type ParsedRequirementsFile,
  RequirementsFileError,
  type RequirementsFileNode,
} from '../../src/standards/requirements-file.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { HTTP_CASES, REQFILE_CASES } from './oracle-reqfile/corpus.js';
import {
  materialize,
  type MaterializedCase,
  type OracleResult,
  PYTHONS,
  pipLikeReader,
  runOracle,
  serveDirectory,
} from './oracle-reqfile/harness.js';

let server: Server;
let cases: MaterializedCase[];
const oracle = new Map<string, OracleResult[]>();

beforeAll(async () => {
  const base = makeTempDir('safe-pip-reqfile-');
  const served = await serveDirectory(base);
  server = served.server;
  cases = [...materialize(REQFILE_CASES, base, served.url, 'c'), ...materialize(HTTP_CASES, base, served.url, 'h')];
  await Promise.all(
    Object.entries(PYTHONS).map(async ([version, python]) => {
      oracle.set(version, await runOracle(python, cases));
    }),
  );
});

afterAll(() => {
  server?.close();
});

async function parseLikePip(c: MaterializedCase, pipVersion: string): Promise<ParsedRequirementsFile | RequirementsFileError> {
  try {
    return await parseRequirementsFile(c.root, {
      reader: pipLikeReader(c.dir),
      pathExists: (p) => existsSync(p.startsWith('/') ? p : `${c.dir}/${p}`),
      env: c.env,
      pipVersion,
      cwd: c.dir,
      constraint: c.source.constraint ?? false,
      localeEncoding: 'UTF-8',
    });
  } catch (error) {
    if (error instanceof RequirementsFileError) return error;
    throw error;
  }
}

const ERROR_TYPES: Record<string, string[]> = {
  'invalid-options': ['RequirementsFileParseError'],
  'unsplittable-options': ['RequirementsFileParseError'],
  recursion: ['RequirementsFileParseError', 'RecursionError'],
  'format-control-argument': ['CommandError'],
  unreadable: ['InstallationError', 'NetworkConnectionError'],
  undecodable: ['UnicodeDecodeError', 'LookupError'],
};

function linesInPipOrder(node: RequirementsFileNode): Array<{ filename: string; lineno: number; requirement: string | null; constraint: boolean; opts: Record<string, unknown> }> {
  const out: ReturnType<typeof linesInPipOrder> = [];
  for (const line of node.lines) {
    const o = line.options;
    out.push({
      filename: node.location,
      lineno: line.lineNumber,
      requirement: line.kind === 'requirement' ? line.args : line.kind === 'editable' ? o.editables[0]! : null,
      constraint: node.constraint,
      opts: {
        index_url: o.indexUrl,
        extra_index_urls: o.extraIndexUrls,
        no_index: o.noIndex,
        constraints: o.constraints,
        requirements: o.requirements,
        editables: o.editables,
        find_links: o.findLinks,
        prefer_binary: o.preferBinary,
        require_hashes: o.requireHashes,
        pre: o.pre,
        trusted_hosts: o.trustedHosts,
        features_enabled: o.featuresEnabled,
        global_options: o.globalOptions,
        install_options: o.installOptions,
        hashes: o.hashes,
        config_settings: o.configSettings,
      },
    });
    if (line.nested?.node) out.push(...linesInPipOrder(line.nested.node));
  }
  return out;
}

function pipLines(result: OracleResult): OracleResult['lines'] {
  return result.lines.map((l) => {
    const { no_require_hashes: _ignored, ...opts } = l.opts;
    return { filename: l.filename, lineno: l.lineno, requirement: l.requirement, constraint: l.constraint, opts };
  });
}

describe.each(Object.keys(PYTHONS))('requirements files against pip %s', (version) => {
  it('has a large corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(oracle.get(version)).toHaveLength(cases.length);
    expect(oracle.get(version)![0]!.pip).toBe(version);
  });

  it.each(REQFILE_CASES.map((c, i) => [c.name, i] as const).concat(HTTP_CASES.map((c, i) => [`http: ${c.name}`, REQFILE_CASES.length + i] as const)))(
    '%s',
    async (_name, index) => {
      const c = cases[index]!;
      const pip = oracle.get(version)![index]!;
      const ours = await parseLikePip(c, version);
      if (pip.error !== null) {
        expect(ours, `pip failed with ${pip.error.type}: ${pip.error.message}`).toBeInstanceOf(RequirementsFileError);
        const error = ours as RequirementsFileError;
        expect(ERROR_TYPES[error.kind]).toContain(pip.error.type);
        if (pip.error.type !== 'RecursionError' && !['UnicodeDecodeError', 'LookupError'].includes(pip.error.type)) {
          expect(error.pipMessage).toBe(pip.error.message);
        }
        return;
      }
      expect(ours, ours instanceof Error ? ours.message : '').not.toBeInstanceOf(Error);
      const parsed = ours as ParsedRequirementsFile;
      expect(linesInPipOrder(parsed.root)).toEqual(pipLines(pip));
      expect(
        parsed.requirements.map((r) => ({
          requirement: r.requirement,
          is_editable: r.editable,
          comes_from: r.comesFrom,
          constraint: r.constraint,
          options: r.perRequirementOptions,
          line_source: r.lineSource,
        })),
      ).toEqual(pip.requirements);
      const effects = applyRequirementsFileEvents(
        {
          indexUrls: [],
          findLinks: [],
          noIndex: false,
          noBinary: new Set(),
          onlyBinary: new Set(),
          preferBinary: false,
          allowAllPrereleases: false,
          requireHashes: false,
          noRequireHashes: false,
          featuresEnabled: [],
          trustedHosts: [],
          releaseControl: [],
        },
        parsed.events,
      );
      expect({
        index_urls: effects.indexUrls,
        find_links: effects.findLinks,
        no_index: effects.noIndex,
        no_binary: [...effects.noBinary].sort(),
        only_binary: [...effects.onlyBinary].sort(),
        prefer_binary: effects.preferBinary,
        allow_all_prereleases: effects.allowAllPrereleases,
      }).toEqual(pip.finder);
      expect({ require_hashes: effects.requireHashes, features_enabled: effects.featuresEnabled }).toEqual(pip.options);
      expect(effects.trustedHosts).toEqual(pip.trusted);
      expect(parsed.warnings).toEqual(pip.warnings);
    },
  );
});
