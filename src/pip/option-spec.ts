// The shape of one pip command-line option, as read out of pip's own optparse parsers
// (see ../../../shared/reference/pip-options/README.md). Tables for each pip release use it.

export type OptionAction =
  | 'store'
  | 'store_true'
  | 'store_false'
  | 'store_const'
  | 'append'
  | 'count'
  | 'callback'
  | 'help'
  | 'version';

export interface OptionSpec {
  /** Short and long spellings, aliases included, in pip's order (e.g. ["-i", "--index-url", "--pypi-url"]). */
  names: string[];
  takesValue: boolean;
  action: OptionAction;
  /** optparse destination; several options may share one (`--user` / `--no-user`). */
  dest: string;
  /** optparse type (`string`, `int`, `float`, `choice`, `path`) or null for flags. */
  type: string | null;
  choices: string[] | null;
  default: unknown;
}
