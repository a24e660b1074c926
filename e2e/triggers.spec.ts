import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { seriousViolations } from './fixtures/axe';
import { expect as baseExpect, test, uniqueName, type Api } from './fixtures';

// Trigger journeys against the real server (seeded data dir, see playwright.config.ts): author a
// trigger with Monaco editors, test it on sample events, fire it, follow its occurrence.
// `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/triggers-*.png.

// Monaco is a large lazy chunk and CI machines are small: allow for slow loads.
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 120_000 });

const shots = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;
if (shots) mkdirSync(shots, { recursive: true });

/**
 * Replaces the text of a Monaco editor, found by its accessible name. Keep text on one line:
 * typed newlines get the editor's auto-indent and bracket auto-closing, as for a person typing.
 */
async function setEditor(page: Page, name: string, text: string) {
  const editor = page.getByRole('textbox', { name, exact: true });
  await editor.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.insertText(text);
}

/** The text an editor shows (Monaco renders lines as DOM; non-breaking spaces normalized). */
async function editorText(page: Page, name: string) {
  const root = page.locator('[data-editor-language]').filter({ has: page.getByRole('textbox', { name, exact: true }) });
  return (await root.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/** A workflow that records the trigger's variables as metadata on the account it is given. */
async function recordingWorkflow(api: Api) {
  const name = uniqueName('trg-flag');
  const { data } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/workflows', {
    name,
    stages: [{ update: { account: { id: '${account}', ledger: 'main', metadata: { 'e2e/txid': '${txid}' } } } }],
  });
  return { name, id: data.id };
}

function committed(destination: string, amount: number, id = 9001) {
  return {
    ledger: 'main',
    transactions: [{ id, postings: [{ source: 'world', destination, amount, asset: 'USD/2' }], metadata: {}, timestamp: '2024-07-01T10:00:00Z', reverted: false }],
    accountMetadata: {},
  };
}

