// The target environment the resolver's in-memory tests resolve for: CPython 3.11 on x86-64 Linux,
// and a finder that takes pure-Python wheels only (packaging 21.3's version rules, pip 23.2's).
import type { FinderContext } from '../../../src/resolve/finder.js';
import type { MarkerEnvironment } from '../../../src/standards/interpreter-facts.js';

export const CPYTHON_311_LINUX: MarkerEnvironment = {
  implementation_name: 'cpython',
  implementation_version: '3.11.7',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_release: '6.1.0',
  platform_system: 'Linux',
  platform_version: '#1 SMP',
  python_full_version: '3.11.7',
  platform_python_implementation: 'CPython',
  python_version: '3.11',
  sys_platform: 'linux',
};

export const PURE_PYTHON_WHEELS: FinderContext = {
  supportedTags: ['py3-none-any'],
  pythonVersion: [3, 11, 7],
  allowedFormats: () => new Set(['binary']),
  wheelFilenameParser: 'legacy',
  ignoreRequiresPython: false,
  preferBinary: false,
  prereleases: () => null,
  versionRules: 'legacy',
};
