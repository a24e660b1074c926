import { expect as baseExpect, test } from './fixtures';
import { remoteConsole, remoteConsoleLimited, remoteStack } from '../playwright.config';
import { createWorkflow, remoteShot, runWorkflow, stackApi, V2 } from './fixtures/remote';

/**
 * Remote mode, reading: a console proxies to a stand-in for a Formance stack that answers as
 * upstream Flows does (e2e/fixtures/upstream); the console's server holds the client secret and
 * the token. Actions are in remote-actions.spec.ts.
 */

const expect = baseExpect.configure({ timeout: 15_000 });

test.describe('remote mode', () => {
  test.slow();

  test('the stack refuses a call without a token: an empty 401 with a JSON content type', async ({ request }) => {
    const r = await request.get(`${remoteStack.url}${V2}/workflows`);
    expect(r.status()).toBe(401);
    expect(r.headers()['content-type']).toBe('application/json');
    expect(await r.text()).toBe('');
  });

  test('the console shows the stack, its Flows version and health, its data, and never the credentials', async ({ page }) => {
    const seen: string[] = [];
    page.on('request', (req) => {
      if (req.headers()['authorization']) seen.push(`authorization header on ${req.url()}`);
    });
    page.on('response', async (res) => {
      if (!res.url().startsWith(remoteConsole.url)) return;
      const body = await res.text().catch(() => '');
      if (body.includes(remoteStack.clientSecret) || /"access_token"|eyJ[\w-]+\.[\w-]+\./.test(body)) seen.push(`credential in ${res.url()}`);
    });

    await page.goto(`${remoteConsole.url}/workflows`);
    const status = page.getByTestId('connection-status');
    await expect(status).toContainText('Remote stack', { timeout: 30_000 });
    await expect(status).toContainText(remoteStack.url);
    // The stack's version, from its `/api/orchestration/_info` (it has no `/v2/_info`).
    await expect(page.getByTestId('header-version')).toHaveText(`Flows v${remoteStack.version.replace(/^v/, '')}`);
    await expect(page.getByText('kitchen-sink', { exact: true }).first()).toBeVisible();

    await page.goto(`${remoteConsole.url}/settings`);
    await expect(page.getByTestId('flows-version')).toHaveText(remoteStack.version);
    await expect(page.getByText('Healthy', { exact: true })).toBeVisible();
    await remoteShot(page, 'settings');

    const html = await page.content();
    expect(html).not.toContain(remoteStack.clientSecret);
    expect(seen).toEqual([]);
  });

  test('a client the stack gave no orchestration scope: health is red and names the scope, pages say what the call needed', async ({ page }) => {
    await page.goto(`${remoteConsoleLimited.url}/workflows`);
    // The token was issued (the stack drops scopes silently): only a real read shows the problem.
    await expect(page.getByTestId('connection-problem')).toContainText('orchestration:read', { timeout: 30_000 });
    await expect(page.getByTestId('connection-problem')).toContainText('Unhealthy');
    await expect(page.getByTestId('error-message')).toContainText('needs orchestration:read or orchestration:write');
    await page.goto(`${remoteConsoleLimited.url}/settings`);
    await expect(page.getByRole('main').getByText(/the client needs the orchestration:read scope \(its token grants ledger:read\)/)).toBeVisible();
    await remoteShot(page, 'settings-missing-scope');
  });

  test('stack data: ledger, wallets and payments read from the stack; the events page says what it needs; no sandbox wording', async ({ page }) => {
    const noSandbox = () => expect(page.locator('body')).not.toContainText(/sandbox/i);
    await page.goto(`${remoteConsole.url}/sandbox/ledger`);
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toHaveText(/Stack data\s*Ledger/);
    await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Stack data');
    await page.getByRole('table', { name: 'Accounts of ledger main' }).getByRole('link', { name: 'users:001' }).click();
    await expect(page.getByRole('table', { name: 'Balances of users:001' })).toBeVisible();
    await noSandbox();

    await page.goto(`${remoteConsole.url}/sandbox/wallets`);
    await expect(page.getByRole('heading', { level: 1, name: 'Wallets' })).toBeVisible();
    await expect(page.getByRole('table').first().getByRole('row')).not.toHaveCount(1);
    await noSandbox();

    await page.goto(`${remoteConsole.url}/sandbox/payments`);
    await expect(page.getByRole('heading', { level: 1, name: 'Payments' })).toBeVisible();
    await expect(page.getByRole('table').first().getByRole('row')).not.toHaveCount(1);
    await noSandbox();

    await page.goto(`${remoteConsole.url}/sandbox/events`);
    await expect(page.getByText('Not available with a Formance stack')).toBeVisible();
    await expect(page.getByText('GET /api/console/events')).toBeVisible();
    await noSandbox();
  });

  test('unknown ids read as not found, though the stack answers HTTP 500', async ({ page }) => {
    await page.goto(`${remoteConsole.url}/instances/no-such-instance`);
    const notFound = page.getByTestId('not-found');
    await expect(notFound).toContainText('No instance with this id');
    // The console cannot search a stack's instances by id: no such offer.
    await expect(notFound.getByRole('link', { name: /Search instances/ })).toHaveCount(0);
    await notFound.getByText('What the server answered').click();
    await expect(notFound).toContainText('(the stack answers an unknown id with HTTP 500)');
    await page.goto(`${remoteConsole.url}/workflows/5f1a3c1e-0000-4000-8000-000000000000`);
    await expect(notFound).toContainText('No workflow with this id');
    await notFound.getByText('What the server answered').click();
    await expect(notFound.getByTestId('error-message')).toHaveText('sql: no rows in result set');
  });

  test('the palette jumps to workflows and instances by id, and offers no publishing by hand', async ({ page, request }) => {
    const stack = stackApi(request);
    const id = await runWorkflow(stack, await createWorkflow(stack, 'palette-remote', [{ noop: {} }]));
    await page.goto(`${remoteConsole.url}/workflows`);
    await expect(page.getByTestId('connection-status')).toContainText('Remote stack');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    const input = palette.getByRole('combobox');
    await expect(input).toBeFocused();
    await input.fill('publish');
    await expect(palette.getByRole('option', { name: /Publish an event/ })).toHaveCount(0);
    await input.fill('kitchen-sink');
    await expect(palette.getByRole('option', { name: /kitchen-sink/ }).first()).toBeVisible();
    await input.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'kitchen-sink' })).toBeVisible();
    await page.keyboard.press('Control+k');
    await input.fill(id);
    await expect(palette.getByRole('option').first()).toContainText(id);
    await input.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/instances/${id}$`));
  });
});
