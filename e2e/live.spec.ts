import type { Page, Request } from '@playwright/test';
import { expect, test, uniqueName, type Api } from './fixtures';

// Live updates: the instance page is kept fresh by the tab's one server-sent-events stream; it polls
// only while the stream is down, and a stream dropped mid-run still ends on the right page.

const V2 = '/api/orchestration/v2';

async function startRun(api: Api, stages: unknown[]) {
  const { data: wf } = await api.post<{ data: { id: string } }>(`${V2}/workflows`, { name: uniqueName('live'), stages });
  const { data } = await api.post<{ data: { id: string } }>(`${V2}/workflows/${wf.id}/instances`, {});
  return data.id;
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const instanceReads = (id: string) => (request: Request) => request.method() === 'GET' && new URL(request.url()).pathname.startsWith(`${V2}/instances/${id}`);

test.describe('live updates', () => {
  test.describe.configure({ timeout: 90_000 });

  test('the instance page moves with the stream and does not poll while it is up', async ({ page, api, consoleErrors }) => {
    const id = await startRun(api, [{ wait_event: { event: 'go' } }, { delay: { duration: '4s' } }, { noop: {} }]);
    const stream = page.waitForResponse((r) => r.url().includes('/api/console/live?') && r.url().includes(encodeURIComponent(`${V2}/instances/${id}`)));
    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Waiting');
    expect((await stream).headers()['content-type']).toMatch(/^text\/event-stream/);
    // Once the stream carries the page's reads, the page stops asking for them itself.
    await expect(page.locator('html')).toHaveAttribute('data-live', 'streaming');
    const reads: string[] = [];
    const isRead = instanceReads(id);
    page.on('request', (r) => {
      if (isRead(r)) reads.push(r.url());
    });
    await api.post(`${V2}/instances/${id}/events`, { name: 'go' });
    await expect(page.getByTestId('timeline-stage-2')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
    await expect(heading(page)).toContainText('Succeeded', { timeout: 20_000 });
    for (const n of [1, 2, 3]) await expect(page.getByTestId(`timeline-stage-${n}`)).toHaveAttribute('data-state', 'succeeded');
    // Polling every 500 ms over the 4 s delay would be 8+ reads of each query; the stream pushed
    // them. What the page reads itself is a stage's activities when that stage starts, once each.
    const path = (url: string) => new URL(url).pathname;
    expect(reads.filter((url) => !/\/stages\/\d+\/history$/.test(path(url)))).toEqual([]);
    expect(new Set(reads).size).toBe(reads.length);
    expect(consoleErrors).toEqual([]);
  });

  test('a stream dropped mid-run: the page ends on the final state once the network is back', async ({ page, api, context }) => {
    const id = await startRun(api, [{ wait_event: { event: 'go' } }, { delay: { duration: '2s' } }, { delay: { duration: '2s' } }, { noop: {} }]);
    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Waiting');
    await api.post(`${V2}/instances/${id}/events`, { name: 'go' });
    await expect(page.getByTestId('timeline-stage-2')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
    // The connection drops (the stream with it) while the instance goes on running.
    await context.setOffline(true);
    await expect.poll(async () => (await api.get<{ data: { terminated: boolean } }>(`${V2}/instances/${id}`)).data.terminated, { timeout: 20_000 }).toBe(true);
    await context.setOffline(false);
    await expect(heading(page)).toContainText('Succeeded', { timeout: 15_000 });
    for (const n of [1, 2, 3, 4]) await expect(page.getByTestId(`timeline-stage-${n}`)).toHaveAttribute('data-state', 'succeeded');
  });

  test('when the stream cannot be opened, the page polls and still moves live', async ({ page, api }) => {
    await page.route('**/api/console/live?**', (route) => route.abort());
    const id = await startRun(api, [{ wait_event: { event: 'go' } }, { delay: { duration: '2s' } }, { noop: {} }]);
    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Waiting');
    await expect(page.locator('html')).toHaveAttribute('data-live', 'polling');
    const reads: string[] = [];
    const isRead = instanceReads(id);
    page.on('request', (r) => {
      if (isRead(r)) reads.push(r.url());
    });
    await api.post(`${V2}/instances/${id}/events`, { name: 'go' });
    await expect(heading(page)).toContainText('Succeeded', { timeout: 20_000 });
    for (const n of [1, 2, 3]) await expect(page.getByTestId(`timeline-stage-${n}`)).toHaveAttribute('data-state', 'succeeded');
    expect(reads.length).toBeGreaterThan(0);
  });
});
