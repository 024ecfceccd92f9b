// The line rewriter between pip's stdout and safe-pip's: complete lines are rewritten, text that
// cannot become a rewritten line passes at once (progress drawn with \r), and a line split across
// chunks, even inside a multi-byte character, is rewritten whole.
import { describe, expect, it } from 'vitest';
import { lineRewritingStream, type LineRewrite } from '../../src/io/line-rewriting-stream.js';
import { indexesLine, pinsFileLines, stagedWheelLines } from '../../src/report/hand-off-lines.js';

async function through(chunks: (string | Buffer)[], rules: LineRewrite = { rewrite: (l: string) => (l.startsWith('Processing ') ? `P<${l.slice(11)}>` : l), mayChange: (p: string) => 'Processing '.startsWith(p) || p.startsWith('Processing ') }) {
  const stream = lineRewritingStream(rules);
  const seen: string[] = [];
  stream.on('data', (d: Buffer | string) => seen.push(String(d)));
  const done = new Promise((resolve) => stream.on('end', resolve));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await done;
  return seen;
}

describe('lineRewritingStream', () => {
  it('rewrites complete lines, including one split across chunks', async () => {
    expect((await through(['Saved x\nProce', 'ssing /a/b.whl\nDone\n'])).join('')).toBe('Saved x\nP</a/b.whl>\nDone\n');
  });
  it('passes a partial line that cannot be rewritten without waiting for its newline', async () => {
    const seen = await through(['  50%\r', ' 100%\r', 'Proc']);
    expect(seen.slice(0, 2)).toEqual(['  50%\r', ' 100%\r']);
    expect(seen.join('')).toBe('  50%\r 100%\rProc');
  });
  it('keeps a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('Processing /tmp/é.whl\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect((await through([bytes.subarray(0, cut), bytes.subarray(cut)])).join('')).toBe('P</tmp/é.whl>\n');
  });
  it('drops a line the rules drop, newline and all', async () => {
    expect((await through(['a\nDROP\nb\n'], { rewrite: (l: string) => (l === 'DROP' ? null : l), mayChange: () => false })).join('')).toBe('a\nb\n');
  });
  it('rewrites a last line without a newline', async () => {
    expect((await through(['Processing /x'])).join('')).toBe('P</x>');
  });
});

