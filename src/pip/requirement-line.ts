// How pip reads one requirement string — a command-line argument, a requirements-file line, or an `-e`
// value: `install_req_from_line`/`parse_req_from_line`, `_looks_like_path`, `_get_url_from_path`,
// `_strip_extras`, `parse_editable` (req/constructors.py), `is_url` (vcs/versioncontrol.py),
// `is_archive_file` (utils/filetypes.py), `Link` and `Wheel` (models/). See pip-behaviour.md §1.6.
//
// Supported: marker splitting ("; " for URLs, the first ";" otherwise), every URL scheme pip accepts
// (http, https, file, ftp and its VCS schemes), path-looking rules (a "/" or a leading "."), extras on paths,
// archive extensions (case-insensitive, ".tar.*"), existing file vs missing file with "@", the
// "Directory … is not installable" error, `name==version` from wheel filenames (pip's own regex),
// `#egg=` (an error from pip 25.0 when it is not a valid name) and `#subdirectory=`, the editable rules
// (`git:` → `git+git:`, a name required unless `file:`), the `../` file-URL rewrite, packaging 21.3's
// rejection of `name @ vcs+file:///…` on pip ≤ 24.0, pip's "Invalid requirement" hints.
// POSIX paths only. PEP 508 parsing is src/standards/pep508, with the real pip's version rules: packaging
// 26's for pip ≥ 24.1, packaging 21.3's for pip ≤ 24.0 (legacy specifiers such as `foo==abc`, `flask>=>1`
// accepted; `foo>=1.0,` rejected).
import { parseRequirement, type Requirement, RequirementParseError } from '../standards/pep508/requirement.js';
import { versionRulesForPip } from '../standards/legacy-version.js';
import { formatMarker } from '../standards/pep508/markers.js';
import { pipVersionAtLeast } from '../standards/requirements-file/pip-version.js';
import { pyAbspath, pyBasename, pyNormpath, pySplitext } from '../standards/requirements-file/python-path.js';
import { pyStrip } from '../standards/python-text.js';
import { isVcsScheme, pyPathToUrl } from '../standards/requirements-file/pip-urls.js';
import { PythonUrlError, unquote, urlsplit, urlunsplit } from '../standards/python-urllib.js';
import { pythonStrRepr } from './python-repr.js';

export interface RequirementLineFs {
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  /** pip's is_installable_dir: the directory holds pyproject.toml or setup.py (as files). */
  dirHasProjectFile(path: string): boolean;
}

export interface ClassifyOptions {
  /** The real pip's working directory. */
  cwd: string;
  fs: RequirementLineFs;
  /** True for an `-e` value (parse_editable rules). */
  editable: boolean;
  pipVersion: string;
  /** pip's line_source for messages ("line 3 of reqs.txt"), when the string came from a file. */
  lineSource?: string | null;
}

export type LinkKind = 'wheel' | 'archive' | 'vcs' | 'other';

interface Common {
  /** The text pip parsed, as given. */
  input: string;
  /** Marker text split off by pip (before PEP 508 parsing), or the requirement's own marker. */
  marker: string | null;
  /** Extras (pip lower-cases extras given on paths; a PEP 508 requirement keeps its own). */
  extras: string[];
  /** The project name pip knows before building, or null (an unnamed requirement). */
  name: string | null;
  /** pip's requirement string for the named part (`name==ver` from a wheel, the egg name, PEP 508 text). */
  requirement: Requirement | null;
  /** pip's warnings for this string. */
  warnings: string[];
}

