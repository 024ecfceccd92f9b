// What safe-pip knows about the interpreter the real pip runs under: everything the marker
// evaluator (PEP 508), the tag generator (PEP 425/600/656) and the Requires-Python check need.
// Produced once by src/io/interpreter-probe.ts (`python -I -c …`, stdlib only) and cached.

/** PEP 508 marker environment, exactly as packaging's default_environment() reports it. */
export interface MarkerEnvironment {
  implementation_name: string;
  implementation_version: string;
  os_name: string;
  platform_machine: string;
  platform_release: string;
  platform_system: string;
  platform_version: string;
  python_full_version: string;
  platform_python_implementation: string;
  python_version: string;
  sys_platform: string;
}

export interface InterpreterFacts {
  /** Absolute path of the Python executable (sys.executable). */
  executable: string;
  /** sys.version_info[:3] */
  pythonVersion: [number, number, number];
  /** sys.implementation.name, e.g. "cpython", "pypy". */
  implementationName: string;
  markers: MarkerEnvironment;
  /** sysconfig.get_platform(), e.g. "linux-x86_64", "macosx-11.0-arm64", "win-amd64". */
  sysconfigPlatform: string;
  /** sysconfig.get_config_var("EXT_SUFFIX"), e.g. ".cpython-311-x86_64-linux-gnu.so". */
  extSuffix: string | null;
  /** sysconfig.get_config_var("SOABI") */
  soabi: string | null;
  /** sysconfig Py_GIL_DISABLED (free-threaded build). */
  freeThreaded: boolean;
  /** sysconfig Py_DEBUG */
  debugBuild: boolean;
  /** sys.maxsize > 2**32 */
  is64bit: boolean;
  /** os.confstr("CS_GNU_LIBC_VERSION") as "2.36", or null when not glibc. */
  glibcVersion: string | null;
  /** musl version "1.2" when the interpreter is linked against musl, else null. */
  muslVersion: string | null;
  /** platform.mac_ver()[0] or null off macOS. */
  macVersion: string | null;
  /** sys.prefix and sys.base_prefix: a venv when they differ (pip's site config lives in sys.prefix). */
  prefix: string;
  basePrefix: string;
  /** pip.__version__ as imported by that interpreter. */
  pipVersion: string;
}
