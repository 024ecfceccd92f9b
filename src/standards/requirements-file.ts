// pip's requirements-file format (https://pip.pypa.io/en/stable/reference/requirements-file-format/),
// reproduced from src/pip/_internal/req/req_file.py for pip 23.0–26.x. The pieces live in
// ./requirements-file/: decode (BOMs, PEP 263, locale), lines (continuations, comments, ${VAR}),
// line-options (break_args_options, shlex, optparse), tree (nested -r/-c, recursion, events),
// effects (what option lines do to the finder), sanitize (a rewritten copy for the real pip).
export { decodeFetchedRequirementsFile, decodeLocalRequirementsFile, type DecodedRequirementsFile } from './requirements-file/decode.js';
export { RequirementsFileError, type RequirementsFileErrorKind } from './requirements-file/errors.js';
export { preprocessRequirementsText, expandEnvVariables, type LogicalLine } from './requirements-file/lines.js';
export { breakArgsOptions, parseRequirementsLine, type LineOptions, type LineOptionOccurrence } from './requirements-file/line-options.js';
export { requirementsFileOptionSpecs, perRequirementDests, STRONG_HASHES } from './requirements-file/options.js';
export {
  parseRequirementsFile,
  type ParseRequirementsFileOptions,
  type ParsedRequirementsFile,
  type RequirementsFileContent,
  type RequirementsFileEntry,
  type RequirementsFileEvent,
  type RequirementsFileLine,
  type RequirementsFileNode,
  type RequirementsFileRequirement,
  type NestedReference,
} from './requirements-file/tree.js';
export { applyRequirementsFileEvents, handleMutualExcludes, type RequirementsFileEffects } from './requirements-file/effects.js';
export {
  sanitizeRequirementsTree,
  type LineVerdict,
  type SanitizedRequirementsFile,
  type SanitizedRequirementsTree,
} from './requirements-file/sanitize.js';