export type ClassifiedRequirement =
  | (Common & { kind: 'named'; specifier: string })
  | (Common & {
      kind: 'url';
      /** The URL pip will fetch (after pip's own rewrites). */
      url: string;
      linkKind: LinkKind;
      scheme: string;
      /** True when the URL came from `name @ url` rather than a bare URL. */
      pep508: boolean;
      subdirectory: string | null;
    })
  | (Common & {
      kind: 'path';
      /** The absolute, normalized path, extras removed. */
      path: string;
      /** The file: URL pip turns it into. */
      url: string;
      isDir: boolean;
      isFile: boolean;
      isArchive: boolean;
      isWheel: boolean;
    })
  | (Common & {
      kind: 'editable';
      url: string;
      /** A local directory (given as a path or a file: URL) rather than a VCS URL. */
      local: boolean;
      vcs: boolean;
    });

export type RequirementLineErrorKind =
  | 'invalid-requirement'
  | 'directory-not-installable'
  | 'invalid-wheel-filename'
  | 'invalid-egg-fragment'
  | 'invalid-editable'
  | 'editable-without-name'
  | 'extras-after-version'
  /** A URL that Python's urlsplit rejects ("Invalid IPv6 URL"); pip crashes with ValueError. */
  | 'invalid-url';

export class RequirementLineError extends Error {
  readonly kind: RequirementLineErrorKind;
  readonly input: string;
  /** What pip prints after "ERROR: " (first line exact for pip 23.x; later pips append packaging's detail). */
  readonly pipMessage: string;
  constructor(kind: RequirementLineErrorKind, input: string, pipMessage: string, cause?: unknown) {
    super(`${pipMessage}\n  (while reading requirement ${JSON.stringify(input)})`, cause === undefined ? undefined : { cause });
    this.name = 'RequirementLineError';
    this.kind = kind;
    this.input = input;
    this.pipMessage = pipMessage;
  }
}

const BASE_URL_SCHEMES = ['http', 'https', 'file', 'ftp'];
const ARCHIVE_EXTENSIONS = ['.zip', '.whl', '.tar.bz2', '.tbz', '.tar.gz', '.tgz', '.tar', '.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma'];
const VERSION_OPERATORS = ['~=', '==', '!=', '<=', '>=', '<', '>', '==='];
const WHEEL_RE =
  /^(?<namever>(?<name>[^\s-]+?)-(?<ver>[^\s-]*?))((-(?<build>\d[^-]*?))?-(?<pyver>[^\s-]+?)-(?<abi>[^\s-]+?)-(?<plat>[^\s-]+?)\.whl|\.dist-info)$/;
const PROJECT_NAME_RE = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** pip's `is_url`. */
export function isPipUrl(text: string, pipVersion: string): boolean {
  const scheme = pipScheme(text, pipVersion);
  return scheme !== null && (BASE_URL_SCHEMES.includes(scheme) || isVcsScheme(scheme));
}

function pipScheme(text: string, pipVersion: string): string | null {
  // 23.x: text before the first ':' (utils.urls.get_url_scheme); 24.2+: urlsplit().scheme.
  if (!pipVersionAtLeast(pipVersion, '24.1')) {
    const colon = text.indexOf(':');
    return colon === -1 ? null : text.slice(0, colon).toLowerCase();
  }
  try {
    return urlsplit(text).scheme || null;
  } catch {
    return null;
  }
}

/** pip's utils.filetypes.is_archive_file. */
export function isArchiveFile(name: string): boolean {
  return ARCHIVE_EXTENSIONS.includes(pipSplitext(name)[1].toLowerCase());
}

/** pip's utils.misc.splitext: like posixpath.splitext, with ".tar" kept in the extension. */
function pipSplitext(path: string): [string, string] {
  let [base, ext] = pySplitext(path);
  if (base.toLowerCase().endsWith('.tar')) {
    ext = base.slice(-4) + ext;
    base = base.slice(0, -4);
  }
  return [base, ext];
}

