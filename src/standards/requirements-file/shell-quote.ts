// Quoting a value so that Python's `shlex.split` (posix) gives it back unchanged: what a rewritten
// requirements-file option needs. Mirrors `shlex.quote`.

export function shellQuote(value: string): string {
  if (value === '') return "''";
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}
