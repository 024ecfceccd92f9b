// A sanitized copy of a parsed requirements tree, for handing to the real pip: every file rewritten with
// the lines a policy rejects blanked out, nested `-r`/`-c` references pointing at the sanitized copies,
// and remote (URL) files turned into local copies.
//
// - Line numbers are preserved: a dropped line (with its continuation lines) becomes empty lines, so pip's
//   messages about the copy name the same lines as the original.
// - Local files keep their layout relative to the deepest directory common to all of them; remote files
//   go under `_remote/<host>/<path>`. Nested references are rewritten relative to the including copy.
// - A `-f` value that pip resolved against the original file's directory is rewritten to that absolute
//   path (the copy lives elsewhere). Rewritten lines are written with their variables already expanded.
// - Each copy starts with a UTF-8 BOM, which every pip version honours before any PEP 263 comment or locale.
// - A file included several times is copied once (pip parses it each time; the content is the same).
import { shellQuote } from './shell-quote.js';
import { pyDirname, pyNormpath } from './python-path.js';
import { urlsplit } from '../python-urllib.js';
import type { ParsedRequirementsFile, RequirementsFileLine, RequirementsFileNode } from './tree.js';

export type LineVerdict = 'keep' | 'drop' | 'refuse';

export interface SanitizedLineReport {
  file: string;
  lineNumber: number;
  text: string;
}

export interface SanitizedRequirementsFile {
  originalLocation: string;
  /** Path of the copy relative to the directory the caller writes the tree into ('/'-separated). */
  sanitizedRelativePath: string;
  text: string;
  /** `text` encoded as the caller should write it (UTF-8 with a BOM). */
  bytes: Uint8Array;
}

export interface SanitizedRequirementsTree {
  /** The root's copy comes first. */
  files: SanitizedRequirementsFile[];
  dropped: SanitizedLineReport[];
  refused: SanitizedLineReport[];
}

export function sanitizeRequirementsTree(
  parsed: ParsedRequirementsFile,
  isDangerous: (line: RequirementsFileLine, file: RequirementsFileNode) => LineVerdict,
): SanitizedRequirementsTree {
  const unique = new Map<string, RequirementsFileNode>();
  for (const node of parsed.files) if (!unique.has(node.absoluteLocation)) unique.set(node.absoluteLocation, node);
  const paths = assignPaths([...unique.values()]);
  const dropped: SanitizedLineReport[] = [];
  const refused: SanitizedLineReport[] = [];
  const files: SanitizedRequirementsFile[] = [];
  for (const node of unique.values()) {
    const own = paths.get(node.absoluteLocation)!;
    const out = [...node.physicalLines];
    for (const line of node.lines) {
      const verdict = isDangerous(line, node);
      const report = { file: node.location, lineNumber: line.lineNumber, text: line.text };
      if (verdict === 'refuse') refused.push(report);
      if (verdict !== 'keep') {
        if (verdict === 'drop') dropped.push(report);
        blank(out, line);
        continue;
      }
      const rewritten = rewriteLine(line, own, paths);
      if (rewritten !== null) {
        blank(out, line);
        out[line.firstPhysical] = rewritten;
      }
    }
    const text = out.map((l) => `${l}\n`).join('');
    files.push({
      originalLocation: node.location,
      sanitizedRelativePath: own,
      text,
      bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]),
    });
  }
  return { files, dropped, refused };
}

function blank(out: string[], line: RequirementsFileLine): void {
  for (let i = line.firstPhysical; i <= line.lastPhysical; i += 1) out[i] = '';
}

/** Re-render a kept line whose nested reference or find-links value must change; null if unchanged. */
function rewriteLine(line: RequirementsFileLine, own: string, paths: Map<string, string>): string | null {
  const replacements = new Map<number, string>();
  const occurrences = line.options.occurrences;
  if (line.nested?.node) {
    const target = paths.get(line.nested.node.absoluteLocation)!;
    const dest = line.nested.option === '-r' ? 'requirements' : 'constraints';
    const index = occurrences.findIndex((o) => o.dest === dest);
    replacements.set(index, relativePath(pyDirname(own), target));
  }
  const findLinks = occurrences.findIndex((o) => o.dest === 'find_links');
  if (findLinks !== -1 && line.kind === 'options') {
    const written = occurrences[findLinks]!.value ?? '';
    const absolute = line.resolvedFindLinks;
    if (absolute !== null && absolute !== written) replacements.set(findLinks, absolute);
  }
  if (replacements.size === 0) return null;
  const parts: string[] = line.args === '' ? [] : [line.args];
  occurrences.forEach((occ, i) => {
    const value = replacements.get(i) ?? occ.value;
    if (value === null) parts.push(occ.name);
    // `-r=x` would give "=x": short options take their value as the next token.
    else parts.push(occ.name.startsWith('--') ? `${occ.name}=${shellQuote(value)}` : `${occ.name} ${shellQuote(value)}`);
  });
  return parts.join(' ');
}

function assignPaths(nodes: RequirementsFileNode[]): Map<string, string> {
  const local = nodes.filter((n) => n.kind === 'path').map((n) => n.absoluteLocation);
  const common = commonDirectory(local.map((p) => pyDirname(p)));
  const paths = new Map<string, string>();
  const used = new Set<string>();
  for (const node of nodes) {
    let rel: string;
    if (node.kind === 'path') {
      rel = node.absoluteLocation.slice(common === '/' ? 1 : common.length + 1);
    } else {
      rel = remotePath(node.location);
    }
    let candidate = rel;
    for (let n = 2; used.has(candidate); n += 1) candidate = `${rel}.${n}`;
    used.add(candidate);
    paths.set(node.absoluteLocation, candidate);
  }
  return paths;
}

function remotePath(url: string): string {
  let host = 'host';
  let path = 'requirements.txt';
  try {
    const split = urlsplit(url);
    host = split.netloc.replace(/^.*@/, '') || 'local';
    path = split.path || '/requirements.txt';
  } catch {
    // keep the defaults: the copy only needs a stable, safe name
  }
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+$/, '_');
  const segments = pyNormpath(`/${path}`).split('/').filter((s) => s !== '').map(safe);
  if (segments.length === 0) segments.push('requirements.txt');
  return ['_remote', safe(host), ...segments].join('/');
}

function commonDirectory(dirs: string[]): string {
  if (dirs.length === 0) return '/';
  let parts = dirs[0]!.split('/');
  for (const dir of dirs.slice(1)) {
    const other = dir.split('/');
    let i = 0;
    while (i < parts.length && i < other.length && parts[i] === other[i]) i += 1;
    parts = parts.slice(0, i);
  }
  const joined = parts.join('/');
  return joined === '' ? '/' : joined;
}

function relativePath(fromDir: string, to: string): string {
  const a = fromDir === '' || fromDir === '.' ? [] : fromDir.split('/');
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i += 1;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
