import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { writeSdist, type SdistSpec } from '../helpers/sdist-builder.js';
import { pythonJson } from './python-oracle.js';

// packaging parses the filename and PKG-INFO; tarfile/zipfile read the archives.
const CHECK_SDISTS = String.raw`
import json, sys, tarfile, zipfile
from packaging.utils import parse_sdist_filename
from packaging.metadata import Metadata
out = []
for path in json.load(sys.stdin):
    filename = path.rsplit("/", 1)[1]
    name, version = parse_sdist_filename(filename)
    if filename.endswith(".zip"):
        z = zipfile.ZipFile(path)
        members = z.namelist()
        read = lambda m: z.read(m)
    else:
        t = tarfile.open(path, "r:gz")
        members = [m.name for m in t.getmembers()]
        read = lambda m: t.extractfile(m).read()
    pkg_info = [m for m in members if m.endswith("/PKG-INFO")]
    meta = Metadata.from_email(read(pkg_info[0]).decode(), validate=True) if pkg_info else None
    out.append({
        "name": str(name), "version": str(version), "members": sorted(members),
        "metadataVersion": meta.metadata_version if meta else None,
        "dynamic": sorted(meta.dynamic or []) if meta else None,
        "requiresDist": [str(r) for r in (meta.requires_dist or [])] if meta else None,
        "setup": read([m for m in members if m.endswith("/setup.py")][0]).decode() if any(m.endswith("/setup.py") for m in members) else None,
    })
print(json.dumps(out))
`;

interface Checked {
  name: string;
  version: string;
  members: string[];
  metadataVersion: string | null;
  dynamic: string[] | null;
  requiresDist: string[] | null;
  setup: string | null;
}

describe('sdist builder', () => {
  it('writes tar.gz and zip sdists whose filename, layout and PKG-INFO packaging accepts', async () => {
    const dir = makeTempDir();
    const specs: SdistSpec[] = [
      { name: 'Static.Pkg', version: '1.0', requiresDist: ['dep>=2', 'x; extra == "e"'], metadataVersion: '2.2', files: { 'setup.py': 'print(1)\n' } },
      { name: 'dyn', version: '2.0', dynamic: ['Requires-Dist'], format: 'zip', files: { 'pkg/__init__.py': '' } },
      { name: 'old', version: '0.1', pkgInfo: false },
    ];
    const paths = await Promise.all(specs.map((s) => writeSdist(dir, s)));
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['static_pkg-1.0.tar.gz', 'dyn-2.0.zip', 'old-0.1.tar.gz']);
    const [staticPkg, dyn, old] = await pythonJson<Checked[]>(CHECK_SDISTS, paths);
    expect(staticPkg).toMatchObject({
      name: 'static-pkg',
      version: '1.0',
      members: ['static_pkg-1.0/PKG-INFO', 'static_pkg-1.0/setup.py'],
      metadataVersion: '2.2',
      dynamic: [],
      requiresDist: ['dep>=2', 'x; extra == "e"'],
      setup: 'print(1)\n',
    });
    expect(dyn).toMatchObject({ members: ['dyn-2.0/PKG-INFO', 'dyn-2.0/pkg/__init__.py'], metadataVersion: '2.2', dynamic: ['requires-dist'] });
    expect(old).toMatchObject({ members: [], metadataVersion: null });
  });
});
