// Parsing an HTML project page costs work proportional to its size, however deeply its elements
// nest (issue 11 item 4: 200k nested <div>s around one link took 13.7 s of CPU; pip's html.parser
// keeps no stack of open elements and takes 1 s).
//
// No wall-clock assertions: the work is counted. Every scan or shift of an array (the shape a
// stack of open elements takes, ours or a library's) is charged the array's length while a page is
// parsed, and the total must stay within a small multiple of the page's length.
import { afterEach, describe, expect, it } from 'vitest';
import { parseProjectPage } from '../../src/standards/simple-api/project-page.js';

const scanningMethods = ['unshift', 'shift', 'indexOf', 'lastIndexOf', 'includes', 'splice', 'find', 'findIndex', 'some', 'every'] as const;
type ScanningMethod = (typeof scanningMethods)[number];
const originals = new Map<ScanningMethod, unknown>();

/** Runs `fn` with every array scan charged its array's length; returns the total charge. */
function countArrayWork(fn: () => void): number {
  let work = 0;
  const proto = Array.prototype as unknown as Record<ScanningMethod, (...args: unknown[]) => unknown>;
  for (const m of scanningMethods) {
    const original = proto[m];
    originals.set(m, original);
    proto[m] = function (this: unknown[], ...args: unknown[]) {
      work += this.length;
      return original.apply(this, args);
    };
  }
  try {
    fn();
  } finally {
    restoreArrayMethods();
  }
  return work;
}

function restoreArrayMethods(): void {
  const proto = Array.prototype as unknown as Record<ScanningMethod, unknown>;
  for (const [m, original] of originals) proto[m] = original;
  originals.clear();
}
afterEach(restoreArrayMethods);

const url = 'https://index.example/simple/x/';
const link = '<a href="x-1.0.tar.gz#sha256=00" data-requires-python="&gt;=3.8">x-1.0.tar.gz</a>';

function parse(html: string) {
  return parseProjectPage({ body: new TextEncoder().encode(html), contentType: 'text/html', url });
}

const n = 20_000;
const pages: Array<[string, string]> = [
  ['nested <div>s', `${'<div>'.repeat(n)}${link}${'</div>'.repeat(n)}`],
  ['nested <div>s never closed', `<html><body>${'<div>'.repeat(n)}${link}`],
  ['nested <svg>s (foreign content)', `${'<svg>'.repeat(n)}${link}${'</svg>'.repeat(n)}`],
  ['nested <a>s', `${'<a>'.repeat(n)}${link}`],
  ['close tags of elements never opened', `${'<div>'.repeat(n)}${'</span>'.repeat(n)}${link}`],
  ['nested <table> parts', `${'<table><tr><td>'.repeat(n / 3)}${link}`],
];

describe('HTML project page parsing does work proportional to the page', () => {
  for (const [name, html] of pages) {
    it(name, () => {
      let files: ReturnType<typeof parse>['files'] = [];
      const work = countArrayWork(() => {
        files = parse(html).files;
      });
      expect(files.map((f) => [f.filename, f.requiresPython])).toEqual([['x-1.0.tar.gz', '>=3.8']]);
      expect(work).toBeLessThanOrEqual(4 * html.length);
    });
  }

  it('finds the link inside 400k nested <div>s', () => {
    const depth = 400_000;
    const page = parse(`${'<div>'.repeat(depth)}${link}${'</div>'.repeat(depth)}`);
    expect(page.files.map((f) => f.filename)).toEqual(['x-1.0.tar.gz']);
  });
});
