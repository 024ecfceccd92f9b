// Cooldown: a release must have been on the index for a minimum age before safe-pip lets it be
// chosen. Most malicious releases are found and removed within days, so waiting a few days stops
// most of them. It works for every pip (pip 26's --uploaded-prior-to has no per-project exemption,
// fails on indexes without upload times, and older pips have nothing). Applied in safe-pip's own
// finder through PEP 700 `upload-time` (finder.ts UploadTimeRule); the pins safe-pip hands pip
// carry the choice.
//   min-age = "3d"                      safe-pip config, or SAFE_PIP_MIN_AGE=3d
//   min-age-exempt = ["internal-tool"]  or SAFE_PIP_MIN_AGE_EXEMPT="a b"
//   min-age-missing = "allow" | "refuse"  a file whose index gives no upload time: kept with one
//                                          warning (default), or not a candidate
// Pure: settings and the clock in, the finder rule and the notes out.
import type { UploadTimeRule } from '../resolve/finder.js';
import { normalizeName } from '../standards/names.js';

export interface CooldownSettings {
  /** The minimum age in milliseconds, and how it was written (`3d`) and where. */
  minAgeMs: number;
  written: string;
  source: string;
  exempt: ReadonlySet<string>;
  missing: 'allow' | 'refuse';
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `3d`, `12h`, `90m`, `2w`, `30s`, or a bare number of days; null when it is none of these. */
export function parseMinAge(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/i.exec(text);
  if (m === null) return null;
  return Number(m[1]) * UNITS[(m[2] || 'd').toLowerCase()]!;
}

export function cooldownRule(settings: CooldownSettings, nowMs: number): UploadTimeRule {
  return {
    cutoffMs: nowMs - settings.minAgeMs,
    origin: `min-age ${settings.written} from ${settings.source}`,
    missing: settings.missing === 'refuse' ? 'reject' : 'keep',
    exempt: new Set([...settings.exempt].map((n) => normalizeName(n))),
  };
}

/** Two rules in force at once (pip's --uploaded-prior-to and the cooldown): the stricter of each part. */
export function combineUploadRules(a: UploadTimeRule | null, b: UploadTimeRule | null): UploadTimeRule | null {
  if (a === null || b === null) return a ?? b;
  const earlier = a.cutoffMs <= b.cutoffMs ? a : b;
  // An exemption from one rule does not lift the other.
  const exempt = new Set([...(a.exempt ?? [])].filter((n) => b.exempt?.has(n) === true));
  return { cutoffMs: earlier.cutoffMs, origin: earlier.origin, missing: a.missing === 'reject' || b.missing === 'reject' ? 'reject' : 'keep', exempt };
}

/** "3 hours", "2 days": how long ago, for notes. */
export function describeAge(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.max(1, Math.round(ms / 60_000))} minutes`;
  if (hours < 48) return `${Math.round(hours)} hours`;
  return `${Math.round(hours / 24)} days`;
}

export interface SuppressedRelease {
  project: string;
  version: string;
  uploadTime: string;
}

/** The note listing the releases the cooldown held back, newest first. */
export function cooldownNote(settings: CooldownSettings, suppressed: readonly SuppressedRelease[], nowMs: number): string | null {
  if (suppressed.length === 0) return null;
  const listed = suppressed.map((s) => `${s.project} ${s.version} (uploaded ${describeAge(nowMs - Date.parse(s.uploadTime))} ago)`);
  return `min-age ${settings.written} (${settings.source}) held back ${listed.join(', ')}; exempt a project with min-age-exempt or SAFE_PIP_MIN_AGE_EXEMPT`;
}
