// PEP 658 metadata files that disagree with the wheel they describe, or with their announced hash,
// or that are not metadata at all. Plain pip against the same index decides what is accepted; the
// wheel that is saved is always the one the index hash names, and a failure names the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWheel, wheelMetadata } from '../helpers/wheel-builder.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import { BUG_DOWNLOAD_UNRESOLVED_EXITS_0, expectCleanFailure, expectFailureAsBug, expectDestination, expectSuccess, makeSandbox, plainPipDownload, safePipDownload, safePipFetch } from './harness.js';
import { sha256, serveProject, startHostileServer, type HostileServer } from './hostile-server.js';

let server: HostileServer;
const dists = new Map<string, BuiltDistribution>();

interface MetadataCase {
  project: string;
  /** The metadata file served for the project's wheel. */
  metadata: (w: BuiltDistribution) => string;
  /** The hash announced for it (default: its true sha256). */
  announced?: (text: string) => string;
  /** Files saved on success (names), or a failure whose message matches these. */
  outcome: { files: string[] } | { fail: ReadonlyArray<string | RegExp> };
}

const CASES: MetadataCase[] = [
  { project: 'meta-other-name', metadata: () => wheelMetadata({ name: 'somebody-else', version: '1.0' }), outcome: { fail: [/meta.other.name/, /somebody-else|name/i] } },
  { project: 'meta-other-version', metadata: () => wheelMetadata({ name: 'meta-other-version', version: '9.9' }), outcome: { fail: [/meta.other.version/, /9\.9|version/i] } },
  {
    project: 'meta-extra-dependency',
    metadata: () => wheelMetadata({ name: 'meta-extra-dependency', version: '1.0', requiresDist: ['helper'] }),
    outcome: { files: ['helper-1.0-py3-none-any.whl', 'meta_extra_dependency-1.0-py3-none-any.whl'] },
  },
  { project: 'meta-wrong-hash', metadata: (w) => w.metadata!, announced: () => '0'.repeat(64), outcome: { fail: [/meta_wrong_hash-1\.0-py3-none-any\.whl\.metadata/, /hash mismatch/] } },
  { project: 'meta-garbage', metadata: () => '\u0000\u0001PK\u0003\u0004 not metadata at all', outcome: { fail: [/meta.garbage/] } },
  { project: 'meta-unsatisfiable-python', metadata: () => wheelMetadata({ name: 'meta-unsatisfiable-python', version: '1.0', requiresPython: '<3' }), outcome: { fail: [/meta.unsatisfiable.python/, /Python/] } },
];

beforeAll(async () => {
  server = await startHostileServer();
  const helper = await buildWheel({ name: 'helper', version: '1.0' });
  dists.set('helper', helper);
  serveProject(server, 'helper', [{ filename: helper.filename, data: helper.data, metadata: helper.metadata! }]);
  for (const c of CASES) {
    const w = await buildWheel({ name: c.project, version: '1.0' });
    dists.set(c.project, w);
    const text = c.metadata(w);
    serveProject(server, c.project, [{ filename: w.filename, data: w.data, metadata: text, metadataHash: c.announced?.(text) ?? sha256(text) }]);
  }
}, 60_000);
afterAll(async () => server?.close());

const files = (names: readonly string[]): Record<string, Buffer> =>
  Object.fromEntries(names.map((n) => [n, [...dists.values()].find((d) => d.filename === n)!.data]));

describe.each(CASES)('metadata file: $project', (c) => {
  it('safe-pip fetch agrees with pip and keeps only verified wheels', async () => {
    const oracle = await plainPipDownload(['-i', `${server.url}/simple/`, c.project]);
    const s = makeSandbox();
    const result = await safePipFetch(s, ['-i', `${server.url}/simple/`, '--retries', '0', c.project]);
    if ('files' in c.outcome) {
      expect(oracle).toEqual(c.outcome.files);
      expectSuccess(result);
      expectDestination(s, files(c.outcome.files));
    } else {
      expect(oracle).not.toBeInstanceOf(Array);
      expectCleanFailure(result, c.outcome.fail);
      expectDestination(s, {});
    }
  }, 120_000);

  it('pip download through safe-pip: the same', async () => {
    // A metadata file that makes the project unresolvable hits BUG_DOWNLOAD_UNRESOLVED_EXITS_0;
    // one that fails its hash stops safe-pip itself.
    const unresolved = 'fail' in c.outcome && !c.project.includes('hash');
    await (unresolved && BUG_DOWNLOAD_UNRESOLVED_EXITS_0 ? expectFailureAsBug : (f: () => Promise<void>) => f())(async () => {
      const s = makeSandbox();
      const result = await safePipDownload(s, ['-i', `${server.url}/simple/`, '--retries', '0', c.project]);
      if ('files' in c.outcome) {
        expectSuccess(result);
        expectDestination(s, files(c.outcome.files));
      } else {
        expectCleanFailure(result, [/meta.\w+/]);
        expectDestination(s, {});
      }
    });
  }, 120_000);
});
