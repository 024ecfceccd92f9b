// The page corpus for the differential simple-API tests: hand-written pages for each rule pip
// applies, plus pages generated from a fixed seed that combine them at random.

export interface CorpusPage {
  name: string;
  body: Uint8Array;
  contentType: string;
  url: string;
}

const enc = new TextEncoder();
const HTML = 'text/html';
const JSON_CT = 'application/vnd.pypi.simple.v1+json';
const PAGE = 'https://files.example.org/simple/foo/';

function html(name: string, inner: string, opts: { url?: string; contentType?: string } = {}): CorpusPage {
  return { name, body: enc.encode(`<!DOCTYPE html><html><body>${inner}</body></html>`), contentType: opts.contentType ?? HTML, url: opts.url ?? PAGE };
}

function json(name: string, doc: unknown, url = PAGE): CorpusPage {
  return { name, body: enc.encode(typeof doc === 'string' ? doc : JSON.stringify(doc)), contentType: JSON_CT, url };
}

const H = 'a'.repeat(64);

export function handWrittenPages(): CorpusPage[] {
  const pages: CorpusPage[] = [
    html('relative href', '<a href="foo-1.0.tar.gz">foo-1.0.tar.gz</a>'),
    html('root-relative href', '<a href="/packages/ab/foo-1.0-py3-none-any.whl">x</a>'),
    html('parent-relative href', '<a href="../../packages/foo-1.0.zip">x</a>'),
    html('dot segments', '<a href="./a/./b/../foo-1.0.zip">x</a><a href="a/b/..">dir</a><a href=".">dot</a>'),
    html('absolute https', '<a href="https://cdn.example.com/p/foo-1.0.tar.gz#sha256=' + H + '">x</a>'),
    html('protocol-relative', '<a href="//cdn.example.com/foo-2.0.tar.gz">x</a>'),
    html('other scheme', '<a href="ftp://ftp.example.com/foo-1.0.tar.gz">x</a><a href="mailto:someone@example.com">m</a>'),
    html('base absolute', '<head><base href="https://other.example/dl/"></head><a href="foo-1.0.tar.gz">x</a>'),
    html('two bases, first wins', '<base href="https://one.example/a/"><base href="https://two.example/b/"><a href="foo-1.0.tar.gz">x</a>'),
    html('base without href then with', '<base target="_blank"><base href="https://b.example/x/"><a href="foo-1.0.tar.gz">x</a>'),
    html('base empty href', '<base href=""><a href="foo-1.0.tar.gz">x</a>'),
    html('base bare href', '<base href><base href="https://z.example/"><a href="foo-1.0.tar.gz">x</a>'),
    html('relative base', '<base href="/mirror/"><a href="foo-1.0.tar.gz">x</a>'),
    html('base after anchor', '<a href="foo-1.0.tar.gz">x</a><base href="https://late.example/">'),
    html('base with entity', '<base href="https://e.example/a&amp;b/"><a href="foo-1.0.tar.gz">x</a>'),
    html('anchor without href', '<a name="x">x</a><a>y</a><a href="">empty</a><a href>bare</a><a href="foo-1.0.tar.gz">ok</a>'),
    html('entities in href', '<a href="foo-1.0.tar.gz?a=1&amp;b=2&copy=3&sect;x&lt">x</a>'),
    html('numeric entities', '<a href="foo-&#49;.0.tar.gz#sha256=&#x61;&#X62;&#0099;">x</a><a href="bar&#0;&#1;&#128;&#x9F;&#xD800;&#99999999;.zip">y</a>'),
    html('legacy entity prefix', '<a href="foo.tar.gz?x=&ampfoo;&notit;&amp;&AMP&unknown;&;">x</a>'),
    html('requires-python escaped', '<a href="foo-1.0.tar.gz" data-requires-python="&gt;=3.8,&lt;4">x</a>'),
    html('requires-python raw', '<a href="foo-1.0.tar.gz" data-requires-python=">=3.6">x</a>'),
    html('requires-python empty', '<a href="foo-1.0.tar.gz" data-requires-python="">x</a><a href="foo-1.1.tar.gz" data-requires-python>y</a>'),
    html('yanked variants',
      '<a href="a-1.tar.gz" data-yanked>bare</a><a href="a-2.tar.gz" data-yanked="">empty</a><a href="a-3.tar.gz" data-yanked="broken build">reason</a>' +
      '<a href="a-4.tar.gz" data-yanked="&lt;b&gt; &amp; co">entity</a><a href="a-5.tar.gz" DATA-YANKED="Upper">upper</a>'),
    html('metadata variants',
      `<a href="m-1.whl" data-core-metadata="true">a</a><a href="m-2.whl" data-core-metadata="sha256=${H}">b</a>` +
      `<a href="m-3.whl" data-dist-info-metadata="sha256=${H}">c</a><a href="m-4.whl" data-core-metadata="junk">d</a>` +
      `<a href="m-5.whl" data-core-metadata="blake2b=abc">e</a><a href="m-6.whl" data-core-metadata="SHA256=abc">f</a>` +
      `<a href="m-7.whl" data-core-metadata>g</a><a href="m-8.whl" data-core-metadata data-dist-info-metadata="md5=x">h</a>` +
      `<a href="m-9.whl" data-core-metadata="false">i</a><a href="m-10.whl" data-core-metadata="" data-dist-info-metadata="true">j</a>` +
      `<a href="m-11.whl" data-core-metadata="sha256=a=b">k</a><a href="m-12.whl" data-dist-info-metadata="true" data-core-metadata="md5=1">l</a>`),
    html('hash fragments',
      `<a href="h-1.tar.gz#sha256=${H}">a</a><a href="h-2.tar.gz#md5=abc&amp;subdirectory=sub">b</a>` +
      `<a href="h-3.tar.gz#sha256=${H}&subdirectory=pkg/dir">c</a><a href="h-4.tar.gz#subdirectory=x&sha512=def">d</a>` +
      `<a href="h-5.tar.gz#sha1=&sha256=xyz">e</a><a href="h-6.tar.gz#blake2b=abc">f</a><a href="h-7.tar.gz?sha256=q&md5=r">g</a>` +
      `<a href="h-8.tar.gz#SHA256=upper">h</a><a href="h-9.tar.gz#md5=1#sha256=2">i</a>`),
    html('egg fragments',
      '<a href="e-1.tar.gz#egg=foo">a</a><a href="e-2.tar.gz#egg=foo-1.0&sha256=b">b</a><a href="git+https://g.example/r.git#egg=foo">c</a>' +
      '<a href="e-3.tar.gz#egg=foo[bar]">d</a><a href="e-4.tar.gz#sha256=x&egg=z&subdirectory=s">e</a>'),
    html('non-ASCII filenames', '<a href="päckage-1.0.tar.gz">x</a><a href="%E2%98%83-1.0.tar.gz">y</a><a href="snow☃man-1.0.zip">z</a>'),
    html('encoded slash and at', '<a href="dir%2Ffoo-1.0.tar.gz">a</a><a href="dir%2ffoo-1.1.tar.gz">b</a><a href="user@foo-1.0.tar.gz">c</a><a href="a%40b-1.0.tar.gz">d</a>'),
    html('spaces and quoting', '<a href="foo 1.0.tar.gz">a</a><a href="foo%201.0.tar.gz">b</a><a href="foo%2520.tar.gz">c</a><a href="foo%zz.tar.gz">d</a><a href="foo%.tar.gz">e</a>'),
    html('query and params', '<a href="foo-1.0.tar.gz?download=1#md5=abc">a</a><a href="foo-1.0.tar.gz;type=x">b</a><a href="foo;v=1/bar-1.0.tar.gz">c</a>'),
    html('credentials in url', '<a href="https://user:pa%40ss@private.example/p/foo-1.0.tar.gz">a</a><a href="https://user@h.example/">b</a>'),
    html('trailing slash / dir links', '<a href="sub/">a</a><a href="https://host.example">b</a><a href="https://host.example/">c</a><a href="foo-1.0.tar.gz/">d</a>'),
    html('unquoted attributes', '<a href=foo-1.0.tar.gz data-requires-python=>=3.7 data-yanked=why>x</a>'),
    html('single quotes and mixed case', "<A HREF='Foo-1.0.TAR.GZ' Data-Requires-Python='&gt;=2.7'>x</A>"),
    html('duplicate attributes', '<a href="first-1.0.tar.gz" href="second-1.0.tar.gz" data-yanked="a" data-yanked="b">x</a>'),
    html('whitespace in href', '<a href="  foo-1.0.tar.gz  ">a</a><a href="\n\tfoo-\r\n1.1.tar.gz">b</a><a href="\u0001foo-1.2.tar.gz">c</a>'),
    html('tab and newline in absolute href', '<a href="ht\ttps://x.example/foo-1.0.tar.gz">a</a>'),
    html('comments and script', '<!-- <a href="hidden-1.0.tar.gz">h</a> --><script>var s = "<a href=\'js-1.0.tar.gz\'>";</script><style>a{}</style><a href="real-1.0.tar.gz">r</a>'),
    html('self-closing and nested', '<a href="one-1.0.tar.gz"/><a href="two-1.0.tar.gz"><a href="three-1.0.tar.gz">3</a></a><p><a href="four-1.0.tar.gz">4</p>'),
    html('processing instruction and cdata', '<?xml version="1.0"?><![CDATA[<a href="cdata-1.0.tar.gz">]]><a href="after-1.0.tar.gz">x</a>'),
    html('uppercase doctype, svg', '<svg><a href="svg-1.0.tar.gz">s</a></svg><math><a href="math-1.0.tar.gz">m</a></math>'),
    html('many files', Array.from({ length: 40 }, (_, i) => `<a href="pkg-${i}.0.tar.gz#sha256=${i.toString(16).padStart(64, '0')}">pkg</a><br/>`).join('\n')),
    html('page url without trailing slash', '<a href="foo-1.0.tar.gz">x</a>', { url: 'https://files.example.org/simple/foo' }),
    html('page url with query', '<a href="foo-1.0.tar.gz">x</a><a href="?x=1">q</a><a href="#frag">f</a>', { url: 'https://files.example.org/simple/foo/?format=html' }),
    html('file page url', '<a href="foo-1.0.tar.gz">x</a><a href="../bar/bar-1.0.zip">y</a>', { url: 'file:///tmp/idx/foo/index.html' }),
    html('localhost page with port', '<a href="/p/foo-1.0.tar.gz">x</a>', { url: 'http://127.0.0.1:8080/simple/foo/' }),
    html('ipv6 page', '<a href="foo-1.0.tar.gz">x</a>', { url: 'http://[::1]:9000/simple/foo/' }),
    html('v1+html content type', '<a href="foo-1.0.tar.gz">x</a>', { contentType: 'application/vnd.pypi.simple.v1+html' }),
    html('charset param utf-8 quoted', '<a href="é-1.0.tar.gz">x</a>', { contentType: 'text/html; charset="UTF-8"' }),
    {
      name: 'latin-1 page',
      body: Uint8Array.from([...enc.encode('<a href="caf'), 0xe9, ...enc.encode('-1.0.tar.gz" data-yanked="'), 0x80, ...enc.encode('">x</a>')]),
      contentType: 'text/html; charset=ISO-8859-1',
      url: PAGE,
    },
    {
      name: 'windows-1252 page',
      body: Uint8Array.from([...enc.encode('<a href="q'), 0x93, ...enc.encode('-1.0.tar.gz">x</a>')]),
      contentType: 'text/html; charset=windows-1252',
      url: PAGE,
    },
    {
      name: 'windows-1252 undefined byte',
      body: Uint8Array.from([...enc.encode('<a href="q'), 0x81, ...enc.encode('-1.0.tar.gz">x</a>')]),
      contentType: 'text/html; charset=cp1252',
      url: PAGE,
    },
    {
      name: 'iso-8859-2 page',
      body: Uint8Array.from([...enc.encode('<a href="q'), 0xa1, ...enc.encode('-1.0.tar.gz">x</a>')]),
      contentType: 'text/html;charset=iso-8859-2',
      url: PAGE,
    },
    { name: 'invalid utf-8', body: Uint8Array.from([...enc.encode('<a href="x'), 0xff, ...enc.encode('-1.0.tar.gz">x</a>')]), contentType: HTML, url: PAGE },
    { name: 'ascii page with high byte', body: Uint8Array.from([...enc.encode('<a href="x'), 0xe9, ...enc.encode('.tar.gz">x</a>')]), contentType: 'text/html; charset=ascii', url: PAGE },
    { name: 'utf-8 BOM html', body: Uint8Array.from([0xef, 0xbb, 0xbf, ...enc.encode('<a href="bom-1.0.tar.gz">x</a>')]), contentType: HTML, url: PAGE },
    html('unknown charset', '<a href="x-1.0.tar.gz">x</a>', { contentType: 'text/html; charset=klingon-8' }),
    html('empty page', ''),
    html('pypi-like page with meta',
      '<head><meta name="pypi:repository-version" content="1.1"><meta name="pypi:project-status" content="archived"><title>Links for foo</title></head>' +
      `<h1>Links for foo</h1><a href="https://files.example.org/packages/foo-1.0-py3-none-any.whl#sha256=${H}" data-requires-python="&gt;=3.8" data-dist-info-metadata="sha256=${H}" data-core-metadata="sha256=${H}">foo-1.0-py3-none-any.whl</a><br />`),
    html('provenance and gpg-sig attributes', '<a href="foo-1.0.tar.gz" data-gpg-sig="true" data-provenance="https://x/prov">x</a>'),
    // JSON pages
    json('json basic', {
      meta: { 'api-version': '1.1' }, name: 'foo', versions: ['1.0'],
      files: [{ filename: 'foo-1.0.tar.gz', url: 'https://files.example.org/p/foo-1.0.tar.gz', hashes: { sha256: H }, 'requires-python': '>=3.8', size: 10, 'upload-time': '2024-01-01T00:00:00.000000Z' }],
    }),
    json('json relative urls', {
      meta: { 'api-version': '1.0' },
      files: [
        { filename: 'a', url: 'foo-1.0.tar.gz', hashes: {} },
        { filename: 'b', url: '/abs/foo-1.1.tar.gz', hashes: {} },
        { filename: 'c', url: '../../x/foo-1.2.tar.gz', hashes: {} },
        { filename: 'd', url: '//cdn.example/foo-1.3.tar.gz', hashes: {} },
      ],
    }),
    json('json yanked variants', {
      files: [
        { url: 'y-1.tar.gz', hashes: {}, yanked: true },
        { url: 'y-2.tar.gz', hashes: {}, yanked: false },
        { url: 'y-3.tar.gz', hashes: {}, yanked: 'bad release' },
        { url: 'y-4.tar.gz', hashes: {}, yanked: '' },
        { url: 'y-5.tar.gz', hashes: {}, yanked: 1 },
        { url: 'y-6.tar.gz', hashes: {}, yanked: 0 },
        { url: 'y-7.tar.gz', hashes: {}, yanked: null },
        { url: 'y-8.tar.gz', hashes: {}, yanked: [] },
        { url: 'y-9.tar.gz', hashes: {}, yanked: ['x'] },
        { url: 'y-10.tar.gz', hashes: {} },
      ],
    }),
    json('json metadata variants', {
      files: [
        { url: 'm-1.whl', hashes: {}, 'core-metadata': true },
        { url: 'm-2.whl', hashes: {}, 'core-metadata': { sha256: H } },
        { url: 'm-3.whl', hashes: {}, 'dist-info-metadata': { sha256: H } },
        { url: 'm-4.whl', hashes: {}, 'core-metadata': false, 'dist-info-metadata': true },
        { url: 'm-5.whl', hashes: {}, 'core-metadata': null, 'dist-info-metadata': true },
        { url: 'm-6.whl', hashes: {}, 'core-metadata': { blake2b: 'x' } },
        { url: 'm-7.whl', hashes: {}, 'core-metadata': {} },
        { url: 'm-8.whl', hashes: {}, 'core-metadata': 'yes' },
        { url: 'm-9.whl', hashes: {}, 'core-metadata': { sha256: 'a', md5: 'b', other: 'c' } },
      ],
    }),
    json('json hashes and fragments', {
      files: [
        { url: `h-1.tar.gz#sha256=${H}`, hashes: { sha256: 'b'.repeat(64) } },
        { url: 'h-2.tar.gz#md5=abc', hashes: { sha256: 'c'.repeat(64), blake2b: 'x' } },
        { url: 'h-3.tar.gz#egg=foo&subdirectory=s', hashes: { sha512: 'd' } },
        { url: 'h-4.tar.gz', hashes: { SHA256: 'upper' } },
      ],
    }),
    json('json missing url and extra keys', { files: [{ filename: 'no-url.tar.gz', hashes: {} }, { url: 'ok-1.0.tar.gz', hashes: {}, _private: 1, unknown: [1] }], _x: 1 }),
    json('json requires-python', { files: [{ url: 'r-1.tar.gz', hashes: {}, 'requires-python': '' }, { url: 'r-2.tar.gz', hashes: {}, 'requires-python': '>=3.6, <4' }, { url: 'r-3.tar.gz', hashes: {}, 'requires-python': null }] }),
    json('json non-ascii urls', { files: [{ url: 'päckage-1.0.tar.gz', hashes: {} }, { url: 'dir%2Fx-1.0.tar.gz', hashes: {} }, { url: 'sp ace-1.0.tar.gz', hashes: {} }] }),
    json('json absolute other scheme', { files: [{ url: 'file:///srv/foo-1.0.tar.gz', hashes: {} }, { url: 'ftp://f.example/foo-1.0.tar.gz', hashes: {} }] }),
    json('json no files key', { meta: { 'api-version': '1.0' }, name: 'foo' }),
    json('json empty files', { files: [] }),
    json('json provenance and status', { meta: { 'api-version': '1.4' }, 'project-status': { status: 'quarantined', reason: 'malware' }, files: [{ url: 'p-1.0.tar.gz', hashes: {}, provenance: 'https://x/p.prov', 'gpg-sig': false }] }),
    json('json page url without slash', { files: [{ url: 'foo-1.0.tar.gz', hashes: {} }] }, 'https://files.example.org/simple/foo'),
    json('json malformed', '{"files": [}'),
    json('json top-level list', '[1, 2]'),
    json('json files not a list', '{"files": {"a": 1}}'),
    json('json file not an object', '{"files": ["x"]}'),
    json('json url not a string', '{"files": [{"url": 5, "hashes": {}}]}'),
    json('json hashes null', '{"files": [{"url": "a-1.0.tar.gz", "hashes": null}]}'),
    json('json empty body', ''),
    { name: 'json utf-8 BOM', body: Uint8Array.from([0xef, 0xbb, 0xbf, ...enc.encode('{"files":[{"url":"bom-1.0.tar.gz","hashes":{}}]}')]), contentType: JSON_CT, url: PAGE },
  ];
  pages.push({ ...json('json content type upper-case', { files: [{ url: 'up-1.0.tar.gz', hashes: {} }] }), contentType: 'Application/Vnd.PyPI.Simple.V1+JSON; charset=utf-8' });
  return pages;
}

