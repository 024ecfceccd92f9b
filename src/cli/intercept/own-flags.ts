// safe-pip's own flags on a pip command line (--safe-pip-allow-build, --safe-pip-min-age): each is
// taken out before pip's parser runs, in either spelling (`--flag VALUE`, `--flag=VALUE`, exact
// name only), and never after a `--`, where everything is a requirement.

/** argv without `flag`, and the value of each occurrence in order (undefined: `--flag` ended argv). */
export function stripOwnFlag(argv: readonly string[], flag: string): { argv: string[]; values: (string | undefined)[] } {
  const out: string[] = [];
  const values: (string | undefined)[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (token === flag) {
      values.push(argv[i + 1]);
      i += 1;
    } else if (token.startsWith(`${flag}=`)) {
      values.push(token.slice(flag.length + 1));
    } else {
      out.push(token);
    }
  }
  return { argv: out, values };
}
