// Which `packaging` each pip release vendors (pip's src/pip/_vendor/vendor.txt), and the tag-generation
// rules that follow from it. pip builds its tag list with packaging.tags (cpython_tags, generic_tags,
// compatible_tags, platform_tags), so the list a given pip produces changes when its vendored
// packaging changes: https://github.com/pypa/packaging/blob/main/src/packaging/tags.py
//
// Sources and confidence (see the `verified` flag of each row):
// - 22.0–24.0 → 21.3: verified on this machine for pip 23.0.1 and 23.2.1 (`pip._vendor.packaging`),
//   and pip's NEWS for 24.1b1/24.1b2 ("Upgrade packaging to 24.0", then "to 24.1").
// - 24.1 → 24.1: pip NEWS (24.1b2).
// - later rows: from memory of pip's NEWS and the reference (§0: pip main vendors 26.3; §7.1: pip
//   26.2.1 still puts linux_* last). NOT verified against vendor.txt: the search index only holds
//   pip's vendor.txt from 2018/2021. The rules that matter are pinned by behaviour, not by row:
//   packaging 21.3 (pip ≤ 24.0) and packaging ≥ 26.3 (pip ≥ 26.3) are the two verified ends.

/** One pip release line and the packaging it vendors; applies from `pip` up to the next row. */
export interface VendoredPackaging {
  pip: string;
  packaging: string;
  verified: boolean;
}

export const VENDORED_PACKAGING: readonly VendoredPackaging[] = [
  { pip: '22.0', packaging: '21.3', verified: true },
  { pip: '24.1', packaging: '24.1', verified: true },
  { pip: '25.0', packaging: '24.2', verified: false },
  { pip: '25.1', packaging: '25.0', verified: false },
  { pip: '26.0', packaging: '26.0', verified: false },
  { pip: '26.1', packaging: '26.1', verified: false },
  { pip: '26.2', packaging: '26.2', verified: false },
  { pip: '26.3', packaging: '26.3', verified: true },
];

/** The behaviours of packaging.tags (and pip's own --platform expansion) that differ by version. */
export interface TagRules {
  packaging: string;
  /** packaging 21.3 takes the generic ABI from SOABI (`cpython_311_x86_64_linux_gnu`); 22+ parses EXT_SUFFIX (`cp311`). */
  genericAbiFrom: 'SOABI' | 'EXT_SUFFIX';
  /** packaging ≥ 24.0: `t` ABI flag for free-threaded 3.13+, and no abi3 for a free-threaded ABI. */
  freeThreading: boolean;
  /** packaging ≥ 26.1: free-threaded ABIs get the `abi3t` stable ABI. */
  abi3t: boolean;
  /** packaging ≥ 26.3: native `linux_<arch>` is ordered before manylinux/musllinux. */
  linuxFirst: boolean;
  /** packaging ≥ 22: a 32-bit interpreter on aarch64 is `armv8l` (also accepting `armv7l`), not `armv7l`. */
  armv8l: boolean;
  /** packaging ≥ 22: manylinux also for loongarch64 and riscv64. */
  manylinuxNewArches: boolean;
  /** pip expands `--platform ios_<maj>_<min>_<multiarch>` (needs packaging ≥ 24.2's ios_platforms). */
  iosPlatformOption: boolean;
  /** pip expands `--platform android_<api>_<abi>` (packaging ≥ 25.0's android_platforms). Unverified. */
  androidPlatformOption: boolean;
}

export function parseReleaseNumbers(version: string): number[] {
  const match = /^\s*v?(\d+(?:\.\d+)*)/.exec(version);
  if (!match?.[1]) return [0];
  return match[1].split('.').map(Number);
}

export function compareReleases(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

/** The packaging version vendored by `pipVersion` (e.g. "23.2.1" → "21.3"; older pips map to the first row). */
export function vendoredPackagingFor(pipVersion: string): VendoredPackaging {
  const pip = parseReleaseNumbers(pipVersion);
  let found = VENDORED_PACKAGING[0]!;
  for (const row of VENDORED_PACKAGING) {
    if (compareReleases(pip, parseReleaseNumbers(row.pip)) >= 0) found = row;
  }
  return found;
}

export function tagRulesForPackaging(packagingVersion: string): TagRules {
  const packaging = parseReleaseNumbers(packagingVersion);
  const atLeast = (version: string): boolean => compareReleases(packaging, parseReleaseNumbers(version)) >= 0;
  return {
    packaging: packagingVersion,
    genericAbiFrom: atLeast('22') ? 'EXT_SUFFIX' : 'SOABI',
    freeThreading: atLeast('24'),
    abi3t: atLeast('26.1'),
    linuxFirst: atLeast('26.3'),
    armv8l: atLeast('22'),
    manylinuxNewArches: atLeast('22'),
    iosPlatformOption: atLeast('24.2'),
    androidPlatformOption: atLeast('26.0'),
  };
}

export function tagRulesForPip(pipVersion: string): TagRules {
  return tagRulesForPackaging(vendoredPackagingFor(pipVersion).packaging);
}
