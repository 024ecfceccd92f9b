// https://packaging.python.org/en/latest/specifications/dependency-specifiers/ (PEP 508), as
// packaging 26 `_parser.py` + `requirements.py` parse and print requirements (pip-behaviour.md §4.1).
//
// Supported: the whole grammar packaging accepts — name, extras (also `[]`), version specifiers
// with or without parentheses and with a trailing comma, `name @ url` (a marker after the URL
// needs whitespace before the `;`), markers (see markers.ts) — with packaging's error wording and
// positions; the printer gives packaging's `str(Requirement)`.
// With rules `legacy` (pip <= 24.0, packaging 21.3) the version specifier follows packaging 21.3's
// grammar instead: each clause is the longer of a 21.3 PEP 440 specifier and a LegacySpecifier
// (`flask>=>1`, `foo==2010i`, `foo==`), clauses need a comma between them and none after the last,
// and the specifier text is 21.3's `str(SpecifierSet)`. The rest of the grammar stays packaging 26's.
// Not supported: pip's requirements-file extras (`--hash`, `-e`, paths): that is requirements-file.ts.
import { SpecifierSet, InvalidSpecifier } from '../specifiers.js';
import type { VersionRules } from '../legacy-version.js';
import { comparePyStrings } from '../python-text.js';
import { type Marker, type MarkerNode, formatMarker, normalizeExtraValues, parseMarkerExpression } from './markers.js';
import { RequirementParseError } from './parse-error.js';
import { Tokenizer } from './tokenizer.js';

export { RequirementParseError };

export interface Requirement {
  /** The name as written (compare with normalizeName). */
  readonly name: string;
  /** Extras as written, each once, in input order (compare with normalizeExtra). */
  readonly extras: readonly string[];
  /** The specifier set's normalized text (packaging's `str(req.specifier)`), "" when none. */
  readonly specifier: string;
  readonly url: string | null;
  readonly marker: Marker | null;
}

export interface RequirementParseOptions {
  /** `legacy`: accept packaging 21.3's legacy specifiers, as pip <= 24.0 (legacy-version.ts versionRulesForPip). */
  rules?: VersionRules;
}

/** Parse one PEP 508 requirement string. Throws RequirementParseError. */
export function parseRequirement(text: string, options: RequirementParseOptions = {}): Requirement {
  const rules = options.rules ?? 'strict';
  const tokenizer = new Tokenizer(text, 'requirement');
  tokenizer.consume('WS');
  const name = tokenizer.expect('IDENTIFIER', 'package name at the start of dependency specifier').text;
  tokenizer.consume('WS');
  const extras = parseExtras(tokenizer);
  tokenizer.consume('WS');
  const details = parseDetails(tokenizer, rules);
  tokenizer.expect('END', 'end of dependency specifier');

  let specifier: string;
  try {
    specifier = SpecifierSet.parse(details.specifier, null, rules).toString();
  } catch (error) {
    // Only reachable through `===` versions that contain a comma.
    if (error instanceof InvalidSpecifier) {
      throw new RequirementParseError('requirement', text, error.message, details.specifierStart);
    }
    throw error;
  }
  return {
    name,
    extras: [...new Set(extras)],
    specifier,
    url: details.url === '' ? null : details.url,
    marker: details.marker === null ? null : normalizeExtraValues(details.marker),
  };
}

interface Details {
  url: string;
  specifier: string;
  specifierStart: number;
  marker: MarkerNode[] | null;
}

function parseDetails(tokenizer: Tokenizer, rules: VersionRules): Details {
  const details: Details = { url: '', specifier: '', specifierStart: tokenizer.position, marker: null };
  if (tokenizer.check('AT')) {
    tokenizer.read();
    tokenizer.consume('WS');
    const urlStart = tokenizer.position;
    details.url = tokenizer.expect('URL', 'URL after @').text;
    if (tokenizer.check('END', true)) return details;
    tokenizer.expect('WS', 'whitespace after URL');
    if (tokenizer.check('END', true)) return details;
    details.marker = parseRequirementMarker(tokenizer, urlStart, 'semicolon (after URL and whitespace)');
    return details;
  }
  const specifierStart = tokenizer.position;
  details.specifierStart = specifierStart;
  details.specifier = parseSpecifier(tokenizer, rules);
  tokenizer.consume('WS');
  if (tokenizer.check('END', true)) return details;
  details.marker = parseRequirementMarker(
    tokenizer,
    specifierStart,
    details.specifier !== ''
      ? 'comma (within version specifier), semicolon (after version specifier)'
      : 'semicolon (after name with no version specifier)',
  );
  return details;
}

