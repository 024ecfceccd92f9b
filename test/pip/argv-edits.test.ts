// Rewrites change only what they must: every other token stays as the user wrote it, and the
// result parses (with the oracle-tested parser) to what the edit intended.
import { beforeAll, describe, expect, it } from 'vitest';
import { appendOptions, renderPipArgv, removeOccurrences, replaceOccurrenceValue } from '../../src/pip/argv-edits.js';
import { parsePipCommandLine, type PipCommandLine } from '../../src/pip/command-line.js';
import { computeEffectiveSettings } from '../../src/pip/effective-settings.js';
import { optionTableFor, type OptionTable } from '../../src/pip/option-table.js';

let table: OptionTable;
beforeAll(async () => {
  table = (await optionTableFor('23.2.1')).table;
});

const parse = (argv: string[]): PipCommandLine => parsePipCommandLine(argv, table);
const settings = (argv: string[]) =>
  computeEffectiveSettings({ commandLine: parse(argv), env: { PIP_CONFIG_FILE: '/dev/null' }, configFiles: [], cwd: '/w', home: '/h' });
const find = (model: PipCommandLine, dest: string, nth = 0) => model.occurrences!.filter((o) => o.spec.dest === dest)[nth]!;

describe('appendOptions', () => {
  it('appends at the end, keeping every token', () => {
    const model = parse(['-v', 'install', '--no-bin=foo', '-qrreq.txt', 'x']);
    const out = appendOptions(model, ['--only-binary=:all:']);
    expect(out).toEqual(['-v', 'install', '--no-bin=foo', '-qrreq.txt', 'x', '--only-binary=:all:']);
    expect(settings(out).formatControl.onlyBinary).toEqual([':all:']);
    expect(settings(out).formatControl.noBinary).toEqual([]);
  });

  it('inserts before a `--` so the tokens stay options', () => {
    const model = parse(['install', 'x', '--', '-weird-name']);
    const out = appendOptions(model, ['--only-binary', ':all:']);
    expect(out).toEqual(['install', 'x', '--only-binary', ':all:', '--', '-weird-name']);
    expect(settings(out).args).toEqual(['x', '-weird-name']);
    expect(settings(out).formatControl.onlyBinary).toEqual([':all:']);
  });
});

describe('removeOccurrences', () => {
  it('removes a long option and its separate value', () => {
    const model = parse(['install', '--no-binary', 'foo', '--pre', 'x', '--no-binary=bar']);
    expect(removeOccurrences(model, [find(model, 'format_control', 0)])).toEqual(['install', '--pre', 'x', '--no-binary=bar']);
    expect(removeOccurrences(model, [find(model, 'format_control', 1)])).toEqual(['install', '--no-binary', 'foo', '--pre', 'x']);
  });

  it('removes letters inside a short cluster', () => {
    const model = parse(['install', '-qrreq.txt', '-Uq', 'x']);
    expect(removeOccurrences(model, [find(model, 'requirements')])).toEqual(['install', '-q', '-Uq', 'x']);
    expect(removeOccurrences(model, [find(model, 'quiet', 0)])).toEqual(['install', '-rreq.txt', '-Uq', 'x']);
    expect(removeOccurrences(model, [find(model, 'upgrade'), find(model, 'quiet', 1)])).toEqual(['install', '-qrreq.txt', 'x']);
  });

  it('removes a cluster option whose value is the next token', () => {
    const model = parse(['install', '-qr', 'req.txt', 'x']);
    expect(removeOccurrences(model, [find(model, 'requirements')])).toEqual(['install', '-q', 'x']);
  });

  it('keeps token positions when general options precede the command', () => {
    const model = parse(['--log', 'install', 'install', '--pre', 'x']);
    expect(removeOccurrences(model, [find(model, 'pre')])).toEqual(['--log', 'install', 'install', 'x']);
    expect(removeOccurrences(model, [find(model, 'log')])).toEqual(['install', '--pre', 'x']);
  });
});

describe('replaceOccurrenceValue', () => {
  it('replaces the value where it was written', () => {
    const model = parse(['install', '-ihttp://a', '--extra-index-url=http://b', '--find-links', 'c', '--only-bin=x', 'y']);
    expect(replaceOccurrenceValue(model, find(model, 'index_url'), 'http://A')).toEqual([
      'install', '-ihttp://A', '--extra-index-url=http://b', '--find-links', 'c', '--only-bin=x', 'y',
    ]);
    expect(replaceOccurrenceValue(model, find(model, 'extra_index_urls'), 'http://B')[2]).toBe('--extra-index-url=http://B');
    expect(replaceOccurrenceValue(model, find(model, 'find_links'), 'C').slice(3, 5)).toEqual(['--find-links', 'C']);
    expect(replaceOccurrenceValue(model, find(model, 'format_control'), ':all:')[5]).toBe('--only-bin=:all:');
  });

  it('an empty attached value becomes a separate token', () => {
    const model = parse(['install', '-qihttp://a', 'x']);
    const out = replaceOccurrenceValue(model, find(model, 'index_url'), '');
    expect(out).toEqual(['install', '-qi', '', 'x']);
    expect(settings(out).indexUrl?.value).toBe('');
  });
});

describe('renderPipArgv', () => {
  it('edits positionals and appends positionals after `--` when they look like options', () => {
    const model = parse(['install', 'a', '--pre', 'b']);
    const out = renderPipArgv(model, [
      { kind: 'replace-positional', positional: model.positionals![0]!, value: 'a==1' },
      { kind: 'remove-positional', positional: model.positionals![1]! },
      { kind: 'append-positionals', tokens: ['-c'] },
    ]);
    expect(out).toEqual(['install', 'a==1', '--pre', '--', '-c']);
    expect(settings(out).args).toEqual(['a==1', '-c']);
  });

  it('refuses two edits of one token', () => {
    const model = parse(['install', '--index-url', 'u', 'x']);
    const o = find(model, 'index_url');
    expect(() => renderPipArgv(model, [{ kind: 'replace-value', occurrence: o, value: 'v' }, { kind: 'remove-occurrence', occurrence: o }])).toThrow(
      'Two edits change argument 3',
    );
  });

  it('no edits gives the argv back unchanged', () => {
    const argv = ['-v', 'download', '-d', 'out', '--', 'x'];
    expect(renderPipArgv(parse(argv), [])).toEqual(argv);
  });
});