/** Classify one requirement string as pip would. Throws RequirementLineError where pip fails. */
export function classifyRequirementString(text: string, options: ClassifyOptions): ClassifiedRequirement {
  try {
    return options.editable ? classifyEditable(text, options) : classifyLine(text, options);
  } catch (error) {
    if (!(error instanceof PythonUrlError)) throw error;
    // Measured with pip 23.0.1: a traceback ending in "ValueError: Invalid IPv6 URL".
    const message = `Invalid URL ${pythonStrRepr(error.input)}: ${error.message} (pip crashes with ValueError)`;
    throw new RequirementLineError('invalid-url', text, options.lineSource ? `${message} (from ${options.lineSource})` : message, error);
  }
}

function looksLikePath(name: string): boolean {
  return name.includes('/') || name.startsWith('.');
}

function stripExtras(path: string): [string, string | null] {
  const match = /^([\s\S]+)(\[[^\]]+\])$/.exec(path);
  return match === null ? [path, null] : [match[1]!, match[2]!];
}

function parseWithPip(text: string, options: ClassifyOptions, input: string): Requirement {
  const old = !pipVersionAtLeast(options.pipVersion, '24.1');
  let requirement: Requirement;
  try {
    requirement = parseRequirement(text, { rules: versionRulesForPip(options.pipVersion) });
    if (old && requirement.url !== null) checkOldPackagingUrl(requirement.url);
  } catch (error) {
    if (!(error instanceof RequirementParseError) && !(error instanceof OldPackagingUrlError)) throw error;
    let hint = '';
    if (text.includes('/')) {
      hint = 'It looks like a path.';
      hint += options.fs.isFile(pyAbspath(text, options.cwd)) || options.fs.isDir(pyAbspath(text, options.cwd))
        ? ' The path does exist. '
        : ` File '${text}' does not exist.`;
    } else if (text.includes('=') && !VERSION_OPERATORS.some((op) => text.includes(op))) {
      hint = '= is not a valid operator. Did you mean == ?';
    }
    const detail = old ? '' : `: ${error instanceof RequirementParseError ? error.detail : error.message}`;
    let message = `Invalid requirement: ${pythonStrRepr(text)}${detail}`;
    if (options.lineSource) message += ` (from ${options.lineSource})`;
    if (hint) message += `\nHint: ${hint}`;
    throw new RequirementLineError('invalid-requirement', input, message, error);
  }
  if (old && /\]$/.test(requirement.specifier)) {
    throw new RequirementLineError('extras-after-version', input, `Extras after version '${requirement.specifier}'.`);
  }
  return requirement;
}

class OldPackagingUrlError extends Error {}

/** packaging 21.3 Requirement.__init__: file: URLs must round-trip, others need a scheme and a host. */
function checkOldPackagingUrl(url: string): void {
  const parts = urlsplit(url);
  if (parts.scheme === 'file') {
    if (urlunsplit(parts) !== url) throw new OldPackagingUrlError('Invalid URL given');
  } else if (!(parts.scheme && parts.netloc)) {
    throw new OldPackagingUrlError(`Invalid URL: ${url}`);
  }
}

interface PipLink {
  url: string;
  scheme: string;
  filename: string;
  isWheel: boolean;
  isVcs: boolean;
  eggFragment: string | null;
  subdirectory: string | null;
}

