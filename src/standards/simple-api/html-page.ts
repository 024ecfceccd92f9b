// PEP 503 HTML project pages, read the way pip 23.2.1 and main read them
// (pip/_internal/index/collector.py: `HTMLLinkParser`, `parse_links`; models/link.py:
// `Link.from_element`). https://packaging.python.org/en/latest/specifications/simple-repository-api/
//
// pip tokenizes with Python's html.parser, which keeps no stack of open elements. We use
// htmlparser2's Tokenizer on its own, not its Parser: the Parser keeps a stack of open elements
// (for implied closes) and pushes with `Array.unshift`, so n nested elements cost O(n²) time
// (200k nested <div>s took 13.7 s). Nothing we read depends on nesting: an `<a>` counts wherever
// it is, and the Parser's implied opens (`</p>`, `</br>`) were never anchors. So the cost is
// linear in the page, like pip's.
// Entity decoding is switched off and attribute values are decoded with Python's own
// `html.unescape` rules (./html-unescape.ts). Kept from pip: the first `<base href>` wins; an
// attribute without a value is None (so a bare `data-yanked` does NOT mark a file yanked, and a
// bare `href` is skipped); a repeated attribute keeps its last value on `<a>` and its first on
// `<base>`. Known differences: htmlparser2 treats `<title>`, `<textarea>` and `<xmp>` content as
// text (html.parser only `<script>`/`<style>`), and it processes a tag left unterminated at the end
// of the page, which html.parser silently keeps buffered.
// Also read (pip ignores them): PEP 629 `pypi:repository-version`, PEP 792 `pypi:project-status`
// and `pypi:project-status-reason`, PEP 708 `pypi:tracks` / `pypi:alternate-locations`.
import { QuoteType, Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
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
  // The tag being read: its lower-cased name and its attributes in source order.
  let tagName = '';
  let attrs: Array<[string, string | null]> = [];
  let attrName = '';
  let attrValue = '';

  const onTag = (): void => {
    if (tagName === 'base') {
      if (baseHref === null) {
        const href = attrs.find(([n]) => n === 'href');
        if (href !== undefined && href[1] !== null) baseHref = href[1];
      }
    } else if (tagName === 'a') {
      anchors.push(new Map(attrs));
    } else if (tagName === 'meta') {
      const m = new Map(attrs);
      const key = m.get('name');
      const content = m.get('content');
      if (key && content !== undefined && content !== null) {
        const list = meta.get(key.toLowerCase()) ?? [];
        list.push(content);
        meta.set(key.toLowerCase(), list);
      }
    }
    tagName = '';
  };
  const ignore = (): void => {};

  // The page is written in one chunk, so the tokenizer's indices are indices into `text`.
  const callbacks: TokenizerCallbacks = {
    onopentagname(start, end) {
      tagName = text.slice(start, end).toLowerCase();
      attrs = [];
    },
    onattribname(start, end) {
      attrName = text.slice(start, end).toLowerCase();
    },
    onattribdata(start, end) {
      attrValue += text.slice(start, end);
    },
    onattribentity: ignore, // only with entity decoding, which is off
    onattribend(quote) {
      // QuoteType.NoValue: the attribute had no `=value` (html.parser gives None).
      attrs.push([attrName, quote === QuoteType.NoValue ? null : attrValue === '' ? '' : pythonHtmlUnescape(attrValue)]);
      attrValue = '';
    },
    onopentagend: onTag,
    // In HTML `<a href=x/>` is an ordinary start tag (html.parser: handle_startendtag calls
    // handle_starttag).
    onselfclosingtag: onTag,
    onclosetag: ignore,
    ontext: ignore,
    ontextentity: ignore,
    oncdata: ignore,
    oncomment: ignore,
    ondeclaration: ignore,
    onprocessinginstruction: ignore,
    onend: ignore,
  };
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: false }, callbacks);
  tokenizer.write(text);
  tokenizer.end();
  return { anchors, baseHref, meta };
}
