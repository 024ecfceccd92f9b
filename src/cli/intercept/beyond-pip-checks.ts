// The I/O half of src/policy/beyond-pip.ts: for a plan decide() made, read what the checks that go
// beyond builds need — the offline malware data (cache), each project's PEP 792 status (the index
// page the resolver already read), and each wheel pip would install (its zip central directory and
// start-up files, through the same reader, so over HTTP only ranges are fetched) — and return the
// findings for withBeyondPipFindings(). Nothing is executed; nothing is written.
//
// Limitation (docs/beyond-pip.md): bytes read through HTTP ranges are the index's claim; pip later
// downloads the whole file and checks it against the page's sha256, but an index that serves
// different bytes to a range request than to a whole download could show safe-pip a clean file.
import type { IndexReader, SourcedFile } from '../../resolve/index-reader.js';
import type { Plan, PlannedPackage } from '../../policy/plan.js';
import type { Refusal } from '../../policy/plan.js';
import { linkFromUrl } from '../../standards/simple-api.js';
import { normalizeName } from '../../standards/names.js';
import { decideMalware } from '../../policy/malware.js';
import { decideProjectStatus, type ProjectStatus } from '../../policy/project-status.js';
import { ALLOW_STARTUP_KEY, allowStartupHint, decideStartupCode } from '../../policy/startup-code.js';
import type { BeyondPipFindings } from '../../policy/beyond-pip.js';
import { loadAdvisories } from '../../io/advisories.js';
import { inspectWheelStartupCode } from '../../io/wheel-startup-files.js';
import { wheelNameAndVersion } from '../../standards/wheel-filename.js';
import { allowedStartupCode } from './beyond-pip-settings.js';

export interface BeyondPipInput {
  plan: Plan;
  reader: Pick<IndexReader, 'openFile' | 'projectFiles'>;
  env: NodeJS.ProcessEnv;
  /** safePipCacheDir(env); null skips the malware check (no data can exist). */
  cacheDir: string | null;
  /** Wheel files or URLs the user named (targets of kind `wheel`; a local path as a file: URL), which are not among plan.packages. */
  wheelTargets?: readonly { requirement: string; location: string; origin: string }[];
  /**
   * A project's PEP 792 status as the index gave it. Default: `projectStatus` of the reader's
   * projectFiles(name) result, when the reader provides one (see docs/beyond-pip.md, wiring).
   */
  statusOf?: (name: string) => Promise<ProjectStatus | null>;
  /** Fetch each inspected wheel whole (it is staged for pip next, install-staging.ts), not by ranges. */
  wholeFiles?: boolean;
}

const INSPECT_CONCURRENCY = 4;

