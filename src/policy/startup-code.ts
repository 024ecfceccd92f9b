// Code a wheel makes Python run at every start-up, without a build and without being imported:
// what site.py does with the site-packages directory a wheel installs into.
//   .pth files: https://docs.python.org/3/library/site.html (Lib/site.py `addpackage`): each line is
//     read; a line starting with `#` is a comment, a blank line is skipped, a line starting with
//     `import ` or `import\t` is passed to exec(), any other line is a directory added to sys.path.
//   sitecustomize / usercustomize: site.py imports them by name from anywhere on sys.path, so a
//     module of that name installed at the top of site-packages (or in a directory a .pth adds)
//     runs at every start-up.
//   PEP 829 `.start` files (https://peps.python.org/pep-0829/, Python 3.15+): each non-comment line
//     is an entry point `pkg.mod:callable` that site.py calls at start-up.
// Pure: given a wheel's member names and the text of its start-up files (the reader is
// src/io/wheel-startup-files.ts), it returns findings with the file, the line and the reason; and
// the policy that refuses them unless the project is allowed with `allow-startup-code`.
//
// Where a wheel's members land (binary-distribution-format): top-level members and members under
// `<name>.data/purelib/` or `<name>.data/platlib/` go into site-packages itself; `.data/scripts`,
// `.data/headers`, `.data/data` go elsewhere and are not read by site.py.
//
// Deliberately stricter than site.py, never looser: every Python line boundary that
// str.splitlines() knows splits a line (site.py in 3.13+ uses splitlines(); older versions only
// \n, \r\n and \r, so this finds a superset), a UTF-8 byte order mark is ignored, undecodable text
// is read as Latin-1 (the `import ` prefix is ASCII either way), and hidden `.pth` files (which
// 3.13+ skips) are flagged too. Not covered: a `.pth` path line pointing outside the wheel (an
// existing directory can only hold code someone already installed).
import type { Refusal } from './plan.js';

export type StartupReason = 'pth-import-line' | 'customize-module' | 'start-entry-point' | 'customize-module-via-pth';

export interface StartupFinding {
  /** The wheel member, as named in the zip. */
  file: string;
  /** 1-based line of the .pth/.start file; null for a module. */
  line: number | null;
  /** The line as written (trimmed of its line break), or null for a module. */
  text: string | null;
  reason: StartupReason;
  /** One sentence for messages. */
  explanation: string;
}

/** The members of one wheel that the classifier looks at. */
export interface WheelStartupInput {
  /** Every member name of the wheel, as in the zip (forward slashes). */
  names: readonly string[];
  /** The bytes of each `.pth` and `.start` member that lands in site-packages (see startupFilesToRead). */
  contents: ReadonlyMap<string, Uint8Array>;
}

const SITE_DATA_DIR = /^[^/]+\.data\/(purelib|platlib)\//;

/** The path of a member relative to site-packages, or null when it is installed elsewhere. */
export function sitePackagesPath(member: string): string | null {
  if (member.endsWith('/')) return null;
  const data = SITE_DATA_DIR.exec(member);
  if (data !== null) return member.slice(data[0].length);
  if (/^[^/]+\.data\//.test(member)) return null;
  return member;
}

/** Members whose text the classifier needs: `.pth` and `.start` files at the top of site-packages. */
export function startupFilesToRead(names: readonly string[]): string[] {
  return names.filter((name) => {
    const path = sitePackagesPath(name);
    return path !== null && !path.includes('/') && (path.endsWith('.pth') || path.endsWith('.start'));
  });
}

/** Python's str.splitlines() boundaries (a superset of what older site.py splits on). */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

export function decodeStartupText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = new TextDecoder('latin1').decode(bytes);
  }
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** site.py `addpackage`: which lines are executed, and which are directories added to sys.path. */
export function classifyPthText(text: string): { executed: { line: number; text: string }[]; paths: { line: number; text: string }[] } {
  const executed: { line: number; text: string }[] = [];
  const paths: { line: number; text: string }[] = [];
  text.split(LINE_BREAK).forEach((line, index) => {
    if (line.startsWith('#') || line.trim() === '') return;
    if (line.startsWith('import ') || line.startsWith('import\t')) executed.push({ line: index + 1, text: line });
    else paths.push({ line: index + 1, text: line.trimEnd() });
  });
  return { executed, paths };
}

/** PEP 829: the entry-point lines of a `.start` file (comments and blank lines skipped). */
export function startEntryLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  text.split(LINE_BREAK).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    out.push({ line: index + 1, text: trimmed });
  });
  return out;
}

const CUSTOMIZE = ['sitecustomize', 'usercustomize'] as const;

/**
 * Whether `path` (relative to a directory on sys.path) is something `import sitecustomize` or
 * `import usercustomize` would find: a module (`.py`, `.pyc`, an extension `.so`/`.pyd` with or
 * without an ABI tag) or a package directory (any member under `sitecustomize/`).
 */
function customizeModuleIn(path: string): string | null {
  const first = path.split('/')[0]!;
  for (const name of CUSTOMIZE) {
    if (path.includes('/') && first === name) return name;
    if (!path.includes('/') && (first === `${name}.py` || first === `${name}.pyc` || first === `${name}.pyw` || (first.startsWith(`${name}.`) && /\.(so|pyd)$/.test(first)))) return name;
  }
  return null;
}

