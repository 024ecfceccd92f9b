// PEP 503 HTML project pages, read the way pip 23.2.1 and main read them
// (pip/_internal/index/collector.py: `HTMLLinkParser`, `parse_links`; models/link.py:
// `Link.from_element`). https://packaging.python.org/en/latest/specifications/simple-repository-api/
//
// pip tokenizes with Python's html.parser; we use htmlparser2 (also a tokenizer, no tree
// building) with entity decoding switched off and decode attribute values with Python's own
// `html.unescape` rules (./html-unescape.ts). Kept from pip: the first `<base href>` wins; an
// attribute without a value is None (so a bare `data-yanked` does NOT mark a file yanked, and a
// bare `href` is skipped); a repeated attribute keeps its last value on `<a>` and its first on
// `<base>`. Known differences: htmlparser2 treats `<title>`, `<textarea>` and `<xmp>` content as
// text (html.parser only `<script>`/`<style>`), and it processes a tag left unterminated at the end
// of the page, which html.parser silently keeps buffered.
// Also read (pip ignores them): PEP 629 `pypi:repository-version`, PEP 792 `pypi:project-status`
// and `pypi:project-status-reason`, PEP 708 `pypi:tracks` / `pypi:alternate-locations`.
import { Parser } from 'htmlparser2';
import { pythonHtmlUnescape } from './html-unescape.js';

export type Attributes = Map<string, string | null>;

export interface ParsedHtmlPage {
  anchors: Attributes[];
  baseHref: string | null;
  /** `<meta name=… content=…>` values in document order, by lower-cased name. */
  meta: Map<string, string[]>;
}

export function parseHtmlDocument(text: string): ParsedHtmlPage {
  const anchors: Attributes[] = [];
  const meta = new Map<string, string[]>();
  let baseHref: string | null = null;
  let attrs: Array<[string, string | null]> = [];
  const parser = new Parser(
    {
      onopentagname() {
        attrs = [];
      },
      onattribute(name, value, quote) {
        // quote === undefined: the attribute had no `=value` (html.parser gives None).
        attrs.push([name, quote === undefined ? null : value === '' ? '' : pythonHtmlUnescape(value)]);
      },
      onopentag(name, _attribs, isImplied) {
        if (isImplied) return;
        if (name === 'base') {
          if (baseHref === null) {
            const href = attrs.find(([n]) => n === 'href');
            if (href !== undefined && href[1] !== null) baseHref = href[1];
          }
        } else if (name === 'a') {
          anchors.push(new Map(attrs));
        } else if (name === 'meta') {
          const m = new Map(attrs);
          const key = m.get('name');
          const content = m.get('content');
          if (key && content !== undefined && content !== null) {
            const list = meta.get(key.toLowerCase()) ?? [];
            list.push(content);
            meta.set(key.toLowerCase(), list);
          }
        }
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(text);
  parser.end();
  return { anchors, baseHref, meta };
}
