// The pages safe-pip writes itself (html-write.ts) read back, by pip's own parser (pip 23.2.1's
// parse_links, the oracle of simple-api.test.ts) and by ours, as the files they link.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectPageHtml } from '../../src/standards/simple-api/html-write.js';
import { parseProjectPage } from '../../src/standards/simple-api/project-page.js';
import { quote } from '../../src/standards/python-urllib.js';

const oracle = join(dirname(fileURLToPath(import.meta.url)), 'oracle-simple-api', 'parse_links.py');

// Names a project page must survive: HTML's own characters, and those a URL must quote; the query
// (`&amp=` is what html.unescape would otherwise read as `&=`) is one URL quoting leaves alone.
const filenames = ['a&b-1.0-py3-none-any.whl', 'q"uote-1.0.tar.gz', 'lt<gt>-2.0.zip', 'plus+local-1.0+x.y-py3-none-any.whl', 'sp ace-1.0.tar.gz', 'ünï-1.0.tar.gz'];
const base = 'file:///tmp/staged%20index/proj/';

describe('projectPageHtml', () => {
  const body = new TextEncoder().encode(projectPageHtml(filenames.map((f) => ({ href: `../files/${quote(f)}?k=1&amp=2#sha256=${'ab'.repeat(32)}`, text: f }))));
  const input = { body, contentType: 'text/html', url: base };
  const expected = filenames.map((f) => ({ url: new URL(`../files/${quote(f)}?k=1&amp=2#sha256=${'ab'.repeat(32)}`, base).href, filename: f, sha256: 'ab'.repeat(32) }));

  it('links every file by its own name, as pip reads the page', () => {
    const out = execFileSync('python3', [oracle], { input: JSON.stringify([{ ...input, body: Buffer.from(body).toString('base64') }]), env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const [result] = JSON.parse(out.toString('utf8')) as { links: { url: string; filename: string; hashes: Record<string, string> }[] }[];
    expect(result!.links.map((l) => ({ url: l.url, filename: l.filename, sha256: l.hashes.sha256 }))).toEqual(expected);
  });

  it('links every file by its own name, as safe-pip reads the page', () => {
    expect(parseProjectPage(input).files.map((f) => ({ url: f.url, filename: f.filename, sha256: f.hashes.sha256 }))).toEqual(expected);
  });
});