function makeLink(url: string, options: ClassifyOptions, input: string, warnings: string[]): PipLink {
  const split = urlsplit(url);
  const path = unquote(split.path);
  const trimmed = path.replace(/\/+$/, '');
  let filename = unquote(pyBasename(trimmed));
  if (filename === '') filename = split.netloc.replace(/^.*@/, '');
  const ext = pipSplitext(pyBasename(trimmed))[1];
  const egg = /[#&]egg=([^&]*)/.exec(url)?.[1] ?? null;
  if (egg !== null && !PROJECT_NAME_RE.test(egg)) {
    if (pipVersionAtLeast(options.pipVersion, '25.0')) {
      throw new RequirementLineError('invalid-egg-fragment', input, `The '${egg}' egg fragment is invalid`);
    }
    warnings.push(`${url} contains an egg fragment with a non-PEP 508 name`);
  }
  return {
    url,
    scheme: split.scheme,
    filename,
    isWheel: ext === '.whl',
    isVcs: isVcsScheme(split.scheme),
    eggFragment: egg,
    subdirectory: /[#&]subdirectory=([^&]*)/.exec(url)?.[1] ?? null,
  };
}

function linkKind(link: PipLink): LinkKind {
  if (link.isWheel) return 'wheel';
  if (link.isVcs) return 'vcs';
  if (isArchiveFile(link.filename)) return 'archive';
  return 'other';
}

function extrasFrom(extras: string | null, options: ClassifyOptions, input: string): string[] {
  if (!extras) return [];
  return [...parseWithPip(`placeholder${extras.toLowerCase()}`, options, input).extras];
}

function markerText(requirement: Requirement | null, split: string | null): string | null {
  if (split !== null) return split;
  return requirement?.marker ? formatMarker(requirement.marker) : null;
}

function classifyLine(input: string, options: ClassifyOptions): ClassifiedRequirement {
  const warnings: string[] = [];
  let name = input;
  const sep = isPipUrl(name, options.pipVersion) ? '; ' : ';';
  let marker: string | null = null;
  const at = name.indexOf(sep);
  if (at !== -1) {
    const markerString = pyStrip(name.slice(at + sep.length));
    name = name.slice(0, at);
    marker = markerString === '' ? null : markerString;
  }
  name = pyStrip(name);
  const path = pyNormpath(pyAbspath(name, options.cwd));
  let link: PipLink | null = null;
  let extrasText: string | null = null;
  let fromPath: { path: string; isDir: boolean; isFile: boolean } | null = null;
  if (isPipUrl(name, options.pipVersion)) {
    link = makeLink(name, options, input, warnings);
  } else {
    const [p, extras] = stripExtras(path);
    extrasText = extras;
    const url = urlFromPath(p, name, options, input, warnings);
    if (url !== null) {
      link = makeLink(url, options, input, warnings);
      fromPath = { path: p, isDir: options.fs.isDir(p), isFile: options.fs.isFile(p) };
    }
  }
  let requirementText: string | null;
  if (link !== null) {
    if (link.scheme === 'file' && /\.\.\//.test(link.url)) {
      const linkPath = unquote(urlsplit(link.url).path);
      link = makeLink(pyPathToUrl(pyNormpath(pyAbspath(linkPath, options.cwd))), options, input, warnings);
    }
    if (link.isWheel) {
      const match = WHEEL_RE.exec(link.filename);
      if (match === null) {
        throw new RequirementLineError('invalid-wheel-filename', input, `${link.filename} is not a valid wheel filename.`);
      }
      requirementText = `${match.groups!.name!.replace(/_/g, '-')}==${match.groups!.ver!.replace(/_/g, '-')}`;
    } else {
      requirementText = link.eggFragment;
    }
  } else {
    requirementText = name;
  }
  const extras = extrasFrom(extrasText, options, input);
  const requirement = requirementText === null ? null : parseWithPip(requirementText, options, input);
  const common = {
    input,
    marker: markerText(requirement, marker),
    extras: extras.length > 0 ? extras : requirement ? [...requirement.extras] : [],
    name: requirement?.name ?? null,
    requirement,
    warnings,
  };
  if (link === null) {
    if (requirement!.url !== null) {
      const urlLink = makeLink(requirement!.url, options, input, warnings);
      return { ...common, kind: 'url', url: requirement!.url, linkKind: linkKind(urlLink), scheme: urlLink.scheme, pep508: true, subdirectory: urlLink.subdirectory };
    }
    return { ...common, kind: 'named', specifier: requirement!.specifier };
  }
  if (fromPath !== null) {
    return {
      ...common,
      kind: 'path',
      path: fromPath.path,
      url: link.url,
      isDir: fromPath.isDir,
      isFile: fromPath.isFile,
      isArchive: isArchiveFile(fromPath.path),
      isWheel: link.isWheel,
    };
  }
  return { ...common, kind: 'url', url: link.url, linkKind: linkKind(link), scheme: link.scheme, pep508: false, subdirectory: link.subdirectory };
}

function urlFromPath(path: string, name: string, options: ClassifyOptions, input: string, warnings: string[]): string | null {
  if (looksLikePath(name) && options.fs.isDir(path)) {
    if (options.fs.dirHasProjectFile(path)) return pyPathToUrl(path);
    throw new RequirementLineError(
      'directory-not-installable',
      input,
      `Directory ${pythonStrRepr(name)} is not installable. Neither 'setup.py' nor 'pyproject.toml' found.`,
    );
  }
  if (!isArchiveFile(path)) return null;
  if (options.fs.isFile(path)) return pyPathToUrl(path);
  const at = name.indexOf('@');
  if (at !== -1 && !looksLikePath(name.slice(0, at))) return null;
  warnings.push(`Requirement ${pythonStrRepr(name)} looks like a filename, but the file does not exist`);
  return pyPathToUrl(path);
}

function classifyEditable(input: string, options: ClassifyOptions): ClassifiedRequirement {
  const warnings: string[] = [];
  let url = input;
  const [noExtrasRaw, extras] = stripExtras(url);
  let urlNoExtras = noExtrasRaw;
  const asPath = pyAbspath(urlNoExtras, options.cwd);
  const isLocalDir = options.fs.isDir(asPath);
  if (isLocalDir) urlNoExtras = pyPathToUrl(pyNormpath(asPath));
  if (urlNoExtras.toLowerCase().startsWith('file:')) {
    const link = makeLink(urlNoExtras, options, input, warnings);
    const name = link.eggFragment;
    const requirement = name === null ? null : parseEditableName(name, options, input);
    return {
      kind: 'editable',
      input,
      url: urlNoExtras,
      local: true,
      vcs: false,
      marker: null,
      extras: extras ? extrasFrom(extras, options, input) : requirement ? [...requirement.extras] : [],
      name: requirement?.name ?? null,
      requirement,
      warnings,
    };
  }
  for (const vcs of ['bzr', 'git', 'hg', 'svn']) {
    if (url.toLowerCase().startsWith(`${vcs}:`)) {
      url = `${vcs}+${url}`;
      break;
    }
  }
  const link = makeLink(url, options, input, warnings);
  if (!link.isVcs) {
    throw new RequirementLineError(
      'invalid-editable',
      input,
      `${input} is not a valid editable requirement. It should either be a path to a local project or a VCS URL ` +
        `(beginning with bzr+http, bzr+https, bzr+ssh, bzr+sftp, bzr+ftp, bzr+lp, bzr+file, git+http, git+https, ` +
        `git+ssh, git+git, git+file, hg+file, hg+http, hg+https, hg+ssh, hg+static-http, svn+ssh, svn+http, ` +
        `svn+https, svn+svn, svn+file).`,
    );
  }
  if (!link.eggFragment) {
    throw new RequirementLineError(
      'editable-without-name',
      input,
      `Could not detect requirement name for '${input}', please specify one with #egg=your_package_name`,
    );
  }
  const requirement = parseEditableName(link.eggFragment, options, input);
  return { kind: 'editable', input, url, local: false, vcs: true, marker: null, extras: [...requirement.extras], name: requirement.name, requirement, warnings };
}

function parseEditableName(name: string, options: ClassifyOptions, input: string): Requirement {
  try {
    return parseRequirement(name, { rules: versionRulesForPip(options.pipVersion) });
  } catch (error) {
    if (!(error instanceof RequirementParseError)) throw error;
    const detail = pipVersionAtLeast(options.pipVersion, '24.1') ? `: ${error.detail}` : '';
    throw new RequirementLineError('invalid-requirement', input, `Invalid requirement: ${pythonStrRepr(name)}${detail}`, error);
  }
}
