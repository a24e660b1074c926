import type { Page } from '@playwright/test';
import { createWorkflow, expect, test, uniqueName } from './fixtures';

// Pages fit what they hold: a 304-character name without spaces, and a 390 px phone screen. Each
// page is screenshotted at 390 px into test-results/narrow/ (and docs/screenshots/narrow-*.png with
// `UPDATE_SCREENSHOTS=1`) so a person can look at them.

const shots = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;
const V2 = '/api/orchestration/v2';
test.describe.configure({ timeout: 120_000 });

/** How far the page scrolls sideways: the window and the <main> scroller (0 = it fits). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const main = document.getElementById('main')!;
    return Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth, main.scrollWidth - main.clientWidth);
  });
}

test('a 304-character name without spaces is cut in tables (full on hover) and shown in full on its page', async ({ page, api }) => {
  const name = `${uniqueName('long')}-${'x'.repeat(300)}`.slice(0, 304);
  expect(name).toHaveLength(304);
  const { data: created } = await api.post<{ data: { id: string } }>(`${V2}/workflows`, { name, stages: [{ wait_event: { event: 'approved' } }] });
  const id = created.id;
  await api.post(`${V2}/workflows/${id}/instances`, {});
  await api.post(`${V2}/triggers`, { name, event: 'SAVED_PAYMENT', workflowID: id });

  await page.goto(`/workflows?q=${name.slice(0, 20)}`);
  const row = page
    .getByRole('table', { name: 'Workflows' })
    .getByRole('row')
    .filter({ hasText: name.slice(0, 20) });
  await expect(row.getByRole('link', { name, exact: true })).toHaveAttribute('title', name);
  await expect(row.getByRole('button', { name: `Run ${name}` })).toBeInViewport();
  expect(await sidewaysOverflow(page)).toBe(0);

  await page.goto(`/workflows/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeInViewport();
  expect(await sidewaysOverflow(page)).toBe(0);

  for (const path of [`/instances?workflowID=${id}`, '/triggers', '/instances']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('table').first()).toBeVisible();
    expect(await sidewaysOverflow(page), path).toBe(0);
  }
});

test.describe('at 390 px', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('every page fits; the builder toolbar, Send event and the instance status stay reachable', async ({ page, api }, info) => {
    const { id: wf } = await createWorkflow(api, 'payout-approval', [{ wait_event: { event: 'approved' } }, { noop: {} }]);
    const { data: run } = await api.post<{ data: { id: string } }>(`${V2}/workflows/${wf}/instances`, {});
    const shoot = async (name: string) => {
      await page.screenshot({ path: info.outputPath(`narrow-${name}.png`), fullPage: true });
      if (shots) await page.screenshot({ path: `${shots}/narrow-${name}.png`, fullPage: true });
    };

    const pages: [string, string][] = [
      ['workflows', '/workflows'],
      ['workflow', `/workflows/${wf}`],
      ['builder', '/workflows/new'],
      ['instances', '/instances'],
      ['instance', `/instances/${run.id}`],
      ['triggers', '/triggers'],
      ['ledger', '/sandbox/ledger'],
      ['wallets', '/sandbox/wallets'],
      ['payments', '/sandbox/payments'],
      ['events', '/sandbox/events'],
      ['settings', '/settings'],
    ];
    for (const [name, path] of pages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(await sidewaysOverflow(page), path).toBe(0);
      await shoot(name);
    }

    // The builder: every action of the toolbar is on screen.
    await page.goto('/workflows/new');
    for (const label of ['Import', 'Export JSON', 'Export YAML', 'Create workflow']) await expect(page.getByRole('button', { name: label })).toBeInViewport();

    // The instance: the event form is whole.
    await page.goto(`/instances/${run.id}`);
    const send = page.getByRole('button', { name: 'Send event' });
    await send.scrollIntoViewIfNeeded();
    await expect(send).toBeInViewport({ ratio: 1 });

    // The instance list: status comes first on a narrow screen.
    await page.goto('/instances');
    await expect(
      page
        .getByRole('table')
        .first()
        .getByRole('columnheader', { name: /status/i }),
    ).toBeVisible();
    const headers = await page.getByRole('table').first().getByRole('columnheader').allInnerTexts();
    expect(headers.map((h) => h.trim().toLowerCase()).filter(Boolean)[0]).toBe('status');
  });
});

test.describe('scrolling', () => {
  test.use({ viewport: { width: 1280, height: 560 } });

  test('a page opened from a scrolled page starts at its top; Back returns to where it was', async ({ page, api }) => {
    const { id: wf } = await createWorkflow(api, 'scrolled', [
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: 'users:001', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: 100 },
        },
      },
    ]);
    const { data: run } = await api.post<{ data: { id: string } }>(`${V2}/workflows/${wf}/instances?wait=true`, {});
    await page.goto(`/instances/${run.id}?stage=1`);
    const sentence = page.getByTestId('stage-sentence');
    await expect(sentence).toContainText('users:001');
    const main = page.locator('#main');
    await main.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const scrolled = await main.evaluate((el) => el.scrollTop);
    expect(scrolled).toBeGreaterThan(100);
    await sentence.getByRole('link', { name: 'users:001' }).first().click();
    await expect(page).toHaveURL(/\/sandbox\/ledger/);
    await expect(page.getByRole('heading', { level: 1, name: /users:001/ })).toBeVisible();
    await expect.poll(() => main.evaluate((el) => el.scrollTop)).toBe(0);
    await page.goBack();
    await expect(sentence).toContainText('users:001');
    await expect.poll(() => main.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
  });
});
