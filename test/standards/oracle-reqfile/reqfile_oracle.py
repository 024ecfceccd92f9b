"""Oracle: run the installed pip's own requirements-file parser over a batch of cases.

stdin: JSON list of {"dir", "root", "constraint", "env"}. stdout: JSON list of results, one per case:
{"pip": version, "lines": [...every ParsedLine pip parsed, nested-file lines included...],
 "requirements": [...ParsedRequirement...], "finder": {...}, "options": {...}, "trusted": [...],
 "warnings": [...], "error": null | {"type", "message"}}.
The program name optparse prints is forced to "pip" (sys.argv[0]).
"""
import json
import logging
import optparse
import os
import sys

sys.argv[0] = "pip"
sys.setrecursionlimit(400)

import pip
from pip._internal.index.collector import LinkCollector
from pip._internal.index.package_finder import PackageFinder
from pip._internal.models.format_control import FormatControl
from pip._internal.models.search_scope import SearchScope
from pip._internal.models.selection_prefs import SelectionPreferences
from pip._internal.network.session import PipSession
from pip._internal.cli import cmdoptions
from pip._internal.req import req_file

OPT_FIELDS = [
    "index_url", "extra_index_urls", "no_index", "constraints", "requirements", "editables", "find_links",
    "prefer_binary", "require_hashes", "no_require_hashes", "pre", "trusted_hosts", "features_enabled",
    "global_options", "install_options", "hashes", "config_settings",
]


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


capture = Capture()
logging.getLogger().addHandler(capture)
logging.getLogger().setLevel(logging.WARNING)

recorded_lines = []
_orig_parse_file = req_file.RequirementsFileParser._parse_file


def _recording_parse_file(self, filename, constraint):
    for line in _orig_parse_file(self, filename, constraint):
        # Copied now: some defaults are lists shared between lines (see --use-feature below).
        opts = json.loads(json.dumps({f: getattr(line.opts, f, None) for f in OPT_FIELDS}))
        recorded_lines.append({
            "filename": line.filename, "lineno": line.lineno,
            "args": getattr(line, "args", None) if hasattr(line, "args") else None,
            "is_requirement": bool(line.requirement is not None) if not hasattr(line, "is_requirement") else line.is_requirement,
            "is_editable": bool(line.is_editable) if (hasattr(line, "is_editable") and (getattr(line, "is_requirement", True))) else False,
            "requirement": getattr(line, "requirement", None),
            "constraint": line.constraint, "opts": opts,
        })
        yield line


req_file.RequirementsFileParser._parse_file = _recording_parse_file


def run_case(case):
    # cmdoptions.use_new_feature is a functools.partial holding one `default=[]` list: optparse appends to
    # it, so within one pip process every later line sees earlier --use-feature values. One pip run per case.
    shared = getattr(cmdoptions.use_new_feature, "keywords", {}).get("default")
    if isinstance(shared, list):
        shared.clear()
    recorded_lines.clear()
    capture.messages.clear()
    os.chdir(case["dir"])
    for key in [k for k in os.environ if k.startswith("RF_")]:
        del os.environ[key]
    os.environ.update(case.get("env", {}))
    session = PipSession()
    trusted = []
    orig_add = session.add_trusted_host

    def add_trusted_host(host, source=None, suppress_logging=False):
        trusted.append(host)
        return orig_add(host, source=source, suppress_logging=True)

    session.add_trusted_host = add_trusted_host
    collector = LinkCollector(session=session, search_scope=SearchScope.create(find_links=[], index_urls=[], no_index=False))
    prefs = SelectionPreferences(allow_yanked=True, format_control=FormatControl(set(), set()))
    finder = PackageFinder.create(link_collector=collector, selection_prefs=prefs)
    options = optparse.Values({"require_hashes": False, "features_enabled": []})
    result = {"pip": pip.__version__, "error": None, "requirements": []}
    try:
        for parsed in req_file.parse_requirements(case["root"], session, finder=finder, options=options,
                                                  constraint=case.get("constraint", False)):
            result["requirements"].append({
                "requirement": parsed.requirement, "is_editable": parsed.is_editable,
                "comes_from": parsed.comes_from, "constraint": parsed.constraint,
                "options": parsed.options, "line_source": parsed.line_source,
            })
    except RecursionError as e:
        result["error"] = {"type": "RecursionError", "message": ""}
    except Exception as e:  # noqa: BLE001 - every pip failure is data here
        result["error"] = {"type": type(e).__name__, "message": str(e)}
    fc = finder.format_control
    result["finder"] = {
        "index_urls": finder.index_urls, "find_links": finder.find_links,
        "no_index": finder.search_scope.no_index, "no_binary": sorted(fc.no_binary),
        "only_binary": sorted(fc.only_binary), "prefer_binary": finder._candidate_prefs.prefer_binary,
        "allow_all_prereleases": finder._candidate_prefs.allow_all_prereleases,
    }
    result["options"] = {"require_hashes": options.require_hashes, "features_enabled": options.features_enabled}
    result["trusted"] = trusted
    result["lines"] = list(recorded_lines)
    result["warnings"] = [m for m in capture.messages if "has --hash but no requirement" in m or "unable to decode" in m]
    return result


def main():
    cases = json.load(sys.stdin)
    out = [run_case(c) for c in cases]
    json.dump(out, sys.stdout)


main()
