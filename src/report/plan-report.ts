// Everything safe-pip says about a plan: the `safe-pip:` lines on stderr, the refusal paragraph,
// and `explain` (text and the stable JSON shape fixed in DESIGN.md).
import type { Plan, Refusal } from '../policy/plan.js';
import { redactUrl } from '../io/redact-url.js';
import { beyondPipJson, type BeyondPipFindings } from '../policy/beyond-pip.js';

export function notesText(plan: Plan): string {
  return plan.notes.map((note) => `safe-pip: ${redactText(note)}\n`).join('');
}

export function refusalText(refusals: readonly Refusal[]): string {
  const lines = ['safe-pip: refused: running this command would run package code nobody allowed.'];
  for (const r of refusals) {
    lines.push(`safe-pip:   ${r.project}${r.version === null ? '' : ` ${r.version}`}: ${redactText(r.why)}`);
    lines.push(`safe-pip:     required by: ${redactText(r.requiredBy)}`);
    lines.push(`safe-pip:     to allow it: ${r.allowWith}`);
  }
  lines.push('safe-pip: stopped before pip could run it (exit code 42).');
  return `${lines.join('\n')}\n`;
}

export interface ExplainInput {
  plan: Plan;
  pipArgs: string[] | null;
  pipEnv: Record<string, string | undefined>;
  /** Additive keys startupCode, malware, projectStatus (docs/beyond-pip.md). */
  beyondPip?: BeyondPipFindings;
}

/** DESIGN.md's `explain --json` shape (stable keys), plus a few additive keys. */
export function explainJson(input: ExplainInput): string {
  const { plan } = input;
  const doc = {
    command: plan.command,
    actions: plan.refused ? [] : plan.steps,
    pipArgs: plan.refused ? null : input.pipArgs?.map(redactText) ?? null,
    refused: plan.refused,
    targets: plan.targets.map((t) => ({ requirement: redactText(t.requirement), kind: t.kind, action: t.action, reason: t.reason, origin: redactText(t.origin) })),
    packages: plan.packages.map((p) => ({
      name: p.name,
      version: p.version,
      filename: p.filename,
      kind: p.kind,
      via: p.via,
      requiredBy: p.requiredBy,
      dependencies: p.dependencies,
      // Additive: where the dependencies were read (or why they are unknown), e.g. an sdist's egg-info requires.txt.
      dependencyNote: p.dependencyNote ?? null,
      url: redactUrl(p.url),
    })),
    refusals: plan.refusals,
    fetches: plan.fetches.map((f) => ({ ...f, url: redactUrl(f.url) })),
    copies: plan.copies,
    preparations: plan.preparations.map((p) => ({ ...p, requirement: redactText(p.requirement), why: redactText(p.why) })),
    builds: plan.builds,
    pipEnv: input.pipEnv,
    notes: plan.notes.map(redactText),
    ...(input.beyondPip === undefined ? {} : beyondPipJson(input.beyondPip)),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function explainText(input: ExplainInput): string {
  const { plan } = input;
  const out: string[] = [`safe-pip plan for \`pip ${plan.command}\`:`];
  if (plan.targets.length > 0) {
    out.push('  targets:');
    for (const t of plan.targets) out.push(`    ${redactText(t.requirement)} [${t.kind}] -> ${t.action}: ${t.reason}`);
  }
  if (plan.packages.length > 0) {
    out.push('  packages:');
    for (const p of plan.packages) {
      const note = p.kind === 'sdist' && p.dependencyNote !== undefined ? `; ${p.dependencyNote}` : '';
      out.push(`    ${p.name}${p.version === '' ? '' : ` ${p.version}`}${p.filename === '' ? '' : ` (${p.filename})`} -> ${p.via}${note}`);
    }
  }
  for (const f of plan.fetches) out.push(`  fetch raw: ${redactUrl(f.url)} (${f.why})`);
  for (const c of plan.copies) out.push(`  copy unbuilt: ${c.path}`);
  for (const p of plan.preparations) {
    out.push(`  first, pip prepares the metadata of ${p.editable ? '-e ' : ''}${redactText(p.requirement)} (${redactText(p.why)}); the plan is then made again`);
  }
  for (const b of plan.builds) out.push(`  first, build ${b.requirement} on its own (allowed by name), build dependencies binary-only; the plan is then made again`);
  if (plan.refused) out.push(refusalText(plan.refusals).trimEnd().replace(/^safe-pip: /gm, '  '));
  else if (input.pipArgs !== null) {
    out.push(`  then: pip ${input.pipArgs.map((a) => shellQuote(redactText(a))).join(' ')}`);
    for (const [name, value] of Object.entries(input.pipEnv)) out.push(`    with ${name}=${value === undefined ? '(unset)' : shellQuote(value)}`);
  } else out.push('  pip is not run.');
  for (const note of plan.notes) out.push(`  note: ${redactText(note)}`);
  return `${out.join('\n')}\n`;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Credentials inside any URL in a sentence are never printed. */
function redactText(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"')]+/gi, (url) => redactUrl(url));
}
