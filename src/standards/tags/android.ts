// Android platform tags (PEP 738), as packaging's `android_platforms(api_level, abi)` (≥ 25.0)
// produces them: https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/#android
// API levels from the given one down to 16, the ABI with '-' and '.' turned into '_'.

const MIN_API_LEVEL = 16;

export function androidPlatforms(apiLevel: number, abi: string): string[] {
  const normalized = abi.replace(/[.\- ]/g, '_');
  const out: string[] = [];
  for (let level = apiLevel; level >= MIN_API_LEVEL; level--) out.push(`android_${level}_${normalized}`);
  return out;
}
