import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, uniqueName, type Api } from './fixtures';

// Console shell journeys against the real server (seeded data dir, see playwright.config.ts).
// `UPDATE_SCREENSHOTS=1 npx playwright test e2e/shell.spec.ts --grep axe` refreshes docs/screenshots/.

const SECTIONS = [
  { name: 'overview', link: 'Overview', path: '/', heading: 'Overview' },
  { name: 'workflows', link: 'Workflows', path: '/workflows', heading: 'Workflows' },
  { name: 'instances', link: 'Instances', path: '/instances', heading: 'Instances' },
  { name: 'triggers', link: 'Triggers', path: '/triggers', heading: 'Triggers' },
  { name: 'ledger', link: 'Ledger', path: '/sandbox/ledger', heading: 'Ledger' },
  { name: 'wallets', link: 'Wallets', path: '/sandbox/wallets', heading: 'Wallets' },
  { name: 'payments', link: 'Payments', path: '/sandbox/payments', heading: 'Payments' },
  { name: 'events', link: 'Events', path: '/sandbox/events', heading: 'Events' },
  { name: 'settings', link: 'Settings', path: '/settings', heading: 'Settings' },
] as const;

/** Set to refresh docs/screenshots/ while the journeys run. */
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

/** A workflow of one noop stage and one finished run of it, made through the API for this test alone. */
async function workflowWithRun(api: Api, prefix: string) {
  const name = uniqueName(prefix);
  const { data: workflow } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/workflows', { name, stages: [{ noop: {} }] });
  const { data: instance } = await api.post<{ data: { id: string } }>(`/api/orchestration/v2/workflows/${workflow.id}/instances`, {});
  await expect
    .poll(async () => (await api.get<{ data: { terminated: boolean } }>(`/api/orchestration/v2/instances/${instance.id}`)).data.terminated, { timeout: 10_000 })
    .toBe(true);
  return { name, workflowID: workflow.id, instanceID: instance.id };
}

