// What the setup commands get from main.ts: the environment and two text sinks. process.stdout
// and process.stderr fit; tests pass collectors.
import { fileURLToPath } from 'node:url';

export interface TextSink {
  write(text: string): unknown;
}

export interface CommandIo {
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
}

/** Where the launchers are; a test may point the generated code at stand-in launchers. */
export interface SetupContext {
  launcherDir?: string;
}

/** The package's bin/ directory (this file is src/setup/*.ts, built to dist/setup/*.js). */
export function packageLauncherDir(): string {
  return fileURLToPath(new URL('../../bin', import.meta.url));
}
