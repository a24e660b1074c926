import { mkdirSync } from 'node:fs';
import { seriousViolations } from './fixtures/axe';
import { expect as baseExpect, test, uniqueName, type Api } from './fixtures';

// Sandbox journeys against the real server (seeded data dir, see playwright.config.ts): what a
// workflow's send did on the ledger and on wallets, and the event stream with publishing by hand.
// `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/sandbox-*.png.

const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 120_000 });

const shots = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;
if (shots) mkdirSync(shots, { recursive: true });

/** Creates a workflow, runs it with `wait`, and checks it succeeded. */
async function runToCompletion(api: Api, name: string, stages: unknown[]) {
  const { data: workflow } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/workflows', { name, stages });
  const { data: instance } = await api.post<{ data: { id: string; terminated: boolean; error?: string } }>(
    `/api/orchestration/v2/workflows/${workflow.id}/instances?wait=true`,
    {},
  );
  await baseExpect
    .poll(async () => (await api.get<{ data: { terminated: boolean; error?: string } }>(`/api/orchestration/v2/instances/${instance.id}`)).data, { timeout: 20_000 })
    .toMatchObject({ terminated: true });
  const { data: done } = await api.get<{ data: { error?: string } }>(`/api/orchestration/v2/instances/${instance.id}`);
  baseExpect(done.error ?? '').toBe('');
  return { workflowID: workflow.id, instanceID: instance.id };
}