test.describe('console shell', () => {
  test('navigates every section from the sidebar', async ({ page, consoleErrors }) => {
    test.slow(); // ten pages, each loaded and checked; over 30 s on a busy machine
    await page.goto('/');
    await expect(heading(page, 'Overview')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toContainText('Embedded sandbox');
    const nav = page.getByRole('complementary');
    for (const s of SECTIONS) {
      await nav.getByRole('link', { name: s.link, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${s.path}(\\?|$)`));
      await expect(heading(page, s.heading)).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
    }
    // Seeded data shows up in the lists, with money in asset precision.
    await page.goto('/sandbox/wallets');
    await expect(page.getByRole('table', { name: 'Wallets' })).toContainText(/\d\.\d\d USD/);
    expect(consoleErrors).toEqual([]);
  });

  test('a deep link with search params restores the view', async ({ page, api }) => {
    const { name, workflowID, instanceID } = await workflowWithRun(api, 'deeplink');

    await page.goto(`/workflows?q=${name}`);
    await expect(page.getByRole('searchbox', { name: 'Search workflows by name or id' })).toHaveValue(name);
    const workflows = page.getByRole('table', { name: 'Workflows' });
    await expect(workflows.getByRole('row')).toHaveCount(2); // header + the one match
    await expect(workflows).toContainText(name);

    await page.goto(`/instances?workflowID=${workflowID}&status=succeeded&pageSize=50`);
    await expect(page.getByLabel('Workflow', { exact: true })).toHaveValue(workflowID);
    await expect(page.getByLabel('Status', { exact: true })).toHaveValue('succeeded');
    await expect(page.getByLabel('Page size')).toHaveValue('50');
    const instances = page.getByRole('table', { name: 'Instances' });
    await expect(instances.getByRole('row')).toHaveCount(2);
    await expect(instances.getByRole('link', { name: instanceID.slice(0, 8), exact: false })).toBeVisible();

    await page.goto('/sandbox/ledger?ledger=main&tab=transactions');
    await expect(page.getByRole('link', { name: 'Transactions' })).toHaveClass(/border-accent/);
    await expect(page.getByRole('table', { name: 'Transactions of ledger main' })).toBeVisible();

    await page.goto('/sandbox/payments?tab=connectors');
    await expect(page.getByRole('table', { name: 'Connectors' })).toBeVisible();

    // Changing a filter writes it back to the URL.
    await page.goto('/instances');
    await page.getByLabel('Status', { exact: true }).selectOption('running');
    await expect(page).toHaveURL(/status=running/);
    // Garbage in the URL falls back to defaults instead of breaking the page.
    await page.goto('/instances?status=bogus&pageSize=-3');
    await expect(page.getByLabel('Status', { exact: true })).toHaveValue('all');
    await expect(page.getByLabel('Page size')).toHaveValue('15');
  });

  test('back and forward restore earlier views', async ({ page }) => {
    await page.goto('/workflows');
    const nav = page.getByRole('complementary');
    await nav.getByRole('link', { name: 'Instances', exact: true }).click();
    await expect(heading(page, 'Instances')).toBeVisible();
    await page.getByLabel('Status', { exact: true }).selectOption('running');
    await expect(page).toHaveURL(/status=running/);
    await nav.getByRole('link', { name: 'Triggers', exact: true }).click();
    await expect(heading(page, 'Triggers')).toBeVisible();

    await page.goBack();
    await expect(heading(page, 'Instances')).toBeVisible();
    await expect(page.getByLabel('Status', { exact: true })).toHaveValue('running');
    await page.goBack();
    await expect(page.getByLabel('Status', { exact: true })).toHaveValue('all');
    await page.goBack();
    await expect(heading(page, 'Workflows')).toBeVisible();
    await page.goForward();
    await page.goForward();
    await expect(page.getByLabel('Status', { exact: true })).toHaveValue('running');
    await page.goForward();
    await expect(heading(page, 'Triggers')).toBeVisible();
  });

  test('the theme toggle persists across reloads', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/workflows');
    const html = page.locator('html');
    await expect(html).not.toHaveClass(/dark/);
    await page.getByTestId('theme-toggle').click();
    await expect(html).toHaveClass(/dark/);
    await page.reload();
    await expect(heading(page, 'Workflows')).toBeVisible();
    await expect(html).toHaveClass(/dark/);
    // Settings offers the explicit choice; "System" follows the OS again.
    await page.goto('/settings');
    await expect(page.getByRole('radio', { name: 'Dark' })).toHaveAttribute('aria-checked', 'true');
    await page.getByRole('radio', { name: 'System' }).click();
    await expect(html).not.toHaveClass(/dark/);
    await page.reload();
    await expect(html).not.toHaveClass(/dark/);
  });

  test('the command palette jumps to workflows, instances and pages', async ({ page, api }) => {
    // It starts 105 instances (to push one out of the palette's latest 100): more than the default budget.
    test.setTimeout(60_000);
    const { name, workflowID, instanceID } = await workflowWithRun(api, 'palette');
    await page.goto('/sandbox/events');
    await expect(heading(page, 'Events')).toBeVisible();

    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    const input = palette.getByRole('combobox');
    await expect(input).toBeFocused();
    await input.fill(name);
    await expect(palette.getByRole('option', { name: new RegExp(name) }).first()).toBeVisible();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/command-palette.png` });
    await input.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/workflows/${workflowID}$`));
    await expect(heading(page, name)).toBeVisible();
    await expect(palette).toBeHidden();

    // An instance by id, even one that is not among the recent ones.
    await page.keyboard.press('Control+k');
    await input.fill(instanceID);
    await expect(palette.getByRole('option').first()).toContainText(instanceID);
    await input.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/instances/${instanceID}$`));
    await expect(palette).toBeHidden();
    await expect(page.getByRole('main').getByText(instanceID).first()).toBeVisible();

    // The 8-character form the console shows, for an instance older than the latest 100.
    const many = await api.post<{ data: { id: string } }>('/api/orchestration/v2/workflows', { name: `${name}-crowd`, stages: [{ noop: {} }] });
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(Array.from({ length: 21 }, () => api.post(`/api/orchestration/v2/workflows/${many.data.id}/instances`, {})));
    }
    await page.keyboard.press('Control+k');
    await input.fill(instanceID.slice(0, 8));
    await expect(palette.getByRole('option').first()).toContainText(instanceID);
    await expect(palette.getByRole('option', { name: /^Open instance/ })).toHaveCount(0);
    await input.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/instances/${instanceID}$`));
    await expect(palette).toBeHidden();

    // Navigation actions, with the keyboard.
    await page.keyboard.press('Control+k');
    await input.fill('wallets');
    await expect(palette.getByRole('option', { name: 'Go to Wallets' })).toHaveAttribute('aria-selected', 'true');
    await input.press('Enter');
    await expect(heading(page, 'Wallets')).toBeVisible();

    // Escape closes without navigating.
    await page.getByRole('button', { name: 'Open command palette' }).click();
    await expect(palette).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();
    await expect(page).toHaveURL(/\/sandbox\/wallets$/);
  });

  test('an unknown id says what was not found and leads back to its list, without a useless retry', async ({ page }) => {
    await page.goto('/instances/no-such-instance-42');
    const alert = page.getByTestId('not-found');
    await expect(alert).toContainText('No instance with this id');
    await expect(alert).toContainText('There is no instance no-such-instance-42');
    await expect(alert.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    // The server's answer is one click away, not the headline.
    await expect(alert.getByTestId('error-code')).toBeHidden();
    await alert.getByText('What the server answered').click();
    await expect(alert.getByTestId('error-code')).toHaveText('NOT_FOUND');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/error-unknown-instance.png` });
    await alert.getByRole('link', { name: 'All instances' }).click();
    await expect(heading(page, 'Instances')).toBeVisible();
    for (const [path, what, back] of [
      ['/workflows/00000000-0000-4000-8000-000000000000', 'No workflow with this id', 'All workflows'],
      ['/triggers/00000000-0000-4000-8000-000000000000', 'No trigger with this id', 'All triggers'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByTestId('not-found')).toContainText(what);
      await expect(page.getByTestId('not-found').getByRole('link', { name: back })).toBeVisible();
    }

    await page.goto('/no/such/page');
    await expect(page.getByText('Page not found')).toBeVisible();
  });

  test('aborting a running instance asks first, then shows a toast', async ({ page, api }) => {
    const name = uniqueName('abort');
    const { data: workflow } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/workflows', { name, stages: [{ wait_event: { event: 'never' } }] });
    const { data: instance } = await api.post<{ data: { id: string } }>(`/api/orchestration/v2/workflows/${workflow.id}/instances`, {});
    await page.goto(`/instances/${instance.id}`);
    await expect(page.getByText('Running').first()).toBeVisible();
    await page.getByRole('button', { name: 'Abort', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Abort this instance?' });
    await expect(dialog).toContainText('canceled');
    await dialog.getByRole('button', { name: 'Abort instance' }).click();
    await expect(page.getByRole('status').getByText('Instance aborted')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Aborted');
    await expect(page.getByRole('button', { name: 'Abort', exact: true })).toBeDisabled();
  });
});

test.describe('accessibility', () => {
  // axe is CPU-heavy: leave room on a busy 2-core machine.
  test.describe.configure({ timeout: 60_000 });
  const shots = SHOTS;
  if (shots) mkdirSync(shots, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    for (const s of SECTIONS) {
      test(`${s.name} (${theme}): no serious or critical axe violations`, async ({ page }) => {
        await page.setViewportSize({ width: 1400, height: 880 });
        await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
        await page.goto(s.path);
        await expect(heading(page, s.heading)).toBeVisible();
        await expect(page.locator('html')).toHaveClass(theme === 'dark' ? /dark/ : /^(?!.*dark)/);
        await expect(page.locator('[aria-label="Loading"]')).toHaveCount(0);
        const results = await new AxeBuilder({ page }).analyze();
        const serious = results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.id} (${v.impact}) — ${v.help}: ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 3)
                .join(', ')}`,
          );
        expect(serious).toEqual([]);
        if (shots) await page.screenshot({ path: `${shots}/${s.name}-${theme}.png` });
      });
    }
  }
});
