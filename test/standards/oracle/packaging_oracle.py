"""Differential-test oracle: answers batches of questions with packaging (and pip's own code).

Reads one JSON document on stdin: {"batches": [{"op": "<name>", "cases": [...]}, ...]} and
prints {"results": [[answer, ...], ...]} (one list per batch, one answer per case). Errors are
answered as {"error": "<ExceptionType>"} so the caller can check that both sides reject.
Only stdlib, packaging and pip are imported; nothing is executed from the cases.
"""
import json
import sys
import urllib.parse

import packaging
from packaging.markers import Marker
from packaging.metadata import parse_email
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, is_normalized_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import Version


def err(e):
    return {"error": type(e).__name__, "message": str(e)}


def version_info(s):
    try:
        v = Version(s)
    except Exception as e:
        return err(e)
    return {
        "str": str(v), "public": v.public, "base": v.base_version, "epoch": v.epoch,
        "release": list(v.release), "pre": list(v.pre) if v.pre else None, "post": v.post,
        "dev": v.dev, "local": v.local, "is_pre": v.is_prerelease, "is_post": v.is_postrelease,
        "is_dev": v.is_devrelease,
    }


def name_info(s):
    try:
        canonicalize_name(s, validate=True)
        valid = True
    except Exception:
        valid = False
    return {"norm": canonicalize_name(s), "valid": valid, "normalized": is_normalized_name(s)}


def compare(pair):
    a, b = Version(pair[0]), Version(pair[1])
    return -1 if a < b else (1 if a > b else 0)


def specifier_info(s):
    try:
        ss = SpecifierSet(s)
    except Exception as e:
        return err(e)
    return {"str": str(ss), "prereleases": ss.prereleases}


def contains(case):
    spec, item, pre = case
    try:
        return SpecifierSet(spec).contains(item, prereleases=pre)
    except Exception as e:
        return err(e)


def filter_(case):
    spec, items, pre = case
    try:
        return list(SpecifierSet(spec).filter(items, prereleases=pre))
    except Exception as e:
        return err(e)


def requirement_info(s):
    try:
        r = Requirement(s)
    except Exception as e:
        return err(e)
    return {
        "name": r.name, "url": r.url, "extras": sorted(r.extras), "specifier": str(r.specifier),
        "marker": None if r.marker is None else str(r.marker), "str": str(r),
    }


def marker_info(s):
    try:
        return {"str": str(Marker(s))}
    except Exception as e:
        return err(e)


_markers = {}


def cached_marker(text):
    if text not in _markers:
        _markers[text] = Marker(text)
    return _markers[text]


def marker_eval(case):
    text, env, extra = case
    env = dict(env)
    for key in ("extras", "dependency_groups"):
        if key in env:
            env[key] = frozenset(env[key])
    if extra is not None:
        env["extra"] = extra
    try:
        return cached_marker(text).evaluate(env)
    except Exception as e:
        return err(e)


def requirement_marker_eval(case):
    text, env, extra = case
    env = dict(env)
    if extra is not None:
        env["extra"] = extra
    try:
        return Requirement(text).marker.evaluate(env)
    except Exception as e:
        return err(e)


def reparse(case):
    """Does packaging read `printed` as the same requirement as `original`?"""
    original, printed = case
    try:
        a, b = Requirement(original), Requirement(printed)
    except Exception as e:
        return err(e)
    # packaging's own printer does not always read back as the same thing (an `extra` test in
    # parentheses is normalized only once it is printed at the top level); say so too.
    return {"same": str(a) == str(b) or a == b, "self": str(Requirement(str(a))) == str(a)}


def wheel_info(case):
    filename, validate_order = case
    try:
        name, version, build, tags = parse_wheel_filename(filename, validate_order=validate_order)
    except Exception as e:
        return err(e)
    return {"name": name, "version": str(version), "build": list(build) if build else None,
            "tags": sorted(str(t) for t in tags)}


def legacy_wheel_info(filename):
    from pip._internal.models.wheel import Wheel
    try:
        w = Wheel(filename)
    except Exception as e:
        return err(e)
    return {"name": w.name, "version": w.version, "build": w.build_tag, "tags": sorted(str(t) for t in w.file_tags)}


def sdist_info(filename):
    try:
        name, version = parse_sdist_filename(filename)
    except Exception as e:
        return err(e)
    return {"name": name, "version": str(version)}


def legacy_sdist(case):
    """pip 23.2.1 LinkEvaluator.evaluate_link on an archive link (no yanked / requires-python)."""
    from pip._internal.index.package_finder import LinkEvaluator
    from pip._internal.models.link import Link
    from pip._internal.models.target_python import TargetPython
    path, egg, project = case
    url = "https://example.invalid" + urllib.parse.quote(path)
    if egg is not None:
        url += "#egg=" + urllib.parse.quote(egg)
    evaluator = LinkEvaluator(
        project_name=project, canonical_name=canonicalize_name(project),
        formats=frozenset({"source", "binary"}), target_python=TargetPython(py_version_info=(3, 11)),
        allow_yanked=True, ignore_requires_python=True,
    )
    try:
        result, detail = evaluator.evaluate_link(Link(url))
    except Exception as e:
        return err(e)
    valid = None
    if result.name == "candidate":
        try:
            Version(detail)
            valid = True
        except Exception:
            valid = False
    return {"result": result.name, "detail": detail, "pep440": valid}


def metadata_info(text):
    try:
        raw, unparsed = parse_email(text)
    except Exception as e:
        return err(e)
    return {"raw": raw, "unparsed": unparsed}


OPS = {
    "name": name_info, "version": version_info, "compare": compare, "specifier": specifier_info,
    "contains": contains, "filter": filter_, "requirement": requirement_info, "marker": marker_info,
    "marker_eval": marker_eval, "requirement_marker_eval": requirement_marker_eval, "reparse": reparse,
    "wheel": wheel_info, "legacy_wheel": legacy_wheel_info, "sdist": sdist_info,
    "legacy_sdist": legacy_sdist, "metadata": metadata_info,
}


def main():
    request = json.load(sys.stdin)
    results = []
    for batch in request["batches"]:
        fn = OPS[batch["op"]]
        results.append([fn(case) for case in batch["cases"]])
    json.dump({"packaging": packaging.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    main()
