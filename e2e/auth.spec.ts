import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { authServer } from '../playwright.config';
import { expect, test, uniqueName } from './fixtures';

// The console's sign-in against the embedded server started with AUTH_CLIENTS (playwright.config.ts:
// `authServer`). `UPDATE_SCREENSHOTS=1` refreshes
// docs/screenshots/sign-in-{light,dark}.png.

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;
const COOKIE = 'flows_console_session';

/** Console errors other than the browser's own "Failed to load resource: … 401" lines. */
function unexpectedErrors(errors: string[]): string[] {
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 401/.test(e));
}

async function axeSerious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}) — ${v.help}: ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

test.describe('sign-in (AUTH_CLIENTS, AUTH_USERS)', () => {
  test.describe.configure({ timeout: 60_000 });

  test('a deep link asks to sign in, refuses a wrong secret, then opens the page; the token stays out of reach; sign out', async ({ page, request, consoleErrors }) => {
    // A workflow of this test, made by a program with a bearer token.
    const token = (
      await (
        await request.post(`${authServer.url}/api/auth/oauth/token`, {
          form: { grant_type: 'client_credentials', client_id: authServer.clientId, client_secret: authServer.clientSecret },
        })
      ).json()
    ).access_token as string;
    const name = uniqueName('signin');
    const created = await request.post(`${authServer.url}/api/orchestration/v2/workflows`, {
      headers: { authorization: `Bearer ${token}` },
      data: { name, stages: [{ noop: {} }] },
    });
    expect(created.status()).toBe(201);
    const workflowID = (await created.json()).data.id as string;

    // Every response body the console receives, to look for the token afterwards.
    const bodies: string[] = [];
    page.on('response', async (res) => {
      if (!res.url().startsWith(authServer.url)) return;
      bodies.push(await res.text().catch(() => ''));
    });

    await page.setViewportSize({ width: 1400, height: 880 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    const deepLink = `${authServer.url}/workflows/${workflowID}?tz=utc`;
    await page.goto(deepLink);
    const signInHeading = page.getByRole('heading', { level: 1, name: 'Sign in' });
    await expect(signInHeading).toBeVisible({ timeout: 20_000 });
    await expect(page).toHaveURL(deepLink);
    await expect(page.getByRole('complementary')).toHaveCount(0); // no console behind it
    // This server has people (AUTH_USERS) too: their name and password come first.
    await expect(page.getByRole('button', { name: 'Name and password' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
    await page.getByRole('button', { name: 'Client credentials' }).click();
    await expect(page.getByLabel('Client ID')).toBeFocused();
    await expect(page.getByLabel('Client secret')).toHaveAttribute('type', 'password');

    expect(await axeSerious(page)).toEqual([]);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/sign-in-light.png` });
    }

    // Wrong secret: a clear error, still signed out.
    await page.getByLabel('Client ID').fill(authServer.clientId);
    await page.getByLabel('Client secret').fill('not-the-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('Wrong client ID or secret');
    await expect(page.getByLabel('Client secret')).toHaveValue('');
    await expect(page.getByLabel('Client secret')).toBeFocused();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain(COOKIE);
    expect(await axeSerious(page)).toEqual([]);

    // Right secret: the deep-linked page loads with its data.
    await page.getByLabel('Client secret').fill(authServer.clientSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 20_000 });
    await expect(page).toHaveURL(deepLink);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByTestId('session-name')).toHaveText(authServer.clientId);
    await expect(page.getByTestId('session-role')).toHaveCount(0); // no role: full access
    await expect(page.getByTestId('connection-status')).toContainText('Embedded sandbox');
    // …and the rest of the console works on the session.
    await page.getByRole('complementary').getByRole('link', { name: 'Workflows', exact: true }).click();
    await expect(page.getByRole('table', { name: 'Workflows' })).toContainText(name);
    await expect(page.getByRole('table', { name: 'Workflows' })).toContainText('kitchen-sink');

    // The token: in an HttpOnly, SameSite=Strict cookie, never readable by scripts or in a body.
    const session = (await page.context().cookies()).find((c) => c.name === COOKIE);
    expect(session).toBeDefined();
    expect(session!).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
    const sessionToken = session!.value;
    expect(sessionToken.split('.')).toHaveLength(3);
    const scriptCookies = await page.evaluate(() => document.cookie);
    expect(scriptCookies).not.toContain(sessionToken);
    expect(scriptCookies).not.toContain(COOKIE);
    expect(bodies.length).toBeGreaterThan(3);
    expect(bodies.filter((b) => b.includes(sessionToken) || b.includes(authServer.clientSecret))).toEqual([]);
    expect(await page.content()).not.toContain(sessionToken);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(sessionToken);

    // Sign out: the sign-in screen again, the cookie gone, also after a reload.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(signInHeading).toBeVisible();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain(COOKIE);
    await page.reload();
    await expect(signInHeading).toBeVisible({ timeout: 20_000 });
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await expect(page.locator('html')).toHaveClass(/dark/);
    expect(await axeSerious(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/sign-in-dark.png` });

    // And signing in again works from there (stale state forgotten).
    await page.getByRole('button', { name: 'Client credentials' }).click();
    await page.getByLabel('Client ID').fill(authServer.clientId);
    await page.getByLabel('Client secret').fill(authServer.clientSecret);
    await page.getByLabel('Client secret').press('Enter');
    await expect(page.getByRole('table', { name: 'Workflows' })).toContainText(name, { timeout: 20_000 });

    expect(unexpectedErrors(consoleErrors)).toEqual([]);
  });

  // The journey starts on a page that reads nothing by itself (no running rows, no live topics):
  // a page that keeps reading (the instance list's running rows) is refused on its own next read
  // and shows the sign-in screen before any click — the journey must not race it.
  test('an expired session brings the sign-in screen back on the next request', async ({ page }) => {
    await page.goto(`${authServer.url}/workflows`);
    await page.getByRole('button', { name: 'Client credentials' }).click();
    await page.getByLabel('Client ID').fill(authServer.clientId);
    await page.getByLabel('Client secret').fill(authServer.clientSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('table', { name: 'Workflows' })).toContainText('kitchen-sink', { timeout: 20_000 });
    // What an expired cookie looks like to the server: a token it no longer accepts.
    const [session] = (await page.context().cookies()).filter((c) => c.name === COOKIE);
    await page.context().addCookies([{ ...session!, value: `${session!.value.slice(0, -4)}AAAA` }]);
    await page.getByRole('complementary').getByRole('link', { name: 'Triggers', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible({ timeout: 20_000 });
    await expect(page).toHaveURL(/\/triggers$/);
  });

  test('without AUTH_CLIENTS nothing changes: no sign-in, no session in the header', async ({ page, consoleErrors }) => {
    await page.goto('/workflows');
    await expect(page.getByRole('heading', { level: 1, name: 'Workflows' })).toBeVisible();
    await expect(page.getByTestId('connection-status')).toContainText('Embedded sandbox');
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expect(page.getByTestId('session')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });
});
