import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { remoteConsole } from '../playwright.config';
import { expect, test, uniqueName, type Api } from './fixtures';

// The audit log in the browser against the real server: a write made in the console is recorded
// with its reason and shown on the instance page, its workflow's activity and the Audit page.
// Screenshots (light and dark) go to the test's output folder, and to docs/screenshots/audit-*.png
// with `UPDATE_SCREENSHOTS=1`.

const V2 = '/api/orchestration/v2';
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;

async function waitingInstance(api: Api, prefix: string) {
  const name = uniqueName(prefix);
  const wf = (await api.post<{ data: { id: string } }>(`${V2}/workflows`, { name, stages: [{ wait_event: { event: 'never' } }] })).data.id;
  const instance = (await api.post<{ data: { id: string } }>(`${V2}/workflows/${wf}/instances`, {})).data.id;
  return { name, wf, instance };
}

async function shoot(page: Page, name: string, outputPath: (name: string) => string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    if (scheme === 'dark') await expect(page.locator('html')).toHaveClass(/dark/);
    else await expect(page.locator('html')).not.toHaveClass(/dark/);
    await page.screenshot({ path: outputPath(`${name}-${scheme}.png`) });
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('audit log', () => {
  test.describe.configure({ timeout: 90_000 });

  test('an abort with a reason is recorded: the instance says who and why; the Audit page filters and exports it', async ({ page, api, consoleErrors }, info) => {
    const { name, wf, instance } = await waitingInstance(api, 'audited');
    await page.goto(`/instances/${instance}`);
    await page.getByRole('button', { name: 'Abort', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Abort this instance?' });
    await dialog.getByLabel(/Reason/).fill('duplicate payout — ticket 4411');
    await dialog.getByRole('button', { name: 'Abort instance' }).click();
    await expect(page.getByRole('status').getByText('Instance aborted')).toBeVisible();
    await expect(page.getByTestId('aborted-by')).toContainText('Aborted by local, no sign-in — duplicate payout — ticket 4411');
    const activity = page.getByRole('list', { name: 'Activity' });
    await expect(activity.getByRole('listitem')).toHaveCount(2);
    await expect(activity.getByRole('listitem').first()).toContainText('aborted instance');
    await expect(activity.getByRole('listitem').nth(1)).toContainText('ran workflow');

    // The workflow's page lists its creation and its run.
    await page.goto(`/workflows/${wf}`);
    await expect(page.getByRole('list', { name: 'Activity' }).getByRole('listitem')).toHaveCount(2);
    await expect(page.getByRole('list', { name: 'Activity' })).toContainText('created workflow');

    // The Audit page, filtered to aborts: this one, with its reason.
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await page.getByLabel('Action', { exact: true }).selectOption('instance.abort');
    await expect(page).toHaveURL(/action=instance\.abort/);
    const row = page.getByRole('row').filter({ hasText: 'ticket 4411' });
    await expect(row).toContainText('local, no sign-in');
    await expect(row).toContainText('aborted instance');
    await expect(row).toContainText('succeeded');
    await expect(page.getByRole('row').filter({ hasText: 'ran workflow' })).toHaveCount(0);
    await shoot(page, 'audit', info.outputPath.bind(info));

    // The export carries the same filter.
    const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const csv = await api.request.get(`/api/console/audit/export?format=csv&action=instance.abort&targetId=${instance}`);
    expect(await csv.text()).toContain('duplicate payout — ticket 4411');
    expect(name).toBeTruthy();
    expect(consoleErrors).toEqual([]);
  });

  test('remote mode: writes through the proxy are recorded in the console’s own store, with what the stack answered', async ({ page, request }) => {
    const name = uniqueName('remote-audited');
    const created = await request.post(`${remoteConsole.url}${V2}/workflows`, { data: { name, stages: [{ noop: {} }] } });
    expect(created.status()).toBe(201);
    const bad = await request.post(`${remoteConsole.url}${V2}/workflows`, { data: { name: `${name}-bad`, stages: [{ nonsense: {} }] } });
    // The stack refuses it (its own status: the e2e stack answers as upstream Flows does).
    expect(bad.status()).toBeGreaterThanOrEqual(400);
    const refusal = (await bad.json()) as { errorCode: string };
    await page.goto(`${remoteConsole.url}/audit?action=workflow`);
    // What the stack created is named by its id (the proxy streams bodies on without keeping them).
    const workflowID = ((await created.json()) as { data: { id: string } }).data.id;
    await expect(page.getByRole('row').filter({ hasText: workflowID.slice(0, 8) })).toContainText('succeeded');
    const failed = page
      .getByRole('row')
      .filter({ hasText: `failed (${bad.status()} ${refusal.errorCode})` })
      .first();
    await expect(failed).toBeVisible();
    await expect(failed).toBeVisible();
    await failed.getByText('request').first().click();
    await expect(failed).toContainText('answered by');
    await expect(failed).toContainText('the stack');
  });
});
