// pip 26.0+ `--uploaded-prior-to VALUE`: the instant it means, or pip's own rejection of VALUE.
// The value is read by the real pip's own callback (cli/cmdoptions.py _handle_uploaded_prior_to),
// run by the real pip's interpreter: Python's datetime.fromisoformat accepts a different set of
// ISO 8601 forms on each Python release, naive times are local, and 26.x added `P<n>D`; running
// pip's code is the only exact answer. It costs one Python start, and only when the option is given.
import { execFile } from 'node:child_process';

export type UploadCutoff = { ok: true; epochMs: number } | { ok: false; message: string };

const SCRIPT = String.raw`
import json, optparse, sys
from pip._internal.cli import cmdoptions
class Refused(Exception):
    pass
def refuse(msg):
    raise Refused(msg)
parser = optparse.OptionParser()
parser.error = refuse
parser.add_option(cmdoptions.uploaded_prior_to())
try:
    values, _ = parser.parse_args(["--uploaded-prior-to", sys.argv[1]])
    print(json.dumps({"ok": True, "epochMs": values.uploaded_prior_to.timestamp() * 1000}))
except Refused as e:
    print(json.dumps({"ok": False, "message": str(e)}))
`;

export function readUploadCutoff(python: string, value: string, env: NodeJS.ProcessEnv): Promise<UploadCutoff> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-I', '-c', SCRIPT, value], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`could not read --uploaded-prior-to with ${python}: ${stderr.trim() || error.message}`));
        return;
      }
      resolve(JSON.parse(stdout) as UploadCutoff);
    });
  });
}
