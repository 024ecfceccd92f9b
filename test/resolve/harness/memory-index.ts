// A scenario's wheel index held in memory, for driving the resolver without a server: project
// pages built from the wheel filenames, metadata straight from the specs (Requires-Dist,
// Requires-Python, Provides-Extra defaulting to the extras the markers name, as wheel-builder does).
import { type IndexFile } from '../../../src/standards/simple-api.js';
import { parseProjectPage } from '../../../src/standards/simple-api/project-page.js';
import { normalizeName } from '../../../src/standards/names.js';
import type { FileEntry } from '../../../src/resolve/finder.js';
import type { ProjectSource } from '../../../src/resolve/resolver.js';
import { extrasInRequirements, wheelFilename } from '../../helpers/wheel-builder.js';
import type { WheelFile } from './scenarios.js';

export function memoryIndex(wheels: readonly WheelFile[]): ProjectSource<FileEntry> {
  const byProject = new Map<string, IndexFile[]>();
  const specs = new Map<string, WheelFile>();
  for (const spec of wheels) {
    const filename = wheelFilename(spec);
    const project = normalizeName(spec.name);
    const page = parseProjectPage({ body: new TextEncoder().encode(`<a href="${filename}">${filename}</a>`), contentType: 'text/html', url: `https://memory.test/simple/${project}/` });
    byProject.set(project, [...(byProject.get(project) ?? []), ...page.files]);
    specs.set(filename, spec);
  }
  return {
    files: async (name) => (byProject.get(name) ?? []).map((file) => ({ file })),
    metadata: async (_name, candidate) => {
      const spec = specs.get(candidate.entry.file.filename)!;
      const requiresDist = spec.requiresDist ?? [];
      return { requiresDist, requiresPython: spec.requiresPython ?? null, providesExtra: spec.providesExtra ?? extrasInRequirements(requiresDist) };
    },
  };
}