test.describe('triggers', () => {
  test('create on COMMITTED_TRANSACTIONS, test before saving, fire it, follow the occurrence to its instance', async ({ page, api, consoleErrors }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1400, height: 1160 });
    const workflow = await recordingWorkflow(api);
    const name = uniqueName('big-deposit');
    const account = `trg:${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

    await page.goto('/triggers');
    await page.getByRole('link', { name: 'New trigger' }).first().click();
    await expect(page).toHaveURL(/\/triggers\/new$/);
    await expect(page.getByRole('heading', { level: 1, name: 'New trigger' })).toBeVisible();

    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await page.getByLabel('Event type', { exact: true }).fill('COMMITTED_TRANSACTIONS');
    await expect(page.getByText('Published by ledger (envelope v2).')).toBeVisible();
    await page.getByLabel('Workflow to start').selectOption({ label: `${workflow.name} — ${workflow.id.slice(0, 8)}` });
    // The form reads the workflow's ${vars} and offers to add the missing ones.
    await expect(page.getByText('The workflow also reads ${account}, ${txid} (empty unless set here).')).toBeVisible();
    await page.getByRole('button', { name: 'Add them' }).click();
    await expect(page.getByTestId('var-row')).toHaveCount(2);
    await expect(page.getByLabel('Variable 1 name')).toHaveValue('account');
    await expect(page.getByLabel('Variable 2 name')).toHaveValue('txid');

    // A filter that does not compile: the preview marks it at its position.
    await setEditor(page, 'Filter expression', 'event.ledger == "main" &&');
    await setEditor(page, 'Variable account expression', 'event.transactions[0].postings[0].destination');
    await setEditor(page, 'Variable txid expression', 'event.transactions[0].id');
    await setEditor(page, 'Sample event payload (JSON)', JSON.stringify(committed(account, 250000)));
    await page.getByRole('button', { name: 'Run test' }).click();
    const result = page.getByTestId('test-result');
    await expect(result.getByText('Does not compile')).toBeVisible();
    await expect(result).toContainText('unexpected token EOF');
    await expect(result).toContainText('line 1, column 26');
    const filterEditor = page.locator('[data-editor-language="flows-expr"]').first();
    await expect(filterEditor.locator('.squiggly-error')).toHaveCount(1);

    // Fixed: the sample matches and both variables are computed.
    const filter = `event.ledger == "main" && event.transactions[0].postings[0].destination == "${account}" && event.transactions[0].postings[0].amount > 100000`;
    await setEditor(page, 'Filter expression', filter);
    await expect.poll(() => editorText(page, 'Filter expression')).toContain(`== "${account}"`);
    await expect(filterEditor.locator('.squiggly-error')).toHaveCount(0);
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(result.getByText('Match', { exact: true })).toBeVisible();
    await expect(result.getByRole('row', { name: /account/ })).toContainText(account);
    await expect(result.getByRole('row', { name: /txid/ })).toContainText('9001');
    await expect(result).toContainText(`A real event like this one would start ${workflow.name} with these variables.`);

    // A smaller amount does not match, and variables are then not computed.
    await setEditor(page, 'Sample event payload (JSON)', JSON.stringify(committed(account, 500)));
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(result.getByText('No match', { exact: true })).toBeVisible();
    await expect(result).toContainText('Not computed: variables are evaluated only when the filter matches.');

    // Bad JSON is pointed at before anything is sent.
    await setEditor(page, 'Sample event payload (JSON)', '{"ledger": "main", "transactions": }');
    await expect(page.getByText(/^Line 1, column 36:/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Run test' })).toBeDisabled();
    await setEditor(page, 'Sample event payload (JSON)', JSON.stringify(committed(account, 250000)));
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(result.getByText('Match', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Format' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/triggers-edit.png` });

    await page.getByRole('button', { name: 'Create trigger' }).click();
    await expect(page).toHaveURL(/\/triggers\/[0-9a-f-]{36}$/);
    const triggerID = page.url().split('/').pop()!;
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByRole('status').getByText('Trigger created')).toBeVisible();
    await expect(page.getByText(filter)).toBeVisible();

    // The saved trigger's Test tab uses the v2 test endpoint.
    await page.getByRole('link', { name: 'Test', exact: true }).click();
    await expect(page).toHaveURL(/tab=test/);
    await setEditor(page, 'Sample event payload (JSON)', JSON.stringify(committed(account, 150000, 77)));
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(page.getByTestId('test-result').getByText('Match', { exact: true })).toBeVisible();
    await expect(page.getByTestId('test-result').getByRole('row', { name: /txid/ })).toContainText('77');

    // Publish a matching event by hand; the trigger fires.
    await page.goto('/sandbox/events?publish=true');
    await page.getByLabel('Event type', { exact: true }).fill('COMMITTED_TRANSACTIONS');
    await setEditor(page, 'Event payload (JSON)', JSON.stringify(committed(account, 420000, 4242)));
    await page.getByRole('button', { name: 'Publish event' }).last().click();
    await expect(page.getByRole('status').filter({ hasText: /^Published #\d+/ })).toBeVisible();

    await page.goto(`/triggers/${triggerID}?tab=occurrences`);
    const occurrences = page.getByRole('table', { name: 'Occurrences' });
    const instanceLink = occurrences.getByRole('link', { name: /^Open instance / });
    await expect(instanceLink).toBeVisible({ timeout: 15_000 });
    await expect(occurrences).toContainText('COMMITTED_TRANSACTIONS');
    await expect(occurrences).toContainText(`${account} 4,200.00 USD`);
    // The event that fired it is one click away.
    await occurrences.getByRole('group').first().locator('summary').click();
    await expect(occurrences.getByLabel(/^Event of the occurrence at /)).toContainText('"id": 4242');
    await expect(occurrences).toContainText(/Succeeded|Running/);
    expect(await seriousViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/triggers-occurrences.png` });

    const instanceID = (await instanceLink.getAttribute('href'))!.split('/').pop()!;
    await instanceLink.click();
    await expect(page).toHaveURL(new RegExp(`/instances/${instanceID}$`));
    await expect(page.getByText(instanceID).first()).toBeVisible();
    // …and the instance did its work with the trigger's variables.
    await expect
      .poll(
        async () =>
          (await api.get<{ data: { metadata: Record<string, string> } }>(`/api/ledger/v2/main/accounts/${encodeURIComponent(account)}`)).data.metadata['e2e/txid'],
        {
          timeout: 15_000,
        },
      )
      .toBe('4242');
    expect(consoleErrors).toEqual([]);
  });

  test('the server’s compile errors land on the line and column of the expression', async ({ page, api }) => {
    const workflow = await recordingWorkflow(api);
    await page.goto(`/triggers/new?workflowID=${workflow.id}&event=SAVED_PAYMENT`);
    await expect(page.getByLabel('Workflow to start')).toHaveValue(workflow.id);
    await expect(page.getByLabel('Event type', { exact: true })).toHaveValue('SAVED_PAYMENT');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Variable 1 name').fill('walletID');
    await setEditor(page, 'Variable walletID expression', 'event.metadata?.walletID // the wallet\n ??');
    await page.getByRole('button', { name: 'Create trigger' }).click();
    // 400 `vars.walletID: validating data: error compiling expression '…': unexpected token EOF (2:4)`
    const row = page.getByTestId('var-row');
    await expect(row.getByText('unexpected token EOF (line 2, column 4)')).toBeVisible();
    await expect(row.locator('.squiggly-error')).toHaveCount(1);
    await expect(page).toHaveURL(/\/triggers\/new/);
    // Editing the expression clears the stale marker.
    await setEditor(page, 'Variable walletID expression', 'event.metadata?.walletID ?? ""');
    await expect(row.locator('.squiggly-error')).toHaveCount(0);
    await expect(row.getByText(/unexpected token/)).toHaveCount(0);
    // Client-side checks name the field too.
    await page.getByLabel('Event type', { exact: true }).fill('saved.payment');
    await page.getByRole('button', { name: 'Create trigger' }).click();
    await expect(page.getByText('Event types are UPPER_SNAKE_CASE, e.g. COMMITTED_TRANSACTIONS or SAVED_PAYMENT')).toBeVisible();
  });

  test('editing creates a new trigger and deletes the original; deleting asks first', async ({ page, api }) => {
    const workflow = await recordingWorkflow(api);
    const name = uniqueName('edit-me');
    const { data: original } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/triggers', {
      name,
      event: 'SAVED_PAYMENT',
      workflowID: workflow.id,
      filter: 'event.status == "SUCCEEDED"',
      vars: { account: 'event.metadata?.account ?? "users:001"', txid: 'event.id' },
    });

    await page.goto(`/triggers?name=${name}`);
    const list = page.getByRole('table', { name: 'Triggers' });
    await expect(list.getByRole('row')).toHaveCount(2);
    await expect(list).toContainText('SAVED_PAYMENT');
    await expect(list).toContainText(workflow.name);
    await expect(list.getByText(/^(account, txid|txid, account)$/)).toBeVisible();
    if (shots) {
      await page.goto('/triggers');
      await expect(page.getByRole('table', { name: 'Triggers' })).toContainText(name);
      await page.setViewportSize({ width: 1400, height: 880 });
      await page.screenshot({ path: `${shots}/triggers-list.png` });
      await page.goto(`/triggers?name=${name}`);
    }

    await list.getByRole('link', { name, exact: true }).click();
    await page.getByRole('link', { name: 'Edit as new…' }).click();
    await expect(page).toHaveURL(new RegExp(`/triggers/new\\?from=${original.id}$`));
    await expect(page.getByRole('note')).toContainText('Triggers cannot be changed in place.');
    await expect(page.getByRole('textbox', { name: /^Name/ })).toHaveValue(name);
    await expect(page.getByLabel('Event type', { exact: true })).toHaveValue('SAVED_PAYMENT');
    await expect(page.getByLabel('Workflow to start')).toHaveValue(workflow.id);
    await expect.poll(() => editorText(page, 'Filter expression')).toBe('event.status == "SUCCEEDED"');
    await expect.poll(() => editorText(page, 'Variable txid expression')).toBe('event.id');
    await setEditor(page, 'Filter expression', 'event.status == "SUCCEEDED" && event.type == "PAY-IN"');
    await page.getByRole('button', { name: 'Save as new trigger and delete the original' }).click();

    await expect(page).toHaveURL(/\/triggers\/[0-9a-f-]{36}$/);
    const copyID = page.url().split('/').pop()!;
    expect(copyID).not.toBe(original.id);
    await expect(page.getByText('event.status == "SUCCEEDED" && event.type == "PAY-IN"')).toBeVisible();
    const gone = await api.request.get(`/api/orchestration/v2/triggers/${original.id}`);
    expect(gone.status()).toBe(404);

    // Delete from the list: a confirmation that says what happens, then the row is gone.
    await page.goto(`/triggers?name=${name}`);
    await expect(list.getByRole('row')).toHaveCount(2);
    await list.getByRole('button', { name: `Delete trigger ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this trigger?' });
    await expect(dialog).toContainText('stops firing on SAVED_PAYMENT events');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(list.getByRole('row')).toHaveCount(2);
    await list.getByRole('button', { name: `Delete trigger ${name}` }).click();
    await dialog.getByRole('button', { name: 'Delete trigger' }).click();
    await expect(page.getByRole('status').getByText('Trigger deleted')).toBeVisible();
    await expect(page.getByText(`No trigger name contains “${name}”`)).toBeVisible();
    expect((await api.request.get(`/api/orchestration/v2/triggers/${copyID}`)).status()).toBe(404);
  });

  test('an occurrence whose variables fail shows the error instead of an instance', async ({ page, api }) => {
    const workflow = await recordingWorkflow(api);
    const type = `E2E_${uniqueName('probe')
      .replace(/[^A-Za-z0-9]/g, '_')
      .toUpperCase()}`;
    const { data: trigger } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/triggers', {
      name: uniqueName('failing-vars'),
      event: type,
      workflowID: workflow.id,
      vars: { account: 'event.customer.address', txid: '"1"' },
    });
    await api.post('/api/console/events', { type, payload: { amount: 1 } });
    await page.goto(`/triggers/${trigger.id}?tab=occurrences`);
    const occurrences = page.getByRole('table', { name: 'Occurrences' });
    await expect(occurrences.getByText('Not started')).toBeVisible();
    await expect(occurrences).toContainText('vars.account: cannot fetch address from <nil> (1:16)');
    await expect(occurrences.getByRole('link', { name: /^Open instance / })).toHaveCount(0);
  });

  test('a trigger whose workflow was deleted is flagged in the list and the detail, and re-pointed to another workflow', async ({ page, api, consoleErrors }) => {
    const gone = await recordingWorkflow(api);
    const next = await recordingWorkflow(api);
    const name = uniqueName('orphaned');
    const type = `E2E_${uniqueName('orphan')
      .replace(/[^A-Za-z0-9]/g, '_')
      .toUpperCase()}`;
    const { data: trigger } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/triggers', {
      name,
      event: type,
      workflowID: gone.id,
      filter: 'event.amount > 0',
      vars: { account: '"users:orphan"', txid: '"1"' },
    });
    await api.delete(`/api/orchestration/v2/workflows/${gone.id}`);

    await page.goto(`/triggers?name=${name}`);
    const list = page.getByRole('table', { name: 'Triggers' });
    const row = list.getByRole('row').nth(1);
    await expect(row).toContainText(gone.name); // the name, not a bare UUID
    const badge = row.getByText('Workflow deleted');
    await expect(badge).toBeVisible();
    await expect(badge).toHaveAttribute('title', `Its workflow “${gone.name}” was deleted: this trigger no longer fires.`);
    await expect(row.getByRole('link', { name: 'Re-point…' })).toBeVisible();

    await row.getByRole('link', { name, exact: true }).click();
    const alert = page.getByTestId('orphan-trigger');
    await expect(alert).toContainText('this trigger no longer fires');
    await expect(alert.getByRole('button', { name: 'Delete trigger' })).toBeVisible();
    await alert.getByRole('link', { name: 'Re-point…' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Re-point trigger “${name}”`);
    const picker = page.getByLabel('Workflow to start');
    await expect(picker).toHaveValue('');
    await expect(page.getByLabel('Event type', { exact: true })).toHaveValue(type);
    await expect.poll(() => editorText(page, 'Filter expression')).toBe('event.amount > 0');
    await picker.selectOption({ label: `${next.name} — ${next.id.slice(0, 8)}` });
    await page.getByRole('button', { name: 'Save as new trigger and delete the original' }).click();

    await expect(page).toHaveURL(/\/triggers\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('orphan-trigger')).toHaveCount(0);
    await expect(page.getByRole('link', { name: next.name })).toBeVisible();
    expect((await api.request.get(`/api/orchestration/v2/triggers/${trigger.id}`)).status()).toBe(404);
    // The re-pointed trigger fires again.
    const copyID = page.url().split('/').pop()!;
    await api.post('/api/console/events', { type, payload: { amount: 5 } });
    await expect
      .poll(
        async () => (await api.get<{ cursor: { data: { workflowInstanceID?: string }[] } }>(`/api/orchestration/v2/triggers/${copyID}/occurrences`)).cursor.data.length,
      )
      .toBe(1);
    expect(consoleErrors).toEqual([]);
  });
});
