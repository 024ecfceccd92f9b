// The requirements-file corpus compared against pip's own parser. Each case is a small directory tree;
// `{{DIR}}` in a file or the root is replaced by the case's directory, `{{HTTP}}` by the loopback URL the
// test serves that directory at.
import { Buffer } from 'node:buffer';

export interface ReqFileCase {
  name: string;
  files: Record<string, string | Uint8Array>;
  /** The location given to pip (relative to the case directory, or absolute/URL via placeholders). */
  root: string;
  constraint?: boolean;
  env?: Record<string, string>;
  /** Empty directories to create. */
  dirs?: string[];
}

const one = (name: string, text: string | Uint8Array, extra: Partial<ReqFileCase> = {}): ReqFileCase => ({
  name,
  files: { 'requirements.txt': text, ...(extra.files ?? {}) },
  root: extra.root ?? 'requirements.txt',
  ...(extra.constraint === undefined ? {} : { constraint: extra.constraint }),
  ...(extra.env === undefined ? {} : { env: extra.env }),
  ...(extra.dirs === undefined ? {} : { dirs: extra.dirs }),
});

const bytes = (...parts: Array<string | number[] | Uint8Array>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

function utf32(text: string, littleEndian: boolean): Uint8Array {
  const cps = [...text].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (littleEndian ? out.writeUInt32LE(cp, i * 4) : out.writeUInt32BE(cp, i * 4)));
  return out;
}

const other = { 'other.txt': 'bar==2\n' };

