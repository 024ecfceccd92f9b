// Property-based tests of src/standards/simple-api.ts: parseProjectPage over arbitrary bytes with
// HTML and JSON content types throws only SimpleApiError, every file it returns has a string URL
// and filename; projectPageUrl never throws and ends with "/".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ProjectPage, SimpleApiError, projectPageUrl } from '../../src/standards/simple-api.js';
import { parseProjectPage } from '../../src/standards/simple-api/project-page.js';
import { arbitraryText, assertWithinBudget, fuzzParams, longRepeat, mutated, onlyThrows } from './fuzz-support.js';
import { nameArb } from './grammar-arbitraries.js';

const hrefArb = fc.constantFrom(
  'pkg-1.0.tar.gz', '../../files/pkg-1.0-py3-none-any.whl#sha256=abc', 'https://files.example/p/pkg-1.0.zip#md5=00',
  '/abs/path/x.whl', '//other.host/x.tar.gz', 'pkg%2F..%2Fx.tar.gz', 'file:///etc/passwd', 'http://[::1/x', 'http://h:99999/x',
  '#frag', '', ' ', 'javascript:alert(1)', 'x.tar.gz#egg=foo&subdirectory=sub', 'p\u00e9.whl', 'a b.whl', '\0.whl',
);
const attrValue = fc.oneof(fc.constantFrom('', 'true', 'sha256=abc', '&gt;=3.8', '>=3.8', '&#x3c;4', 'reason', '&amp', '&bogus;'), fc.string({ maxLength: 8 }));
const anchor = fc
  .tuple(hrefArb, fc.array(fc.tuple(fc.constantFrom('data-requires-python', 'data-yanked', 'data-core-metadata', 'data-dist-info-metadata', 'data-provenance', 'rel'), attrValue), { maxLength: 3 }), fc.constantFrom('"', "'", ''))
  .map(([href, attrs, q]) => `<a href=${q}${href}${q}${attrs.map(([k, v]) => ` ${k}="${v}"`).join('')}>${href}</a>`);
const htmlPage = fc
  .tuple(
    fc.constantFrom('', '<!DOCTYPE html>', '<html><head><meta name="pypi:repository-version" content="1.1"><base href="https://base.example/sub/"></head>', '<meta name="pypi:project-status" content="archived">'),
    fc.array(anchor, { maxLength: 6 }),
    fc.constantFrom('', '</body></html>', '<a', '<!--'),
  )
  .map(([head, anchors, tail]) => `${head}<body>${anchors.join('<br/>\n')}${tail}`);

const jsonValue = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.constantFrom('', 'x', '>=3', 'sha256'), fc.constant([]), fc.constant({}));
const jsonFile = fc.record(
  {
    filename: fc.constantFrom('pkg-1.0.tar.gz', 'pkg-1.0-py3-none-any.whl'),
    url: fc.oneof(hrefArb, jsonValue),
    hashes: fc.oneof(fc.dictionary(fc.constantFrom('sha256', 'md5', 'sha1', 'blake2b', '__proto__', 'constructor'), fc.oneof(fc.stringMatching(/^[0-9a-f]{0,8}$/), jsonValue)), jsonValue),
    'requires-python': jsonValue,
    yanked: jsonValue,
    'core-metadata': fc.oneof(jsonValue, fc.constant({ sha256: 'abc' })),
    'dist-info-metadata': jsonValue,
    size: jsonValue,
    'upload-time': jsonValue,
    provenance: jsonValue,
  },
  { requiredKeys: ['url'] },
);
const jsonPage = fc
  .record(
    {
      meta: fc.oneof(fc.record({ 'api-version': fc.oneof(fc.constantFrom('1.0', '1.1'), jsonValue), 'project-status': jsonValue }, { requiredKeys: [] }), jsonValue),
      name: jsonValue,
      files: fc.oneof({ weight: 4, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: jsonFile }, jsonValue), { maxLength: 5 }) }, jsonValue),
      versions: jsonValue,
      'alternate-locations': fc.oneof(fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }), jsonValue),
      tracks: fc.oneof(fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }), jsonValue),
      'project-status': jsonValue,
    },
    { requiredKeys: ['files'] },
  )
  .map((page) => JSON.stringify(page));

