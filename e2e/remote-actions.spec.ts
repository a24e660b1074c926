import type { Locator, Page } from '@playwright/test';
import { expect as baseExpect, test, uniqueName } from './fixtures';
import { remoteConsole } from '../playwright.config';
import { createWorkflow, readInstance, remoteShot, runWorkflow, stackApi, V2, waitForInstance } from './fixtures/remote';

/**
 * Remote mode, acting: every action of the console against a stand-in that answers as upstream
 * Flows does (e2e/fixtures/upstream). Each action either does what it says — read back from the
 * stack — or the console says plainly what the stack did instead.
 */

const expect = baseExpect.configure({ timeout: 15_000 });
const url = (path: string) => `${remoteConsole.url}${path}`;
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** Replaces the text of a Monaco editor by pasting (as in workflows.spec.ts). */
async function pasteInEditor(page: Page, editor: Locator, text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

/** Replaces the text of a Monaco editor found by its accessible name (one line). */
async function setEditor(page: Page, name: string, text: string) {
  await page.getByRole('textbox', { name, exact: true }).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test.describe('remote mode actions', () => {
  test.describe.configure({ timeout: 120_000 });
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test("create: upstream's 500 refusal lands on the field; fixed, the workflow is saved and read back", async ({ page, request }) => {
    const stack = stackApi(request);
    const name = uniqueName('remote-create');
    const definition = (overdraft: string) =>
      `{\n  "name": "${name}",\n  "stages": [\n    { "noop": {} },\n    { "send": { "source": { "account": { "id": "users:001", "ledger": "main", "allowOverdraft": ${overdraft} } }, "destination": { "account": { "id": "merchants:007", "ledger": "main" } }, "amount": { "asset": "USD/2", "amount": 1 } } }\n  ]\n}`;
    await page.goto(url('/workflows/new?view=json'));
    const editor = page.getByTestId('editor-json');
    await expect(editor.locator('.view-lines')).toBeVisible({ timeout: 30_000 });
    // The embedded service accepts a ${variable} boolean; upstream resolves it without variables at create.
    await pasteInEditor(page, editor, definition('"${overdraft}"'));
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const refused = page.getByTestId('server-problems');
    await expect(refused).toContainText('stages[1].send.source.account.allowOverdraft');
    await expect(refused).toContainText("unable to resolve field 'bool' to bool value — the stack checks this value without variables");
    await remoteShot(page, 'create-refused');
    await page.getByRole('link', { name: 'Builder' }).click();
    await expect(page.getByRole('form', { name: 'Workflow builder' })).toContainText("unable to resolve field 'bool' to bool value");

    await page.getByRole('link', { name: 'JSON' }).click();
    await pasteInEditor(page, editor, definition('true'));
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
    await expect(heading(page)).toHaveText(name);
    const id = page.url().split('/').pop()!;
    const saved = await stack.get<{ data: { config: { stages: any[] } } }>(`${V2}/workflows/${id}`);
    expect(saved.data.config.stages[1].send.source.account.allowOverdraft).toBe(true);
  });

  test('run and wait (the console watches the run), send an event; the instance shows what the stack reports', async ({ page, request }) => {
    const stack = stackApi(request);
    const name = uniqueName('remote-run');
    const who = uniqueName('who').replace(/-/g, '_');
    await createWorkflow(stack, name, [{ wait_event: { event: 'go' } }, { update: { account: { id: 'users:${who}', ledger: 'main', metadata: { seen: 'yes' } } } }]);
    await page.goto(url('/workflows'));
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${name}”` });
    await dialog.getByLabel('${who}').fill(who);
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    // The console waits by watching the run (upstream's own `wait=true` returns at once).
    const waiting = page.getByRole('dialog', { name: `Waiting for “${name}” to end` }).getByTestId('run-waiting');
    await expect(waiting).toContainText(`Waiting for “${name}” to end`);
    await expect(waiting).toContainText('(a Formance stack cannot abort a started run)');
    await waiting.getByRole('link').click();
    await expect(page).toHaveURL(/\/instances\/[^/]+$/);
    await expect(heading(page)).toContainText('Waiting');
    const id = page.url().split('/').pop()!;

    // What upstream does not report is not shown as if it did.
    const facts = page.getByRole('main');
    await expect(facts).not.toContainText('Last change');
    await expect(page.getByTestId('provenance')).toContainText('By hand or by a deleted trigger');
    await expect(page.getByTestId('no-variables')).toHaveText('The stack does not report the variables an instance was started with.');
    await remoteShot(page, 'instance');

    await page.getByLabel('Event name').fill('go');
    await page.getByRole('button', { name: 'Send event' }).click();
    await expect(page.getByRole('status').getByText('Event “go” delivered')).toBeVisible();
    await expect(heading(page)).toContainText('Succeeded', { timeout: 20_000 });
    await page.getByTestId('timeline-stage-2').click();
    const activity = page.getByTestId('activity').first();
    await expect(activity).toContainText('AddAccountMetadata');
    // Upstream says `attempt: 1` for every finished call: the console does not repeat it.
    await expect(activity).toContainText('attempts not reported');
    await expect(activity.getByTestId('activity-attempt')).toHaveCount(0);
    const account = await stack.get<{ data: { metadata: Record<string, string> } }>(`/api/ledger/v2/main/accounts/users:${who}`);
    expect(account.data.metadata.seen).toBe('yes');
    expect((await readInstance(stack, id)).terminated).toBe(true);
  });

  test("run again with changes: variables read back from the stack's history, its sends listed with their transaction, the new run moves the edited amount", async ({
    page,
    request,
  }) => {
    const stack = stackApi(request);
    const name = uniqueName('remote-rerun');
    const user = `users:${uniqueName('rr').replace(/-/g, '_')}`;
    const workflowID = await createWorkflow(stack, name, [
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: user, ledger: 'main' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
        },
      },
    ]);
    const id = await runWorkflow(stack, workflowID, { amount: '1250' });
    await waitForInstance(stack, id, (i) => i.terminated);
    const balance = async () =>
      (await stack.get<{ data: { volumes?: Record<string, { input: number }> } }>(`/api/ledger/v2/main/accounts/${user}?expand=volumes`)).data.volumes?.['USD/2']?.input;
    expect(await balance()).toBe(1250);

    await page.goto(url(`/instances/${id}`));
    await expect(heading(page)).toContainText('Succeeded');
    await page.getByRole('button', { name: 'Run again' }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${name}” again` });
    await expect(dialog.getByTestId('rerun-source')).toContainText('${amount} is read back from the values its stages ran with');
    const amount = dialog.getByLabel('${amount}');
    await expect(amount).toHaveValue('1250');
    const moved = dialog.getByTestId('rerun-money');
    await expect(moved).toContainText('Read from the stack’s stage history.');
    await expect(moved.getByRole('listitem')).toHaveText(new RegExp(`^Stage 1 · Created transaction #\\d+ on ledger main: 12\\.50 USD from world to ${user}$`));
    await remoteShot(page, 'rerun');
    await amount.fill('300');
    await moved.getByRole('checkbox', { name: 'I have checked: run it again anyway' }).check();
    await dialog.getByRole('button', { name: 'Run again with changes', exact: true }).click();
    await expect(page).toHaveURL(/\/instances\/[^/?]+$/);
    await expect(page).not.toHaveURL(new RegExp(id));
    await expect(heading(page)).toContainText('Succeeded', { timeout: 20_000 });
    expect(await balance()).toBe(1550);
  });

  test('abort and bulk abort: the stack refuses, the console says why, and the runs go on', async ({ page, request }) => {
    const stack = stackApi(request);
    const workflowID = await createWorkflow(stack, uniqueName('remote-abort'), [{ wait_event: { event: 'go' } }]);
    const ids = [await runWorkflow(stack, workflowID), await runWorkflow(stack, workflowID)];
    for (const id of ids) await waitForInstance(stack, id, (i) => !!i.status?.length);

    await page.goto(url(`/instances/${ids[0]}`));
    await expect(heading(page)).toContainText('Waiting');
    await page.getByRole('button', { name: 'Abort', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Ask the stack to abort this instance?' });
    await expect(dialog.getByTestId('abort-explanation')).toContainText('Upstream Flows cannot abort a run once it has started');
    await dialog.getByRole('button', { name: 'Ask to abort' }).click();
    await expect(dialog.getByRole('alert')).toContainText('The stack refused (INTERNAL: workflow execution already completed): it cannot abort a run that has started');
    await remoteShot(page, 'abort-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(heading(page)).toContainText('Waiting');

    await page.goto(url(`/instances?workflowID=${workflowID}&refresh=0`));
    for (const id of ids) await page.getByRole('checkbox', { name: `Select instance ${id}` }).check();
    await page.getByRole('button', { name: 'Abort selected…' }).click();
    const bulk = page.getByRole('dialog', { name: 'Ask the stack to abort 2 instances?' });
    await expect(bulk.getByTestId('abort-explanation')).toBeVisible();
    await bulk.getByRole('button', { name: 'Ask to abort' }).click();
    await expect(bulk.getByRole('alert')).toContainText('2 could not be aborted (still selected)');
    await expect(bulk.getByRole('alert')).toContainText('The stack cannot abort a run that has started: these go on');
    await bulk.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('region', { name: 'Selection' })).toContainText('2 selected');
    for (const id of ids) expect((await readInstance(stack, id)).terminated).toBe(false);
    for (const id of ids) await stack.post(`${V2}/instances/${id}/events`, { name: 'go' });
  });

  test('instances: only the filters upstream honours, sent as it reads them; no order is claimed; rows that move between pages are noticed', async ({
    page,
    request,
  }) => {
    const stack = stackApi(request);
    await page.goto(url('/instances?status=failed&q=abc&order=desc&refresh=0'));
    await expect(page.getByTestId('remote-filters-note')).toContainText('filters instances by workflow and running state only, and sorts none of its lists');
    await expect(page.getByText(/oldest first|newest first/i)).toHaveCount(0);
    await expect(page.getByRole('searchbox', { name: 'Search by instance id' })).toHaveCount(0);
    await expect(page.getByLabel('Started by')).toHaveCount(0);
    const status = page.getByLabel('Status', { exact: true });
    await expect(status.locator('option')).toHaveText(['All', 'Running']);
    await expect(status).toHaveValue('all');
    const sent = page.waitForRequest((r) => r.url().includes(`${V2}/instances?`) && r.url().includes('running=true'));
    await status.selectOption('running');
    const query = new URL((await sent).url()).searchParams;
    expect(query.get('status')).toBeNull();
    expect(query.get('order')).toBeNull();

    // 16 waiting runs: the first page holds 15. One of them finishes, so the stack moves its row
    // to the end of its (unsorted) table: the next page repeats it and another is never listed.
    const workflowID = await createWorkflow(stack, uniqueName('remote-pages'), [{ wait_event: { event: 'go' } }]);
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push(await runWorkflow(stack, workflowID));
    await waitForInstance(stack, ids[15]!, (i) => !!i.status?.length);
    await page.goto(url(`/instances?workflowID=${workflowID}&refresh=0`));
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    await expect(pager).toContainText('15 instances on this page');
    const first = await page.getByRole('table', { name: 'Instances' }).getByRole('link', { name: /…/ }).first().getAttribute('href');
    const moved = first!.split('/').pop()!;
    await stack.post(`${V2}/instances/${moved}/events`, { name: 'go' });
    await waitForInstance(stack, moved, (i) => i.terminated);
    await pager.getByRole('button', { name: 'Load 15 more' }).click();
    await expect(page.getByTestId('list-moved')).toContainText('1 instance came twice between pages (shown once)');
    await expect(page.getByTestId('list-moved')).toContainText('some instances may be missing here');
    await remoteShot(page, 'instances-moved');
    for (const id of ids) if (id !== moved) await stack.post(`${V2}/instances/${id}/events`, { name: 'go' });
  });

  test('delete a workflow: its triggers are listed and deleted first; its runs stay reachable by id from its page', async ({ page, request }) => {
    const stack = stackApi(request);
    const name = uniqueName('remote-delete');
    const workflowID = await createWorkflow(stack, name, [{ noop: {} }]);
    const runID = await runWorkflow(stack, workflowID);
    const triggers: string[] = [];
    for (const t of ['payouts', 'deposits']) {
      const { data } = await stack.post<{ data: { id: string } }>(`${V2}/triggers`, { name: `${name}-${t}`, event: 'SAVED_PAYMENT', workflowID });
      triggers.push(data.id);
    }

    await page.goto(url(`/workflows/${workflowID}`));
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this workflow?' });
    await expect(dialog).toContainText('deleting a workflow does not stop its triggers: the stack keeps firing them');
    await expect(dialog.getByTestId('workflow-triggers')).toContainText(`${name}-payouts`);
    await expect(dialog.getByTestId('workflow-triggers')).toContainText(`${name}-deposits`);
    await remoteShot(page, 'delete-workflow');
    await dialog.getByRole('button', { name: 'Delete 2 triggers and the workflow' }).click();
    await expect(page).toHaveURL(/\/workflows$/);
    await expect(page.getByRole('link', { name, exact: true })).toHaveCount(0);
    for (const id of triggers) expect((await stack.raw('GET', `${V2}/triggers/${id}`)).status).toBe(404);
    expect((await stack.get<{ data: { deletedAt: string | null } }>(`${V2}/workflows/${workflowID}`)).data.deletedAt).toEqual(expect.any(String));

    // The stack lists none of its runs; its page says why and opens one by id.
    await page.goto(url(`/workflows/${workflowID}`));
    await expect(page.getByTestId('deleted-runs-note')).toContainText('The stack leaves the runs of a deleted workflow out of every instance list');
    await remoteShot(page, 'deleted-workflow');
    await page.getByTestId('deleted-runs-note').getByLabel('Instance id to open').fill(runID);
    await page.getByTestId('deleted-runs-note').getByRole('button', { name: 'Open' }).click();
    await expect(page).toHaveURL(new RegExp(`/instances/${runID}$`));
    await expect(page.getByRole('main')).toContainText('(deleted)');
    await expect(page.getByRole('button', { name: /Run again/ }).locator('..')).toHaveAttribute('title', /the stack would still run it, the console does not offer to/);
  });

  test('triggers: create, test on a pasted payload, fire from a ledger transaction, provenance from its occurrence, search in the console, delete', async ({
    page,
    request,
  }) => {
    const stack = stackApi(request);
    const workflow = uniqueName('remote-trg-wf');
    const workflowID = await createWorkflow(stack, workflow, [{ update: { account: { id: '${account}', ledger: 'main', metadata: { trigger: 'yes' } } } }]);
    const name = uniqueName('remote-Trigger');
    const account = `trg:${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

    await page.goto(url('/triggers/new'));
    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await page.getByLabel('Event type', { exact: true }).fill('COMMITTED_TRANSACTIONS');
    await page.getByLabel('Workflow to start').selectOption({ label: `${workflow} — ${workflowID.slice(0, 8)}` });
    await page.getByRole('button', { name: 'Add it' }).click();
    await setEditor(page, 'Filter expression', `event.transactions[0].postings[0].destination == "${account}"`);
    await setEditor(page, 'Variable account expression', 'event.transactions[0].postings[0].destination');
    // Before saving, the console evaluates the expressions itself (and says so).
    const payload = { ledger: 'main', transactions: [{ id: 1, postings: [{ source: 'world', destination: account, amount: 5, asset: 'USD/2' }], metadata: {} }] };
    await setEditor(page, 'Sample event payload (JSON)', JSON.stringify(payload));
    await expect(page.getByTestId('preview-where')).toContainText('this console evaluates the expressions itself');
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(page.getByTestId('test-result').getByText('Match', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Create trigger' }).click();
    await expect(page).toHaveURL(/\/triggers\/[0-9a-f-]{36}$/);
    const triggerID = page.url().split('/').pop()!;
    await expect(heading(page)).toHaveText(name);

    // The saved trigger's test runs on the stack (v2 test endpoint), on a pasted payload.
    await page.getByRole('link', { name: 'Test', exact: true }).click();
    await setEditor(page, 'Sample event payload (JSON)', JSON.stringify(payload));
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(page.getByTestId('test-result').getByText('Match', { exact: true })).toBeVisible();
    await expect(page.getByTestId('test-result').getByRole('row', { name: /account/ })).toContainText(account);

    // A real ledger transaction on the stack fires it.
    await stack.post('/api/ledger/v2/main/transactions', { postings: [{ source: 'world', destination: account, amount: 5, asset: 'USD/2' }] });
    await page.getByRole('link', { name: 'Occurrences', exact: true }).click();
    const instanceLink = page.getByRole('table', { name: 'Occurrences' }).getByRole('link', { name: /^Open instance / });
    await expect(instanceLink).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText('In the stack’s order (it keeps none between pages)')).toBeVisible();
    await instanceLink.click();
    // Upstream records no origin on the instance: the console found it in the trigger's occurrences.
    await expect(page.getByTestId('provenance')).toContainText(`Trigger ${name} on event COMMITTED_TRANSACTIONS`);
    await remoteShot(page, 'instance-from-trigger');

    // The name search runs in the console (upstream's own `name` filter answers 500).
    const nameFilters: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(`${V2}/triggers`) && new URL(r.url()).searchParams.has('name')) nameFilters.push(r.url());
    });
    await page.goto(url(`/triggers?name=${name.slice('remote-'.length).toLowerCase()}`));
    const list = page.getByRole('table', { name: 'Triggers' });
    await expect(list.getByRole('link', { name, exact: true })).toBeVisible();
    await expect(list.getByRole('row')).toHaveCount(2);
    await expect(page.getByText('The name search runs in the console')).toBeVisible();
    expect(nameFilters).toEqual([]);

    await list.getByRole('button', { name: `Delete trigger ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this trigger?' });
    await expect(dialog).toContainText('its page will answer “not found”');
    await dialog.getByRole('button', { name: 'Delete trigger' }).click();
    await expect(page.getByRole('status').getByText('Trigger deleted')).toBeVisible();
    expect((await stack.raw('GET', `${V2}/triggers/${triggerID}`)).status).toBe(404);
  });
});
