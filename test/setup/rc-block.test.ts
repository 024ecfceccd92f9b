import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARKER,
  END_MARKER,
  findBlocks,
  RcBlockError,
  renderBlock,
  withBlock,
  withoutBlocks,
} from '../../src/setup/rc-block.js';

const BODY = 'function pip { echo hi; }\n';
const FILE = '/home/u/.bashrc';

/** What the user might have in an rc file before setup. */
const ORIGINALS: Record<string, string> = {
  empty: '',
  'trailing newline': 'export A=1\nalias ll="ls -l"\n',
  'no trailing newline': 'export A=1\nalias ll="ls -l"',
  'CRLF with trailing CRLF': 'export A=1\r\nalias ll="ls -l"\r\n',
  'CRLF without trailing newline': 'export A=1\r\nalias ll="ls -l"',
  'lone CR at the end': 'export A=1\r',
  'only newlines': '\n\n\n',
  'non-UTF-8 bytes (latin1 view)': 'PS1="\xe9\xff\x00"\n# caf\xc3\xa9\n',
  'mentions safe-pip mid-line': 'echo "# >>> safe-pip >>> is not at the start"\n',
};

describe('withBlock then withoutBlocks restores the original byte for byte', () => {
  for (const [name, original] of Object.entries(ORIGINALS)) {
    it(name, () => {
      const added = withBlock(original, BODY, FILE);
      expect(added.change).toBe('added');
      expect(added.text.startsWith(original)).toBe(true);
      expect(added.text).toContain(BODY);
      expect(findBlocks(added.text, FILE)).toHaveLength(1);
      const again = withBlock(added.text, BODY, FILE);
      expect(again).toEqual({ text: added.text, change: 'unchanged' });
      const removed = withoutBlocks(added.text, FILE);
      expect(removed.removed).toBe(1);
      expect(removed.deleteFile).toBe(false);
      expect(removed.text).toBe(original);
    });
  }

  it('holds for any text without markers (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (original) => {
        fc.pre(!original.includes('# >>> safe-pip') && !original.includes('# <<< safe-pip'));
        const added = withBlock(original, BODY, FILE).text;
        expect(withBlock(added, BODY, FILE).change).toBe('unchanged');
        expect(withoutBlocks(added, FILE).text).toBe(original);
      }),
      { numRuns: 100 },
    );
  });
});

describe('content the user added after the block', () => {
  it('stays, and only the block goes (file ended in a newline)', () => {
    const original = 'export A=1\n';
    const withAfter = `${withBlock(original, BODY, FILE).text}export B=2\n`;
    expect(withoutBlocks(withAfter, FILE).text).toBe('export A=1\nexport B=2\n');
  });

  it('keeps the added newline when something follows the block (it now separates lines)', () => {
    const original = 'export A=1';
    const withAfter = `${withBlock(original, BODY, FILE).text}export B=2\n`;
    expect(withoutBlocks(withAfter, FILE).text).toBe('export A=1\nexport B=2\n');
  });

  it('an update keeps the block where it is and leaves the rest alone', () => {
    const text = `a\n${withBlock('', BODY, FILE).text}b\n`;
    const updated = withBlock(text, 'function pip { echo new; }\n', FILE);
    expect(updated.change).toBe('updated');
    expect(updated.text.startsWith('a\n# >>> safe-pip >>>')).toBe(true);
    expect(updated.text.endsWith(`${END_MARKER}\nb\n`)).toBe(true);
    expect(updated.text).toContain('echo new');
    expect(updated.text).not.toContain('echo hi');
    expect(withoutBlocks(updated.text, FILE).text).toBe('a\nb\n');
  });

  it('an update keeps the flags of the original block', () => {
    const added = withBlock('x', BODY, FILE).text;
    const updated = withBlock(added, 'other\n', FILE).text;
    expect(withoutBlocks(updated, FILE).text).toBe('x');
  });
});

describe('files created by setup', () => {
  it('are marked and deleted again when nothing else is in them', () => {
    const created = withBlock(undefined, BODY, FILE, 2).text;
    expect(created.split('\n')[0]).toContain('[file-created] [dirs-created=2]');
    expect(withoutBlocks(created, FILE)).toEqual({ text: '', removed: 1, deleteFile: true, createdDirs: 2 });
  });

  it('are kept when the user has written to them since', () => {
    const created = `${withBlock(undefined, BODY, FILE).text}alias x=y\n`;
    expect(withoutBlocks(created, FILE)).toMatchObject({ text: 'alias x=y\n', deleteFile: false });
  });
});

describe('markers', () => {
  it('a block whose marker lines an editor turned into CRLF is still found and removed', () => {
    const added = withBlock('a\n', BODY, FILE).text.replace(/\n/g, '\r\n').replace(/^a\r\n/, 'a\n');
    expect(withoutBlocks(added, FILE).text).toBe('a\n');
  });

  it('duplicated blocks become one on setup and all go on teardown', () => {
    const block = renderBlock(BODY, []);
    const text = `a\n${block}b\n${block}c\n`;
    const once = withBlock(text, BODY, FILE);
    expect(findBlocks(once.text, FILE)).toHaveLength(1);
    expect(once.text).toBe(`a\n${block}b\nc\n`);
    expect(withoutBlocks(text, FILE)).toMatchObject({ text: 'a\nb\nc\n', removed: 2 });
  });

  it('a begin line without an end line is an error naming the file and line, and nothing changes', () => {
    const text = `one\n${BEGIN_MARKER} something\nfunction pip { :; }\n`;
    expect(() => withoutBlocks(text, FILE)).toThrow(RcBlockError);
    expect(() => withBlock(text, BODY, FILE)).toThrow(
      `The safe-pip block in "${FILE}" is damaged: line 2 "${BEGIN_MARKER} something" has no "${END_MARKER}" line after it`,
    );
  });

  it('an end line without a begin line is an error', () => {
    expect(() => findBlocks(`x\n${END_MARKER}\n`, FILE)).toThrow('line 2 "# <<< safe-pip <<<" ends a block that never began');
  });

  it('a second begin line inside a block is an error', () => {
    expect(() => findBlocks(`${BEGIN_MARKER}\n${BEGIN_MARKER}\n${END_MARKER}\n`, FILE)).toThrow(
      'starts a new block before the one on line 1 ended',
    );
  });

  it('the begin line says how to remove the block', () => {
    const first = renderBlock(BODY, []).split('\n')[0];
    expect(first).toBe(
      '# >>> safe-pip >>> added by "safe-pip setup"; "safe-pip teardown" removes it (or delete everything down to the "# <<< safe-pip <<<" line)',
    );
  });
});
