// PEP 792 project status markers: https://packaging.python.org/en/latest/specifications/project-status-markers/
// (JSON: `"project-status": {"status": …, "reason": …}` on the project page, api-version 1.4;
// HTML: `<meta name="pypi:project-status">` and `pypi:project-status-reason`).
//   active       the default; nothing said.
//   archived     "installers MAY produce warnings": one line.
//   deprecated   "installers MAY produce warnings": one line.
//   quarantined  "considered generally unsafe for use, e.g. due to malware"; the index MUST NOT
//                offer its files, so a quarantined project that still has files (a mirror, a
//                stale cache, another index) is refused, whatever the allow-lists say.
// A status the spec does not know is treated as active, with one line saying so.
// Pure: the field read from an already parsed JSON page (src/standards/simple-api/json-page.ts
// reads it too, into ParsedJsonPage.projectStatus; this reader is for callers holding the raw
// object), and the decision.
import type { Refusal } from './plan.js';

export type KnownStatus = 'active' | 'archived' | 'quarantined' | 'deprecated';

export interface ProjectStatus {
  /** As the index wrote it. */
  status: string;
  reason: string | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `project-status` of a parsed PEP 691 project page; null when absent or malformed (= active). */
export function projectStatusFromJson(page: unknown): ProjectStatus | null {
  if (!isObject(page)) return null;
  const field = page['project-status'];
  if (!isObject(field) || typeof field.status !== 'string') return null;
  return { status: field.status, reason: typeof field.reason === 'string' && field.reason !== '' ? field.reason : null };
}

export interface StatusDecision {
  refusal: Refusal | null;
  /** One line (stderr, `safe-pip:` prefix), or null. */
  warning: string | null;
}

/** Statuses are compared as the spec spells them (lower case); whitespace around them is ignored. */
export function decideProjectStatus(project: { name: string; version: string | null; requiredBy: string }, status: ProjectStatus | null): StatusDecision {
  if (status === null) return { refusal: null, warning: null };
  const value = status.status.trim().toLowerCase();
  const because = status.reason === null ? '' : `: ${status.reason}`;
  const which = project.version === null ? project.name : `${project.name} ${project.version}`;
  switch (value) {
    case 'active':
      return { refusal: null, warning: null };
    case 'quarantined':
      return {
        refusal: {
          project: project.name,
          version: project.version,
          why: `the index marks ${project.name} as quarantined (PEP 792: considered unsafe for use, e.g. malware)${because}`,
          requiredBy: project.requiredBy,
          allowWith: `nothing allows a quarantined project; remove ${project.name} from your requirements (or find out why ${project.requiredBy === 'your requirements' ? 'you need it' : `${project.requiredBy} needs it`})`,
        },
        warning: null,
      };
    case 'archived':
      return { refusal: null, warning: `${which}: the index marks the project as archived (no further updates expected)${because}` };
    case 'deprecated':
      return { refusal: null, warning: `${which}: the index marks the project as deprecated${because}` };
    default:
      return { refusal: null, warning: `${which}: the index gives an unknown project status ${JSON.stringify(status.status)}; treated as active` };
  }
}