export const REQFILE_CASES: ReqFileCase[] = [
  // plain requirement lines and comments
  one('single name', 'foo\n'),
  one('two pins', 'foo==1.0\nbar>=2\n'),
  one('surrounding whitespace and blank lines', '  foo  \n\n\n  bar\n'),
  one('comment only', '# comment only\n'),
  one('trailing comment', 'foo # trailing comment\n'),
  one('hash sign without space is kept', 'foo#not-comment\n'),
  one('url fragment kept', 'https://example.com/pkg-1.0.tar.gz#sha256=abc\n'),
  one('url then comment', 'https://example.com/pkg-1.0.tar.gz #comment\n'),
  one('tab before comment', 'foo\t# tab comment\n'),
  one('comments around', '#comment\nfoo\n#another\n'),
  one('empty file', ''),
  one('whitespace only', '   \n\t\n'),
  one('no trailing newline', 'foo\nbar'),
  // continuations
  one('continuation joins', 'foo \\\n==1.0\n'),
  one('continuation chain', 'foo\\\n\\\nbar\n'),
  one('comment ends continuation', 'foo \\\n# comment\nbar\n'),
  one('comment line not continued', '# comment \\\nfoo\n'),
  one('backslash on last line', 'foo \\'),
  one('leading backslashes stripped in joined line', '\\\\foo\\\nbar\n'),
  one('double backslash at end', 'foo\\\\\nbar\n'),
  one('continued nested -r', '-r \\\nother.txt\n', { files: other }),
  one('continued hashes', 'foo \\\n  --hash=sha256:abc \\\n  --hash=sha256:def\n'),
  one('continuation with crlf', 'foo \\\r\n==1\r\n'),
  one('indented comment ends continuation', 'foo \\\n   # note\nbar\n'),
  one('continuation into blank line', 'foo \\\n\nbar\n'),
  // line endings
  one('crlf', 'foo\r\nbar\r\n'),
  one('cr only', 'foo\rbar\r'),
  one('every splitlines boundary', 'a1\x0ba2\x0ca3\x1ca4\x1da5\x1ea6\u0085a7\u2028a8\u2029a9\n'),
  one('mixed empty lines', 'foo\n\n\r\n\r\rbar'),
  one('unit separator is not a line break', 'foo\x1fbar\n'),
  // environment variables
  one('var expands', '${RF_A}\n', { env: { RF_A: 'foo' } }),
  one('unset var kept', '${RF_UNSET}\n'),
  one('empty var kept', '${RF_EMPTY}\n', { env: { RF_EMPTY: '' } }),
  one('dollar without braces kept', '$RF_A\n', { env: { RF_A: 'foo' } }),
  one('var in version', 'foo==${RF_V}\n', { env: { RF_V: '1.0' } }),
  one('lowercase var not expanded', '${rf_lower}\n', { env: { rf_lower: 'foo' } }),
  one('var in index url', '-i ${RF_URL}/simple\n', { env: { RF_URL: 'https://x.example' } }),
  one('two vars', '${RF_A}${RF_B}\n', { env: { RF_A: 'foo', RF_B: 'bar' } }),
  one('var value containing another var', '${RF_CHAIN} ${RF_B}\n', { env: { RF_CHAIN: '${RF_B}', RF_B: 'bar' } }),
  one('hash inside var value is not a comment', 'foo ${RF_HASH}\n', { env: { RF_HASH: '#x' } }),
  one('var in nested path', '-r ${RF_FILE}\n', { env: { RF_FILE: 'other.txt' }, files: other }),
  one('var in comment', 'foo # ${RF_A}\n', { env: { RF_A: 'bar' } }),
  one('var with option text', 'foo ${RF_OPT}\n', { env: { RF_OPT: '--hash=sha256:abc' } }),
  // option lines
  one('index url short', '-i https://a.example/simple\n'),
  one('index url equals', '--index-url=https://a.example/simple\n'),
  one('pypi-url alias', '--pypi-url https://a.example/simple\n'),
  one('index url abbreviation', '--index https://a.example/simple\n'),
  one('extra index urls', '--extra-index-url https://b.example/simple\n--extra-index-url=https://c.example/simple\n'),
  one('no-index then indexes', '--no-index\n-i https://a.example\n--extra-index-url https://b.example\n'),
  one('index then no-index', '-i https://a.example\n--no-index\n'),
  one('find-links relative existing', '-f ./links\n', { dirs: ['links'] }),
  one('find-links relative missing', '-f links\n'),
  one('find-links url', '-f https://x.example/links\n'),
  one('only first find-links', '--find-links=a --find-links=b\n', { dirs: ['a', 'b'] }),
  one('find-links next to a nested file', 'x\n', {
    root: 'sub/req.txt',
    files: { 'sub/req.txt': '-f wheels\n-f missing\n' },
    dirs: ['sub/wheels'],
  }),
  one('no-binary all', '--no-binary :all:\n'),
  one('only-binary all', '--only-binary :all:\n'),
  one('format control names', '--no-binary foo,Bar_Baz\n--only-binary bar-baz\n'),
  one('format control all then none', '--no-binary :all: --only-binary :none:\n'),
  one('format control all none name', '--only-binary=:all:,:none:,foo\n'),
  one('format control dash argument', '--no-binary -x\n'),
  one('prefer-binary', '--prefer-binary\n'),
  one('require-hashes', '--require-hashes\n'),
  one('pre', '--pre\n'),
  one('trusted hosts', '--trusted-host example.com\n--trusted-host host.example:8080\n'),
  one('use-feature', '--use-feature fast-deps\n'),
  one('use-feature bad choice', '--use-feature bogus\n'),
  one('use-feature on a requirement line leaks to later option lines', 'foo --use-feature fast-deps\n--pre\n'),
  one('use-feature on a requirement line alone', 'foo --use-feature truststore\n'),
  one('only-binary abbreviation', '--only-bin :all:\n'),
  one('no-binary abbreviation', '--no-b :all:\n'),
  one('ambiguous --no', '--no :all:\n'),
  one('ambiguous --pr', '--pr\n'),
  one('unknown --no-deps', '--no-deps\n'),
  one('missing value after abbreviation', '--extra-index\n'),
  one('missing value -i', '-i\n'),
  one('flag with value', '--pre=yes\n'),
  one('unknown short option', '-Z\n'),
  one('several options on one line', '--pre --prefer-binary -i https://a.example --trusted-host h.example\n'),
  one('index url last wins', '-i https://a.example -i https://b.example\n'),
  one('quoted option value', "--index-url 'https://a.example/simple'\n"),
  one('unterminated quote', '--index-url "unterminated\n'),
  one('hash on option line', '--hash=sha256:abc\n'),
  one('weak hash on option line', '--hash=md5:abc foo\n'),
  one('weak hash on requirement', 'foo --hash=md5:abc\n'),
  one('hash without algorithm', 'foo --hash=sha256\n'),
  one('several hashes', 'foo --hash sha256:abc --hash=sha512:def --hash=sha256:ghi\n'),
  one('hash abbreviation', 'foo --ha=sha256:abc\n'),
  one('config settings', 'foo -C a=b -C a=c --config-settings x=y\n'),
  one('config settings without equals', 'foo -C ab\n'),
  one('global option', 'foo --global-option=--x\n'),
  one('install option', 'foo --install-option=x\n'),
  one('options ignored on requirement line', 'foo --pre -i https://ignored.example\n'),
  one('no-binary on a requirement line', 'foo --no-binary :all:\n'),
  one('marker with quotes', "foo; python_version < '3' --hash=sha256:a\n"),
  one('marker double quotes', 'foo ; python_version<"3"\n'),
  one('double space before option', 'foo  --hash=sha256:abc\n'),
  one('double dash', 'foo -- bar\n'),
  one('lone dash', 'foo - bar\n'),
  one('tab is not a separator', 'foo\t--hash=sha256:abc\n'),
  one('option with comment', '-i https://a.example/simple # comment\n'),
  one('trusted host forms', '--trusted-host=h1.example --trusted-host h2.example\n'),
  one('combined flags', '--prefer-binary --pre --require-hashes --use-feature=truststore\n'),
  one('pinned with continued hashes', 'foo==1 \\\n --hash=sha256:aaa \\\n --hash=sha256:bbb\n'),
  one('no-index with find-links', '--no-index --find-links=./links\n', { dirs: ['links'] }),
  one('no-binary equals', '--no-binary=:all:\n'),
  one('only-binary none', '--only-binary=:none:\n'),
  one('use-feature equals', '--use-feature=no-binary-enable-wheel-cache\n'),
  one('extra index abbreviation with equals', '--extra=https://b.example\n'),
  one('short cluster with value', '-ihttps://a.example/simple\n'),
  one('short -i with equals keeps it', '-i=https://a.example\n'),
  // whitespace and comment edge cases
  one('nbsp stripped', '\u00a0foo\u00a0\n'),
  one('ideographic space before comment', 'foo\u3000#comment\n'),
  one('unit separator before comment', 'foo\x1f#c\n'),
  one('bom character is not whitespace', 'foo\ufeff#c\n'),
  one('path with extras', './local/path[extra]\n'),
  // editables
  one('editable path', '-e ./local\n'),
  one('editable with config settings', '-e git+https://x.example/y#egg=y -C a=b\n'),
  one('editable long equals', '--editable=git+https://x.example/y\n'),
  one('two editables on a line', '-e a -e b\n'),
  one('requirement wins over editable', 'foo -e bar\n'),
  one('editable without value', '-e\n'),
  one('editable with extras', '-e .[dev]\n'),
  one('editable long form', '--editable ./x\n'),
  // nested files
  one('nested -r without value', '-r\n'),
  one('constraints file', '-c constraints.txt\n', { files: { 'constraints.txt': 'foo<2\n' } }),
  one('-r wins over -c (r first)', '-r other.txt -c c.txt\n', { files: { ...other, 'c.txt': 'c\n' } }),
  one('-r wins over -c (c first)', '-c c.txt -r other.txt\n', { files: { ...other, 'c.txt': 'c\n' } }),
  one('only first -r', '-r a.txt -r b.txt\n', { files: { 'a.txt': 'a\n', 'b.txt': 'b\n' } }),
  one('missing nested file', '-r missing.txt\n'),
  one('missing root file', 'unused\n', { root: 'nope.txt' }),
  one('nested relative chain', '-r sub/other.txt\n', {
    files: { 'sub/other.txt': '-r ../third.txt\nmid\n', 'third.txt': 'baz\n' },
  }),
  one('nested with dot-dot', '-r ./sub/../other.txt\n', { files: other, dirs: ['sub'] }),
  one('nested absolute', '-r {{DIR}}/other.txt\n', { files: other }),
  one('nested file url', '-r file://{{DIR}}/sub/other.txt\n', {
    files: { 'sub/other.txt': 'a\n-r third.txt\n', 'sub/third.txt': 'b\n' },
  }),
  one('self recursion', '-r requirements.txt\n'),
  one('two-file recursion', '-r b.txt\n', { files: { 'b.txt': 'x\n-r requirements.txt\n' } }),
  one('recursion with other spelling', 'a\n-r ./sub/../requirements.txt\n', { dirs: ['sub'] }),
  one('recursion through -c', '-c c.txt\n', { files: { 'c.txt': '-r requirements.txt\n' } }),
  one('diamond is allowed', '-r b.txt\n-r c.txt\n', {
    files: { 'b.txt': 'b\n-r d.txt\n', 'c.txt': 'c\n-r d.txt\n', 'd.txt': 'd\n' },
  }),
  one('same file twice', '-r other.txt\n-r other.txt\n', { files: other }),
  one('constraint root with -r inside', '-r inner.txt\nfoo<3\n', { constraint: true, files: { 'inner.txt': 'bar\n' } }),
  one('constraint root with editable', '-e ./x\n', { constraint: true }),
  one('format control on nested line', '-r other.txt --no-binary :all:\n', { files: other }),
  one('index url on nested line is ignored', '-r other.txt --index-url https://ignored.example\n', { files: other }),
  one('requirement long form', '--requirement=other.txt\n', { files: other }),
  one('requirement attached short', '-rother.txt\n', { files: other }),
  one('requirement short equals', '-r=other.txt\n', { files: other }),
  one('nested in constraints with -r', '-c sub/c.txt\n', { files: { 'sub/c.txt': 'c1\n-r r.txt\n', 'sub/r.txt': 'r1\n' } }),
  one('root in subdirectory', 'x\n', { root: 'sub/req.txt', files: { 'sub/req.txt': '-r other.txt\n', 'sub/other.txt': 'o\n' } }),
  one('nested up a directory', 'x\n', { root: 'sub/req.txt', files: { 'sub/req.txt': '-r ../up.txt\n', 'up.txt': 'u\n' } }),
  one('constraint with hash', '--constraint=c.txt\n', { files: { 'c.txt': 'foo>1 --hash=sha256:x\n' } }),
  one('constraint with editable inside', '-c c.txt\n', { files: { 'c.txt': '-e ./x\n' } }),
  one('nested then requirements order', 'foo\n-r other.txt\nbaz\n', { files: other }),
  one('nested with trailing comment', '-r other.txt # comment\n', { files: other }),
  one('long constraint option', '--constraint c.txt\n', { files: { 'c.txt': 'c\n' } }),
  one('nested directory is unreadable', '-r sub\n', { dirs: ['sub'] }),
  one('root as absolute path', 'foo\n', { root: '{{DIR}}/requirements.txt' }),
  one('root as file url', '-r other.txt\nfoo\n', { root: 'file://{{DIR}}/requirements.txt', files: other }),
  // encodings
  one('utf-8 bom', bytes([0xef, 0xbb, 0xbf], 'foo\n')),
  one('utf-16 le bom', bytes([0xff, 0xfe], Buffer.from('foo\n-i https://a.example\n', 'utf16le'))),
  one('utf-16 be bom', bytes([0xfe, 0xff], utf16be('foo\nbar\n'))),
  one('utf-32 le bom', bytes([0xff, 0xfe, 0x00, 0x00], utf32('foo\n', true))),
  one('utf-32 be bom', bytes([0x00, 0x00, 0xfe, 0xff], utf32('foo\nbar\n', false))),
  one('utf-16 le bom twice', bytes([0xff, 0xfe, 0xff, 0xfe], Buffer.from('foo\n', 'utf16le'))),
  one('pep 263 latin-1 first line', bytes('# -*- coding: latin-1 -*-\nfoo # caf\xe9\n')),
  one('pep 263 on second line', bytes('foo\n# coding: latin-1\nbar\xe9\n')),
  one('pep 263 on third line is ignored', bytes('\n\n# coding: latin-1\nfoo\xe9\n')),
  one('pep 263 needs # first', bytes(' # coding: latin-1\nfoo\n')),
  one('vim fileencoding', bytes('# vim: set fileencoding=utf-8 :\nfoo\n')),
  one('unknown coding', bytes('# coding: bogus-enc\nfoo\n')),
  one('invalid utf-8 without coding', bytes('foo \xe9\n')),
  one('utf-8 comment', 'foo # caf\u00e9\n'),
  one('cp1252 coding', bytes('# coding: cp1252\nfoo # \x80\n')),
  one('ascii coding with non-ascii', bytes('# coding: ascii\nfoo \xe9\n')),
  one('latin-1 non-ascii requirement', bytes('#coding=latin-1\nfoo\xa0\n')),
  one('coding line with crlf', bytes('# coding: latin-1\r\nfoo\xe9\r\n')),
  one('utf-8 coding comment', bytes('# coding: utf-8\nfoo\n')),
];

/** Cases that need the loopback HTTP server (`{{HTTP}}` is the case directory's URL). */
export const HTTP_CASES: ReqFileCase[] = [
  one('local root includes remote', '-r {{HTTP}}/remote.txt\nlocal\n', {
    files: { 'remote.txt': 'foo\n-r nested.txt\n', 'nested.txt': 'bar\n-r ../up.txt\n', 'up.txt': 'up\n' },
  }),
  one('remote root', 'unused\n', { root: '{{HTTP}}/remote.txt', files: { 'remote.txt': 'a\n-c sub/c.txt\n', 'sub/c.txt': 'c<2\n' } }),
  one('remote find-links', 'unused\n', { root: '{{HTTP}}/remote.txt', files: { 'remote.txt': '-f wheels\n-i https://a.example\n' } }),
  one('remote missing', '-r {{HTTP}}/missing.txt\n'),
  one('remote latin-1 without charset', 'unused\n', { root: '{{HTTP}}/remote.txt', files: { 'remote.txt': bytes('foo # \xe9\nbar\n') } }),
  one('remote recursion', 'unused\n', { root: '{{HTTP}}/remote.txt', files: { 'remote.txt': 'a\n-r remote.txt\n' } }),
];
