// Platform compatibility tags (PEP 425 / PEP 600 / PEP 656) as pip computes and ranks them:
// https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/
// The entry point of src/standards/tags/: the ordered supported list for the running interpreter
// or for `--platform/--python-version/--implementation/--abi`, and a wheel's priority in it.
// Details and limits are in each module's header.
export { supportedTags, targetTags, expandPlatformOptions, interpreterName, type TargetOptions } from './tags/supported.js';
export { tagPriority, tagRanking, expandTagSet } from './tags/priority.js';
export { parsePythonVersionOption, PythonVersionOptionError } from './tags/python-version-option.js';
export {
  VENDORED_PACKAGING,
  vendoredPackagingFor,
  tagRulesForPip,
  tagRulesForPackaging,
  type TagRules,
  type VendoredPackaging,
} from './tags/pip-packaging-versions.js';
