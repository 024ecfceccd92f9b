// What the resolver needs from the package sources (indexes, find-links), as types only, so
// src/resolve/ stays free of network code. src/io/index-client.ts implements it with pip's rules
// (pip-behaviour.md §5: sources, content negotiation, candidate order).
import type { IndexFile } from '../standards/simple-api.js';
import type { RandomAccessSource } from './random-access.js';

/**
 * Where a file was found:
 * - `index`: a project page `<index>/<project>/` (HTTP(S) or a `file:` index);
 * - `index-dir`: a local index directory `<dir>/<project>/index.html`;
 * - `find-links-page`: an HTML page given to `--find-links` (remote, local file, or an `*.html` in a find-links directory);
 * - `find-links-dir`: a file lying in a `--find-links` directory;
 * - `find-links-file`: a `--find-links` location that is itself a file (local or remote URL).
 */
export type SourceKind = 'index' | 'index-dir' | 'find-links-page' | 'find-links-dir' | 'find-links-file';

export interface FileOrigin {
  kind: SourceKind;
  /** The location as the user gave it (credentials redacted). */
  location: string;
  /** The page the link was read from (credentials redacted), when it came from a page. */
  page: string | null;
}

/** One file offered for a project, and where it came from. Satisfies the finder's FileEntry. */
export interface SourcedFile {
  file: IndexFile;
  origin: FileOrigin;
}

export type SourceStatus =
  /** Read; `files` may be 0. */
  | 'ok'
  /** 404 / missing local page: contributes nothing, as in pip. */
  | 'not-found'
  /** Network error, HTTP error status, retries exhausted: contributes nothing (pip logs and goes on). */
  | 'failed'
  /** Plain http to a host that is not localhost and not `--trusted-host`: pip ignores it, with a warning. */
  | 'insecure'
  /** The response Content-Type is not one pip accepts: pip skips it, with a warning. */
  | 'unsupported-content-type'
  /** The location is neither an existing path nor a URL pip knows: pip ignores it, with a warning. */
  | 'ignored';

export interface SourceReport {
  kind: SourceKind;
  /** The location searched (credentials redacted): the project page URL, page file or directory. */
  location: string;
  status: SourceStatus;
  /** Why, for anything but `ok` (credentials redacted). */
  reason: string | null;
  /** Files the source contributed. */
  files: number;
  /** The page came from the local cache after a 304 / while fresh. */
  cached: boolean;
}

export interface ProjectFiles {
  /** Every file, in pip's candidate order (local files first, then find-links pages, then index pages). */
  files: SourcedFile[];
  /** One report per source consulted, in the order pip consults them. */
  sources: SourceReport[];
  /** PEP 792 project status from the index pages (a quarantine on any index wins), or null. */
  projectStatus?: { status: string; reason: string | null } | null;
}

/** Hash algorithm -> accepted hex digests (the user's `--hash` values). */
export type ExpectedHashes = Readonly<Record<string, readonly string[]>>;

export interface DownloadResult {
  /** Absolute path of the file in the destination directory. */
  path: string;
  sha256: string;
  size: number;
  /** `existing`: a file with the right hash was already there; `cache`: from the local cache (copied; linked when `private`). */
  via: 'existing' | 'cache' | 'network' | 'local';
}

export interface IndexReader {
  /** All files offered for a project (any spelling of the name). Never throws for an unreachable source. */
  projectFiles(name: string): Promise<ProjectFiles>;
  /** The PEP 658/714 metadata file's text, checked against the hashes the page gave. */
  fetchMetadataFile(file: SourcedFile): Promise<string>;
  /** Starts reading a project's pages ahead of projectFiles, saying nothing; resolves to its files. */
  prefetchProject?(name: string): Promise<readonly SourcedFile[]>;
  /** Starts reading a PEP 658/714 metadata file ahead of fetchMetadataFile, which then takes the same read; resolves to its text. */
  prefetchMetadataFile?(file: SourcedFile): Promise<string>;
  /** Random access to a distribution (range requests, a cached copy or a local file). */
  /** `whole`: fetch the whole file into the cache (it is about to be downloaded anyway) rather than read it by ranges. */
  openFile(file: SourcedFile, options?: { whole?: boolean }): Promise<RandomAccessSource>;
  /** A wheel's METADATA text, read from the archive through openFile; a read ahead and the resolver's read share one. */
  wheelMetadata?(file: SourcedFile, project: { name: string; version: string }): Promise<string>;
  /** Starts reading a wheel's METADATA ahead of wheelMetadata; resolves to its text. Undefined when it will not read that wheel ahead. */
  prefetchWheelMetadata?(file: SourcedFile, project: { name: string; version: string }): Promise<string> | undefined;
  /** The METADATA text read from a wheel opened with openFile: kept to be checked against the whole file once it is verified, when it was read unverified. */
  noteArchiveMetadata?(file: SourcedFile, text: string): void;
  /**
   * Stores the file under its plain basename in `destDir`, checked against the index hashes and
   * the user's `expectedHashes`; written to a temporary name and renamed; nothing left on failure.
   * `private`: `destDir` is safe-pip's own, removed after the run, and its files are only read
   * (install's staged wheels), so the file may be a hard link to the verified cache entry.
   */
  downloadFile(file: SourcedFile, destDir: string, expectedHashes?: ExpectedHashes, options?: { private?: boolean }): Promise<DownloadResult>;
}
