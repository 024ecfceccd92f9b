// Linux platform tags: PEP 600 manylinux (with the PEP 513/571/599 legacy aliases), PEP 656
// musllinux and the native linux_<arch>, as packaging's `_linux_platforms`, `_manylinux.platform_tags`
// and `_musllinux.platform_tags` produce them:
// https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/#manylinux
//
// Supported: glibc versions down to the 2.5 (x86_64/i686) or 2.17 floor, a hypothetical glibc 3.x
// (2.x listed down from 2.50), the legacy alias placed right after its glibc equivalent, 32-bit
// interpreters on 64-bit kernels, the order change of packaging 26.3 (linux_ first).
// Not modelled: the `_manylinux` module veto (a distro's manylinux_compatible()) and the ELF
// hard-float / i686 header checks for armv7l and i686, which are assumed to pass.
import type { TagRules } from './pip-packaging-versions.js';

export interface LinuxFacts {
  /** sysconfig.get_platform(), e.g. "linux-x86_64". */
  sysconfigPlatform: string;
  is64bit: boolean;
  /** "2.36" or null when not glibc. */
  glibcVersion: string | null;
  /** "1.2" or null when not musl. */
  muslVersion: string | null;
}

const LEGACY_MANYLINUX = new Map<string, string>([
  ['2.17', 'manylinux2014'],
  ['2.12', 'manylinux2010'],
  ['2.5', 'manylinux1'],
]);
const LAST_GLIBC_MINOR = 50;

function parseMajorMinor(text: string | null): [number, number] | null {
  if (text === null) return null;
  const match = /^([0-9]+)\.([0-9]+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function manylinuxArchAllowed(archs: readonly string[], rules: TagRules): boolean {
  // armv7l and i686 need an ELF check in packaging; assumed compatible (see header).
  if (archs.includes('armv7l') || archs.includes('i686')) return true;
  const allowed = ['x86_64', 'aarch64', 'ppc64', 'ppc64le', 's390x'];
  if (rules.manylinuxNewArches) allowed.push('loongarch64', 'riscv64');
  return archs.some((arch) => allowed.includes(arch));
}

export function manylinuxPlatforms(archs: readonly string[], glibcVersion: string | null, rules: TagRules): string[] {
  const glibc = parseMajorMinor(glibcVersion);
  if (glibc === null || !manylinuxArchAllowed(archs, rules)) return [];
  const floor: [number, number] = archs.some((arch) => arch === 'x86_64' || arch === 'i686') ? [2, 4] : [2, 16];
  const maxima: [number, number][] = [glibc];
  for (let major = glibc[0] - 1; major > 1; major--) maxima.push([major, LAST_GLIBC_MINOR]);
  // packaging 21.3 takes a single arch; ≥ 22 loops over the compatible arches (armv8l, armv7l).
  const out: string[] = [];
  for (const arch of archs) {
    for (const [major, maxMinor] of maxima) {
      const minMinor = major === floor[0] ? floor[1] : -1;
      for (let minor = maxMinor; minor > minMinor; minor--) {
        out.push(`manylinux_${major}_${minor}_${arch}`);
        const legacy = LEGACY_MANYLINUX.get(`${major}.${minor}`);
        if (legacy) out.push(`${legacy}_${arch}`);
      }
    }
  }
  return out;
}

export function musllinuxPlatforms(archs: readonly string[], muslVersion: string | null): string[] {
  const musl = parseMajorMinor(muslVersion);
  if (musl === null) return [];
  const out: string[] = [];
  for (const arch of archs) {
    for (let minor = musl[1]; minor >= 0; minor--) out.push(`musllinux_${musl[0]}_${minor}_${arch}`);
  }
  return out;
}

/** packaging `_linux_platforms()` for the interpreter described by `facts`. */
export function linuxPlatforms(facts: LinuxFacts, rules: TagRules): string[] {
  let linux = facts.sysconfigPlatform.replace(/[.-]/g, '_');
  if (rules.armv8l && !linux.startsWith('linux_')) return [linux];
  if (!facts.is64bit) {
    if (linux === 'linux_x86_64') linux = 'linux_i686';
    else if (linux === 'linux_aarch64') linux = rules.armv8l ? 'linux_armv8l' : 'linux_armv7l';
  }
  const arch = linux.slice(linux.indexOf('_') + 1);
  const archs = rules.armv8l && arch === 'armv8l' ? ['armv8l', 'armv7l'] : [arch];
  const native = archs.map((each) => `linux_${each}`);
  const many = manylinuxPlatforms(archs, facts.glibcVersion, rules);
  const musl = musllinuxPlatforms(archs, facts.muslVersion);
  return rules.linuxFirst ? [...native, ...many, ...musl] : [...many, ...musl, ...native];
}
