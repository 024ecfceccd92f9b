// Where a setting came from: pip applies config files, then the environment, then the command
// line (then requirements-file option lines, which other modules add). Refusal messages name it.

export type SettingSource =
  | { kind: 'default' }
  | { kind: 'config'; path: string; variant: 'global' | 'user' | 'site' | 'env'; section: string; key: string; line: number }
  | { kind: 'env'; name: string }
  | { kind: 'cli'; tokenIndex: number; written: string }
  | { kind: 'requirements-file'; path: string; line: number };

/** A short human description: `PIP_NO_BINARY`, `/etc/pip.conf [install] no-binary`, `--no-binary (argument 3)`. */
export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case 'default':
      return "pip's default";
    case 'config':
      return `${source.path} [${source.section}] ${source.key} (line ${source.line})`;
    case 'env':
      return `environment variable ${source.name}`;
    case 'cli':
      return `command-line option ${source.written} (argument ${source.tokenIndex + 1})`;
    case 'requirements-file':
      return `${source.path} line ${source.line}`;
  }
}