/** Normalises a `.pth` path line to a directory relative to site-packages, or null when it points outside. */
function pthDirectory(line: string): string | null {
  const trimmed = line.trim().replace(/\\/g, '/');
  if (trimmed.startsWith('/') || /^[A-Za-z]:/.test(trimmed)) return null;
  const parts: string[] = [];
  for (const part of trimmed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

export function findStartupCode(input: WheelStartupInput): StartupFinding[] {
  const findings: StartupFinding[] = [];
  const sitePaths = input.names.map((name) => ({ name, path: sitePackagesPath(name) })).filter((m): m is { name: string; path: string } => m.path !== null);
  const addedDirs = new Map<string, { file: string; line: number; text: string }>();
  for (const name of startupFilesToRead(input.names)) {
    const bytes = input.contents.get(name);
    if (bytes === undefined) continue;
    const text = decodeStartupText(bytes);
    if (name.endsWith('.pth')) {
      const { executed, paths } = classifyPthText(text);
      for (const line of executed) {
        findings.push({ file: name, line: line.line, text: line.text, reason: 'pth-import-line', explanation: 'a .pth line starting with "import" is executed by site.py every time Python starts' });
      }
      for (const line of paths) {
        const dir = pthDirectory(line.text);
        if (dir !== null && dir !== '' && !addedDirs.has(dir)) addedDirs.set(dir, { file: name, line: line.line, text: line.text });
      }
    } else {
      for (const line of startEntryLines(text)) {
        findings.push({ file: name, line: line.line, text: line.text, reason: 'start-entry-point', explanation: 'a PEP 829 .start entry point is called by site.py every time Python 3.15+ starts' });
      }
    }
  }
  const seenModules = new Set<string>();
  for (const { name, path } of sitePaths) {
    const module = customizeModuleIn(path);
    if (module !== null) {
      const key = `${module}:${path.split('/')[0]}`;
      if (seenModules.has(key)) continue;
      seenModules.add(key);
      findings.push({ file: name, line: null, text: null, reason: 'customize-module', explanation: `a top-level ${module} module is imported by site.py every time Python starts` });
      continue;
    }
    for (const [dir, from] of addedDirs) {
      if (!path.startsWith(`${dir}/`)) continue;
      const inner = customizeModuleIn(path.slice(dir.length + 1));
      if (inner === null) continue;
      const key = `${inner}:${dir}`;
      if (seenModules.has(key)) continue;
      seenModules.add(key);
      findings.push({
        file: name,
        line: null,
        text: null,
        reason: 'customize-module-via-pth',
        explanation: `${from.file} line ${from.line} (${from.text}) puts ${dir} on sys.path, where a ${inner} module is imported by site.py every time Python starts`,
      });
    }
  }
  return findings;
}

/** The wheels safe-pip inspected for one plan, with what it found. */
export interface InspectedWheel {
  /** Canonical project name. */
  name: string;
  version: string;
  filename: string;
  requiredBy: string[];
  findings: StartupFinding[];
}

export const ALLOW_STARTUP_ENV = 'SAFE_PIP_ALLOW_STARTUP_CODE';
export const ALLOW_STARTUP_KEY = 'allow-startup-code';

export function allowStartupHint(name: string): string {
  return `set ${ALLOW_STARTUP_ENV}=${name}, or put ${ALLOW_STARTUP_KEY} = ["${name}"] in ~/.config/safe-pip/config.toml`;
}

/** One line per finding: `evil.pth line 1: import os; …` (long lines shortened). */
export function describeFinding(finding: StartupFinding): string {
  if (finding.line === null) return `${finding.file}: ${finding.explanation}`;
  const text = finding.text ?? '';
  const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return `${finding.file} line ${finding.line}: ${JSON.stringify(shown)} (${finding.explanation})`;
}

/**
 * download: a wheel it saved carries start-up code. Nothing runs at download, so each finding is
 * one warning line (not a refusal) that quotes the file and the line and says what `install` does
 * with the same wheel.
 */
export function downloadedStartupWarnings(wheel: { name: string; filename: string }, findings: readonly StartupFinding[]): string[] {
  return findings.map(
    (finding) =>
      `warning: ${wheel.filename} carries code that Python runs at every start-up once installed, with no import needed: ${describeFinding(finding)}; installing it through safe-pip is refused unless allowed (${allowStartupHint(wheel.name)})`,
  );
}

export interface StartupDecision {
  refusals: Refusal[];
  /** For allowed projects: what they will run, said once. */
  notes: string[];
}

/**
 * install: a wheel with start-up code is refused unless its project is allowed by name; the refusal
 * quotes every file and line. download: nothing runs, so the same findings are notes only.
 */
export function decideStartupCode(command: 'install' | 'download' | 'wheel' | 'lock', wheels: readonly InspectedWheel[], allowStartup: ReadonlySet<string>): StartupDecision {
  const out: StartupDecision = { refusals: [], notes: [] };
  for (const wheel of wheels) {
    if (wheel.findings.length === 0) continue;
    const list = wheel.findings.map(describeFinding).join('; ');
    if (command !== 'install') {
      out.notes.push(`${wheel.name} ${wheel.version} (${wheel.filename}) would run code at every Python start-up once installed: ${list}`);
      continue;
    }
    if (allowStartup.has(wheel.name)) {
      out.notes.push(`${wheel.name} ${wheel.version} installs start-up code (allowed by ${ALLOW_STARTUP_KEY}): ${list}`);
      continue;
    }
    out.refusals.push({
      project: wheel.name,
      version: wheel.version,
      why: `${wheel.filename} installs code that Python runs at every start-up, with no import needed: ${list}`,
      requiredBy: wheel.requiredBy.map((by) => (by === '<user>' ? 'your requirements' : by)).join(', ') || 'your requirements',
      allowWith: allowStartupHint(wheel.name),
    });
  }
  return out;
}
