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
});
