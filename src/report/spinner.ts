// Progress on an interactive terminal (DESIGN.md "Output"): an ora spinner with one line of text
// on stderr, only when stderr is a TTY, `CI` is unset and TERM is not `dumb` (ora's own
// is-interactive rule, applied to the environment safe-pip was given); never in pipes or CI.
// NO_COLOR turns the spinner's colour off (ora colours nothing else).
//
// While it spins, every other line goes through `line()`, which clears the spinner, writes the
// line and draws the spinner again, so a warning never lands in the middle of a frame. `stop()`
// clears it for good (idempotent); callers stop it before their summary and in a `finally`.
// SIGINT/SIGTERM/SIGHUP while spinning also stop it (line cleared, cursor shown) and then end the
// process by the same signal, as file-download.ts does for its partial files.
// A terminal that reports 0 columns (a pty nobody sized: `script` without a terminal, some
// `docker exec -t`) would make ora divide by zero and loop for ever clearing lines; the stream ora
// sees reports 80 columns then.
// Not done: ora's stdin discarding (raw mode would turn Ctrl+C into an emulated signal and keep
// stdin open); keys typed while it spins may therefore echo onto its line.
import type { Ora } from 'ora';

export interface Progress {
  /** Whether a spinner is being drawn (false on a pipe, in CI, with TERM=dumb, or when silent). */
  readonly active: boolean;
  /** Replaces the spinner's text and draws it at once. Nothing happens when not active. */
  update(text: string): void;
  /** Writes `text` and a newline to stderr, with the spinner cleared first and redrawn after. */
  line(text: string): void;
  /** Clears the spinner for good. Safe to call more than once. */
  stop(): void;
}

export interface ProgressOptions {
  env: NodeJS.ProcessEnv;
  /** No spinner whatever the terminal (`--json`, `-q`, `explain`). */
  silent?: boolean;
  /** Default process.stderr. */
  stream?: NodeJS.WriteStream;
}

const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Whether a spinner may be drawn on `stream` in this environment. */
export function progressAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.CI === undefined && env.TERM !== 'dumb';
}

/** `stream` as ora should see it: never 0 columns wide. */
function withColumns(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'columns') return target.columns > 0 ? target.columns : 80;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A Progress that draws nothing: lines go to the stream, those of one turn of the event loop in
 * one write, at the end of that turn (setImmediate), or at stop() or exit if sooner. stderr on a
 * pipe or a file is written synchronously, and a fetch says a line per file: on a pipe, one write
 * each was ~0.2 ms of a cold fetch per file (jupyter's 97: 3% of the run, -q vs not).
 */
export function plainProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  let pending = '';
  let scheduled: NodeJS.Immediate | null = null;
  const flush = (): void => {
    if (scheduled !== null) clearImmediate(scheduled);
    scheduled = null;
    process.off('exit', flush);
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  const line = (text: string): void => {
    pending += `${text}\n`;
    if (scheduled !== null) return;
    scheduled = setImmediate(flush);
    process.once('exit', flush);
  };
  return { active: false, update: () => undefined, line, stop: flush };
}

/** Starts a spinner with `text` when the terminal allows one; otherwise a plain Progress. */
export async function startProgress(text: string, options: ProgressOptions): Promise<Progress> {
  const stream = options.stream ?? process.stderr;
  if (options.silent === true || !progressAllowed(stream, options.env)) return plainProgress(stream);
  const { default: ora } = await import('ora');
  const spinner: Ora = ora({
    text,
    stream: withColumns(stream),
    isEnabled: true,
    discardStdin: false,
    color: options.env.NO_COLOR === undefined || options.env.NO_COLOR === '' ? 'cyan' : false,
  });
  let spinning = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    stop();
    process.kill(process.pid, signal);
  };
  const stop = (): void => {
    if (!spinning) return;
    spinning = false;
    for (const s of INTERRUPT_SIGNALS) process.off(s, onSignal);
    spinner.stop();
  };
  for (const s of INTERRUPT_SIGNALS) process.on(s, onSignal);
  spinner.start();
  return {
    get active() {
      return spinning;
    },
    update: (next) => {
      if (!spinning) return;
      spinner.text = next;
      spinner.render();
    },
    line: (next) => {
      if (!spinning) {
        stream.write(`${next}\n`);
        return;
      }
      spinner.clear();
      stream.write(`${next}\n`);
      spinner.render();
    },
    stop,
  };
}
