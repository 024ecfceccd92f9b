// download's own files: sdists and remote archives fetched raw from the index (hash-checked,
// written to a temporary name and renamed by the index client) and local archives copied unbuilt
// into the destination, before pip is handed the pinned wheels.
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { linkFromUrl } from '../../standards/simple-api.js';
import type { SourcedFile } from '../../resolve/index-reader.js';
import type { Analysis } from './analyze.js';

export interface DownloadStepContext {
  cwd: string;
  quiet: boolean;
  stderr: NodeJS.WritableStream;
}

export async function saveDownloadFiles(analysis: Analysis, context: DownloadStepContext): Promise<void> {
  const { plan, settings } = analysis;
  const dest = resolvePath(context.cwd, settings.downloadDir ?? '.');
  await mkdir(dest, { recursive: true });
  for (const fetch of plan.fetches) {
    const entry = await sourcedFileFor(analysis, fetch.url);
    const expected = analysis.userHashes.get(fetch.name);
    const result = await analysis.reader.downloadFile(entry, dest, expected);
    if (!context.quiet) context.stderr.write(`safe-pip: saved ${result.path} (fetched raw, sha256 ${result.sha256.slice(0, 16)}…)\n`);
  }
  for (const copy of plan.copies) {
    const target = join(dest, basename(copy.path));
    if (resolvePath(copy.path) !== target) {
      const temp = join(dirname(target), `.${basename(target)}.safe-pip-${process.pid}.tmp`);
      await copyFile(copy.path, temp);
      await rename(temp, target);
    }
    if (!context.quiet) context.stderr.write(`safe-pip: saved ${target} (copied unbuilt)\n`);
  }
}

/** The index file behind a URL in the plan (so its index hashes are checked), or a bare link. */
async function sourcedFileFor(analysis: Analysis, url: string): Promise<SourcedFile> {
  for (const pkg of analysis.plan.packages) {
    if (pkg.url !== url) continue;
    const found = (await analysis.reader.projectFiles(pkg.name)).files.find((f) => f.file.url === url);
    if (found !== undefined) return found;
  }
  return { file: linkFromUrl(url), origin: { kind: 'find-links-file', location: url, page: null } };
}
