// A minimal PEP 503 project page, for the indexes safe-pip serves or writes itself (the demo's
// server, install's private index for pip before 24.0). Only what html-page.ts reads back: one
// `<a>` per file, its href and text escaped for an HTML attribute and text.

export interface PageLink {
  /** Already URL-quoted; the fragment (`#sha256=…`) included when there is one. */
  href: string;
  text: string;
}

export function projectPageHtml(links: readonly PageLink[]): string {
  const anchors = links.map((link) => `<a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a>`).join('\n');
  return `<!DOCTYPE html>\n<html><body>${anchors}</body></html>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
