// The two path helpers of Python's posixpath that pip's configuration lookup relies on
// (Lib/posixpath.py: join, expanduser), reproduced for POSIX systems.
//
// expanduser: `~` and `~/…` use the given home (Python reads $HOME); `~user` forms are left
// unchanged because resolving another user's home needs the password database (I/O).

export function pythonJoin(...parts: string[]): string {
  let path = parts[0] ?? '';
  for (const part of parts.slice(1)) {
    if (part.startsWith('/')) path = part;
    else if (path === '' || path.endsWith('/')) path += part;
    else path += `/${part}`;
  }
  return path;
}

export function pythonExpanduser(path: string, home: string): string {
  if (!path.startsWith('~')) return path;
  let i = path.indexOf('/', 1);
  if (i < 0) i = path.length;
  if (i !== 1) return path;
  const userhome = home.replace(/\/+$/, '');
  return userhome + path.slice(i) || '/';
}

/** os.path.abspath on POSIX: join with cwd, then normpath. */
export function pythonAbspath(path: string, cwd: string): string {
  return pythonNormpath(path.startsWith('/') ? path : pythonJoin(cwd, path));
}

export function pythonNormpath(path: string): string {
  if (path === '') return '.';
  // POSIX keeps exactly two leading slashes, collapses three or more to one.
  const initial = path.startsWith('//') && !path.startsWith('///') ? 2 : path.startsWith('/') ? 1 : 0;
  const out: string[] = [];
  for (const comp of path.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (initial === 0 && out.length === 0) || (out.length > 0 && out[out.length - 1] === '..')) {
      out.push(comp);
    } else if (out.length > 0) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}
