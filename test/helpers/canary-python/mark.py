# --- safe-pip canary marker (test fixture) ---------------------------------------------------
# Any code of this project that runs calls _canary_mark first, so a test can tell that pip (or
# anything else) executed it. The directory comes from $CANARY_DIR; without it the canary
# refuses to run silently (a build that fails loudly cannot be mistaken for "did not run").
import os as _canary_os
import sys as _canary_sys


def _canary_mark(event):
    directory = _canary_os.environ.get("CANARY_DIR") or @FALLBACK_DIR@
    if not directory:
        raise SystemExit("canary @NAME@ ran (" + event + ") but CANARY_DIR is not set")
    _canary_os.makedirs(directory, exist_ok=True)
    with open(_canary_os.path.join(directory, "@NAME@-@STYLE@-" + event), "a") as marker:
        marker.write("%d %s\n" % (_canary_os.getpid(), " ".join(_canary_sys.argv)))
    _canary_sys.stderr.write("safe-pip-canary: @NAME@ @STYLE@ " + event + "\n")
# ---------------------------------------------------------------------------------------------
