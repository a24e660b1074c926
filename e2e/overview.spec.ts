import type { Page } from '@playwright/test';
import { expect, test, uniqueName, type Api } from './fixtures';
import { remoteConsole } from '../playwright.config';

// The overview (/) as an operator uses it, against the real server: a failing run lands in the
// right group with the right count, every number opens a list with exactly that many rows, and
// money in flight is what the pending sends will move.
// `UPDATE_SCREENSHOTS=1 npx playwright test e2e/overview.spec.ts` refreshes the overview's
// full-page screenshots in docs/screenshots/.

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;
const v2 = '/api/orchestration/v2';

async function workflow(api: Api, prefix: string, stages: unknown[]): Promise<{ id: string; name: string }> {
  const name = uniqueName(prefix);
  const { data } = await api.post<{ data: { id: string } }>(`${v2}/workflows`, { name, stages });
  return { id: data.id, name };
}

async function run(api: Api, workflowID: string, variables: Record<string, string> = {}): Promise<string> {
  const { data } = await api.post<{ data: { id: string } }>(`${v2}/workflows/${workflowID}/instances`, variables);
  return data.id;
}

async function settled(api: Api, id: string, check: (i: { terminated: boolean; error?: string }) => boolean) {
  await expect.poll(async () => check((await api.get(`${v2}/instances/${id}`)).data), { timeout: 20_000 }).toBe(true);
}

/** Letters only: survives the normalizer, which masks digits. */
const tag = () =>
  `ov${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, '')
    .slice(0, 8)}`;

