// A recording stand-in for the real pip, for checking exactly what safe-pip hands to pip.
//
// Why not test/helpers/fake-pip.ts: safe-pip probes the interpreter behind the real pip from the
// script's shebang, and the rewritten command line points at temporary files (the pins file, the
// sanitized requirements tree) that safe-pip removes once pip exits. So this stand-in is a Python
// script whose shebang is the machine's python3 (the probe then sees a real interpreter with
// pip 23.2.1), and it copies the text of every requirements/constraints file it is given — on the
// command line (-r/-c, --requirement=/--constraint=), through PIP_REQUIREMENT/PIP_CONSTRAINT, and
// every file those include, relative to the including file — into its log. One JSON line per
// call: {argv, env (PIP_* and SAFE_PIP_* only), files: {absolute path: text}, cwd}.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.js';

export interface RecordedCall {
  argv: string[];
  env: Record<string, string>;
  files: Record<string, string>;
  cwd: string;
}

export interface RecordingPip {
  path: string;
  logFile: string;
  calls(): RecordedCall[];
}

const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

const SCRIPT = (log: string): string => `#!${PYTHON}
import json, os, re, sys
argv = sys.argv[1:]
if argv in (["--version"], ["-V"]):
    print("pip 23.2.1 from /recording-pip (python 3.11)")
    sys.exit(0)
files = {}
OPTION = re.compile(r"^\\s*(?:-r|-c|--requirement|--constraint)(?:\\s+|=)(\\S+)")
def record(path, base):
    full = path if os.path.isabs(path) else os.path.join(base, path)
    if full in files or not os.path.isfile(full):
        return
    with open(full, encoding="utf-8-sig") as f:
        text = f.read()
    files[full] = text
    for line in text.splitlines():
        m = OPTION.match(line)
        if m:
            record(m.group(1), os.path.dirname(full))
i = 0
while i < len(argv):
    a = argv[i]
    if a == "--":
        break
    if a in ("-r", "-c", "--requirement", "--constraint") and i + 1 < len(argv):
        record(argv[i + 1], os.getcwd())
        i += 2
        continue
    m = re.match(r"^(?:--requirement|--constraint)=(.*)$", a)
    if m:
        record(m.group(1), os.getcwd())
    i += 1
for var in ("PIP_REQUIREMENT", "PIP_CONSTRAINT"):
    for p in os.environ.get(var, "").split():
        record(p, os.getcwd())
env = {k: v for k, v in os.environ.items() if k.startswith("PIP_") or k.startswith("SAFE_PIP_")}
with open(${JSON.stringify(log)}, "a", encoding="utf-8") as f:
    f.write(json.dumps({"argv": argv, "env": env, "files": files, "cwd": os.getcwd()}) + "\\n")
sys.exit(int(os.environ.get("RECORDING_PIP_EXIT", "0")))
`;

export function createRecordingPip(dir = makeTempDir('recording-pip-')): RecordingPip {
  const logFile = join(dir, 'calls.jsonl');
  const path = join(dir, 'pip');
  writeFileSync(path, SCRIPT(logFile));
  chmodSync(path, 0o755);
  return {
    path,
    logFile,
    calls: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as RecordedCall)
        : [],
  };
}
