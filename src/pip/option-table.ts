// pip's option tables, one per release, read out of each release's own optparse parsers by
// scripts/extract-pip-options.py (shape: ../../../shared/reference/pip-options/README.md).
//
// `optionTableFor(version)` loads the table of that exact release, else of the nearest older one
// (pip only adds or removes options at releases we have a table for, §1.3 "Since" columns), and
// says so. Only the one JSON module needed is imported, so the cost is one small parse.
// Usage texts (for errors printed in pip's shape) were read from pip 23.0.1 and 23.2.1; later
// releases reuse 23.2.1's, plus `lock`'s from pip's source (see usage.ts).
import type { OptionSpec } from './option-spec.js';
import { usageTableFor, type UsageTable } from './usage.js';

export interface OptionGroup {
  group: string;
  options: OptionSpec[];
}

/** One release's table, as the JSON files hold it. */
export interface OptionTableData {
  pipVersion: string;
  /** Every command name that release knows (sorted). */
  commands: string[];
  /** The general options: valid before the command and in every command parser. */
  general: OptionSpec[];
  /** Own groups of the commands safe-pip parses (install, download, wheel, lock), in parser order. */
  commandOptions: Record<string, OptionGroup[]>;
}

export interface OptionTable extends OptionTableData {
  usage: UsageTable;
}

export interface OptionTableSelection {
  table: OptionTable;
  /** The pip version asked for. */
  requestedVersion: string;
  /** True when the table is the requested release's own. */
  exact: boolean;
  /** The pip is newer than the newest table: options it added are unknown to us. */
  newerThanNewest: boolean;
  /** The pip is older than the oldest table (23.0.1), which is used anyway. */
  olderThanOldest: boolean;
}

type Loader = () => Promise<{ default: unknown }>;

// Literal specifiers so that tsc and bundlers see every table; each loads only when called.
const LOADERS: ReadonlyArray<readonly [string, Loader]> = [
  ['23.0.1', () => import('./option-tables/pip-23.0.1.json', { with: { type: 'json' } })],
  ['23.2.1', () => import('./option-tables/pip-23.2.1.json', { with: { type: 'json' } })],
  ['24.0', () => import('./option-tables/pip-24.0.json', { with: { type: 'json' } })],
  ['24.3.1', () => import('./option-tables/pip-24.3.1.json', { with: { type: 'json' } })],
  ['25.0.1', () => import('./option-tables/pip-25.0.1.json', { with: { type: 'json' } })],
  ['25.1.1', () => import('./option-tables/pip-25.1.1.json', { with: { type: 'json' } })],
  ['25.2', () => import('./option-tables/pip-25.2.json', { with: { type: 'json' } })],
  ['25.3', () => import('./option-tables/pip-25.3.json', { with: { type: 'json' } })],
  ['26.0.1', () => import('./option-tables/pip-26.0.1.json', { with: { type: 'json' } })],
  ['26.1.2', () => import('./option-tables/pip-26.1.2.json', { with: { type: 'json' } })],
  ['26.2.1', () => import('./option-tables/pip-26.2.1.json', { with: { type: 'json' } })],
  ['26.3.dev0', () => import('./option-tables/pip-26.3.dev0.json', { with: { type: 'json' } })],
];

/** The releases we hold a table for, oldest first. */
export const TABLE_VERSIONS: readonly string[] = LOADERS.map(([version]) => version);

/** Which table serves a pip version: its own, else the nearest older one (pure; no loading). */
export function selectTableVersion(pipVersion: string): Omit<OptionTableSelection, 'table'> & { tableVersion: string } {
  const wanted = parsePipVersion(pipVersion);
  let chosen: string | null = null;
  for (const version of TABLE_VERSIONS) {
    if (comparePipVersions(parsePipVersion(version), wanted) <= 0) chosen = version;
  }
  const newest = TABLE_VERSIONS[TABLE_VERSIONS.length - 1]!;
  const oldest = TABLE_VERSIONS[0]!;
  const tableVersion = chosen ?? oldest;
  return {
    tableVersion,
    requestedVersion: pipVersion,
    exact: tableVersion === pipVersion,
    newerThanNewest: comparePipVersions(wanted, parsePipVersion(newest)) > 0,
    olderThanOldest: chosen === null,
  };
}

const cache = new Map<string, Promise<OptionTable>>();

/** Load the table for this exact release, else the nearest older one. */
export async function optionTableFor(pipVersion: string): Promise<OptionTableSelection> {
  const { tableVersion, ...rest } = selectTableVersion(pipVersion);
  let loading = cache.get(tableVersion);
  if (loading === undefined) {
    const loader = LOADERS.find(([version]) => version === tableVersion)![1];
    loading = loader().then((module) => {
      const data = module.default as OptionTableData;
      return { ...data, usage: usageTableFor(data.pipVersion) };
    });
    cache.set(tableVersion, loading);
  }
  return { table: await loading, ...rest };
}

/** The specs of one command's parser: its own groups, then the general options (pip's order). */
export function commandOptionSpecs(table: OptionTableData, command: string): OptionSpec[] | null {
  const groups = table.commandOptions[command];
  if (groups === undefined) return null;
  return [...groups.flatMap((g) => g.options), ...table.general];
}

interface PipVersionParts {
  release: number[];
  /** pre-release rank: a=0, b=1, rc=2, final=3; dev-only releases sort before all of them. */
  pre: [number, number];
  post: number;
  dev: number;
}

/** A pip version (PEP 440 subset pip uses: N.N[.N][aN|bN|rcN][.postN][.devN]). */
export function parsePipVersion(text: string): PipVersionParts {
  const match = /^v?(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?(?:\.post(\d+))?(?:\.dev(\d+))?$/i.exec(text.trim());
  if (match === null) throw new Error(`Invalid pip version "${text}"`);
  const release = match[1]!.split('.').map(Number);
  const preKind = match[2]?.toLowerCase();
  const dev = match[5] === undefined ? Infinity : Number(match[5]);
  let pre: [number, number];
  if (preKind !== undefined) pre = [['a', 'b', 'rc'].indexOf(preKind), Number(match[3])];
  else if (match[5] !== undefined && match[4] === undefined) pre = [-1, 0];
  else pre = [3, 0];
  return { release, pre, post: match[4] === undefined ? -1 : Number(match[4]), dev };
}

export function comparePipVersions(a: PipVersionParts, b: PipVersionParts): number {
  const length = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < length; i += 1) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  for (const [x, y] of [
    [a.pre[0], b.pre[0]],
    [a.pre[1], b.pre[1]],
    [a.post, b.post],
    [a.dev, b.dev],
  ] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
