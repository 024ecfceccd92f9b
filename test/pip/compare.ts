// Running safe-pip's parser + settings the way the oracle runs pip's, and comparing the two.
import { expect } from 'vitest';
import { parsePipCommandLine } from '../../src/pip/command-line.js';
import type { ConfigFileContent } from '../../src/pip/config-items.js';
import { computeEffectiveSettings, resolvePipInvocation } from '../../src/pip/effective-settings.js';
import { FormatControl } from '../../src/pip/format-control.js';
import type { OptionTable } from '../../src/pip/option-table.js';
import { PipUsageError } from '../../src/pip/pip-usage-error.js';
import { ReleaseControl } from '../../src/pip/release-control.js';
import type { OracleResult } from './oracle/run-oracle.js';

export interface OurResult {
  exit: number | null;
  outcome?: string;
  command?: string | null;
  cmdArgs?: string[];
  values?: Record<string, unknown>;
  args?: string[];
  stdout: string;
  stderr: string;
}

export function toJson(value: unknown): unknown {
  if (value instanceof FormatControl) return { no_binary: value.noBinary, only_binary: value.onlyBinary };
  if (value instanceof ReleaseControl) return { all_releases: value.allReleases, only_final: value.onlyFinal };
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

export interface RunContext {
  table: OptionTable;
  env: Record<string, string | undefined>;
  configFiles: ConfigFileContent[];
  cwd: string;
}

export function runOurs(argv: string[], context: RunContext, mode: 'parse-then-settings' | 'resolve' = 'resolve'): OurResult {
  try {
    const settings =
      mode === 'resolve'
        ? resolvePipInvocation({ argv, ...context })
        : computeEffectiveSettings({ commandLine: parsePipCommandLine(argv, context.table), ...context });
    const cl = settings.commandLine;
    if (settings.outcome !== 'command') return { exit: 0, outcome: settings.outcome, stdout: '', stderr: '' };
    if (cl.commandHelp) return { exit: 0, outcome: 'command-help', command: cl.command, cmdArgs: cl.cmdArgs, stdout: '', stderr: '' };
    const result: OurResult = { exit: null, command: cl.command, cmdArgs: cl.cmdArgs, stdout: '', stderr: '' };
    if (settings.commandValues !== null) {
      result.values = toJson(settings.values) as Record<string, unknown>;
      result.args = settings.args;
    }
    return result;
  } catch (error) {
    if (error instanceof PipUsageError) return { exit: error.exitCode, stdout: error.stdout, stderr: error.stderr };
    throw error;
  }
}

/** Lists pip defaults to [] that the tables record as null (they keep only scalar defaults). */
function sameValue(ours: unknown, pips: unknown): boolean {
  const empty = (v: unknown): boolean => v === null || (Array.isArray(v) && v.length === 0);
  if (empty(ours) && empty(pips) && (Array.isArray(ours) || Array.isArray(pips))) return true;
  return JSON.stringify(ours) === JSON.stringify(pips);
}

export function expectSameAsPip(label: string, ours: OurResult, pip: OracleResult): void {
  const where = `${label}`;
  expect(ours.exit, `${where}: exit code (pip stderr: ${pip.stderr}${pip.crash ?? ''})`).toBe(pip.exit);
  if (pip.exit === null) {
    expect(ours.command, `${where}: command`).toBe(pip.command);
    expect(ours.cmdArgs, `${where}: cmd_args`).toEqual(pip.cmdArgs);
    if (pip.values !== undefined) {
      expect(ours.args, `${where}: args`).toEqual(pip.args);
      expect(Object.keys(ours.values ?? {}).sort(), `${where}: dests`).toEqual(Object.keys(pip.values).sort());
      for (const [dest, value] of Object.entries(pip.values)) {
        const mine = ours.values?.[dest];
        if (!sameValue(mine, value)) {
          throw new Error(`${where}: ${dest}: ours ${JSON.stringify(mine)} pip ${JSON.stringify(value)}`);
        }
      }
    }
    return;
  }
  if (pip.exit === 0) {
    const pipOutcome = pip.stage === 'command' ? 'command-help' : pip.stdout.startsWith('pip ') ? 'version' : 'help';
    expect(ours.outcome, `${where}: outcome`).toBe(pipOutcome);
    return;
  }
  const pipStderr = pip.crash !== undefined ? `${pip.crash}\n` : pip.stderr;
  expect(ours.stderr, `${where}: stderr`).toBe(pipStderr);
  expect(ours.stdout, `${where}: stdout`).toBe(pip.stdout);
}
