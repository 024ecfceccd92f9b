// Quoting a string as one word for the shells safe-pip writes code for.
// POSIX sh (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02_02):
// inside single quotes nothing is special, so a quote is closed, escaped and reopened; bash and zsh
// read the same syntax. fish (https://fishshell.com/docs/current/language.html#quotes): inside
// single quotes only \' and \\ are escapes.

/** One sh/bash/zsh word that expands to exactly `value`. */
export function quoteSh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** One fish word that expands to exactly `value`. */
export function quoteFish(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
