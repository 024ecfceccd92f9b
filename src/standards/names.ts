// https://packaging.python.org/en/latest/specifications/name-normalization/ (PEP 503), and
// PEP 685 for extras, as packaging 26 `utils.canonicalize_name` / `is_normalized_name` do it.
//
// Supported: normalization (`[-_.]+` -> `-`, lower case), the valid-name check of the core
// metadata `Name` field, the "already normalized" check.
// Not supported: nothing else is in these specs.

const VALID_NAME_RE = /^(?:[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
const NORMALIZED_NAME_RE = /^(?:[a-z0-9]|[a-z0-9](?:[a-z0-9-](?!--))*[a-z0-9])$/;

/** `re.sub(r"[-_.]+", "-", name).lower()`: the form used in URLs and for every comparison. */
export function normalizeName(name: string): string {
  // Python's str.lower(), like toLowerCase(), lowers non-ASCII letters too; names that are
  // valid are ASCII anyway.
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** PEP 685: extras are compared after the same normalization as project names. */
export function normalizeExtra(extra: string): string {
  return normalizeName(extra);
}

/** A valid project (or extra) name: ASCII letters and digits, with `.`, `_`, `-` only inside. */
export function isValidName(name: string): boolean {
  return VALID_NAME_RE.test(name);
}

/** True when `normalizeName(name) === name` for a valid name (packaging's `is_normalized_name`). */
export function isNormalizedName(name: string): boolean {
  return NORMALIZED_NAME_RE.test(name);
}
