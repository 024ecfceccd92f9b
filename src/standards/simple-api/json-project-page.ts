// One project page in its JSON form (PEP 691), without the HTML parser (html-project-page.ts).
import { parseJsonDocument } from './json-page.js';
import { joinLink, makeFile } from './page-files.js';
import type { PageInput, ProjectPage } from '../simple-api.js';

/** A PEP 691 JSON page. */
export function parseJsonProjectPage(input: PageInput): ProjectPage {
  const doc = parseJsonDocument(input.body, input.url);
  const files = doc.files.map((f) => {
    const { url, ...rest } = f;
    return makeFile(joinLink(input.url, url, input.url), input.url, rest);
  });
  const page: ProjectPage = { files, apiVersion: doc.apiVersion };
  if (doc.tracks.length > 0) page.tracks = doc.tracks;
  if (doc.alternateLocations.length > 0) page.alternateLocations = doc.alternateLocations;
  if (doc.projectStatus) page.projectStatus = doc.projectStatus;
  return page;
}
