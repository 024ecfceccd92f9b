// What every safe-pip subcommand is given: the environment (from which the launcher's hand-off
// has already been removed, so it is what the real pip should see) and the launcher's answer to
// "which real pip" (see src/io/real-pip.ts).
export interface CliContext {
  env: NodeJS.ProcessEnv;
  /** The real pip found by the sh launcher; '' when it found none; undefined without a launcher. */
  realPipHandOff: string | undefined;
}
