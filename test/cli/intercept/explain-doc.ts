// The stable part of `safe-pip explain --json` (DESIGN.md "explain --json"), as the tests read it.
export interface ExplainDoc {
  command: string;
  actions: string[];
  pipArgs: string[] | null;
  refused: boolean;
  targets: { requirement: string; kind: string; action: string; reason: string }[];
  packages: { name: string; version: string; filename: string; kind: string; via: string; requiredBy: string[]; dependencies: string[] | 'unknown' }[];
}
