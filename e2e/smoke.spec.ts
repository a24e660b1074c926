import { expect, test } from './fixtures';

// The smallest end-to-end check: the real built server serves the console and the API. Only the
// document title and the API are asserted, so the console can evolve freely.
test('serves the console and the Flows API', async ({ page, api }) => {
  const info = await api.get<{ version: unknown }>('/api/orchestration/_info');
  expect(typeof info.version).toBe('string');

  await page.goto('/');
  await expect(page).toHaveTitle(/Flows Console/);
});
