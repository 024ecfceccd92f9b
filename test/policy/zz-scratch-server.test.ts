import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startVectorWorld } from './vector-world.js';
it('serves', async () => {
  const world = await startVectorWorld();
  writeFileSync('/tmp/scratch-index-url', world.index);
  await new Promise((r) => setTimeout(r, 3_000_000));
}, 4_000_000);