/** The overview with live refresh off, every panel loaded. */
async function openOverview(page: Page, query = '') {
  await page.goto(`/?refresh=0${query}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.locator('[aria-label="Loading"]')).toHaveCount(0, { timeout: 20_000 });
}

/** Rows of the instance list at `href` (every page loaded). */
async function listCount(page: Page, href: string): Promise<number> {
  await page.goto(`${href}${href.includes('?') ? '&' : '?'}pageSize=100&refresh=0`);
  await expect(page.getByRole('heading', { level: 1, name: 'Instances' })).toBeVisible();
  const pager = page.getByRole('navigation', { name: 'Pagination' });
  await expect(pager).toContainText(/on this page|loaded/);
  const more = pager.getByRole('button', { name: /^Load \d+ more$/ });
  while (await more.isVisible()) {
    const before = await pager.textContent();
    await more.click();
    await expect(pager).not.toHaveText(before ?? '');
  }
  const text = (await pager.locator('span[aria-live]').textContent()) ?? '';
  return Number(/^([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
}

test.describe('overview', () => {
  test.slow();

  test('a failing run appears in its reason group with the right count, and the group opens exactly those runs', async ({ page, api, consoleErrors }) => {
    const word = tag();
    const amount = {
      send: {
        source: { account: { id: 'world', ledger: 'main' } },
        destination: { account: { id: 'users:001', ledger: 'main' } },
        amount: { asset: 'USD/2', amount: '${amount}' },
      },
    };
    const a = await workflow(api, 'ov-fail-a', [amount]);
    const b = await workflow(api, 'ov-fail-b', [amount]);
    // Three amounts that differ only by digits: one reason ("unable to parse '<word> {n}'").
    const ids = [await run(api, a.id, { amount: `${word} 12` }), await run(api, a.id, { amount: `${word} 7` }), await run(api, b.id, { amount: `${word} 300` })];
    for (const id of ids) await settled(api, id, (i) => i.terminated && !!i.error);

    await openOverview(page, '&window=1h');
    const group = page.getByTestId('failure-reason').filter({ hasText: `'${word} {n}'` });
    await expect(group).toHaveCount(1);
    await expect(group.getByTestId('failure-reason-text')).toContainText(`unable to parse '${word} {n}' as big int`);
    const count = group.getByRole('link', { name: /failures: / });
    await expect(count).toHaveText('3');
    await expect(group.getByRole('list', { name: 'Workflows affected (2)' })).toContainText(a.name);
    await expect(group.getByRole('list', { name: 'Workflows affected (2)' })).toContainText(b.name);

    await count.click();
    await expect(page).toHaveURL(/\/instances\?/);
    const table = page.getByRole('table', { name: 'Instances' });
    await expect(table.getByRole('row')).toHaveCount(1 + 3);
    for (const id of ids) await expect(table.getByRole('link', { name: id.slice(0, 8) })).toBeVisible();
    await expect(page.getByTestId('extra-filter').first()).toContainText(`Failed with send.amount.amount: unable to parse '${word} {n}'`);

    // One workflow's share of the group.
    await page.goBack();
    await group.getByRole('link', { name: new RegExp(`failures of ${b.name}`) }).click();
    await expect(table.getByRole('row')).toHaveCount(1 + 1);
    await expect(table.getByRole('link', { name: ids[2]!.slice(0, 8) })).toBeVisible();
    // Removing the chip widens the list back.
    await page.getByTestId('extra-filter').filter({ hasText: 'Failed with' }).getByRole('button', { name: 'Remove this filter' }).click();
    await expect(page.getByTestId('extra-filter').filter({ hasText: 'Failed with' })).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });

  test('every number links to a list that shows exactly that many rows', async ({ page, api }) => {
    test.setTimeout(420_000); // some 30 lists, each read to its end; slow when the machine is busy
    // Something in every panel: a waiting approval before a send, a delay of 30 days, a failure.
    const approve = await workflow(api, 'ov-every', [
      { wait_event: { event: 'approved' } },
      {
        send: {
          source: { account: { id: 'users:001', ledger: 'main' } },
          destination: { account: { id: 'merchants:007', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: '5' },
        },
      },
    ]);
    await run(api, approve.id);
    const query = '&window=1h&view=table&waiting=15m&retries=3';
    await openOverview(page, query);
    const links = page.locator('main').getByRole('link', { name: /: open the list$/ });
    await expect.poll(() => links.count()).toBeGreaterThan(10);
    const read = () =>
      links.evaluateAll((els) =>
        els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', href: e.getAttribute('href') ?? '', shown: Number((e.textContent ?? '').replace(/,/g, '')) })),
      );
    const targets = [...new Map((await read()).map((t) => [t.href, t])).values()];
    const checked: string[] = [];
    for (const t of targets) {
      let { shown } = t;
      let listed = await listCount(page, t.href);
      // Other journeys share this server: a live figure may move between reading it and listing
      // it, so on a difference read both again (a real mismatch persists).
      // The same link read again: its window ends at the new "now", so `to` (and `from`) move.
      const sameLink = (href: string) => {
        const u = new URL(href, 'http://console');
        u.searchParams.delete('from');
        u.searchParams.delete('to');
        return u.pathname + u.search;
      };
      for (let attempt = 0; shown !== listed && attempt < 3; attempt++) {
        await openOverview(page, query);
        const again = (await read()).find((x) => sameLink(x.href) === sameLink(t.href));
        if (!again) break;
        shown = again.shown;
        listed = await listCount(page, again.href);
      }
      expect(listed, `${t.label} (${t.href})`).toBe(shown);
      checked.push(t.label);
    }
    // The kinds of figures covered: now, the chart's table, durations, failures, attention, money.
    const all = checked.join('\n');
    for (const kind of [
      /^[\d,]+ running:/m,
      /^[\d,]+ waiting for an event:/m,
      /^[\d,]+ failed:/m,
      /started /m,
      /^[\d,]+ succeeded runs of /m,
      /^[\d,]+ failures: /m,
      /instances with sends in USD\/2/m,
      /instances drawing USD\/2 from /m,
    ]) {
      expect(all).toMatch(kind);
    }
  });

  test('money in flight is what the pending sends will move, from the account they draw on', async ({ page, api }) => {
    const account = `treasury:${tag()}`;
    await api.post('/api/ledger/v2/main/transactions', { postings: [{ source: 'world', destination: account, amount: 5000, asset: 'EUR/2' }] });
    const refund = await workflow(api, 'ov-refund', [
      { wait_event: { event: 'approved' } },
      {
        send: {
          source: { account: { id: '${from}', ledger: 'main' } },
          destination: { account: { id: 'users:${user}', ledger: 'main' } },
          amount: { asset: 'EUR/2', amount: '${amount}' },
        },
      },
    ]);
    const first = await run(api, refund.id, { from: account, user: '001', amount: '3000' });
    const second = await run(api, refund.id, { from: account, user: '002', amount: '2500' });
    for (const id of [first, second]) {
      await expect
        .poll(async () => (await api.get(`${v2}/instances?state=waiting&pageSize=100`)).cursor.data.some((i: { id: string }) => i.id === id), { timeout: 20_000 })
        .toBe(true);
    }

    await openOverview(page);
    const row = page.getByTestId('money-source').filter({ hasText: account });
    await expect(row).toHaveCount(1);
    // 30.00 + 25.00 waiting for approval, the account holds 50.00: short by 5.00
    await expect(row.getByRole('cell').nth(1)).toHaveText('55.00 EUR');
    await expect(row.getByRole('cell').nth(2)).toHaveText('50.00 EUR');
    await expect(row.getByTestId('short')).toHaveText('short by 5.00 EUR');
    const runs = row.getByRole('link', { name: /instances drawing EUR\/2 from / });
    await expect(runs).toHaveText('2');
    await runs.click();
    const table = page.getByRole('table', { name: 'Instances' });
    await expect(table.getByRole('row')).toHaveCount(1 + 2);
    await expect(page.getByTestId('extra-filter')).toContainText(`Sends still to run in EUR/2 from ${account} on ledger main`);

    // The first refund is approved: it runs, and only the second is still in flight (covered now).
    await api.post(`${v2}/instances/${first}/events`, { name: 'approved' });
    await settled(api, first, (i) => i.terminated && !i.error);
    await openOverview(page);
    await expect(row.getByRole('cell').nth(1)).toHaveText('25.00 EUR');
    await expect(row.getByRole('cell').nth(2)).toHaveText('20.00 EUR');
    await expect(row.getByTestId('short')).toHaveText('short by 5.00 EUR');
    await expect(row.getByRole('link', { name: /instances drawing EUR\/2 from / })).toHaveText('1');
    await api.put(`${v2}/instances/${second}/abort`);
    await openOverview(page);
    await expect(page.getByTestId('money-source').filter({ hasText: account })).toHaveCount(0);
  });

  test('the chart shows each interval’s numbers on hover and on focus, and opens its runs', async ({ page, api }) => {
    const wf = await workflow(api, 'ov-chart', [{ noop: {} }]);
    const id = await run(api, wf.id);
    await settled(api, id, (i) => i.terminated);
    await openOverview(page, '&window=1h');
    const chart = page.getByTestId('runs-chart');
    await expect(chart.getByTestId('runs-bucket')).toHaveCount(12);
    const last = chart.getByTestId('runs-bucket').last();
    await last.hover();
    await expect(page.getByTestId('runs-tooltip')).toContainText(/Succeeded\s*[1-9]/);
    await page.mouse.move(0, 0);
    await expect(page.getByTestId('runs-tooltip')).toHaveCount(0);
    await last.focus();
    await expect(page.getByTestId('runs-tooltip')).toBeVisible();
    await expect(last).toHaveAttribute('aria-label', /started — .* succeeded/);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/instances\?.*from=/);
    await expect(page.getByRole('table', { name: 'Instances' }).getByRole('link', { name: id.slice(0, 8) })).toBeVisible();

    // The table view: the same numbers, one row per interval.
    await openOverview(page, '&window=1h&view=table');
    const table = page.getByRole('table', { name: 'Started runs per interval, by outcome' });
    await expect(table.getByRole('row')).toHaveCount(1 + 12);
    await expect(page.getByTestId('runs-chart')).toHaveCount(0);
  });

  test('light and dark, full page', async ({ page }) => {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: 1400, height: 2000 });
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await openOverview(page);
      await expect(page.getByRole('group', { name: 'Started runs per interval, by outcome' })).toBeVisible();
      await expect(page.getByTestId('now-tiles')).toBeVisible();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/overview-full-${theme}.png`, fullPage: true });
    }
  });

  test('remote mode: panels say what they are based on, and money in flight why it is not available', async ({ page }) => {
    await page.goto(`${remoteConsole.url}/?refresh=0`);
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('[aria-label="Loading"]')).toHaveCount(0, { timeout: 30_000 });
    const money = page.getByRole('region', { name: 'Money in flight' });
    await expect(money.getByTestId('unavailable')).toContainText('does not return a run’s variables');
    // The stack's list filters by workflow and running state only: the running count opens it,
    // the others stay plain numbers.
    await expect(page.getByTestId('now-running').getByRole('link')).toHaveAttribute('href', /status=running/);
    await expect(page.getByTestId('now-failed').getByRole('link')).toHaveCount(0);
  });
});
