// pip's URL helpers built on Python's urllib (../python-urllib.ts): `utils.urls.path_to_url` and the
// VCS scheme registry (`vcs.all_schemes`, pip/_internal/vcs/*.py), as pip ≥ 23.0 has them.
// POSIX paths only (`urllib.request.pathname2url` is `quote` there).
import { quote, urljoin } from '../python-urllib.js';

const VCS_SCHEMES = [
  'bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp', 'bzr+file',
  'git+http', 'git+https', 'git+ssh', 'git+git', 'git+file',
  'hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http',
  'svn+ssh', 'svn+http', 'svn+https', 'svn+svn', 'svn+file',
];

/** pip's utils.urls.path_to_url for an already absolute, normalized POSIX path. */
export function pyPathToUrl(absolutePath: string): string {
  return urljoin('file:', quote(absolutePath));
}

/** True for the schemes pip's vcs registry knows (`vcs.all_schemes`). */
export function isVcsScheme(scheme: string): boolean {
  return VCS_SCHEMES.includes(scheme);
}

export const PIP_VCS_SCHEMES: readonly string[] = VCS_SCHEMES;
