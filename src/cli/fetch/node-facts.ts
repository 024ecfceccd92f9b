// A target interpreter described from Node alone, for `safe-pip fetch` on a machine without a
// usable Python: the OS, machine and C library come from Node; the Python version must be given
// (--python-version). Marker values follow packaging's default_environment() for CPython.
import { arch, machine, release, version as osVersion } from 'node:os';
import type { InterpreterFacts } from '../../standards/interpreter-facts.js';

/** pip version whose rules a fetch without any real pip follows (the newest table safe-pip knows). */
export const FETCH_DEFAULT_PIP_VERSION = '26.2.1';

export function nodeInterpreterFacts(pythonVersion: number[]): InterpreterFacts {
  const [major = 3, minor = 0, micro = 0] = pythonVersion;
  const platform = process.platform;
  const cpu = machineName();
  const glibc = glibcVersion();
  const full = `${major}.${minor}.${micro}`;
  return {
    executable: '',
    pythonVersion: [major, minor, micro],
    implementationName: 'cpython',
    markers: {
      implementation_name: 'cpython',
      implementation_version: full,
      os_name: platform === 'win32' ? 'nt' : 'posix',
      platform_machine: cpu,
      platform_release: release(),
      platform_system: platform === 'darwin' ? 'Darwin' : platform === 'win32' ? 'Windows' : 'Linux',
      platform_version: osVersion(),
      python_full_version: full,
      platform_python_implementation: 'CPython',
      python_version: `${major}.${minor}`,
      sys_platform: platform === 'win32' ? 'win32' : platform,
    },
    sysconfigPlatform: platform === 'darwin' ? `macosx-11.0-${cpu}` : platform === 'win32' ? (arch() === 'x64' ? 'win-amd64' : 'win32') : `linux-${cpu}`,
    extSuffix: null,
    soabi: null,
    freeThreaded: false,
    debugBuild: false,
    is64bit: ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64'].includes(arch()),
    glibcVersion: glibc,
    muslVersion: null,
    macVersion: platform === 'darwin' ? macVersion() : null,
    prefix: '',
    basePrefix: '',
    pipVersion: FETCH_DEFAULT_PIP_VERSION,
  };
}

function machineName(): string {
  const name = machine();
  return process.platform === 'darwin' && name === 'aarch64' ? 'arm64' : name;
}

function glibcVersion(): string | null {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ?? null;
}

function macVersion(): string {
  // Darwin 20 = macOS 11, Darwin 21 = macOS 12, …
  const darwinMajor = Number.parseInt(release(), 10);
  return Number.isFinite(darwinMajor) && darwinMajor >= 20 ? `${darwinMajor - 9}.0` : '10.15';
}
