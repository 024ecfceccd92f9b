// Python's `posixpath` (Lib/posixpath.py) functions pip applies to requirement-file locations: join, dirname,
// normpath, abspath, splitext. Node's `path.posix` differs (join normalizes, "//a" keeps two slashes in Python).
// POSIX only: safe-pip runs the real pip on the same machine, and Windows paths are not modelled.

/** posixpath.join: an absolute component restarts the path; nothing is normalized. */
export function pyJoin(first: string, ...rest: string[]): string {
  let path = first;
  for (const part of rest) {
    if (part.startsWith('/')) path = part;
    else if (path === '' || path.endsWith('/')) path += part;
    else path += `/${part}`;
  }
  return path;
}

/** posixpath.dirname: everything before the last '/', trailing slashes removed unless it is all slashes. */
export function pyDirname(path: string): string {
  const i = path.lastIndexOf('/') + 1;
  let head = path.slice(0, i);
  if (head !== '' && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

/** posixpath.basename. */
export function pyBasename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** posixpath.normpath: collapses '.', '..' and repeated slashes; exactly two leading slashes are kept. */
export function pyNormpath(path: string): string {
  if (path === '') return '.';
  let initialSlashes = path.startsWith('/') ? 1 : 0;
  if (initialSlashes === 1 && path.startsWith('//') && !path.startsWith('///')) initialSlashes = 2;
  const out: string[] = [];
  for (const comp of path.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (initialSlashes === 0 && out.length === 0) || (out.length > 0 && out[out.length - 1] === '..')) {
      out.push(comp);
    } else if (out.length > 0) {
      out.pop();
    }
  }
  const joined = '/'.repeat(initialSlashes) + out.join('/');
  return joined === '' ? '.' : joined;
}

/** posixpath.abspath against an explicit working directory. */
export function pyAbspath(path: string, cwd: string): string {
  return pyNormpath(path.startsWith('/') ? path : pyJoin(cwd, path));
}

/** posixpath.splitext: the extension starts at the last dot of the basename that is not a leading dot. */
export function pySplitext(path: string): [string, string] {
  const sep = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot > sep) {
    let filenameIndex = sep + 1;
    while (filenameIndex < dot) {
      if (path[filenameIndex] !== '.') return [path.slice(0, dot), path.slice(dot)];
      filenameIndex += 1;
    }
  }
  return [path, ''];
}
