import { expect, test } from '@playwright/test';
import { remoteConsole, remoteStack } from '../playwright.config';

/**
 * Remote mode through the proxy with auth: the console at remoteConsole proxies /api/* to a
 * stack that requires client-credentials tokens; the server holds the secret and the token.
 */
test.describe('remote mode', () => {
  test.slow();
  test('the stack refuses requests without a token', async ({ request }) => {
    const r = await request.get(`${remoteStack.url}/api/orchestration/v2/workflows`);
    expect(r.status()).toBe(401);
  });

  test('the console shows the remote stack and its data, and never the credentials', async ({ page }) => {
    const seen: string[] = [];
    page.on('request', (req) => {
      const auth = req.headers()['authorization'];
      if (auth) seen.push(`authorization header on ${req.url()}`);
    });
    page.on('response', async (res) => {
      if (!res.url().startsWith(remoteConsole.url)) return;
      const body = await res.text().catch(() => '');
      if (body.includes(remoteStack.clientSecret) || /"access_token"/.test(body)) seen.push(`credential in ${res.url()}`);
    });

    await page.goto(`${remoteConsole.url}/workflows`);
    await expect(page.getByText('Remote stack').first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(remoteStack.url).first()).toBeVisible({ timeout: 20_000 });
    // Seeded workflows of the stack, read through the proxy with the server's token.
    await expect(page.getByText('kitchen-sink', { exact: true }).first()).toBeVisible({ timeout: 20_000 });

    await page.goto(`${remoteConsole.url}/sandbox/ledger`);
    // The stack's ledgers are offered in the ledger picker.
    await expect(page.locator('option[value="main"]')).toHaveCount(1, { timeout: 20_000 });

    const html = await page.content();
    expect(html).not.toContain(remoteStack.clientSecret);
    expect(seen).toEqual([]);
  });

  test('instances: only the filters upstream Flows honours are offered, and they are sent as it reads them', async ({ page }) => {
    await page.goto(`${remoteConsole.url}/instances?status=failed&q=abc&order=desc`);
    await expect(page.getByTestId('remote-filters-note')).toContainText('filters instances by workflow and running state only');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instances');
    await expect(page.getByText('oldest first').first()).toBeVisible();
    await expect(page.getByRole('searchbox', { name: 'Search by instance id' })).toHaveCount(0);
    await expect(page.getByLabel('Started by')).toHaveCount(0);
    const status = page.getByLabel('Status', { exact: true });
    await expect(status.locator('option')).toHaveText(['All', 'Running']);
    await expect(status).toHaveValue('all'); // status=failed cannot be honoured: shown as All
    const request = page.waitForRequest((r) => r.url().includes('/api/orchestration/v2/instances?') && r.url().includes('running=true'));
    await status.selectOption('running');
    const url = new URL((await request).url());
    expect(url.searchParams.get('status')).toBeNull();
    expect(url.searchParams.get('order')).toBeNull();

    // Upstream does not record provenance: no "Started by" column, and the detail says so.
    await expect(page.getByRole('columnheader', { name: /Started by/ })).toHaveCount(0);
    const created = await page.request.post(`${remoteConsole.url}/api/orchestration/v2/workflows`, { data: { name: 'remote-provenance', stages: [{ noop: {} }] } });
    expect(created.status()).toBe(201);
    const workflowID = ((await created.json()) as { data: { id: string } }).data.id;
    const run = await page.request.post(`${remoteConsole.url}/api/orchestration/v2/workflows/${workflowID}/instances`, { data: {} });
    const instanceID = ((await run.json()) as { data: { id: string } }).data.id;
    await page.goto(`${remoteConsole.url}/instances/${instanceID}`);
    await expect(page.getByTestId('provenance')).toHaveText('Not reported by the stack');

    // Triggers: upstream's name filter answers 500, so the console searches every trigger itself.
    const suffix = Date.now().toString(36);
    for (const name of [`remote-Deposit-${suffix}`, `remote-payout-${suffix}`]) {
      const trigger = await page.request.post(`${remoteConsole.url}/api/orchestration/v2/triggers`, { data: { name, event: 'SAVED_PAYMENT', workflowID } });
      expect(trigger.status()).toBe(201);
    }
    const nameFilters: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/orchestration/v2/triggers') && new URL(r.url()).searchParams.has('name')) nameFilters.push(r.url());
    });
    await page.goto(`${remoteConsole.url}/triggers?name=deposit-${suffix}`);
    const triggers = page.getByRole('table', { name: 'Triggers' });
    await expect(triggers.getByRole('link', { name: `remote-Deposit-${suffix}` })).toBeVisible();
    await expect(triggers.getByRole('link', { name: `remote-payout-${suffix}` })).toHaveCount(0);
    await expect(page.getByText('The name search runs in the console')).toBeVisible();
    expect(nameFilters).toEqual([]);

    // Workflow counts: running only (there is no failed filter upstream).
    await page.goto(`${remoteConsole.url}/workflows`);
    const counts = page.getByTestId('instance-counts').first();
    await expect(counts).toContainText('running', { timeout: 20_000 });
    await expect(counts).not.toContainText('failed');
  });
});