export async function beyondPipChecks(input: BeyondPipInput): Promise<BeyondPipFindings> {
  const { plan } = input;
  const findings: BeyondPipFindings = { malware: [], quarantined: [], startupCode: [], notes: [], inspected: [] };

  // 1. Known malicious releases: every package of the plan, whatever its route.
  const index = input.cacheDir === null ? null : await loadAdvisories(input.cacheDir);
  findings.malware = decideMalware(
    index,
    plan.packages.map((p) => ({ name: p.name, version: p.version, filename: p.filename, hashes: p.hashes, requiredBy: p.requiredBy })),
  );

  // 2. PEP 792 project status, once per project that came from an index.
  const statusOf = input.statusOf ?? defaultStatusOf(input.reader);
  const seen = new Set<string>();
  for (const pkg of plan.packages) {
    const name = normalizeName(pkg.name);
    if (seen.has(name) || pkg.version === '') continue;
    seen.add(name);
    const decision = decideProjectStatus({ name, version: pkg.version, requiredBy: requiredByText(pkg.requiredBy) }, await statusOf(name).catch(() => null));
    if (decision.refusal !== null) findings.quarantined.push(decision.refusal);
    if (decision.warning !== null) findings.notes.push(decision.warning);
  }

  // 3. Start-up code in the wheels pip would install (download and wheel: reported, not refused).
  if (plan.refused) return findings;
  const wheels: { name: string; version: string; filename: string; requiredBy: string[]; entry: () => Promise<SourcedFile> }[] = [];
  for (const pkg of plan.packages) {
    if (pkg.kind !== 'wheel' || pkg.via !== 'pip' || pkg.url === '') continue;
    wheels.push({ name: normalizeName(pkg.name), version: pkg.version, filename: pkg.filename, requiredBy: pkg.requiredBy, entry: () => sourcedFileOf(input.reader, pkg) });
  }
  for (const target of input.wheelTargets ?? []) {
    const file = linkFromUrl(target.location);
    const stated = wheelNameAndVersion(file.filename);
    wheels.push({
      name: normalizeName(stated.name),
      version: stated.version,
      filename: file.filename,
      requiredBy: [target.origin],
      entry: async () => ({ file, origin: { kind: 'find-links-file', location: target.location, page: null } }),
    });
  }
  const allow = allowedStartupCode(input.env);
  const unreadable: Refusal[] = [];
  // Only `install` puts the files where Python starts them: the other commands skip the read, which
  // would cost a request per wheel before anything is downloaded (and wait on a server that stalls).
  // `download` reads the wheels once pip has saved them, locally (downloaded-startup-code.ts).
  const queue = plan.command === 'install' ? [...wheels] : [];
  const worker = async (): Promise<void> => {
    for (let wheel = queue.shift(); wheel !== undefined; wheel = queue.shift()) {
      if (plan.command === 'install' && allow.names.has(wheel.name)) {
        findings.inspected.push({ name: wheel.name, version: wheel.version, filename: wheel.filename, requiredBy: wheel.requiredBy, findings: [] });
        continue;
      }
      try {
        const source = await input.reader.openFile(await wheel.entry(), { whole: input.wholeFiles === true });
        findings.inspected.push({ name: wheel.name, version: wheel.version, filename: wheel.filename, requiredBy: wheel.requiredBy, findings: await inspectWheelStartupCode(source) });
      } catch (error) {
        const message = (error as Error).message;
        if (plan.command !== 'install') {
          findings.notes.push(`${wheel.filename}: could not be inspected for start-up code (${message})`);
          continue;
        }
        unreadable.push({
          project: wheel.name,
          version: wheel.version === '' ? null : wheel.version,
          why: `${wheel.filename} could not be inspected for code that runs at every Python start-up (${message}), so it is not installed unchecked`,
          requiredBy: requiredByText(wheel.requiredBy),
          allowWith: `${allowStartupHint(wheel.name)} (${ALLOW_STARTUP_KEY} skips the inspection)`,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(INSPECT_CONCURRENCY, wheels.length) }, worker));
  findings.inspected.sort((a, b) => a.name.localeCompare(b.name));
  const decision = decideStartupCode(plan.command, findings.inspected, allow.names);
  findings.startupCode = [...decision.refusals, ...unreadable];
  findings.notes.push(...decision.notes);
  return findings;
}

function requiredByText(requiredBy: readonly string[]): string {
  return requiredBy.map((by) => (by === '<user>' ? 'your requirements' : by)).join(', ') || 'your requirements';
}

/** The index's own entry for the file (its origin and hashes), else one made from the URL. */
async function sourcedFileOf(reader: Pick<IndexReader, 'projectFiles'>, pkg: PlannedPackage): Promise<SourcedFile> {
  const files = await reader.projectFiles(pkg.name).catch(() => null);
  const found = files?.files.find((f) => f.file.url === pkg.url);
  if (found !== undefined) return found;
  return { file: { ...linkFromUrl(pkg.url), hashes: { ...pkg.hashes } }, origin: { kind: 'find-links-file', location: pkg.url, page: null } };
}

/** Reads `projectStatus` from projectFiles() when the reader provides it (an additive field). */
function defaultStatusOf(reader: Pick<IndexReader, 'projectFiles'>): (name: string) => Promise<ProjectStatus | null> {
  return async (name) => {
    const files = (await reader.projectFiles(name)) as { projectStatus?: ProjectStatus | null; sources?: readonly { projectStatus?: ProjectStatus | null }[] };
    if (files.projectStatus) return files.projectStatus;
    // Per source: the strictest status any index gives wins (a quarantine anywhere is a quarantine).
    const statuses = (files.sources ?? []).map((s) => s.projectStatus).filter((s): s is ProjectStatus => s !== undefined && s !== null);
    return statuses.find((s) => s.status.trim().toLowerCase() === 'quarantined') ?? statuses[0] ?? null;
  };
}