function parseRequirementMarker(tokenizer: Tokenizer, spanStart: number, expected: string): MarkerNode[] {
  if (!tokenizer.check('SEMICOLON')) tokenizer.raise(`Expected ${expected} or end`, spanStart);
  tokenizer.read();
  const marker = parseMarkerExpression(tokenizer);
  tokenizer.consume('WS');
  return marker;
}

function parseExtras(tokenizer: Tokenizer): string[] {
  if (!tokenizer.check('LEFT_BRACKET', true)) return [];
  return tokenizer.enclosing('LEFT_BRACKET', 'RIGHT_BRACKET', 'extras', () => {
    tokenizer.consume('WS');
    const extras = parseExtrasList(tokenizer);
    tokenizer.consume('WS');
    return extras;
  });
}

function parseExtrasList(tokenizer: Tokenizer): string[] {
  const extras: string[] = [];
  if (!tokenizer.check('IDENTIFIER')) return extras;
  extras.push(tokenizer.read().text);
  for (;;) {
    tokenizer.consume('WS');
    if (tokenizer.check('IDENTIFIER', true)) tokenizer.raise('Expected comma between extra names');
    else if (!tokenizer.check('COMMA')) break;
    tokenizer.read();
    tokenizer.consume('WS');
    extras.push(tokenizer.expect('IDENTIFIER', 'extra name after comma').text);
  }
  return extras;
}

function parseSpecifier(tokenizer: Tokenizer, rules: VersionRules): string {
  return tokenizer.enclosing('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'version specifier', () => {
    tokenizer.consume('WS');
    const specifiers = rules === 'legacy' ? parseVersionMany21(tokenizer) : parseVersionMany(tokenizer);
    tokenizer.consume('WS');
    return specifiers;
  });
}

function parseVersionMany(tokenizer: Tokenizer): string {
  let specifiers = '';
  while (tokenizer.check('SPECIFIER')) {
    const spanStart = tokenizer.position;
    specifiers += tokenizer.read().text;
    if (tokenizer.check('VERSION_PREFIX_TRAIL', true)) {
      tokenizer.raise('.* suffix can only be used with `==` or `!=` operators', spanStart, tokenizer.position + 1);
    }
    if (tokenizer.check('VERSION_LOCAL_LABEL_TRAIL', true)) {
      tokenizer.raise('Local version label can only be used with `==` or `!=` operators', spanStart, tokenizer.position);
    }
    tokenizer.consume('WS');
    if (!tokenizer.check('COMMA')) break;
    specifiers += tokenizer.read().text;
    tokenizer.consume('WS');
  }
  return specifiers;
}

const VERSION_ONE_21 = ['SPECIFIER_21', 'LEGACY_SPECIFIER'] as const;

/** packaging 21.3 `VERSION_ONE + ZeroOrMore(COMMA + VERSION_ONE)`, the clauses joined by commas. */
function parseVersionMany21(tokenizer: Tokenizer): string {
  if (!tokenizer.checkLongest(VERSION_ONE_21)) return '';
  const clauses = [tokenizer.read().text];
  for (;;) {
    tokenizer.consume('WS');
    if (!tokenizer.check('COMMA', true)) break;
    const commaAt = tokenizer.position;
    tokenizer.check('COMMA');
    tokenizer.read();
    tokenizer.consume('WS');
    if (!tokenizer.checkLongest(VERSION_ONE_21)) {
      // A trailing comma: packaging 21.3 fails at it.
      tokenizer.raise('Expected a version specifier after the comma', commaAt);
    }
    clauses.push(tokenizer.read().text);
  }
  return clauses.join(',');
}

/** packaging's `str(Requirement)`: `name[extras]specifier`, ` @ url`, `; marker`. */
export function formatRequirement(requirement: Requirement): string {
  let text = requirement.name;
  if (requirement.extras.length > 0) text += `[${[...requirement.extras].sort(comparePyStrings).join(',')}]`;
  text += requirement.specifier;
  if (requirement.url !== null) {
    text += ` @ ${requirement.url}`;
    if (requirement.marker !== null) text += ' ';
  }
  if (requirement.marker !== null) text += `; ${formatMarker(requirement.marker)}`;
  return text;
}
