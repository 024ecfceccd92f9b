// Generates a wheel-only dependency closure for the benchmarks: a root project whose dependency
// graph reaches exactly `size` projects (root included), every one of them on the index as a
// few versions of pure-Python wheels, some with a platform wheel as well. Wheels follow
// https://packaging.python.org/en/latest/specifications/binary-distribution-format/
// (`<name>-<ver>.dist-info/` with METADATA, WHEEL and RECORD); metadata follows
// https://packaging.python.org/en/latest/specifications/core-metadata/.
//
// Shape (deterministic for a given size; a seeded PRNG, no Math.random):
// - a tree (each project i > 0 hangs under project floor((i - 1) / 4)), plus cross edges to
//   later projects so shared dependencies are common, like real closures;
// - three versions per project (1.0.0, 1.1.0, 2.0.0); every fifth project is "capped": all edges
//   into it say `<2` in some spelling, so its pick is 1.1.0; edges into the others accept 2.0.0.
//   All versions of a project share their dependencies, so no resolver ever has to backtrack;
// - some projects also list 3.0.0 with Requires-Python `<3` (skipped by both tools), a pre-release
//   (skipped without --pre) or a yanked 2.0.1 (skipped);
// - every sixth project's best version also has a cp311 manylinux wheel (preferred on this
//   x86_64 CPython 3.11) and a win_amd64 wheel (incompatible);
// - every eleventh project is required with the extra `fast`, which is where one of its tree
//   children comes from (`child ; extra == "fast"`);
// - some edges carry markers that are true here (`python_version >= "3.8"`), and some projects
//   require a never-published project under a false marker (`python_version < "3"`,
//   `sys_platform == "win32"`), which neither tool may look up;
// - some names are spelled with capitals, `_` or `.` to exercise PEP 503 normalization.
// Every wheel carries an incompressible payload (2–60 KB, a few of 300 KB) so downloads move bytes.
import { createHash } from 'node:crypto';
import yazl from 'yazl';

const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

/** Seeded PRNG (mulberry32). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const normalizeName = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');
const escapeName = (name) => name.toLowerCase().replace(/[-_.]+/g, '_');
const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const recordHash = (data) => `sha256=${createHash('sha256').update(data).digest('base64url')}`;

function projectName(i) {
  if (i === 0) return 'bench-root';
  const n = String(i).padStart(4, '0');
  if (i % 13 === 0) return `Bench_Pkg.${n}`;
  if (i % 7 === 0) return `Bench-Pkg-${n}`;
  return `bench-pkg-${n}`;
}

const CAPPED_SPECS = ['<2', '>=1.0,<2', '~=1.0', '<2.0.0'];
const OPEN_SPECS = ['>=1.0', '', '>=1.1', '!=1.0.0', '>=2.0', '>=1.0,<3'];
const TRUE_MARKERS = ['python_version >= "3.8"', 'os_name == "posix"', 'implementation_name == "cpython"'];
const FALSE_MARKERS = ['python_version < "3"', 'sys_platform == "win32"', 'platform_system == "Darwin"'];

function zip(entries) {
  return new Promise((resolve, reject) => {
    const file = new yazl.ZipFile();
    for (const [path, data, compress] of entries) file.addBuffer(data, path, { mtime: FIXED_MTIME, compress });
    file.end();
    const chunks = [];
    file.outputStream.on('data', (c) => chunks.push(c));
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    file.outputStream.on('error', reject);
  });
}

export function metadataText(name, version, requiresPython, extras, requiresDist) {
  const lines = ['Metadata-Version: 2.1', `Name: ${name}`, `Version: ${version}`, `Summary: benchmark project ${name}`];
  if (requiresPython) lines.push(`Requires-Python: ${requiresPython}`);
  for (const e of extras) lines.push(`Provides-Extra: ${e}`);
  for (const r of requiresDist) lines.push(`Requires-Dist: ${r}`);
  return `${lines.join('\n')}\n\n`;
}

export async function buildWheel({ name, version, tags, metadata, payload }) {
  const escaped = escapeName(name);
  const distInfo = `${escaped}-${version}.dist-info`;
  const [py, abi, plat] = tags.split('-');
  const tagLines = [];
  for (const p of py.split('.')) for (const a of abi.split('.')) for (const pl of plat.split('.')) tagLines.push(`Tag: ${p}-${a}-${pl}`);
  const wheelText = `Wheel-Version: 1.0\nGenerator: safe-pip-bench\nRoot-Is-Purelib: ${plat === 'any'}\n${tagLines.join('\n')}\n\n`;
  const entries = [
    [`${escaped}/__init__.py`, Buffer.from(`__version__ = ${JSON.stringify(version)}\n`), true],
    [`${escaped}/_payload.bin`, payload, false],
    [`${distInfo}/METADATA`, Buffer.from(metadata), true],
    [`${distInfo}/WHEEL`, Buffer.from(wheelText), true],
  ];
  const record = entries.map(([p, d]) => `${p},${recordHash(d)},${d.length}`);
  record.push(`${distInfo}/RECORD,,`);
  entries.push([`${distInfo}/RECORD`, Buffer.from(`${record.join('\n')}\n`), true]);
  const data = await zip(entries);
  const filename = `${escaped}-${version}-${tags}.whl`;
  return { filename, data, sha256: sha256Hex(data), metadata: Buffer.from(metadata), metadataSha256: sha256Hex(Buffer.from(metadata)) };
}

/**
 * @param {number} size projects in the closure, root included (>= 2)
 * @returns {Promise<{ size: number, root: string, projects: Map<string, {name: string, files: object[]}>, expected: Map<string, string>, expectedFiles: Set<string>, wheelCount: number, bytes: number }>}
 *   projects keyed by normalized name; expected: normalized name -> version both tools must pick;
 *   expectedFiles: the file names a `pip download` of the root must leave in its destination.
 */
