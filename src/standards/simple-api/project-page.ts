// Parsing one project page of the simple repository API (see ../simple-api.ts for the sources
// followed), in either form. index-client.ts loads only the form an index answers in.
import { isJsonContentType } from './content-type.js';
import { parseHtmlProjectPage } from './html-project-page.js';
import { parseJsonProjectPage } from './json-project-page.js';
import type { PageInput, ProjectPage } from '../simple-api.js';

/**
 * Parse one project page. The caller has already checked `isAcceptedContentType`; a JSON content
 * type selects the JSON form, anything else is read as HTML (as pip does).
 */
export function parseProjectPage(input: PageInput): ProjectPage {
  return isJsonContentType(input.contentType) ? parseJsonProjectPage(input) : parseHtmlProjectPage(input);
}
