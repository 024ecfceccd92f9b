import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startIndexServer } from '../helpers/index-server.js';
import { runPlainPip } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel, writeWheel, type WheelSpec } from '../helpers/wheel-builder.js';
import { pythonJson } from './python-oracle.js';

// packaging (the machine's 26.x) is the oracle for the filename, RECORD and METADATA.
const CHECK_WHEELS = String.raw`
import base64, hashlib, json, sys, zipfile
from email.parser import Parser
from packaging.utils import parse_wheel_filename
from packaging.metadata import Metadata
out = []
for path in json.load(sys.stdin):
    name, version, build, tags = parse_wheel_filename(path.rsplit("/", 1)[1])
    z = zipfile.ZipFile(path)
    names = z.namelist()
    record_name = [n for n in names if n.endswith(".dist-info/RECORD")][0]
    dist_info = record_name.rsplit("/", 1)[0]
    bad = []
    listed = set()
    for line in z.read(record_name).decode().splitlines():
        p, h, size = line.rsplit(",", 2)
        listed.add(p)
        if p == record_name:
            continue
        data = z.read(p)
        digest = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        if h != digest or int(size) != len(data):
            bad.append(p)
    meta = Metadata.from_email(z.read(dist_info + "/METADATA").decode(), validate=True)
    wheel = Parser().parsestr(z.read(dist_info + "/WHEEL").decode())
    out.append({
        "name": str(name), "version": str(version), "build": list(build),
        "tags": sorted(str(t) for t in tags), "distInfo": dist_info,
        "badRecord": bad, "unlisted": sorted(set(names) - listed),
        "metaName": meta.name, "metaVersion": str(meta.version),
        "requiresDist": [str(r) for r in (meta.requires_dist or [])],
        "requiresPython": str(meta.requires_python) if meta.requires_python else None,
        "extras": [str(e) for e in (meta.provides_extra or [])],
        "wheelTags": sorted(wheel.get_all("Tag")), "wheelBuild": wheel.get("Build"),
    })
print(json.dumps(out))
`;

interface Checked {
  name: string;
  version: string;
  build: (number | string)[];
  tags: string[];
  distInfo: string;
  badRecord: string[];
  unlisted: string[];
  metaName: string;
  metaVersion: string;
  requiresDist: string[];
  requiresPython: string | null;
  extras: string[];
  wheelTags: string[];
  wheelBuild: string | null;
}

describe('wheel builder', () => {
  it('writes wheels that packaging accepts: filename, RECORD hashes and sizes, METADATA, WHEEL tags', async () => {
    const dir = makeTempDir();
    const specs: WheelSpec[] = [
      { name: 'simple', version: '1.0' },
      { name: 'Dotted.Name-mixed_Case', version: '2.0.post1', build: '7', tags: 'py2.py3-none-any' },
      {
        name: 'with-deps',
        version: '3.1rc1',
        tags: 'cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64',
        requiresDist: ['simple>=1', 'extra-dep; extra == "feat"', 'other; python_version < "3"'],
        requiresPython: '>=3.8',
        files: { 'with_deps/__init__.py': '', 'with_deps/data.bin': Buffer.from([0, 1, 2, 255]) },
        metadataExtra: { Summary: 'a summary' },
      },
    ];
    const paths = await Promise.all(specs.map((s) => writeWheel(dir, s)));
    const checked = await pythonJson<Checked[]>(CHECK_WHEELS, paths);

    expect(checked.map((c) => [c.name, c.version, c.metaName, c.metaVersion])).toEqual([
      ['simple', '1.0', 'simple', '1.0'],
      ['dotted-name-mixed-case', '2.0.post1', 'Dotted.Name-mixed_Case', '2.0.post1'],
      ['with-deps', '3.1rc1', 'with-deps', '3.1rc1'],
    ]);
    for (const c of checked) {
      expect(c.badRecord).toEqual([]);
      expect(c.unlisted).toEqual([]);
      expect(c.wheelTags).toEqual(c.tags);
    }
    expect(checked[1]?.build).toEqual([7, '']);
    expect(checked[1]?.wheelBuild).toBe('7');
    expect(checked[1]?.distInfo).toBe('dotted_name_mixed_case-2.0.post1.dist-info');
    expect(checked[2]?.tags).toEqual(['cp311-cp311-manylinux2014_x86_64', 'cp311-cp311-manylinux_2_17_x86_64']);
    expect(checked[2]?.requiresDist).toEqual(['simple>=1', 'extra-dep; extra == "feat"', 'other; python_version < "3"']);
    expect(checked[2]?.extras).toEqual(['feat']);
    expect(checked[2]?.requiresPython).toBe('>=3.8');
  });

  it('is deterministic (same spec, same bytes)', async () => {
    const a = await buildWheel({ name: 'same', version: '1.0', requiresDist: ['x'] });
    const b = await buildWheel({ name: 'same', version: '1.0', requiresDist: ['x'] });
    expect(a.sha256).toBe(b.sha256);
    expect(a.data.equals(b.data)).toBe(true);
  });

  it('installs with the real pip (23.2.1 and 23.0.1) from the loopback index', async () => {
    const wheel = await buildWheel({
      name: 'Installable_Pkg',
      version: '1.2',
      files: { 'installable_pkg/__init__.py': 'VALUE = 42\n', 'installable_pkg/sub/mod.py': 'X = 1\n' },
    });
    const server = await startIndexServer({ projects: { 'installable-pkg': [wheel] } });
    try {
      for (const python of ['python3', '/usr/bin/python3']) {
        const target = makeTempDir();
        const result = await runPlainPip(
          ['install', '--target', target, '--no-deps', '-i', server.indexUrl(), 'installable-pkg==1.2'],
          { python },
        );
        expect(result.exitCode, result.stderr).toBe(0);
        expect(readFileSync(join(target, 'installable_pkg', '__init__.py'), 'utf8')).toBe('VALUE = 42\n');
        expect(existsSync(join(target, 'installable_pkg', 'sub', 'mod.py'))).toBe(true);
        const installer = readFileSync(join(target, 'installable_pkg-1.2.dist-info', 'INSTALLER'), 'utf8');
        expect(installer.trim()).toBe('pip');
      }
      expect(server.requestsTo(`/simple/installable-pkg/${wheel.filename}`)).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
