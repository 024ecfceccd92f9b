// Exit codes. pip itself uses 0, 1, 2, 3 and 23 (pip/_internal/cli/status_codes.py); safe-pip's own
// outcomes use codes pip never does, so scripts can tell "safe-pip refused" from "pip failed".
export const EXIT_OK = 0;
/** A general failure (pip's ERROR): also used by safe-pip for failed fetches. */
export const EXIT_ERROR = 1;
/** A command line that cannot be parsed (pip's UNKNOWN_ERROR, used by optparse). */
export const EXIT_USAGE = 2;
/** safe-pip refused to run or build package code that nobody allowed. */
export const EXIT_REFUSED = 42;
/** safe-pip could not find or start a real pip to run. */
export const EXIT_NO_REAL_PIP = 43;
/** A bug in safe-pip (an assertion failed). */
export const EXIT_INTERNAL = 70;
