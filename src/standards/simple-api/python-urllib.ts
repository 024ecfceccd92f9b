// Python's `urllib.parse` for the simple-API parser: the port lives in ../python-urllib.ts (shared
// with the requirements-file and requirement-string readers); `posixJoin` is `posixpath.join`.
export {
  type ParseResult,
  PythonUrlError,
  type SplitResult,
  USES_NETLOC,
  USES_RELATIVE,
  quote,
  unquote,
  urljoin,
  urlparse,
  urlsplit,
  urlunparse,
  urlunsplit,
} from '../python-urllib.js';
export { pyJoin as posixJoin } from '../requirements-file/python-path.js';
