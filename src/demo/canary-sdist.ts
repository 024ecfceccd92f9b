// The demo's canary: `canary-demo-1.0.tar.gz`, a harmless sdist in the source distribution format
// (https://packaging.python.org/en/latest/specifications/source-distribution-format/: one top
// directory holding PKG-INFO and pyproject.toml; the name keeps the project's hyphen, the legacy
// form pip and safe-pip still accept, so a new user sees the name they typed) whose build backend is in the
// tree (PEP 517 `backend-path`, https://peps.python.org/pep-0517/#in-tree-build-backends) and
// needs nothing (`requires = []`): no network, no setuptools. The backend module's body writes
// one file as soon as Python imports it — which pip does for an sdist, even for `pip download`,
// to learn its metadata (pip-behaviour.md §9). The file goes into $CANARY_DEMO_DIR, else into
// the directory baked in at build time; it writes nowhere else and does nothing else.
// Built in memory with tar-stream + node:zlib; the hooks also work for a real build (a wheel).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import tar, { type Header } from 'tar-stream';

export const CANARY_NAME = 'canary-demo';
export const CANARY_VERSION = '1.0';
export const CANARY_FILENAME = 'canary-demo-1.0.tar.gz';
/** The file the canary writes into its marker directory. */
export const CANARY_MARKER_FILE = 'canary-demo-build-code-ran.txt';
export const CANARY_DIR_VAR = 'CANARY_DEMO_DIR';

export interface CanarySdist {
  filename: string;
  data: Buffer;
  sha256: string;
}

const STEM = 'canary-demo-1.0';
const METADATA = `Metadata-Version: 2.1\nName: ${CANARY_NAME}\nVersion: ${CANARY_VERSION}\nSummary: harmless canary made by \`safe-pip demo\`\n\n`;

function backendSource(fallbackDir: string): string {
  // JSON string literals are valid Python string literals.
  return `# canary-demo: a harmless stand-in for a package with hostile build code (made by \`safe-pip demo\`).
# The lines up to the first "def" run as soon as anything imports this build backend - plain
# \`pip download\` does, to read the package's metadata. They write one file and nothing else.
import os
import sys

_dir = os.environ.get(${JSON.stringify(CANARY_DIR_VAR)}) or ${JSON.stringify(fallbackDir)}
os.makedirs(_dir, exist_ok=True)
with open(os.path.join(_dir, ${JSON.stringify(CANARY_MARKER_FILE)}), "a") as _marker:
    _marker.write("canary-demo's build code ran in process %d: %s\\n" % (os.getpid(), " ".join(sys.argv)))

METADATA = ${JSON.stringify(METADATA)}
DIST_INFO = "canary_demo-1.0.dist-info"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    os.makedirs(os.path.join(metadata_directory, DIST_INFO), exist_ok=True)
    with open(os.path.join(metadata_directory, DIST_INFO, "METADATA"), "w") as f:
        f.write(METADATA)
    return DIST_INFO


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    import base64
    import hashlib
    import zipfile

    files = {
        "canary_demo/__init__.py": b"",
        DIST_INFO + "/METADATA": METADATA.encode(),
        DIST_INFO + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: canary-demo\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n\\n",
    }
    record = ""
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record += "%s,sha256=%s,%d\\n" % (path, digest, len(data))
    files[DIST_INFO + "/RECORD"] = (record + DIST_INFO + "/RECORD,,\\n").encode()
    name = "canary_demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, data in files.items():
            z.writestr(path, data)
    return name


def build_sdist(sdist_directory, config_settings=None):
    import tarfile

    name = "canary-demo-1.0.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        for path in ("PKG-INFO", "pyproject.toml", "canary_demo_backend.py"):
            tar.add(path, arcname="canary-demo-1.0/" + path)
    return name
`;
}

const PYPROJECT = `[build-system]
requires = []
build-backend = "canary_demo_backend"
backend-path = ["."]

[project]
name = "${CANARY_NAME}"
version = "${CANARY_VERSION}"
description = "harmless canary made by \`safe-pip demo\`"
`;

/** The sdist's files, relative to its top directory. */
export function canaryFiles(fallbackDir: string): Record<string, string> {
  return { 'PKG-INFO': METADATA, 'pyproject.toml': PYPROJECT, 'canary_demo_backend.py': backendSource(fallbackDir) };
}

/** Builds the sdist in memory; its code writes into `fallbackDir` when CANARY_DEMO_DIR is unset. */
export async function buildCanarySdist(fallbackDir: string): Promise<CanarySdist> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => {
      chunks.push(chunk as Buffer);
    });
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  const mtime = new Date('2024-01-01T00:00:00Z');
  const entry = (header: Partial<Header> & Pick<Header, 'name'>, data?: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (data === undefined) pack.entry(header, callback);
      else pack.entry(header, data, callback);
    });
  await entry({ name: `${STEM}/`, type: 'directory', mode: 0o755, mtime });
  for (const [path, text] of Object.entries(canaryFiles(fallbackDir))) {
    const data = Buffer.from(text, 'utf8');
    await entry({ name: `${STEM}/${path}`, type: 'file', mode: 0o644, mtime, size: data.length }, data);
  }
  pack.finalize();
  const data = gzipSync(await done);
  return { filename: CANARY_FILENAME, data, sha256: createHash('sha256').update(data).digest('hex') };
}
