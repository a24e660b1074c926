import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { seriousViolations } from './fixtures/axe';
import { expect as baseExpect, createWorkflow, test, uniqueName, type Api } from './fixtures';

// Simulation journeys against the real server: dry-runs (workflow page, run dialog, author page)
// and the backtest of an unsaved trigger. `UPDATE_SCREENSHOTS=1` refreshes
// docs/screenshots/simulation-*.png.

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;
const V2 = '/api/orchestration/v2';
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 120_000 });

async function balance(api: Api, ledger: string, address: string, asset = 'USD/2'): Promise<number> {
  const r = await api.request.get(`/api/ledger/v2/${ledger}/accounts/${address}?expand=volumes`);
  return r.ok() ? ((await r.json()).data.volumes?.[asset]?.balance ?? 0) : 0;
}

const usd = (cents: number) => `${(cents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} USD`;

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((dark) => document.documentElement.classList.toggle('dark', dark), theme === 'dark');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/simulation-${name}-${theme}.png` });
  }
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
}

test('a dry-run shows where the run would stop for insufficient funds and how much is missing; nothing is written', async ({ page, api, consoleErrors }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  const u = uniqueName('sim').replace(/[^A-Za-z0-9_-]/g, '_');
  const ledger = 'e2esim';
  const payer = `payer:${u}`;
  await api.post(`/api/ledger/v2/${ledger}/transactions`, { postings: [{ source: 'world', destination: payer, amount: 7000, asset: 'USD/2' }], metadata: {} });
  const wf = await createWorkflow(api, 'two-purchases', [
    { send: { source: { account: { id: payer, ledger } }, destination: { account: { id: `shop:${u}`, ledger } }, amount: { asset: 'USD/2', amount: 5000 } } },
    { send: { source: { account: { id: payer, ledger } }, destination: { account: { id: `shop:${u}`, ledger } }, amount: { asset: 'USD/2', amount: 3000 } } },
    { noop: {} },
  ]);

  await page.goto(`/workflows/${wf.id}`);
  await page.getByRole('button', { name: 'Dry run', exact: true }).click();
  const dialog = page.getByTestId('dry-run-dialog');
  await expect(dialog.getByRole('heading', { name: `Dry run “${wf.name}”` })).toBeVisible();
  // no variables: it dry-runs at once
  const outcome = dialog.getByTestId('dry-run-outcome');
  await expect(outcome).toContainText('The run would stop at stage 2 (send) and retry until the funds are there: insufficient funds.');
  await expect(outcome).toContainText(`${payer} on ${ledger} has 20.00 USD; it needs 30.00 USD: 10.00 USD missing.`);
  await expect(outcome).toContainText('The 1 stage after it would not run until then.');
  await expect(dialog.getByTestId('dry-run-stage')).toHaveCount(2);
  await expect(dialog.getByTestId('dry-run-posting')).toHaveCount(1);
  await expect(dialog.getByTestId('dry-run-basis')).toContainText('Dry run on the embedded sandbox as of');
  const net = dialog.getByTestId('dry-run-net');
  await expect(net.getByRole('row', { name: new RegExp(`^${payer}`) })).toContainText('70.00 USD');
  await expect(net.getByRole('row', { name: new RegExp(`^${payer}`) })).toContainText('-50.00 USD');
  await expect(dialog.getByTestId('money-flow')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shoot(page, 'dry-run');

  // nothing happened
  expect(await balance(api, ledger, payer)).toBe(7000);
  expect(await balance(api, ledger, `shop:${u}`)).toBe(0);
  const instances = await api.get<{ cursor: { data: unknown[] } }>(`${V2}/instances?workflowID=${wf.id}`);
  expect(instances.cursor.data).toHaveLength(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // the author page dry-runs its unsaved definition the same way
  await page.goto(`/workflows/new?from=${wf.id}`);
  await page.getByRole('button', { name: 'Dry run', exact: true }).click();
  await expect(page.getByTestId('dry-run-dialog').getByTestId('dry-run-outcome')).toContainText('10.00 USD missing');
  await expect(page.getByTestId('dry-run-dialog')).toContainText('Create the workflow to run it for real.');
  expect(consoleErrors).toEqual([]);
});

test('a dry-run from the run dialog, then "Run for real" with the same variables, ends on the balances it showed', async ({ page, api, consoleErrors }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  const u = uniqueName('real').replace(/[^A-Za-z0-9_-]/g, '_');
  const ledger = 'e2esim';
  const wf = await createWorkflow(api, 'top-up-and-fee', [
    {
      send: { source: { account: { id: 'world', ledger } }, destination: { account: { id: 'users:${user}', ledger } }, amount: { asset: 'USD/2', amount: '${amount}' } },
    },
    { send: { source: { account: { id: 'users:${user}', ledger } }, destination: { account: { id: `fees:${u}`, ledger } }, amount: { asset: 'USD/2', amount: 250 } } },
    { update: { account: { id: 'users:${user}', ledger, metadata: { toppedUp: 'yes' } } } },
  ]);
  await page.goto(`/workflows/${wf.id}`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const run = page.getByRole('dialog', { name: `Run “${wf.name}”` });
  await run.getByLabel('${user}').fill(u);
  await run.getByLabel('${amount}').fill('12345');
  await run.getByRole('button', { name: 'Dry run' }).click();

  const dialog = page.getByTestId('dry-run-dialog');
  await expect(dialog.getByTestId('dry-run-outcome')).toContainText('The run would succeed.');
  await expect(dialog.getByLabel('${user}')).toHaveValue(u);
  const net = dialog.getByTestId('dry-run-net');
  // users:<u> ends with 123.45 − 2.50; the fees account with 2.50
  await expect(net.getByRole('row', { name: new RegExp(`^users:${u}`) })).toContainText(usd(12345 - 250));
  await expect(net.getByRole('row', { name: new RegExp(`^fees:${u}`) })).toContainText(usd(250));
  await expect(dialog.getByText('toppedUp = yes')).toBeVisible();
  expect(await balance(api, ledger, `users:${u}`)).toBe(0);
  await shoot(page, 'dry-run-succeeds');

  await dialog.getByRole('button', { name: 'Run for real' }).click();
  await expect(page).toHaveURL(/\/instances\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Succeeded', { timeout: 30_000 });
  expect(await balance(api, ledger, `users:${u}`)).toBe(12345 - 250);
  expect(await balance(api, ledger, `fees:${u}`)).toBe(250);
  const instance = (await api.get<{ data: { variables: Record<string, string> } }>(`${V2}/instances/${page.url().split('/').pop()}`)).data;
  expect(instance.variables).toEqual({ user: u, amount: '12345' });
  expect(consoleErrors).toEqual([]);
});

/** Replaces the text of an expression editor (Monaco) by typing it. */
async function setEditor(page: Page, name: string, text: string) {
  const editor = page.getByRole('textbox', { name, exact: true });
  await editor.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test('a backtest of an unsaved trigger over past events: match count, variables and money totals', async ({ page, api, consoleErrors }) => {
  await page.setViewportSize({ width: 1400, height: 1100 });
  const u = uniqueName('bt').replace(/[^A-Za-z0-9_-]/g, '_');
  const ledger = u.slice(0, 60);
  for (const amount of [10_000, 20_000, 30_000]) {
    await api.post(`/api/ledger/v2/${ledger}/transactions`, { postings: [{ source: 'world', destination: `users:${u}`, amount, asset: 'USD/2' }], metadata: {} });
  }
  const wf = await createWorkflow(api, 'fee-per-deposit', [
    { send: { source: { account: { id: 'world', ledger } }, destination: { account: { id: `fees:${u}`, ledger } }, amount: { asset: 'USD/2', amount: '${fee}' } } },
  ]);

  await page.goto(`/triggers/new?workflowID=${wf.id}`);
  await page.getByLabel('Event type', { exact: true }).fill('COMMITTED_TRANSACTIONS');
  await page.getByRole('button', { name: 'Add it' }).click();
  await expect(page.getByLabel('Variable 1 name')).toHaveValue('fee');
  await setEditor(page, 'Filter expression', `event.ledger == "${ledger}"`);
  await setEditor(page, 'Variable fee expression', 'string(event.transactions[0].postings[0].amount / 100)');

  const panel = page.getByTestId('backtest');
  await panel.getByRole('button', { name: 'Backtest' }).click();
  const result = panel.getByTestId('backtest-result');
  await expect(result.getByTestId('backtest-matched')).toHaveText('3');
  await expect(result.getByTestId('backtest-match')).toHaveCount(3);
  await expect(result.getByTestId('backtest-match').first()).toContainText('fee = 100');
  await expect(result).toContainText('3 would succeed');
  const fees = result.getByTestId('backtest-totals').getByRole('row', { name: new RegExp(`^fees:${u}`) });
  await expect(fees).toContainText(usd(600)); // 1.00 + 2.00 + 3.00 USD in
  expect(await seriousViolations(page)).toEqual([]);
  await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shoot(page, 'backtest');

  // nothing was started or recorded
  expect(await balance(api, ledger, `fees:${u}`)).toBe(0);
  const triggers = await api.get<{ cursor: { data: { workflowID: string }[] } }>(`${V2}/triggers?pageSize=100`);
  expect(triggers.cursor.data.filter((t) => t.workflowID === wf.id)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
