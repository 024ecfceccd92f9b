// Bundled in place of the htmlparser2 package's index (scripts/bundle.mjs): safe-pip uses its
// Tokenizer alone (src/standards/simple-api/html-page.ts), and the index also brings the Parser,
// domhandler, domutils and dom-serializer with a second copy of `entities`, which the bundle kept:
// about 80 KB more to compile each time an HTML page is read.
export { default as Tokenizer, QuoteType } from '../node_modules/htmlparser2/dist/esm/Tokenizer.js';