describe('stagedWheelLines', () => {
  const staged = new Map([['/tmp/safe-pip-run-1/staged-wheels/0/tiny-1.0-py3-none-any.whl', { name: 'tiny', version: '1.0', url: 'https://user:secret@index.example/files/tiny-1.0-py3-none-any.whl' }]]);
  it('turns pip\'s Processing line of a staged wheel into the pin and its origin, credentials redacted', () => {
    const { rewrite } = stagedWheelLines(staged, '/home/u');
    expect(rewrite('Processing /tmp/safe-pip-run-1/staged-wheels/0/tiny-1.0-py3-none-any.whl')).toBe(
      'Collecting tiny==1.0\n  Fetched by safe-pip from https://user:****@index.example/files/tiny-1.0-py3-none-any.whl',
    );
  });
  it('keeps pip\'s note of the requirement\'s origin (the pins file in it is pinsFileLines\' business)', () => {
    const { rewrite } = stagedWheelLines(staged, '/home/u');
    expect(rewrite('Processing /tmp/safe-pip-run-1/staged-wheels/0/tiny-1.0-py3-none-any.whl (from app==2.0)')).toMatch(
      /^Collecting tiny==1\.0 \(from app==2\.0\)\n  Fetched by safe-pip from \S+$/,
    );
  });
  it('takes the private directory out of install\'s Looking in links line, and drops the line when nothing is left', () => {
    const { rewrite } = stagedWheelLines(staged, '/home/u', { given: '/tmp/safe-pip-run-1/staged-wheels', indexesLine: null });
    expect(rewrite('Looking in links: /tmp/safe-pip-run-1/staged-wheels')).toBeNull();
    expect(rewrite('Looking in links: /home/u/wheels, /tmp/safe-pip-run-1/staged-wheels')).toBe('Looking in links: /home/u/wheels');
    expect(rewrite('Looking in links: /home/u/wheels')).toBe('Looking in links: /home/u/wheels');
  });
  it('says where plain pip would look: the user\'s indexes in place of the private directory or index', () => {
    const mirror = indexesLine(['https://user:secret@mirror.example/simple'], false);
    expect(mirror).toBe('Looking in indexes: https://user:****@mirror.example/simple');
    // --no-index behind the private directory: the user's indexes come first, as pip prints them.
    const flat = stagedWheelLines(staged, '/home/u', { given: '/tmp/safe-pip-run-1/staged-wheels', indexesLine: mirror }).rewrite;
    expect(flat('Looking in links: /tmp/safe-pip-run-1/staged-wheels')).toBe(mirror);
    expect(flat('Looking in links: /home/u/wheels, /tmp/safe-pip-run-1/staged-wheels')).toBe(`${mirror}\nLooking in links: /home/u/wheels`);
    // The private index (pip before 24.0) is replaced whole; pip's links line follows on its own.
    const index = stagedWheelLines(staged, '/home/u', { given: 'file:///tmp/safe-pip-run-1/staged-index/', indexesLine: mirror }).rewrite;
    expect(index('Looking in indexes: file:///tmp/safe-pip-run-1/staged-index/')).toBe(mirror);
    expect(index('Looking in links: /home/u/wheels')).toBe('Looking in links: /home/u/wheels');
    expect(index('Looking in indexes: https://other.example/simple')).toBe('Looking in indexes: https://other.example/simple');
    const pypi = stagedWheelLines(staged, '/home/u', { given: 'file:///tmp/safe-pip-run-1/staged-index/', indexesLine: indexesLine(['https://pypi.org/simple'], false) }).rewrite;
    expect(pypi('Looking in indexes: file:///tmp/safe-pip-run-1/staged-index/')).toBeNull();
    expect(indexesLine(['https://mirror.example/simple'], true)).toBeNull();
    expect(indexesLine(['https://pypi.org/simple', 'https://extra.example/simple'], false)).toBe('Looking in indexes: https://pypi.org/simple, https://extra.example/simple');
  });
  it('knows the ./relative form pip shows when the file lies under the working directory', () => {
    const { rewrite } = stagedWheelLines(staged, '/tmp');
    expect(rewrite('Processing ./safe-pip-run-1/staged-wheels/0/tiny-1.0-py3-none-any.whl')).toMatch(/^Collecting tiny==1\.0\n/);
  });
  it('leaves every other line alone, a user\'s own local file included', () => {
    const { rewrite } = stagedWheelLines(staged, '/home/u');
    for (const line of ['Processing ./tiny-1.0-py3-none-any.whl', 'Saved ./D/tiny-1.0-py3-none-any.whl', 'Successfully downloaded tiny', '']) expect(rewrite(line)).toBe(line);
  });
});

describe('a partial line a rule might change', () => {
  it('is passed on unchanged after a short wait when its newline does not come (a prompt)', async () => {
    const stream = lineRewritingStream({ rewrite: () => 'REWRITTEN', mayChange: () => true });
    const seen: string[] = [];
    stream.on('data', (d: Buffer | string) => seen.push(String(d)));
    stream.write('File exists. (i)gnore, (w)ipe, (b)ackup, (a)bort ');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen.join('')).toBe('File exists. (i)gnore, (w)ipe, (b)ackup, (a)bort ');
    stream.end();
  });
});

describe('pinsFileLines', () => {
  const rules = pinsFileLines('/tmp/safe-pip-run-1/safe-pip-pins.txt', ['-r hash.txt (line 3)', null]);
  it('names the user\'s requirements file and line, or nothing for a command-line requirement', () => {
    expect(rules.rewrite('    tiny==1.0 from http://i/tiny.whl (from -r /tmp/safe-pip-run-1/safe-pip-pins.txt (line 1)):')).toBe('    tiny==1.0 from http://i/tiny.whl (from -r hash.txt (line 3)):');
    expect(rules.rewrite('Collecting dep==2.1 (from -r /tmp/safe-pip-run-1/safe-pip-pins.txt (line 2))')).toBe('Collecting dep==2.1');
  });
  it('leaves other lines and other files alone', () => {
    for (const line of ['Collecting x (from -r reqs.txt (line 1))', 'Saved ./D/x.whl']) expect(rules.rewrite(line)).toBe(line);
  });
});
