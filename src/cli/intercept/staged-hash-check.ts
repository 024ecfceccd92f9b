// Hash-checking mode for the wheels download-step.ts staged (download's pins, install's
// --find-links): the user's `--hash` values are checked here, before pip is handed them, so a
// mismatch names the user's requirements file and line and the index URL (pip would name safe-pip's
// temporary `safe-pip-pins.txt` or the private copy).
// The message is pip 23.2.1's HashMismatch (pip/_internal/exceptions.py HashError, HashMismatch,
// str(InstallRequirement) in req/req_install.py), printed as pip prints an InstallationError:
// `ERROR: ` before the first line, exit 1. pip stops at the first wheel that fails its hashes
// (the resolver prepares one candidate at a time), so only the first is reported.
// The hashes checked are the user's only: in hash-checking mode pip does not add the index's
// (operations/prepare.py _get_linked_req_hashes, trust_internet=False).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EXIT_ERROR } from '../../exit-codes.js';
import { PipUsageError } from '../../pip/pip-usage-error.js';
import { redactUrl } from '../../io/redact-url.js';
import { formatRequirement } from '../../standards/pep508/requirement.js';
import type { Target } from '../../policy/targets.js';
import type { Analysis } from './analyze.js';

const HASH_MISMATCH_HEAD =
  'THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. ' +
  'Otherwise, examine the package contents carefully; someone may have tampered with them.';

export interface HashMismatchReport {
  /** str(InstallRequirement): `name==1.0 from <link> (from -r reqs.txt (line 1))`. */
  requirement: string;
  /** The user's hashes, by algorithm, in the order pip keeps them (each list sorted). */
  allowed: Record<string, string[]>;
  /** The file's digest for each algorithm in `allowed`. */
  got: Record<string, string>;
}

/** pip's text for one HashMismatch, without the `ERROR: ` prefix (HashError.__str__). */
export function hashMismatchText(report: HashMismatchReport): string {
  const lines: string[] = [];
  for (const [alg, expected] of Object.entries(report.allowed)) {
    expected.forEach((hex, index) => lines.push(`        Expected ${index === 0 ? alg : '    or'} ${hex}`));
    lines.push(`             Got        ${report.got[alg]}\n`);
  }
  return `${HASH_MISMATCH_HEAD}\n    ${report.requirement}:\n${lines.join('\n')}`;
}

/**
 * Checks each staged wheel the user gave `--hash` values for; on the first that matches none of
 * them, throws pip's own error (printed by main.ts exactly as pip prints it, exit 1).
 */
export async function checkStagedWheelHashes(analysis: Analysis, staged: ReadonlyMap<string, string>): Promise<void> {
  for (const pkg of analysis.plan.packages) {
    const path = staged.get(pkg.name);
    const target = path === undefined ? undefined : hashedTarget(analysis, pkg.name);
    const userHashes = target === undefined ? undefined : analysis.gathered.hashes.get(target);
    if (path === undefined || target === undefined || userHashes === undefined) continue;
    const allowed: Record<string, string[]> = {};
    for (const [alg, list] of Object.entries(userHashes)) if (list.length > 0) allowed[alg] = [...list].sort();
    if (Object.keys(allowed).length === 0) continue;
    const bytes = await readFile(path);
    const got: Record<string, string> = {};
    for (const alg of Object.keys(allowed)) got[alg] = createHash(alg).update(bytes).digest('hex');
    if (Object.entries(allowed).some(([alg, list]) => list.includes(got[alg]!))) continue;
    const text = hashMismatchText({ requirement: installRequirementText(target, pkg.url), allowed, got });
    throw new PipUsageError('command-error', text, { exitCode: EXIT_ERROR, stderr: `ERROR: ${text}\n`, argv: [] });
  }
}

/** The user's requirement whose hashes apply to `name` (the last one, as analyze.ts keeps them). */
function hashedTarget(analysis: Analysis, name: string): Target | undefined {
  let found: Target | undefined;
  for (const target of analysis.gathered.hashes.keys()) if (!target.constraint && target.name === name) found = target;
  return found;
}

/** str(InstallRequirement) for a named requirement resolved to `url`. */
function installRequirementText(target: Target, url: string): string {
  const parsed = target.classified.kind === 'named' ? target.classified.requirement : null;
  const requirement = parsed === null ? target.requirement : formatRequirement(parsed);
  return `${requirement} from ${redactUrl(url)} (from ${target.origin})`;
}
