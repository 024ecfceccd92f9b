# pip's own PackageFinder as an oracle, without running any build: for each case read from stdin
# (JSON list), builds the finder exactly as `pip download`/`install` do (allow_yanked=True) over the
# given indexes and find-links, then prints
#   found:   every candidate's URL (find_all_candidates, in pip's source order), LegacyVersion ones
#            included (pip 23.2.1 still makes them; only a legacy clause can select one),
#   legacy:  the URLs of the LegacyVersion candidates,
#   ordered: what the resolver would try, best first (reversed(iter_applicable()) with the yanked
#            rule of factory._iter_found_candidates),
#   best:    find_best_candidate's best_candidate URL (max(), the legacy resolver's choice).
import json, sys
from pip._internal.index.collector import LinkCollector
from pip._internal.index.package_finder import PackageFinder
from pip._internal.models.format_control import FormatControl
from pip._internal.models.search_scope import SearchScope
from pip._internal.models.selection_prefs import SelectionPreferences
from pip._internal.models.target_python import TargetPython
from pip._internal.network.session import PipSession
from pip._internal.utils.hashes import Hashes
from pip._vendor.packaging.specifiers import SpecifierSet
from pip._vendor.packaging.version import LegacyVersion

session = PipSession()
out = []
for case in json.load(sys.stdin):
    # As cmdoptions.make_search_scope: --no-index empties the index list (no_index only affects logging).
    index_urls = [] if case.get("noIndex", False) else case.get("indexUrls", [])
    scope = SearchScope.create(find_links=case.get("findLinks", []), index_urls=index_urls, no_index=case.get("noIndex", False))
    fc = FormatControl(set(), set())
    for value in case.get("onlyBinary", []):
        FormatControl.handle_mutual_excludes(value, fc.only_binary, fc.no_binary)
    for value in case.get("noBinary", []):
        FormatControl.handle_mutual_excludes(value, fc.no_binary, fc.only_binary)
    prefs = SelectionPreferences(
        allow_yanked=True,
        allow_all_prereleases=case.get("pre", False),
        format_control=fc,
        prefer_binary=case.get("preferBinary", False),
        ignore_requires_python=case.get("ignoreRequiresPython", False),
    )
    finder = PackageFinder.create(link_collector=LinkCollector(session=session, search_scope=scope), selection_prefs=prefs, target_python=TargetPython())
    specifier = SpecifierSet(case.get("specifier", ""))
    hashes = Hashes(case["hashes"]) if case.get("hashes") else None
    result = finder.find_best_candidate(case["project"], specifier, hashes)
    icans = list(result.iter_applicable())
    all_yanked = all(c.link.is_yanked for c in icans)
    pinned = any(s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*")) for s in specifier)
    ordered = [c.link.url for c in reversed(icans) if (all_yanked and pinned) or not c.link.is_yanked]
    out.append({
        "found": [c.link.url for c in result.iter_all()],
        "legacy": [c.link.url for c in result.iter_all() if isinstance(c.version, LegacyVersion)],
        "ordered": ordered,
        "best": result.best_candidate.link.url if result.best_candidate else None,
    })
print(json.dumps(out))
