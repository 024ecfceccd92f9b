"""Oracle for test/io/*: pip 23.2.1's own answers for the index client's rules.

stdin: {"redact": [url...], "secure": [[url, [trusted...]]...], "netrc": [[text, host]...],
        "candidates": [{"name":..., "indexUrls": [...], "findLinks": [...]}...]}
stdout: the same keys with pip's answers:
  redact     -> pip._internal.utils.misc.redact_auth_from_url
  secure     -> PipSession(trusted_hosts=...).is_secure_origin(Link(url))
  netrc      -> [login, password] from Python's netrc the way requests uses it, or null
  candidates -> [link.url for the candidates PackageFinder.find_all_candidates returns], in order
"""
import json
import logging
import os
import sys
import tempfile
import warnings

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

from pip._internal.index.collector import LinkCollector  # noqa: E402
from pip._internal.index.package_finder import PackageFinder  # noqa: E402
from pip._internal.models.link import Link  # noqa: E402
from pip._internal.models.search_scope import SearchScope  # noqa: E402
from pip._internal.models.selection_prefs import SelectionPreferences  # noqa: E402
from pip._internal.network.session import PipSession  # noqa: E402
from pip._internal.utils.misc import redact_auth_from_url  # noqa: E402

req = json.load(sys.stdin)
out = {}
out["redact"] = [redact_auth_from_url(u) for u in req.get("redact", [])]
out["secure"] = [PipSession(trusted_hosts=t).is_secure_origin(Link(u)) for u, t in req.get("secure", [])]


def netrc_lookup(text, host):
    import netrc
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(text)
    os.chmod(f.name, 0o600)
    try:
        auth = netrc.netrc(f.name).authenticators(host)
    except netrc.NetrcParseError:
        return "parse-error"
    finally:
        os.unlink(f.name)
    if not auth:
        return None
    login = auth[0] if auth[0] else auth[1]
    return [login, auth[2]]


out["netrc"] = [netrc_lookup(t, h) for t, h in req.get("netrc", [])]

cands = []
for c in req.get("candidates", []):
    session = PipSession(retries=0)
    scope = SearchScope.create(find_links=c["findLinks"], index_urls=c["indexUrls"], no_index=False)
    finder = PackageFinder.create(
        link_collector=LinkCollector(session=session, search_scope=scope),
        selection_prefs=SelectionPreferences(allow_yanked=True),
    )
    cands.append([cand.link.url for cand in finder.find_all_candidates(c["name"])])
out["candidates"] = cands
json.dump(out, sys.stdout)