test.describe('sandbox', () => {
  test('ledger → account → the transaction a workflow’s send created', async ({ page, api, consoleErrors }) => {
    const name = uniqueName('e2e-send');
    const account = `customers:${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    await runToCompletion(api, name, [
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: account, ledger: 'main' } },
          amount: { asset: 'USD/2', amount: 123456 },
          metadata: { reason: 'e2e welcome bonus' },
        },
      },
    ]);

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto('/sandbox/ledger');
    await page.getByLabel('Ledger', { exact: true }).selectOption('main');
    await expect(page).toHaveURL(/ledger=main/);
    await page.getByRole('searchbox', { name: 'Filter by address pattern' }).fill(account);
    await page.getByRole('searchbox', { name: 'Filter by address pattern' }).press('Enter');
    const accounts = page.getByRole('table', { name: 'Accounts of ledger main' });
    await expect(accounts.getByRole('row')).toHaveCount(2);
    await expect(accounts).toContainText('1,234.56 USD');

    // Account view: balance per asset with received/sent, and the transactions touching it.
    await accounts.getByRole('link', { name: account }).click();
    await expect(page).toHaveURL(new RegExp(`account=${encodeURIComponent(account).replace(/%3A/g, '(%3A|:)')}`));
    const balances = page.getByRole('table', { name: `Balances of ${account}` });
    await expect(balances.getByRole('row', { name: /USD\/2/ })).toContainText('1,234.56 USD');
    const txs = page.getByRole('table', { name: `Transactions of account ${account}` });
    await expect(txs.getByRole('row')).toHaveCount(2);
    await expect(txs).toContainText(`world→${account}1,234.56 USD`);
    await expect(txs).toContainText('reason=e2e welcome bonus');
    expect(await seriousViolations(page)).toEqual([]);

    // Transaction view: postings, metadata, balances after it; "back" returns to the account.
    await txs.getByRole('link', { name: /^Transaction \d+ on ledger main$/ }).click();
    await expect(page).toHaveURL(/tx=\d+/);
    await expect(page.getByRole('heading', { level: 1, name: /^Transaction #\d+$/ })).toBeVisible();
    await expect(page.getByRole('table', { name: /^Metadata of transaction/ })).toContainText('e2e welcome bonus');
    await expect(page.getByRole('table', { name: new RegExp(`^Volumes of ${account.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} after`) })).toContainText('1,234.56 USD');
    expect(await seriousViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/sandbox-ledger.png` });
    await page.getByRole('link', { name: `Account ${account}` }).click();
    await expect(page.getByRole('table', { name: `Balances of ${account}` })).toBeVisible();
    // The deep link alone restores the view (the instances UI links here).
    const txPath = await txs.getByRole('link', { name: /^Transaction \d+ on ledger main$/ }).getAttribute('href');
    await page.goto(txPath!);
    await expect(page.getByRole('heading', { level: 1, name: /^Transaction #\d+$/ })).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('wallet balances after a ledger → wallet workflow', async ({ page, api }) => {
    const walletName = uniqueName('e2e-wallet');
    const { data: wallet } = await api.post<{ data: { id: string } }>('/api/wallets/wallets', { name: walletName, metadata: { team: 'e2e' } });
    await api.post(`/api/wallets/wallets/${wallet.id}/balances`, { name: 'savings', priority: 2 });
    await runToCompletion(api, uniqueName('e2e-ledger-to-wallet'), [
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { wallet: { id: wallet.id } },
          amount: { asset: 'USD/2', amount: 2500 },
          metadata: { reason: 'top-up' },
        },
      },
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { wallet: { name: walletName, balance: 'savings' } },
          amount: { asset: 'EUR/2', amount: 99 },
        },
      },
    ]);

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`/sandbox/wallets?name=${walletName}`);
    const list = page.getByRole('table', { name: 'Wallets' });
    await expect(list.getByRole('row')).toHaveCount(2);
    await expect(list).toContainText('25.00 USD');
    await list.getByRole('link', { name: walletName }).click();
    await expect(page).toHaveURL(new RegExp(`wallet=${wallet.id}`));
    await expect(page.getByRole('heading', { level: 1, name: walletName })).toBeVisible();
    await expect(page.getByTestId('balance-main')).toContainText('25.00 USD');
    await expect(page.getByTestId('balance-savings')).toContainText('0.99 EUR');
    await expect(page.getByTestId('balance-savings')).toContainText('2');
    // The Wallets API lists the transactions of the main balance.
    const txs = page.getByRole('table', { name: `Transactions of wallet ${walletName}` });
    await expect(txs.getByRole('row')).toHaveCount(2);
    await expect(txs).toContainText('reason=top-up');
    await expect(txs).toContainText('credit');
    expect(await seriousViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/sandbox-wallets.png` });

    // The balance's ledger account is one click away, on the wallets ledger.
    await page.getByTestId('balance-main').getByRole('link').click();
    await expect(page).toHaveURL(/ledger=wallets-002/);
    await expect(page.getByRole('table', { name: /^Balances of wallets:/ })).toContainText('25.00 USD');
    await expect(page.getByRole('link', { name: `wallet ${walletName}` })).toBeVisible();
  });

  test('publish an event by hand (validated JSON) and watch it arrive in the live stream', async ({ page, consoleErrors }) => {
    const marker = uniqueName('hand');
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto('/sandbox/events');
    await expect(page.getByLabel('Refresh')).toHaveValue('5');
    await page.getByRole('button', { name: 'Publish event' }).click();
    await expect(page).toHaveURL(/publish=true/);
    const form = page.getByRole('form', { name: 'Publish an event' });
    await form.getByLabel('Event type', { exact: true }).fill('SAVED_METADATA');
    await expect(form.getByLabel('App')).toHaveAttribute('placeholder', 'if blank: ledger');
    await expect(form.getByLabel('Version')).toHaveAttribute('placeholder', 'if blank: v2');

    const editor = page.getByRole('textbox', { name: 'Event payload (JSON)', exact: true });
    await editor.focus();
    await page.keyboard.insertText(`{"ledger": "main", "targetType": "ACCOUNT", "targetId": "${marker}", "metadata": {"kyc": }`);
    await expect(form.getByText(/^Line 1, column \d+: /)).toBeVisible();
    await form.getByRole('button', { name: 'Publish event' }).click();
    await expect(form.getByRole('status')).toHaveCount(0);

    await editor.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(`{"ledger": "main", "targetType": "ACCOUNT", "targetId": "${marker}", "metadata": {"kyc": "verified"}}`);
    await expect(form.getByText(/^Line 1, column \d+: /)).toHaveCount(0);
    await form.getByRole('button', { name: 'Publish event' }).click();
    await expect(form.getByRole('status')).toContainText(/Published #\d+ \(SAVED_METADATA, ledger v2\)/);

    // The stream shows it on its own (live refresh), newest first.
    await page.getByRole('button', { name: 'Close the form' }).click();
    const stream = page.getByRole('table', { name: 'Platform events' });
    const row = stream.getByRole('row').filter({ hasText: marker });
    await expect(row).toContainText('SAVED_METADATA');
    await expect(row).toContainText(`main · account ${marker} · kyc`);
    await row.locator('summary').click();
    await expect(row).toContainText('"kyc": "verified"');
    // The type filter takes a piece of the type, in any case (it was exact and case-sensitive).
    await page.getByLabel('Filter by event type').fill('saved_meta');
    await page.getByLabel('Filter by event type').press('Enter');
    await expect(page).toHaveURL(/type=saved_meta/);
    await expect(row).toContainText('SAVED_METADATA');
    // The marker's row is there before and after the filter, so wait for the filtered page itself:
    // until it arrives, the table still shows the unfiltered rows.
    await expect
      .poll(async () => {
        const types = await stream.locator('tbody tr td:nth-child(3)').allInnerTexts();
        return types.length > 0 && types.every((t) => t.includes('SAVED_METADATA'));
      })
      .toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    if (shots) {
      await page.getByRole('button', { name: 'Publish event' }).click();
      await page.getByRole('form', { name: 'Publish an event' }).getByLabel('Event type', { exact: true }).fill('COMMITTED_TRANSACTIONS');
      await page.getByRole('button', { name: 'Example' }).click();
      await page.setViewportSize({ width: 1400, height: 1300 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/sandbox-events.png` });
    }
    expect(consoleErrors).toEqual([]);
  });
});
