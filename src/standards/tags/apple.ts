// macOS and iOS platform tags, as packaging's `mac_platforms(version, arch)` and
// `ios_platforms(version, multiarch)` produce them:
// https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/#macos
//
// macOS: for 11+ one tag set per major down to 11, then 10.16…10.4 (every binary format on x86_64,
// only universal2 otherwise); for 10.x, 10.minor…10.0. The binary formats follow
// `_mac_binary_formats` (arm64 → arm64, universal2; x86_64 → x86_64, intel, fat64, fat32,
// universal2, universal; …). Identical in packaging 21.3 and 26.x.
// Not done here: the SYSTEM_VERSION_COMPAT=0 re-query packaging does when Python reports 10.16 on
// macOS 11+ — the interpreter probe must report the real version.

export type AppleVersion = readonly [number, number];

function versionBelow(version: AppleVersion, major: number, minor: number): boolean {
  return version[0] < major || (version[0] === major && version[1] < minor);
}

export function macBinaryFormats(version: AppleVersion, cpuArch: string): string[] {
  const formats = [cpuArch];
  if (cpuArch === 'x86_64') {
    if (versionBelow(version, 10, 4)) return [];
    formats.push('intel', 'fat64', 'fat32');
  } else if (cpuArch === 'i386') {
    if (versionBelow(version, 10, 4)) return [];
    formats.push('intel', 'fat32', 'fat');
  } else if (cpuArch === 'ppc64') {
    if (!versionBelow(version, 10, 6) || versionBelow(version, 10, 4)) return [];
    formats.push('fat64');
  } else if (cpuArch === 'ppc') {
    if (!versionBelow(version, 10, 7)) return [];
    formats.push('fat32', 'fat');
  }
  if (cpuArch === 'arm64' || cpuArch === 'x86_64') formats.push('universal2');
  if (['x86_64', 'i386', 'ppc64', 'ppc', 'intel'].includes(cpuArch)) formats.push('universal');
  return formats;
}

export function macPlatforms(version: AppleVersion, arch: string): string[] {
  const out: string[] = [];
  if (!versionBelow(version, 10, 0) && versionBelow(version, 11, 0)) {
    for (let minor = version[1]; minor >= 0; minor--) {
      for (const format of macBinaryFormats([10, minor], arch)) out.push(`macosx_10_${minor}_${format}`);
    }
  }
  if (!versionBelow(version, 11, 0)) {
    for (let major = version[0]; major > 10; major--) {
      for (const format of macBinaryFormats([major, 0], arch)) out.push(`macosx_${major}_0_${format}`);
    }
    for (let minor = 16; minor > 3; minor--) {
      if (arch === 'x86_64') {
        for (const format of macBinaryFormats([10, minor], arch)) out.push(`macosx_10_${minor}_${format}`);
      } else {
        out.push(`macosx_10_${minor}_universal2`);
      }
    }
  }
  return out;
}

/** packaging `_mac_arch`: a 32-bit interpreter reports i386 (or ppc on PowerPC). */
export function macArch(cpuArch: string, is64bit: boolean): string {
  if (is64bit) return cpuArch;
  return cpuArch.startsWith('ppc') ? 'ppc' : 'i386';
}

/** packaging `ios_platforms(version, multiarch)` (packaging ≥ 24.2). */
export function iosPlatforms(version: AppleVersion, multiarch: string): string[] {
  const arch = multiarch.replace(/-/g, '_');
  const [major, minor] = version;
  if (major < 12) return [];
  const out = [`ios_${major}_${minor}_${arch}`];
  for (let m = minor - 1; m >= 0; m--) out.push(`ios_${major}_${m}_${arch}`);
  for (let older = major - 1; older > 11; older--) {
    for (let m = 9; m >= 0; m--) out.push(`ios_${older}_${m}_${arch}`);
  }
  return out;
}
