"""Oracle for test/standards/simple-api.test.ts: runs pip's own page parser over a batch of pages.

stdin: JSON list of {"body": base64, "contentType": str, "url": str}
stdout: JSON list, per page, of either {"error": "<ExceptionClass>"} or {"links": [...]} where every
link carries the fields safe-pip models (url, filename, hashes, requires_python, yanked_reason,
metadata hashes, egg and subdirectory fragments).
Uses pip._internal.index.collector.parse_links / IndexContent / _get_encoding_from_headers, i.e.
HTMLLinkParser + Link.from_element and Link.from_json of the pip this interpreter has.
"""
import base64
import json
import logging
import sys
import warnings

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

from pip._internal.index.collector import IndexContent, _get_encoding_from_headers, parse_links  # noqa: E402


def describe(link):
    md = link.metadata_file_data
    return {
        "url": link.url,
        "filename": link.filename,
        "hashes": dict(link._hashes),
        "requires_python": link.requires_python,
        "yanked_reason": link.yanked_reason,
        "metadata": None if md is None else {"hashes": dict(md.hashes or {})},
        "egg": link.egg_fragment,
        "subdirectory": link.subdirectory_fragment,
    }


def main():
    pages = json.load(sys.stdin)
    out = []
    for page in pages:
        body = base64.b64decode(page["body"])
        headers = {"Content-Type": page["contentType"]}
        content = IndexContent(body, page["contentType"], _get_encoding_from_headers(headers), page["url"], cache_link_parsing=False)
        try:
            out.append({"links": [describe(link) for link in parse_links(content)]})
        except Exception as exc:  # pip would crash; the test only checks that safe-pip errors too
            out.append({"error": type(exc).__name__})
    json.dump(out, sys.stdout)


main()
