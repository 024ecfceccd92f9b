"""Oracle for project page URLs, accepted content types and the Accept header, from pip itself.

stdin: {"projectUrls": [[indexUrl, name], ...], "contentTypes": [str, ...]}
stdout: {"projectUrls": [str, ...], "accepted": [bool, ...], "accept": str, "cacheControl": str}
"""
import json
import logging
import sys
import types

logging.disable(logging.CRITICAL)

from pip._internal.index import collector  # noqa: E402
from pip._internal.models.search_scope import SearchScope  # noqa: E402

req = json.load(sys.stdin)

urls = [SearchScope([], [index], False).get_index_urls_locations(name)[0] for index, name in req["projectUrls"]]


def accepted(ct):
    resp = types.SimpleNamespace(headers={"Content-Type": ct}, request=types.SimpleNamespace(method="GET"))
    try:
        collector._ensure_api_header(resp)
        return True
    except collector._NotAPIContent:
        return False


captured = {}


class FakeSession:
    def get(self, url, headers):
        captured.update(headers)
        return types.SimpleNamespace(
            headers={"Content-Type": "text/html"}, request=types.SimpleNamespace(method="GET"), url=url,
            raise_for_status=lambda: None, status_code=200, reason="OK",
        )


collector.raise_for_status = lambda resp: None
collector._get_simple_response("https://example.invalid/simple/foo/", FakeSession())
json.dump({"projectUrls": urls, "accepted": [accepted(c) for c in req["contentTypes"]],
           "accept": captured["Accept"], "cacheControl": captured["Cache-Control"]}, sys.stdout)
