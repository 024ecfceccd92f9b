// The protections that go beyond builds (docs/beyond-pip.md) folded into a plan that decide()
// made: known malicious releases (malware.ts), quarantined projects (project-status.ts) and
// start-up code in wheels (startup-code.ts). Pure: the findings come from
// src/cli/intercept/beyond-pip-checks.ts, which reads the wheels, the index pages and the
// offline data. A refusal here stops the whole command exactly as a build refusal does (no
// steps, every target and the refused packages say `refuse`); notes and warnings are added to
// the plan's notes. Additive `explain --json` keys: `startupCode`, `malware`, `projectStatus`.
import type { Plan, Refusal } from './plan.js';
import { normalizeName } from '../standards/names.js';
import type { InspectedWheel } from './startup-code.js';

export interface BeyondPipFindings {
  /** Known malicious releases (malware.ts): refused whatever any allow-list says. */
  malware: Refusal[];
  /** Quarantined projects (project-status.ts). */
  quarantined: Refusal[];
  /** Start-up code (startup-code.ts decideStartupCode): refusals for install. */
  startupCode: Refusal[];
  /** Lines for the user: archived/deprecated projects, allowed or reported start-up code. */
  notes: string[];
  /** Every wheel inspected, for `explain --json` `startupCode`. */
  inspected: InspectedWheel[];
}

export const NO_FINDINGS: BeyondPipFindings = { malware: [], quarantined: [], startupCode: [], notes: [], inspected: [] };

const DONE: Record<Plan['command'], string> = { install: 'installed', download: 'downloaded', wheel: 'built', lock: 'locked' };

/** A new plan with the findings in it (the input plan is not changed). */
export function withBeyondPipFindings(plan: Plan, findings: BeyondPipFindings): Plan {
  const refusals = [...findings.malware, ...findings.quarantined, ...findings.startupCode];
  const next: Plan = { ...plan, notes: [...plan.notes, ...findings.notes], refusals: [...plan.refusals], targets: plan.targets.map((t) => ({ ...t })), packages: plan.packages.map((p) => ({ ...p })) };
  if (refusals.length === 0) return next;
  for (const refusal of refusals) {
    if (!next.refusals.some((r) => r.project === refusal.project && r.why === refusal.why)) next.refusals.push(refusal);
  }
  next.refused = true;
  next.steps = [];
  next.pipRequirements = null;
  const refused = new Set(refusals.map((r) => normalizeName(r.project)));
  for (const pkg of next.packages) if (refused.has(normalizeName(pkg.name))) pkg.via = 'refuse';
  const culprits = next.refusals.map((r) => `${r.project}${r.version === null ? '' : ` ${r.version}`}`);
  for (const target of next.targets) {
    if (target.action === 'refuse') continue;
    const own = target.project === null ? undefined : refusals.find((r) => normalizeName(r.project) === target.project);
    target.action = 'refuse';
    target.reason = own !== undefined ? own.why : `the whole command is refused, so nothing is ${DONE[plan.command]}: ${culprits.join(', ')} (see the refusal)`;
  }
  return next;
}

/** The additive `explain --json` keys (documented in docs/beyond-pip.md). */
export function beyondPipJson(findings: BeyondPipFindings): Record<string, unknown> {
  return {
    startupCode: findings.inspected
      .filter((w) => w.findings.length > 0)
      .map((w) => ({ name: w.name, version: w.version, filename: w.filename, findings: w.findings.map((f) => ({ file: f.file, line: f.line, text: f.text, reason: f.reason, explanation: f.explanation })) })),
    malware: findings.malware.map((r) => ({ project: r.project, version: r.version, why: r.why })),
    projectStatus: findings.quarantined.map((r) => ({ project: r.project, status: 'quarantined', why: r.why })),
  };
}
