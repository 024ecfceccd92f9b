"""Differential-test oracle: asks the packaging that a given pip vendors (pip._vendor.packaging).

Run with the venv python of the pip under test. Reads {"batches": [{"op": ..., "cases": [...]}]} on
stdin, prints {"packaging": version, "results": [[answer, ...], ...]}. Errors are answered as
{"error": "<ExceptionType>"}. Only the vendored packaging is imported; nothing from the cases runs.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")  # LegacyVersion / LegacySpecifier deprecation warnings

from pip._vendor import packaging  # noqa: E402
from pip._vendor.packaging.requirements import Requirement  # noqa: E402
from pip._vendor.packaging.specifiers import SpecifierSet  # noqa: E402
from pip._vendor.packaging import version as pv  # noqa: E402


def err(e):
    return {"error": type(e).__name__}


def parse(s):
    """packaging.version.parse as pip's finder uses it (None when it raises, packaging >= 22)."""
    try:
        return pv.parse(s)
    except pv.InvalidVersion:
        return None


def kind(v):
    return None if v is None else type(v).__name__


def sort(versions):
    parsed = [(parse(s), s) for s in versions]
    return [s for v, s in sorted((p for p in parsed if p[0] is not None), key=lambda p: p[0])]


def legacy_key(s):
    v = parse(s)
    return {"kind": kind(v), "key": list(v._key[1]) if kind(v) == "LegacyVersion" else None}


def compare(pair):
    a, b = parse(pair[0]), parse(pair[1])
    return -1 if a < b else (1 if a > b else 0)


def specifier(s):
    try:
        ss = SpecifierSet(s)
    except Exception as e:
        return err(e)
    return {"str": str(ss), "kinds": sorted(type(x).__name__ for x in ss), "prereleases": ss.prereleases}


def filter_(case):
    spec, versions, pre = case
    return list(SpecifierSet(spec).filter(versions, prereleases=pre))


def contains(case):
    spec, version, pre = case
    return SpecifierSet(spec).contains(version, prereleases=pre)


def requirement(s):
    try:
        r = Requirement(s)
    except Exception as e:
        return err(e)
    return {"str": str(r), "specifier": str(r.specifier), "marker": None if r.marker is None else str(r.marker)}


OPS = {
    "sort": sort,
    "legacy_key": legacy_key,
    "kind": lambda s: kind(parse(s)),
    "compare": compare,
    "specifier": specifier,
    "filter": filter_,
    "contains": contains,
    "requirement": requirement,
}


def main():
    request = json.load(sys.stdin)
    results = [[OPS[b["op"]](c) for c in b["cases"]] for b in request["batches"]]
    json.dump({"packaging": packaging.__version__, "results": results}, sys.stdout)


main()