// Deterministic generator (mulberry32) so failures reproduce.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatedPages(count: number, seed = 20240611): CorpusPage[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const names = ['foo', 'Foo_Bar', 'baz.qux', 'päck', 'a b', 'x%2Fy', 'z@w', 'snow☃', 'q&amp;r', 'e&eacute;', 'n&#233;', 'pct%41', '%zz'];
  const versions = ['1.0', '2.0rc1', '0.1.dev3', '1!2.0', '3.4.5.post1', '1.0+local'];
  const exts = ['.tar.gz', '-py3-none-any.whl', '.zip', '-cp311-cp311-manylinux_2_17_x86_64.whl', '.tar.bz2', ''];
  const prefixes = ['', './', '../', '../../packages/', '/packages/ab/', 'https://cdn.example.com/f/', '//cdn2.example/', 'sub/dir/', 'http://127.0.0.1:9/x/'];
  const frags = ['', `#sha256=${H}`, '#md5=0123', '#sha256=abc&amp;subdirectory=s', '#egg=foo', '#subdirectory=a/b&sha1=ff', '#sha512=', '#blake2b=zz', '?v=1#sha224=aa', '#egg=bad name'];
  const rps = [null, '&gt;=3.8', '>=3.6,<4', '', '&lt;3&#44;&gt;2', '~=3.11.0', '==3.*'];
  const yanks = [null, '', 'broken', '&quot;bad&quot; &amp; old', 'bare'];
  const mds = [null, 'true', `sha256=${H}`, 'md5=1', 'junk', '', 'SHA1=x', 'sha384=a=b'];
  const bases = [null, 'https://mirror.example/simple/foo/', '/rel/', '', 'http://127.0.0.1:8000/a/b', 'https://x.example/deep/er/index.html'];
  const pageUrls = [PAGE, 'https://files.example.org/simple/foo', 'http://localhost:3141/root/pypi/+simple/foo/', 'file:///srv/index/foo/index.html', 'https://u:p@priv.example/simple/foo/'];
  const out: CorpusPage[] = [];
  for (let p = 0; p < count; p++) {
    const url = pick(pageUrls);
    const n = 1 + Math.floor(r() * 6);
    if (r() < 0.35) {
      const files = Array.from({ length: n }, () => {
        const f: Record<string, unknown> = { filename: 'ignored', url: pick(prefixes).replace(/^\.\//, '') + pick(names).replace(/&[a-z#0-9]+;/g, '') + '-' + pick(versions) + pick(exts) + pick(frags).replace('&amp;', '&'), hashes: r() < 0.5 ? {} : { sha256: pick(['a', 'b', H]) } };
        if (r() < 0.4) f['requires-python'] = pick(['>=3.8', '', '<4', '==2.7.*']);
        if (r() < 0.4) f.yanked = pick([true, false, 'why', '', 0, 1]);
        if (r() < 0.4) f['core-metadata'] = pick([true, false, null, { sha256: H }, { md5: 'x', foo: 'y' }, {}]);
        if (r() < 0.2) f['dist-info-metadata'] = pick([true, { sha256: 'b' }]);
        if (r() < 0.3) f['upload-time'] = '2023-05-06T07:08:09Z';
        if (r() < 0.3) f.size = Math.floor(r() * 1e6);
        return f;
      });
      out.push(json(`generated json ${p}`, { meta: { 'api-version': '1.1' }, name: 'foo', files }, url));
      continue;
    }
    const base = pick(bases);
    let inner = base === null ? '' : `<base href="${base}">`;
    for (let i = 0; i < n; i++) {
      const href = pick(prefixes) + pick(names) + '-' + pick(versions) + pick(exts) + pick(frags);
      const attrs = [`href="${href}"`];
      const rp = pick(rps);
      if (rp !== null) attrs.push(`data-requires-python="${rp}"`);
      const y = pick(yanks);
      if (y === 'bare') attrs.push('data-yanked');
      else if (y !== null) attrs.push(`data-yanked="${y}"`);
      const md = pick(mds);
      if (md !== null) attrs.push(`${r() < 0.5 ? 'data-core-metadata' : 'data-dist-info-metadata'}="${md}"`);
      if (r() < 0.5) attrs.reverse();
      const quoteStyle = r();
      const rendered = quoteStyle < 0.15 ? attrs.map((a) => a.replace(/"/g, "'")) : attrs;
      inner += `<a ${rendered.join(r() < 0.1 ? '\n\t' : ' ')}>${href}</a>${r() < 0.5 ? '<br/>' : '\n'}`;
    }
    out.push(html(`generated html ${p}`, inner, { url }));
  }
  return out;
}
