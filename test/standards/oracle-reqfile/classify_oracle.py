"""Oracle: pip's classification of requirement strings (install_req_from_line / install_req_from_editable).

stdin: JSON list of {"dir", "text", "editable"}. stdout: JSON list of
{"pip", "error": null|{"type","message"}, "name", "req", "specifier", "url_in_req", "extras", "markers",
 "link": null|{"url","scheme","is_wheel","is_vcs","filename"}, "warnings"}.
"""
import json
import logging
import os
import sys

sys.argv[0] = "pip"

import pip
from pip._internal.req.constructors import install_req_from_editable, install_req_from_line


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


capture = Capture()
logging.getLogger().addHandler(capture)
logging.getLogger().setLevel(logging.WARNING)


def run(case):
    capture.messages.clear()
    os.chdir(case["dir"])
    out = {"pip": pip.__version__, "error": None}
    try:
        if case["editable"]:
            ireq = install_req_from_editable(case["text"])
        else:
            ireq = install_req_from_line(case["text"])
    except Exception as e:  # noqa: BLE001 - pip's failures are data here
        out["error"] = {"type": type(e).__name__, "message": str(e)}
        out["warnings"] = list(capture.messages)
        return out
    req = ireq.req
    out["name"] = req.name if req is not None else None
    out["req"] = str(req) if req is not None else None
    out["specifier"] = str(req.specifier) if req is not None else None
    out["url_in_req"] = req.url if req is not None else None
    out["extras"] = sorted(ireq.extras)
    out["markers"] = str(ireq.markers) if ireq.markers is not None else None
    link = ireq.link
    out["link"] = None if link is None else {
        "url": link.url, "scheme": link.scheme, "is_wheel": link.is_wheel, "is_vcs": link.is_vcs,
        "filename": link.filename,
    }
    out["warnings"] = [m for m in capture.messages if "looks like a filename" in m]
    return out


json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
