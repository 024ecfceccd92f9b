# Answers two kinds of questions with pip 23.2.1's own code, batched (JSON on stdin):
#   links:   LinkEvaluator.evaluate_link for a link (url, data-requires-python, project, allowed
#            formats) against this interpreter -> [linkType, detail, isLegacyVersion]
#   filters: pip's vendored packaging (21.3) SpecifierSet(spec).filter(versions, prereleases)
import json, sys
from pip._internal.index.package_finder import LinkEvaluator
from pip._internal.models.link import Link
from pip._internal.models.target_python import TargetPython
from pip._vendor.packaging.specifiers import SpecifierSet
from pip._vendor.packaging.utils import canonicalize_name
from pip._vendor.packaging.version import LegacyVersion, parse

request = json.load(sys.stdin)
target = TargetPython()
links = []
for case in request["links"]:
    evaluator = LinkEvaluator(
        project_name=case["project"],
        canonical_name=canonicalize_name(case["project"]),
        formats=frozenset(case["formats"]),
        target_python=target,
        allow_yanked=True,
        ignore_requires_python=case.get("ignoreRequiresPython", False),
    )
    kind, detail = evaluator.evaluate_link(Link(case["url"], requires_python=case.get("requiresPython")))
    legacy = kind.name == "candidate" and isinstance(parse(detail), LegacyVersion)
    links.append([kind.name, detail, legacy])
filters = []
for case in request["filters"]:
    filters.append(list(SpecifierSet(case["specifier"]).filter(case["versions"], prereleases=case["prereleases"])))
print(json.dumps({"links": links, "filters": filters}))
