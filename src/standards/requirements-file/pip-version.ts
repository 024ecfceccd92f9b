// Comparing pip release numbers for feature gates ("24.3.1", "26.3.dev0"): only the numeric release part
// counts, so a development build of a release already has that release's behaviour.

export function pipVersionAtLeast(pipVersion: string, minimum: string): boolean {
  const a = releaseParts(pipVersion);
  const b = releaseParts(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

function releaseParts(version: string): number[] {
  const match = /^\s*v?(\d+(?:\.\d+)*)/.exec(version);
  if (match === null) throw new Error(`Invalid pip version "${version}"`);
  return match[1]!.split('.').map(Number);
}