export async function generateClosure(size, seed = 20240101) {
  if (size < 2) throw new Error('closure size must be at least 2');
  const random = seededRandom(seed + size);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const capped = (i) => i > 0 && i % 5 === 0;
  const withExtra = (i) => i > 0 && i % 11 === 0;
  const names = Array.from({ length: size }, (_, i) => projectName(i));
  const children = Array.from({ length: size }, () => []);
  for (let i = 1; i < size; i++) children[Math.floor((i - 1) / 4)].push(i);

  const requirementTo = (j) => {
    const spec = capped(j) ? pick(CAPPED_SPECS) : pick(OPEN_SPECS);
    const extra = withExtra(j) ? '[fast]' : '';
    const marker = random() < 0.15 ? ` ; ${pick(TRUE_MARKERS)}` : '';
    return `${names[j]}${extra}${spec}${marker}`;
  };

  const projects = new Map();
  const expected = new Map();
  const expectedFiles = new Set();
  let wheelCount = 0;
  let bytes = 0;
  for (let i = 0; i < size; i++) {
    const name = names[i];
    const requiresDist = [];
    const extras = [];
    const kids = [...children[i]];
    // One tree child comes through the extra its parent always asks for.
    if (withExtra(i) && kids.length > 0) {
      const j = kids.pop();
      extras.push('fast');
      requiresDist.push(`${names[j]}${capped(j) ? '<2' : '>=1.0'} ; extra == "fast"`);
    }
    for (const j of kids) requiresDist.push(requirementTo(j));
    // Cross edges to later projects (shared dependencies); forward only, so the graph is acyclic.
    if (i + 1 < size) {
      const crossCount = i === 0 ? 0 : Math.floor(random() * 3);
      for (let c = 0; c < crossCount; c++) {
        const j = i + 1 + Math.floor(random() * (size - i - 1));
        if (!children[i].includes(j)) requiresDist.push(requirementTo(j));
      }
    }
    if (i % 4 === 1) requiresDist.push(`bench-never-published-${i} ; ${pick(FALSE_MARKERS)}`);
    if (withExtra(i) && extras.length === 0) extras.push('fast');

    const files = [];
    const versions = ['1.0.0', '1.1.0', '2.0.0'];
    const best = capped(i) ? '1.1.0' : '2.0.0';
    expected.set(normalizeName(name), best);
    const extraVersions = [];
    if (i % 9 === 4) extraVersions.push({ version: '3.0.0', requiresPython: '<3' });
    if (i % 10 === 3) extraVersions.push({ version: '2.1.0rc1' });
    if (i % 8 === 6 && !capped(i)) extraVersions.push({ version: '2.0.1', yanked: 'broken upload' });
    const all = [...versions.map((version) => ({ version })), ...extraVersions];
    for (const v of all) {
      const requiresPython = v.requiresPython ?? '>=3.8';
      const metadata = metadataText(name, v.version, requiresPython, extras, requiresDist);
      const tagSets = ['py3-none-any'];
      if (i % 6 === 2 && v.version === best) tagSets.push('cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64', 'cp39-abi3-win_amd64');
      for (const tags of tagSets) {
        const payloadSize = random() < 0.03 ? 300_000 : 2_000 + Math.floor(random() * 58_000);
        const payload = Buffer.alloc(payloadSize);
        for (let b = 0; b < payloadSize; b += 4) payload.writeUInt32LE(Math.floor(random() * 0x100000000), Math.min(b, payloadSize - 4));
        const wheel = await buildWheel({ name, version: v.version, tags, metadata, payload });
        files.push({ ...wheel, requiresPython, yanked: v.yanked ?? null, version: v.version });
        wheelCount += 1;
        bytes += wheel.data.length;
      }
    }
    projects.set(normalizeName(name), { name, files });
    // What pip picks for this interpreter (CPython 3.11, x86_64 manylinux): the platform wheel of the
    // best version when there is one, else its pure wheel.
    const bestFiles = files.filter((f) => f.version === best).map((f) => f.filename);
    expectedFiles.add(bestFiles.find((f) => f.includes('manylinux')) ?? bestFiles.find((f) => f.endsWith('-py3-none-any.whl')));
  }
  return { size, root: names[0], projects, expected, expectedFiles, wheelCount, bytes };
}