const HTML_FRAGMENTS = ['<', '>', '<a href=', '"', "'", '&', '&amp;', '&#', '</a>', '<base href="', '<meta name="pypi:tracks" content="', '/>', '\0', '%', '#'];
const JSON_FRAGMENTS = ['{', '}', '[', ']', ',', ':', '"', 'null', 'true', '"url"', '"files"', '\\u0000', '\\ud800', '1e999'];
const contentTypes = {
  html: fc.constantFrom('text/html', 'text/html; charset=utf-8', 'text/html; charset=latin-1', 'text/html; charset=bogus', 'application/vnd.pypi.simple.v1+html', 'text/plain', ''),
  json: fc.constantFrom('application/vnd.pypi.simple.v1+json', 'application/vnd.pypi.simple.v1+json; charset=utf-8', 'APPLICATION/VND.PYPI.SIMPLE.V1+JSON'),
};
const pageUrl = fc.constantFrom('https://pypi.example/simple/pkg/', 'http://127.0.0.1:8080/simple/pkg', 'file:///srv/simple/pkg/index.html', 'https://u:p@h/simple/pkg/?q#f');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

const htmlInput = fc.record({
  body: fc.oneof({ weight: 3, arbitrary: mutated(htmlPage, HTML_FRAGMENTS).map(encode) }, htmlPage.map(encode), arbitraryText(HTML_FRAGMENTS, 200).map(encode), fc.uint8Array({ maxLength: 200 })),
  contentType: contentTypes.html,
  url: pageUrl,
});
const jsonInput = fc.record({
  body: fc.oneof({ weight: 3, arbitrary: mutated(jsonPage, JSON_FRAGMENTS).map(encode) }, { weight: 2, arbitrary: jsonPage.map(encode) }, arbitraryText(JSON_FRAGMENTS, 200).map(encode), fc.uint8Array({ maxLength: 200 })),
  contentType: contentTypes.json,
  url: pageUrl,
});

function checkPage(page: ProjectPage | undefined): void {
  if (page === undefined) return;
  for (const file of page.files) {
    expect(typeof file.url).toBe('string');
    expect(typeof file.filename).toBe('string');
    expect(typeof file.hashes).toBe('object');
  }
}

describe('parseProjectPage (fast-check)', () => {
  it('HTML pages: returns or throws only SimpleApiError', () => {
    fc.assert(
      fc.property(htmlInput, (input) => {
        checkPage(onlyThrows([SimpleApiError], { ...input, body: new TextDecoder().decode(input.body) }, () => parseProjectPage(input)));
      }),
      fuzzParams(2000),
    );
  });

  it('JSON pages: returns or throws only SimpleApiError', () => {
    fc.assert(
      fc.property(jsonInput, (input) => {
        checkPage(onlyThrows([SimpleApiError], { ...input, body: new TextDecoder().decode(input.body) }, () => parseProjectPage(input)));
      }),
      fuzzParams(2000),
    );
  });

  it('survives huge pages', () => {
    assertWithinBudget(
      [
        longRepeat('<a href="x-1.0.tar.gz">x</a>\n', 100_000),
        longRepeat('<', 100_000),
        longRepeat('&', 100_000, '<a href="', '">'),
        longRepeat('<a href="', 100_000),
        longRepeat('<!--', 100_000),
        longRepeat('/', 100_000, '<a href="', '">'),
      ],
      (text) => void onlyThrows([SimpleApiError], text.slice(0, 100), () => parseProjectPage({ body: encode(text), contentType: 'text/html', url: 'https://h/simple/x/' })),
      3000,
    );
    assertWithinBudget(
      [
        JSON.stringify({ meta: { 'api-version': '1.1' }, files: Array.from({ length: 10_000 }, (_, i) => ({ url: `x-${i}.tar.gz`, hashes: {} })) }),
        longRepeat('[', 100_000),
        `{"files": [{"url": "${longRepeat('%', 100_000)}", "hashes": {}}]}`,
      ],
      (text) => void onlyThrows([SimpleApiError], text.slice(0, 100), () => parseProjectPage({ body: encode(text), contentType: 'application/vnd.pypi.simple.v1+json', url: 'https://h/simple/x/' })),
      3000,
    );
  });
});

describe('projectPageUrl (fast-check)', () => {
  it('never throws and ends with "/"', () => {
    fc.assert(
      fc.property(fc.oneof(pageUrl, fc.constantFrom('https://pypi.org/simple', 'https://pypi.org/simple/', '', '/', 'relative/idx')), fc.oneof(nameArb, fc.string({ maxLength: 10 })), (index, name) => {
        const url = onlyThrows([], { index, name }, () => projectPageUrl(index, name))!;
        expect(url.endsWith('/')).toBe(true);
      }),
      fuzzParams(1000),
    );
  });
});
