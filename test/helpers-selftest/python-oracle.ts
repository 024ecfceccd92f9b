// Runs a Python script once with JSON on stdin and parses the JSON it prints: the self-tests
// batch many checks into one interpreter start.
import { runCommand } from '../helpers/run-cli.js';

export async function pythonJson<T>(script: string, input: unknown, python = 'python3'): Promise<T> {
  const result = await runCommand(python, ['-c', script], { input: JSON.stringify(input) });
  if (result.exitCode !== 0) throw new Error(`python failed (${result.exitCode}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
