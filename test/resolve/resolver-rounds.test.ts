// resolvelib asks, in every round, whether each criterion's requirements accept its current pin.
// The resolver answers each (criterion, pin) pair once: criteria and pins are replaced, never
// changed, so a repeated question has the same answer (jupyter: 100 rounds asked it 12,000 times).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRequirement } from '../../src/standards/pep508/requirement.js';
import { SpecifierSet } from '../../src/standards/specifiers.js';
import { resolve } from '../../src/resolve/resolver.js';
import { CPYTHON_311_LINUX, PURE_PYTHON_WHEELS } from './harness/environment.js';
import { memoryIndex } from './harness/memory-index.js';

/** A root that needs `count` leaves, each needed again by the one before it (so each has two requirements). */
function fanOut(count: number) {
  const leaves = Array.from({ length: count }, (_, i) => `leaf${i}`);
  return memoryIndex([
    { name: 'root', version: '1.0', requiresDist: leaves.map((l) => `${l}>=1`) },
    ...leaves.map((name, i) => ({ name, version: '1.0', requiresDist: i + 1 < count ? [`leaf${i + 1}<3`] : [] })),
  ]);
}

afterEach(() => vi.restoreAllMocks());

describe('resolver rounds', () => {
  it('checks each criterion against its pin once, not once per round', async () => {
    const count = 80;
    const contains = vi.spyOn(SpecifierSet.prototype, 'contains');
    const resolution = await resolve({ pipVersion: '23.2.1', roots: [{ requirement: parseRequirement('root'), origin: 'command line' }], constraints: new Map(), finder: PURE_PYTHON_WHEELS, markers: CPYTHON_311_LINUX, source: fanOut(count), noDeps: false });
    expect(resolution.packages).toHaveLength(count + 1);
    // Each leaf's two requirements meet its one candidate a few times when it is found and
    // pinned (finder, pin, round check): a small multiple of the leaves. Asked again in every
    // round, the count grows with the square (here 12,808 calls; 320 when answered once).
    expect(contains.mock.calls.length).toBeLessThan(count * 12);
  });
});
