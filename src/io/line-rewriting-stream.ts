// A Transform that hands each complete line of a child's output to `rewrite`. Text without its
// newline yet is passed on at once when `mayChange` says no rule could apply to it, and otherwise
// after a short wait at most, so that a prompt (which ends without a newline) or a progress line
// drawn with carriage returns still appears when the child writes it.
import { Transform } from 'node:stream';

export interface LineRewrite {
  /** The line (without its `\n`) as it should appear, or null to drop it; may contain newlines of its own. */
  rewrite(line: string): string | null;
  /** Whether this start of a line, its newline not seen yet, could be one `rewrite` changes. */
  mayChange(partial: string): boolean;
}

/** How long a partial line that a rule might change waits for the rest of it. */
const PARTIAL_LINE_WAIT_MS = 50;

export function lineRewritingStream(rules: LineRewrite): Transform {
  let pending = '';
  let timer: NodeJS.Timeout | null = null;
  const decoder = new TextDecoder('utf-8');
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending += decoder.decode(chunk, { stream: true });
      let out = '';
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = rules.rewrite(pending.slice(0, newline));
        if (line !== null) out += `${line}\n`;
        pending = pending.slice(newline + 1);
      }
      if (pending !== '' && !rules.mayChange(pending)) {
        out += pending;
        pending = '';
      }
      if (pending !== '') {
        timer = setTimeout(() => {
          timer = null;
          stream.push(pending);
          pending = '';
        }, PARTIAL_LINE_WAIT_MS);
      }
      callback(null, out);
    },
    flush(callback) {
      if (timer !== null) clearTimeout(timer);
      pending += decoder.decode();
      callback(null, pending === '' ? '' : (rules.rewrite(pending) ?? ''));
    },
  });
  return stream;
}

/** Rules applied one after the other; null when there are none. */
export function combinedRules(rules: readonly (LineRewrite | null)[]): LineRewrite | null {
  const present = rules.filter((rule): rule is LineRewrite => rule !== null);
  if (present.length <= 1) return present[0] ?? null;
  return {
    rewrite: (line) =>
      present.reduce<string | null>((text, rule) => {
        if (text === null) return null;
        const parts = text.split('\n').map((part) => rule.rewrite(part)).filter((part): part is string => part !== null);
        return parts.length === 0 ? null : parts.join('\n');
      }, line),
    mayChange: (partial) => present.some((rule) => rule.mayChange(partial)),
  };
}
