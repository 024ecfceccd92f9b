// Test-only glue between the loopback index and src/resolve/: a ProjectSource that reads project
// pages with node's fetch (pip's Accept header), parses them with parseProjectPage, and reads
// metadata with candidateMetadata over in-memory bytes. Find-links directories are listed the way
// pip 23.2.1 does (index/sources.py _FlatDirectorySource; package_finder.find_all_candidates):
// local files first, sorted by URL descending, then the index pages in `-i`, `--extra-index-url`
// order. The production index client (src/io/) replaces all of this.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ACCEPT_HEADER, projectPageUrl, type IndexFile } from '../../../src/standards/simple-api.js';
import { parseProjectPage } from '../../../src/standards/simple-api/project-page.js';
import { normalizeName } from '../../../src/standards/names.js';
import { fromBytes } from '../../../src/resolve/random-access.js';
import { candidateMetadata } from '../../../src/resolve/metadata-source.js';
import type { FileEntry, FinderContext } from '../../../src/resolve/finder.js';
import type { ProjectSource } from '../../../src/resolve/resolver.js';
import type { MarkerEnvironment } from '../../../src/standards/interpreter-facts.js';
import { versionRulesForPip } from '../../../src/standards/legacy-version.js';
import { pythonJson } from '../../helpers-selftest/python-oracle.js';

export interface LoopbackEntry extends FileEntry {
  /** Where the entry came from: an index URL or a find-links directory. */
  origin: string;
}

export interface SourceOptions {
  indexUrls?: readonly string[];
  findLinks?: readonly string[];
  noIndex?: boolean;
}

export interface CountingSource extends ProjectSource<LoopbackEntry> {
  /** How many times metadata was read, per file URL. */
  readonly metadataReads: Map<string, number>;
}

function localFile(path: string, origin: string): LoopbackEntry {
  const url = pathToFileURL(path).href;
  const file: IndexFile = {
    filename: decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)),
    url,
    hashes: {},
    requiresPython: null,
    yanked: null,
    coreMetadata: false,
    uploadTime: null,
    size: null,
    egg: null,
    subdirectory: null,
    provenance: null,
  };
  return { file, origin };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  if (url.startsWith('file:')) return readFileSync(new URL(url));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export function loopbackSource(options: SourceOptions): CountingSource {
  const metadataReads = new Map<string, number>();
  return {
    metadataReads,
    async files(name: string): Promise<readonly LoopbackEntry[]> {
      const local: LoopbackEntry[] = [];
      for (const dir of options.findLinks ?? []) {
        const real = realpathSync(dir);
        for (const entry of readdirSync(real)) if (!/\.html?$/.test(entry)) local.push(localFile(join(real, entry), dir));
      }
      local.sort((a, b) => (a.file.url < b.file.url ? 1 : a.file.url > b.file.url ? -1 : 0));
      const pages: LoopbackEntry[] = [];
      for (const index of options.noIndex === true ? [] : (options.indexUrls ?? [])) {
        const url = projectPageUrl(index, normalizeName(name));
        const response = await fetch(url, { headers: { accept: ACCEPT_HEADER } });
        if (response.status === 404) continue;
        if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
        const page = parseProjectPage({ body: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '', url: response.url });
        for (const file of page.files) pages.push({ file, origin: index });
      }
      return [...local, ...pages];
    },
    async metadata(name, candidate) {
      const url = candidate.entry.file.url.split('#')[0]!;
      metadataReads.set(url, (metadataReads.get(url) ?? 0) + 1);
      return candidateMetadata(name, candidate, {
        metadataFile: async () => new TextDecoder().decode(await fetchBytes(`${url}.metadata`)),
        open: async (entry) => fromBytes(await fetchBytes(entry.file.url.split('#')[0]!), entry.file.filename),
      });
    },
  };
}

export interface TargetEnvironment {
  markers: MarkerEnvironment;
  pythonVersion: [number, number, number];
  supportedTags: string[];
  pipVersion: string;
}

let target: Promise<TargetEnvironment> | undefined;

/** This machine's python3 and its pip, asked once (stdlib + pip's own tag list). */
export function targetEnvironment(): Promise<TargetEnvironment> {
  target ??= pythonJson<TargetEnvironment>(readFileSync(new URL('./target_environment.py', import.meta.url), 'utf8'), null);
  return target;
}

export interface FinderOptions {
  pre?: boolean;
  preferBinary?: boolean;
  onlyBinary?: boolean;
  noBinary?: boolean;
  ignoreRequiresPython?: boolean;
}

/** A FinderContext for the machine's pip, as `pip install` with these options would build it. */
export function finderContext(env: TargetEnvironment, options: FinderOptions = {}): FinderContext {
  const formats = new Set<'binary' | 'source'>(options.onlyBinary ? ['binary'] : options.noBinary ? ['source'] : ['binary', 'source']);
  return {
    supportedTags: env.supportedTags,
    pythonVersion: env.pythonVersion,
    allowedFormats: () => formats,
    wheelFilenameParser: 'legacy',
    ignoreRequiresPython: options.ignoreRequiresPython ?? false,
    preferBinary: options.preferBinary ?? false,
    prereleases: () => (options.pre === true ? true : null),
    versionRules: versionRulesForPip(env.pipVersion),
  };
}
