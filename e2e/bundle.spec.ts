import { test, expect } from '@playwright/test';
import path from 'node:path';
import { measureInitialBundle } from '../scripts/bundle-size.mjs';

// Budget of the production build (README: performance): initial JS — the entry plus every chunk it preloads
// or statically imports — at most BUDGET_BYTES (138 kB) gzipped, and no Monaco / xyflow / yaml in it. Lives with
// the e2e suite because that suite always runs right after the build (`npm test`); the same check
// is `node scripts/bundle-size.mjs` by hand.
test('initial JS stays within its budget (138 kB gzipped), heavy modules load lazily', () => {
  const result = measureInitialBundle(path.resolve('dist/client'));
  const report = result.files.map((f) => `${(f.gzip / 1000).toFixed(1)} kB  ${f.file}`).join('\n');
  test.info().annotations.push({ type: 'initial JS (gzip)', description: `${(result.total / 1000).toFixed(1)} kB` });
  expect(result.forbidden, 'heavy modules in the initial bundle').toEqual([]);
  expect(result.total, `initial chunks:\n${report}`).toBeLessThanOrEqual(result.budget);
  expect(result.files.length).toBeGreaterThan(0);
});
