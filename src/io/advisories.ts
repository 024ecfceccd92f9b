// The offline malware data: OSV's PyPI bulk file (a zip of one JSON record per advisory, e.g.
// https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip, see
// https://google.github.io/osv.dev/data/#data-dumps), read from a URL or a local file and reduced
// to the `MAL-` records (src/standards/osv.ts) in one compact JSON index under safe-pip's cache
// directory: `<cache>/advisories/pypi-malicious.json`, written to a temporary name and renamed, so
// a reader sees the old index or the new one, never half of one. A download goes to a temporary
// file in the same directory first (the bulk file is tens of megabytes), removed afterwards.
// Limits: 1 GiB for the zip, 16 MiB per record, 2 000 000 members.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { SafePipError } from '../errors.js';
import { addToIndex, emptyIndex, parseMalwareIndex, parseMalwareRecord, type MalwareIndex } from '../standards/osv.js';
import type { HttpClient } from './http/client.js';
import { redactUrl } from './redact-url.js';

export const DEFAULT_ADVISORIES_URL = 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip';
export const ADVISORIES_URL_ENV = 'SAFE_PIP_ADVISORIES_URL';
export const ADVISORIES_URL_KEY = 'advisories-url';

const MAX_ZIP_BYTES = 1024 * 1024 * 1024;
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const MAX_MEMBERS = 2_000_000;

export function advisoriesPath(cacheDir: string): string {
  return join(cacheDir, 'advisories', 'pypi-malicious.json');
}

export interface AdvisoriesStatus {
  path: string;
  /** ISO 8601, when the data was read. */
  updatedAt: string;
  /** MAL records kept. */
  records: number;
  source: string;
}

/** For `doctor`: where the offline data is, how old, how many records; null when there is none (or it is unreadable). */
export async function advisoriesStatus(cacheDir: string): Promise<AdvisoriesStatus | null> {
  const index = await loadAdvisories(cacheDir);
  return index === null ? null : { path: advisoriesPath(cacheDir), updatedAt: index.updatedAt, records: index.records, source: index.source };
}

/** The index, or null when none was written yet or the file is not one (then nothing is matched). */
export async function loadAdvisories(cacheDir: string): Promise<MalwareIndex | null> {
  try {
    return parseMalwareIndex(await readFile(advisoriesPath(cacheDir), 'utf8'));
  } catch {
    return null;
  }
}

function openZipFile(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

async function readMember(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))));
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_RECORD_BYTES) {
      stream.destroy();
      throw new Error(`more than ${MAX_RECORD_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads an OSV bulk zip into an index. A member that is not JSON is skipped and counted. */
export async function indexFromOsvZip(path: string, source: string, now: Date): Promise<{ index: MalwareIndex; skipped: string[] }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZipFile(path);
  } catch (error) {
    throw new SafePipError(`${source} is not a readable zip file: ${(error as Error).message}`, { cause: error, hint: `the file should be OSV's bulk export, like ${DEFAULT_ADVISORIES_URL}` });
  }
  const index = emptyIndex(source, now.toISOString());
  const skipped: string[] = [];
  try {
    if (zip.entryCount > MAX_MEMBERS) throw new SafePipError(`${source} lists ${zip.entryCount} members, more than the limit of ${MAX_MEMBERS}`);
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        // Only MAL- records are kept. The bulk file names each member after its id, so members
        // named after another database (GHSA-…, PYSEC-…) are not even read; anything else is
        // read and judged by its `id`.
        const base = name.slice(name.lastIndexOf('/') + 1);
        if (!base.endsWith('.json') || (/^[A-Z]+-/.test(base) && !base.startsWith('MAL-'))) {
          zip.readEntry();
          return;
        }
        readMember(zip, entry).then(
          (bytes) => {
            try {
              const record = parseMalwareRecord(JSON.parse(bytes.toString('utf8')));
              if (record !== null) addToIndex(index, record);
            } catch {
              skipped.push(name);
            }
            zip.readEntry();
          },
          (error: unknown) => {
            skipped.push(`${name} (${(error as Error).message})`);
            zip.readEntry();
          },
        );
      });
      zip.once('end', () => resolve());
      zip.once('error', reject);
      zip.readEntry();
    }).catch((error: unknown) => {
      if (error instanceof SafePipError) throw error;
      throw new SafePipError(`${source}: bad zip (${(error as Error).message})`, { cause: error });
    });
  } finally {
    zip.close();
  }
  return { index, skipped };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = file.slice(0, file.lastIndexOf('/'));
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export type AdvisoriesOrigin = { kind: 'file'; path: string } | { kind: 'url'; url: string; http: HttpClient };

export interface UpdateResult {
  status: AdvisoriesStatus;
  /** Members that could not be read as JSON. */
  skipped: string[];
}

/** Reads the bulk file (downloaded first when it is a URL), keeps the MAL records, writes the index. */
export async function updateAdvisories(cacheDir: string, origin: AdvisoriesOrigin, now: Date = new Date()): Promise<UpdateResult> {
  const target = advisoriesPath(cacheDir);
  if (origin.kind === 'file') {
    try {
      await stat(origin.path);
    } catch (error) {
      throw new SafePipError(`cannot read ${origin.path}: ${(error as Error).message}`, { cause: error });
    }
    return finish(target, await indexFromOsvZip(origin.path, origin.path, now));
  }
  const shown = redactUrl(origin.url);
  await mkdir(join(cacheDir, 'advisories'), { recursive: true });
  const temp = join(cacheDir, 'advisories', `download.${process.pid}.${randomBytes(4).toString('hex')}.zip.tmp`);
  try {
    await origin.http.fetchStream(origin.url, {}, async (head, body) => {
      if (head.status !== 200) throw new SafePipError(`could not download ${shown}: HTTP ${head.status}`);
      const declared = Number(head.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_ZIP_BYTES) throw new SafePipError(`${shown} is ${declared} bytes, more than the limit of ${MAX_ZIP_BYTES}`);
      let total = 0;
      const limited = Readable.from(
        (async function* () {
          for await (const chunk of body) {
            total += chunk.length;
            if (total > MAX_ZIP_BYTES) throw new SafePipError(`${shown} is more than ${MAX_ZIP_BYTES} bytes`);
            yield chunk;
          }
        })(),
      );
      await pipeline(limited, createWriteStream(temp));
    });
    return finish(target, await indexFromOsvZip(temp, shown, now));
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function finish(target: string, read: { index: MalwareIndex; skipped: string[] }): Promise<UpdateResult> {
  await writeAtomically(target, JSON.stringify(read.index));
  return { status: { path: target, updatedAt: read.index.updatedAt, records: read.index.records, source: read.index.source }, skipped: read.skipped };
}
