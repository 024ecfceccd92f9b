// The usual version clause, an operator and a plain release (`>=2.1`, `<3`, `~=1.4`, `!=1.5.0`),
// recognised without packaging's specifier expressions. Those are ~1 KB each (the PEP 440 one of
// packaging 22+, packaging 21.3's and its LegacySpecifier for pip <= 24.0, each also anchored for
// a whole clause), and V8 compiles a regular expression as it first runs it: ~1 ms apiece, in
// every run, for what is nearly always a clause of this shape. Where the shortcut answers, every
// one of those expressions gives the same answer (test/standards/simple-specifier.test.ts holds
// them to it); anything else (a pre-release, `.*`, a local label, `v`, an epoch, `===`, other
// whitespace) is left to them.

// `~=` needs two release segments (`~=1` is no specifier at all).
const CLAUSE = '(?:~=[ \\t]*[0-9]+(?:\\.[0-9]+)+|(?:==|!=|<=|>=|<|>)[ \\t]*[0-9]+(?:\\.[0-9]+)*)';
const CLAUSE_AT = new RegExp(CLAUSE, 'y');
const WHOLE_CLAUSE = new RegExp(`^[ \\t]*${CLAUSE}[ \\t]*$`);
/** What may follow a clause for every expression to end it there: the end, or one of these. */
const ENDS_CLAUSE = new Set([' ', '\t', ',', ';', ')']);

/** The simple clause at `position` of `text` when one ends there, else null. */
export function simpleClauseAt(text: string, position: number): string | null {
  CLAUSE_AT.lastIndex = position;
  const clause = CLAUSE_AT.exec(text)?.[0];
  if (clause === undefined) return null;
  const end = position + clause.length;
  return end === text.length || ENDS_CLAUSE.has(text[end]!) ? clause : null;
}

/** Whether all of `text` is one simple clause (spaces and tabs around it allowed). */
export function isSimpleClause(text: string): boolean {
  return WHOLE_CLAUSE.test(text);
}
