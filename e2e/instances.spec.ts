import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, createWorkflow, test, uniqueName, type Api } from './fixtures';

// Instances journeys against the real server (seeded data dir, see playwright.config.ts): every
// workflow and instance is created through the API for the test that uses it.
// `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/instances-*.png.

const V2 = '/api/orchestration/v2';
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;

interface Instance {
  id: string;
  terminated: boolean;
  error?: string;
  status?: { stage: number; startedAt: string; terminatedAt?: string; error?: string }[];
}

async function run(api: Api, workflowID: string, variables: Record<string, string> = {}) {
  const { data } = await api.post<{ data: { id: string } }>(`${V2}/workflows/${workflowID}/instances`, variables);
  return data.id;
}

const getInstance = async (api: Api, id: string) => (await api.get<{ data: Instance }>(`${V2}/instances/${id}`)).data;

async function waitFor(api: Api, id: string, check: (i: Instance) => boolean, timeout = 15_000) {
  await expect.poll(async () => check(await getInstance(api, id)), { timeout }).toBe(true);
  return getInstance(api, id);
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const callout = (page: Page) => page.getByTestId('status-callout');

async function axeSerious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

async function screenshot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}

test.describe('instances', () => {
  test.describe.configure({ timeout: 60_000 });

  test('a delay workflow is seen moving live, each new stage without a reload', async ({ page, api, consoleErrors }) => {
    // The instance waits for an event until the page is open: on a loaded machine the page can take
    // seconds to load, and a delay started with the run could be over before it shows.
    const wf = await createWorkflow(api, 'delays', [{ wait_event: { event: 'go' } }, { delay: { duration: '5s' } }, { noop: {} }]);
    const id = await run(api, wf.id);
    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Waiting');
    await expect(page.getByTestId('timeline-stage-1')).toHaveAttribute('data-state', 'running');
    await expect(page.getByTestId('timeline-stage-2')).toHaveAttribute('data-state', 'pending');
    await api.post(`${V2}/instances/${id}/events`, { name: 'go' });

    // Stage 2 appears without a reload. The view polls every 500 ms, so on an idle machine it shows
    // within a second of the engine recording it; the latency is printed, and asserted only loosely
    // (tests check behaviour; a loaded CI machine must not turn timing into failures).
    await page.locator('[data-testid="timeline-stage-2"][data-state="running"]').waitFor({ timeout: 10_000 });
    const seenAt = Date.now();
    const started = (await getInstance(api, id)).status!.find((s) => s.stage === 1)!.startedAt;
    const latencyMs = seenAt - Date.parse(started);
    console.log(`live view: stage 2 shown ${latencyMs} ms after the engine recorded it`);
    expect(latencyMs).toBeLessThan(5000);
    await expect(page.getByTestId('timeline-stage-1')).toHaveAttribute('data-state', 'succeeded');
    await expect(heading(page)).toContainText('Delayed');
    await expect(callout(page)).toContainText(/Delayed until .* resumes (in \d+ s|any moment now) \(stage 2\)/);

    await expect(heading(page)).toContainText('Succeeded', { timeout: 10_000 });
    for (const n of [1, 2, 3]) await expect(page.getByTestId(`timeline-stage-${n}`)).toHaveAttribute('data-state', 'succeeded');
    await expect(page.getByTestId('stage-sentence')).toContainText('Did nothing (noop)');
    await page.getByTestId('timeline-stage-2').click();
    await expect(page).toHaveURL(/\?stage=2$/);
    await expect(page.getByTestId('stage-sentence')).toHaveText('Waited 5.0 s');
    expect(consoleErrors).toEqual([]);
  });

  test('a wait_event instance is released by the send-event form', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'wait', [{ wait_event: { event: 'payment.${kind}' } }, { noop: {} }]);
    const id = await run(api, wf.id, { kind: 'confirmed' });
    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Waiting');
    await expect(callout(page)).toContainText('Waiting for event payment.confirmed (stage 1)');
    const name = page.getByLabel('Event name');
    await expect(name).toHaveValue('payment.confirmed');
    // Another name would be dropped: the form says so before sending.
    await name.fill('payment.other');
    await expect(page.getByText(/an event with another name is dropped/)).toBeVisible();
    // Sent anyway: the server drops it (204, as upstream) and the console says so, not "sent".
    await page.getByRole('button', { name: 'Send event' }).click();
    await expect(page.getByRole('status').getByText('Event dropped')).toBeVisible();
    await expect(page.getByRole('status')).toContainText('“payment.other” was accepted and dropped');
    await expect(page.getByRole('status').getByText(/delivered|Event sent/)).toHaveCount(0);
    await expect(heading(page)).toContainText('Waiting');
    await name.fill('payment.confirmed');
    await page.getByRole('button', { name: 'Send event' }).click();
    await expect(page.getByRole('status').getByText('Event “payment.confirmed” delivered')).toBeVisible();
    await expect(heading(page)).toContainText('Succeeded', { timeout: 10_000 });
    expect((await getInstance(api, id)).terminated).toBe(true);
    // Finished: the form stays, disabled, with the reason.
    await expect(page.getByRole('button', { name: 'Send event' })).toBeDisabled();
    await expect(page.getByText('The instance has finished: events can only be sent to a running instance.')).toBeVisible();
    await page.getByTestId('timeline-stage-1').click();
    await expect(page.getByTestId('stage-sentence')).toHaveText('Received event payment.confirmed');

    // Run again: the Run dialog, prefilled with the same variables; it moved no money, nothing to confirm.
    await page.getByRole('button', { name: 'Run again' }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${wf.name}” again` });
    await expect(dialog.getByLabel('${kind}')).toHaveValue('confirmed');
    await expect(dialog.getByTestId('rerun-money')).toContainText('The original run moved no money (it ran no send stage)');
    await dialog.getByRole('button', { name: 'Run again', exact: true }).click();
    await expect(page).not.toHaveURL(new RegExp(`/instances/${id}`));
    await expect(page).toHaveURL(/\/instances\/[^/?]+$/);
    await expect(heading(page)).toContainText('Waiting');
    await expect(page.getByRole('table', { name: 'Variables' })).toContainText('confirmed');
    const again = page.url().split('/instances/')[1]!;
    expect((await api.get<{ data: { variables: Record<string, string> } }>(`${V2}/instances/${again}`)).data.variables).toEqual({ kind: 'confirmed' });
    await api.put(`${V2}/instances/${again}/abort`);
    expect(consoleErrors).toEqual([]);
  });

  test('provenance: a trigger-started instance names its trigger and event, and links to the occurrence', async ({ page, api }) => {
    const { cursor } = await api.get<{ cursor: { data: { id: string; triggerID: string }[] } }>(`${V2}/instances?origin=trigger&pageSize=1`);
    const started = cursor.data[0]!; // the seeded data dir has triggers that fired
    const { data: trigger } = await api.get<{ data: { name: string; event: string } }>(`${V2}/triggers/${started.triggerID}`);
    await page.goto(`/instances/${started.id}`);
    const provenance = page.getByTestId('provenance');
    await expect(provenance).toContainText(`Trigger ${trigger.name} on event ${trigger.event}`);
    await provenance.getByRole('link', { name: /^occurrence / }).click();
    await expect(page).toHaveURL(new RegExp(`/triggers/${started.triggerID}\\?tab=occurrences`));
    await expect(page.getByRole('link', { name: `Open instance ${started.id}` })).toBeVisible();

    // The list filters by provenance.
    await page.goto('/instances');
    await page.getByRole('combobox', { name: 'Started by', exact: true }).selectOption('trigger');
    await expect(page).toHaveURL(/origin=trigger/);
    const table = page.getByRole('table', { name: 'Instances' });
    await expect(table.getByRole('row').nth(1)).toBeVisible();
    await expect(table.getByText('By hand')).toHaveCount(0);
    await page.getByRole('combobox', { name: 'Started by', exact: true }).selectOption(`trigger:${started.triggerID}`);
    await expect(page).toHaveURL(new RegExp(`trigger=${started.triggerID}`));
    await expect(table.getByRole('link', { name: trigger.name }).first()).toBeVisible();
  });

  test('an insufficient-funds send is seen retrying with a countdown, then succeeds once the account is funded', async ({ page, api, consoleErrors }) => {
    const account = `users:${uniqueName('broke').replace(/-/g, '_')}`;
    const wf = await createWorkflow(api, 'broke', [
      {
        send: {
          source: { account: { id: account, ledger: 'main' } },
          destination: { account: { id: 'merchants:e2e', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: 1234 },
        },
      },
    ]);
    const id = await run(api, wf.id);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Retrying', { timeout: 10_000 });
    await expect(callout(page)).toContainText(/Retrying CreateTransaction \(stage 1\) — attempt \d+, next try (in \d+ s|any moment now)/);
    await expect(callout(page)).toContainText('insufficient funds');
    const activity = page.getByTestId('activity').first();
    await expect(activity).toContainText(`Creating a transaction on ledger main: 12.34 USD from ${account} to merchants:e2e`);
    await expect(activity).toContainText('Last failure:');
    await expect(activity).toContainText(/Next execution: .* — (in \d+ s|any moment now)/);

    // The countdown is live: it changes without a reload.
    const countdown = callout(page).getByTestId('countdown');
    await expect(countdown).toHaveText(/in \d+ s|any moment now/);
    const first = await countdown.textContent();
    await expect(countdown).not.toHaveText(first!);
    await screenshot(page, 'instances-detail');

    // Fund the account through the sandbox ledger; the next retry goes through.
    await api.post('/api/ledger/v2/main/transactions', { postings: [{ source: 'world', destination: account, amount: 1234, asset: 'USD/2' }], metadata: {} });
    await expect(heading(page)).toContainText('Succeeded', { timeout: 40_000 });
    await expect(activity).toContainText(new RegExp(`Created transaction #\\d+ on ledger main: 12.34 USD from ${account} to merchants:e2e`));
    await expect(activity).toContainText(/attempt [2-9]|attempt \d\d/);
    // Ledger accounts and transactions link to the sandbox.
    await activity.getByRole('link', { name: account }).click();
    await expect(page).toHaveURL(/\/sandbox\/ledger\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('ledger')).toBe('main');
    expect(url.searchParams.get('account')).toBe(account);
    await expect(page.getByText(account).first()).toBeVisible();
    await page.goBack();
    // The transaction the retry finally created opens in the sandbox too.
    await activity.getByRole('link', { name: /^#\d+$/ }).click();
    await expect(page).toHaveURL(/\/sandbox\/ledger\?.*tx=(%22)?\d+/); // a text param: the router may quote it
    expect(consoleErrors).toEqual([]);
  });

  test('run again with changes: the sends the original made are listed with their transaction, the new run starts with the edited value', async ({
    page,
    api,
    consoleErrors,
  }) => {
    const user = `users:${uniqueName('rerun').replace(/-/g, '_')}`;
    const wf = await createWorkflow(api, 'rerun', [
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: user, ledger: 'main' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
        },
      },
    ]);
    const id = await run(api, wf.id, { amount: '1250' });
    await waitFor(api, id, (i) => i.terminated && !i.error);
    const activities = await api.get<{ data: { output?: { CreateTransaction?: { data: { id: number }[] | { id: number } } } }[] }>(
      `${V2}/instances/${id}/stages/0/history`,
    );
    const created = activities.data.find((a) => a.output?.CreateTransaction)!.output!.CreateTransaction!.data;
    const txid = String(Array.isArray(created) ? created[0]!.id : created.id);

    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Succeeded');
    await page.getByRole('button', { name: 'Run again' }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${wf.name}” again` });
    const moved = dialog.getByTestId('rerun-money');
    await expect(moved).toContainText('The original run already moved money');
    await expect(moved.getByRole('listitem')).toHaveText(`Stage 1 · Created transaction #${txid} on ledger main: 12.50 USD from world to ${user}`);
    await expect(moved.getByRole('link', { name: `#${txid}` })).toHaveAttribute('href', new RegExp(`/sandbox/ledger\\?.*tx=(%22)?${txid}`));
    await screenshot(page, 'instances-rerun');
    // Held until the operator confirms.
    await expect(dialog.getByRole('button', { name: 'Run again', exact: true })).toBeDisabled();
    const amount = dialog.getByLabel('${amount}');
    await expect(amount).toHaveValue('1250');
    await amount.fill('300');
    // Edited variables: the button says so.
    const runButton = dialog.getByRole('button', { name: 'Run again with changes', exact: true });
    await expect(runButton).toBeDisabled();
    await moved.getByRole('checkbox', { name: 'I have checked: run it again anyway' }).check();
    await runButton.click();
    await expect(page).not.toHaveURL(new RegExp(`/instances/${id}`));
    await expect(page).toHaveURL(/\/instances\/[^/?]+$/);
    const again = page.url().split('/instances/')[1]!;
    await expect(heading(page)).toContainText('Succeeded', { timeout: 15_000 });
    expect((await api.get<{ data: { variables: Record<string, string> } }>(`${V2}/instances/${again}`)).data.variables).toEqual({ amount: '300' });
    await expect(page.getByRole('table', { name: 'Variables' })).toContainText('300');
    expect(consoleErrors).toEqual([]);
  });

  test('abort from the detail, confirmed first', async ({ page, api }) => {
    const wf = await createWorkflow(api, 'abort-detail', [{ noop: {} }, { wait_event: { event: 'never' } }]);
    const id = await run(api, wf.id);
    await page.goto(`/instances/${id}`);
    await expect(heading(page)).toContainText('Waiting');
    await page.getByRole('button', { name: 'Abort', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Abort this instance?' });
    await expect(dialog).toContainText('The current stage (stage 2) stops at once');
    await dialog.getByRole('button', { name: 'Abort instance' }).click();
    await expect(page.getByRole('status').getByText('Instance aborted')).toBeVisible();
    await expect(heading(page)).toContainText('Aborted');
    await expect(callout(page)).toContainText('Aborted during stage 2');
    await expect(page.getByTestId('timeline-stage-2')).toHaveAttribute('data-state', 'aborted');
    await expect(page.getByRole('button', { name: 'Abort', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Abort', exact: true }).locator('..')).toHaveAttribute('title', 'This instance has already terminated');
    expect((await getInstance(api, id)).error).toBe('canceled');
  });

  test('bulk abort from the list: a preview of exactly which, finished ones skipped', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'bulk', [{ wait_event: { event: 'go' } }]);
    const ids = [await run(api, wf.id), await run(api, wf.id), await run(api, wf.id)];
    for (const id of ids) await waitFor(api, id, (i) => !!i.status?.length);
    await api.post(`${V2}/instances/${ids[2]}/events`, { name: 'go' });
    await waitFor(api, ids[2]!, (i) => i.terminated);

    await page.goto(`/instances?workflowID=${wf.id}`);
    const table = page.getByRole('table', { name: 'Instances' });
    await expect(table.getByRole('row')).toHaveCount(4);
    await expect(table.getByTestId('instance-status').filter({ hasText: 'Waiting' })).toHaveCount(2, { timeout: 10_000 });
    for (const id of ids) await page.getByRole('checkbox', { name: `Select instance ${id}` }).check();
    await expect(page.getByRole('region', { name: 'Selection' })).toContainText('3 selected');
    await page.getByRole('button', { name: 'Abort selected…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Abort 2 instances?' });
    const toAbort = dialog.getByRole('list', { name: 'Instances to abort' }).getByRole('listitem');
    await expect(toAbort).toHaveCount(2);
    await expect(toAbort.nth(0)).toContainText(/Waiting/);
    const listed = await toAbort.allInnerTexts();
    expect(listed.some((t) => t.includes(ids[0]!))).toBe(true);
    expect(listed.some((t) => t.includes(ids[1]!))).toBe(true);
    await expect(dialog.getByRole('list', { name: 'Skipped instances' })).toContainText(ids[2]!);
    expect(await axeSerious(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Abort 2 instances' }).click();
    await expect(page.getByRole('status').getByText('Aborted 2 instances')).toBeVisible();
    await expect(table.getByTestId('instance-status').filter({ hasText: 'Aborted' })).toHaveCount(2, { timeout: 10_000 });
    await expect(table.getByTestId('instance-status').filter({ hasText: 'Succeeded' })).toHaveCount(1);
    // Aborted ones leave the selection; the finished one stays selected.
    await expect(page.getByRole('region', { name: 'Selection' })).toContainText('1 selected');
    expect((await getInstance(api, ids[0]!)).error).toBe('canceled');
    expect((await getInstance(api, ids[1]!)).error).toBe('canceled');
    expect((await getInstance(api, ids[2]!)).error).toBeUndefined();
    // Each row links to its workflow.
    await table.getByRole('link', { name: wf.name }).first().click();
    await expect(page).toHaveURL(new RegExp(`/workflows/${wf.id}`));
    expect(consoleErrors).toEqual([]);
  });

  test('a deep link opens a stage with its activities, raw JSON one click away', async ({ page, api, consoleErrors }) => {
    const account = `users:${uniqueName('deep').replace(/-/g, '_')}`;
    const wf = await createWorkflow(api, 'deep', [{ noop: {} }, { update: { account: { id: account, ledger: 'main', metadata: { tier: 'gold' } } } }, { noop: {} }]);
    const id = await run(api, wf.id);
    await waitFor(api, id, (i) => i.terminated);
    await page.goto(`/instances/${id}?stage=2`);
    const stage = page.getByRole('region', { name: /Stage 2/ });
    await expect(stage).toBeInViewport();
    await expect(page.getByTestId('timeline-stage-2')).toHaveAttribute('aria-current', /page|step/);
    await expect(page.getByTestId('timeline-stage-1')).not.toHaveAttribute('aria-current');
    await expect(page.getByTestId('stage-sentence')).toHaveText(`Updated metadata of account ${account} on ledger main: tier = gold`);
    const activity = stage.getByTestId('activity');
    await expect(activity).toHaveCount(1);
    await expect(activity).toContainText(`Set metadata on account ${account} on ledger main: tier = gold`);
    await expect(activity).toContainText('attempt 1');
    await activity.getByRole('button', { name: 'Raw JSON' }).click();
    await expect(activity.getByLabel('Input of activity 1 (AddAccountMetadata)', { exact: true })).toContainText('"AddAccountMetadata"');
    await expect(activity).toContainText('No output (this call returns none).');
    await page.getByRole('link', { name: 'Next stage' }).click();
    await expect(page).toHaveURL(/\?stage=3$/);
    await expect(page.getByTestId('stage-sentence')).toHaveText('Did nothing (noop)');
    await page.goBack();
    await expect(page).toHaveURL(/\?stage=2$/);
    await expect(page.getByTestId('stage-sentence')).toContainText('Updated metadata');
    expect(consoleErrors).toEqual([]);
  });

  test('the list filters on the server, remembers its refresh interval and updates live', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'filters', [{ wait_event: { event: 'finish' } }]);
    const waiting = await run(api, wf.id);
    const done = await run(api, wf.id);
    await waitFor(api, done, (i) => !!i.status?.length);
    await api.post(`${V2}/instances/${done}/events`, { name: 'finish' });
    await waitFor(api, done, (i) => i.terminated);

    await page.goto(`/instances?workflowID=${wf.id}&status=succeeded`);
    const table = page.getByRole('table', { name: 'Instances' });
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText(done.slice(0, 8));
    await page.getByLabel('Status', { exact: true }).selectOption('running');
    await expect(page).toHaveURL(/status=running/);
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText(waiting.slice(0, 8));
    await expect(table.getByTestId('instance-status')).toContainText('Waiting');
    await expect(table.getByTestId('instance-status')).toContainText('for event finish');

    // Search by a piece of the id, time range, provenance.
    await page.goto(`/instances?q=${waiting.slice(9, 18)}`);
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(page.getByRole('searchbox', { name: 'Search by instance id' })).toHaveValue(waiting.slice(9, 18));
    await page.goto(`/instances?workflowID=${wf.id}&since=15m`);
    await expect(page.getByLabel('Started', { exact: true })).toHaveValue('15m');
    await expect(table.getByRole('row')).toHaveCount(3);
    await page.goto(`/instances?workflowID=${wf.id}&to=2000-01-01T00:00:00.000Z`);
    await expect(page.getByText('No instance matches these filters')).toBeVisible();
    await page.goto(`/instances?workflowID=${wf.id}&origin=trigger`);
    await expect(page.getByText('No instance matches these filters')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(/\/instances$/);

    // Live refresh: the choice is remembered; a new run shows up without a reload.
    await page.goto(`/instances?workflowID=${wf.id}`);
    await page.getByLabel('Refresh').selectOption('1');
    await expect(page.getByTestId('live-indicator')).toBeVisible();
    await page.goto(`/instances?workflowID=${wf.id}`);
    await expect(page.getByLabel('Refresh')).toHaveValue('1');
    const third = await run(api, wf.id);
    await expect(table.getByRole('link', { name: new RegExp(third.slice(0, 8)) })).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText(third.slice(0, 8)); // newest first
    await page.getByLabel('Refresh').selectOption('0');
    expect(await page.evaluate(() => localStorage.getItem('flows-console:instances-refresh'))).toBe('0');
    for (const id of [waiting, third]) await api.put(`${V2}/instances/${id}/abort`);
    expect(consoleErrors).toEqual([]);
  });

  test('re-running payin-to-wallet for a pay-in already credited fails at once, saying why', async ({ page, api, consoleErrors }) => {
    // The seed's pay-in was credited to Alice's wallet by the payin-to-wallet trigger.
    const payments = await api.get<{ cursor: { data: { id: string; reference: string; metadata: Record<string, string> | null }[] } }>(
      '/api/payments/payments?pageSize=100',
    );
    const payIn = payments.cursor.data.find((p) => p.reference === 'pi_3Q9seed')!;
    const { data: workflows } = await api.get<{ data: { id: string; config: { name: string } }[] }>('/api/orchestration/workflows');
    const payinToWallet = workflows.find((w) => w.config.name === 'payin-to-wallet')!;
    const { data: instance } = await api.post<{ data: { id: string; terminated: boolean; error?: string } }>(`${V2}/workflows/${payinToWallet.id}/instances?wait=true`, {
      paymentID: payIn.id,
      walletID: payIn.metadata!.walletID!,
    });
    expect(instance.terminated).toBe(true);
    expect(instance.error).toContain(`payment ${payIn.id} was already used`);

    await page.goto(`/instances/${instance.id}`);
    await expect(callout(page)).toContainText('was already used: it was ingested by transaction #');
    await expect(callout(page)).toContainText('less than the 1999 EUR/2 to move (an earlier run moved it on)');
    await expect(page.getByTestId('activity')).toHaveCount(2);
    expect(consoleErrors).toEqual([]);
  });

  test('a payout stage links to its transfer, the transfer to its payment', async ({ page, api, consoleErrors }) => {
    const { data: workflows } = await api.get<{ data: { id: string; config: { name: string } }[] }>('/api/orchestration/workflows');
    const payout = workflows.find((w) => w.config.name === 'payout-to-bank')!;
    const { data: instance } = await api.post<{ data: { id: string; error?: string } }>(`${V2}/workflows/${payout.id}/instances?wait=true`, {
      userID: '001',
      amount: '500',
    });
    expect(instance.error).toBeUndefined();
    await page.goto(`/instances/${instance.id}`);
    const initiation = page.locator('[data-activity="CreateTransferInitiation"]');
    await expect(initiation).toContainText('Initiated a PAYOUT of 5.00 USD via STRIPE');
    await initiation.getByRole('link', { name: 'transfer' }).click();
    await expect(page.getByTestId('transfer-reference')).toContainText(`${instance.id}-0-`);
    const transfers = page.getByRole('table', { name: 'Transfer initiations' });
    await expect(transfers.getByRole('row')).toHaveCount(2);
    await transfers.getByRole('link', { name: 'stripe PAYOUT' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('stripe PAYOUT');
    await expect(page.getByText('5.00 USD').first()).toBeVisible();
    await page
      .getByRole('table', { name: 'Payments of this transfer' })
      .getByRole('link', { name: /Open payment/ })
      .click();
    await expect(page).toHaveURL(/\/sandbox\/payments\?payment=/);
    await expect(page.getByText('PAYOUT').first()).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('sorting by a column sorts every instance on the server, page after page', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'sorted', [{ delay: { duration: '${d}' } }]);
    const quick = await run(api, wf.id, { d: '0s' });
    const slow = await run(api, wf.id, { d: '1500ms' });
    const middle = await run(api, wf.id, { d: '700ms' });
    for (const id of [quick, slow, middle]) await waitFor(api, id, (i) => i.terminated);

    // One row per page: only the server can know the longest one comes first.
    const sorted = page.waitForRequest((r) => r.url().includes('/api/orchestration/v2/instances?') && r.url().includes('sort=duration%3Adesc'));
    await page.goto(`/instances?workflowID=${wf.id}&pageSize=1&refresh=0&sort=duration:desc`);
    await sorted;
    const table = page.getByRole('table', { name: 'Instances' });
    await expect(page.getByText('sorted by duration (descending) on the server')).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText(slow.slice(0, 8));
    await expect(page.getByTestId('sort-scope')).toHaveCount(0);
    await page.getByRole('button', { name: 'Load 1 more' }).click();
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(table.getByRole('row').nth(2)).toContainText(middle.slice(0, 8));
    // Header clicks ask the server again, from the first page: no sort (newest first), then ascending.
    await table.getByRole('button', { name: 'Duration' }).click();
    await expect(page).not.toHaveURL(/sort=/);
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table.getByRole('row').nth(1)).toContainText(middle.slice(0, 8));
    await table.getByRole('button', { name: 'Duration' }).click();
    await expect(page).toHaveURL(/sort=duration%3Aasc|sort=duration:asc/);
    await expect(table.getByRole('row').nth(1)).toContainText(quick.slice(0, 8));
    expect(consoleErrors).toEqual([]);
  });

  test('long lists: "load more" appends pages, scrolling to the end loads the next one, rows stay virtualized', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'many', [{ noop: {} }]);
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) ids.push(await run(api, wf.id));

    await page.goto(`/instances?workflowID=${wf.id}&pageSize=50&order=asc&refresh=0`);
    const table = page.getByRole('table', { name: 'Instances' });
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    await expect(pager).toContainText('50 instances on this page');
    await pager.getByRole('button', { name: 'Load 50 more' }).click();
    await expect(pager).toContainText('100 instances loaded (2 pages)');
    // Above 80 rows the table virtualizes: the DOM holds a window, not every row.
    await expect(table).toHaveAttribute('aria-rowcount', '101');
    expect(await table.locator('tbody tr[aria-rowindex]').count()).toBeLessThan(60);
    // Scrolling the table to its end fetches the third (last) page without a click.
    await table.evaluate((t) => {
      const scroller = t.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await expect(pager).toContainText('130 instances loaded (3 pages)');
    await expect(pager.getByRole('button', { name: /^Load/ })).toHaveCount(0);
    await table.evaluate((t) => {
      const scroller = t.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await expect(table.getByRole('link', { name: new RegExp(ids[129]!.slice(0, 8)) })).toBeVisible(); // the oldest-first list ends with the last run
    // Live refresh reloads every loaded page, up to a bound; past it the list says it paused.
    await page.goto(`/instances?workflowID=${wf.id}&pageSize=15&order=asc&refresh=5`);
    for (let loaded = 2; loaded <= 6; loaded++) {
      await pager.getByRole('button', { name: 'Load 15 more' }).click();
      await expect(pager).toContainText(`${loaded * 15} instances loaded (${loaded} pages)`);
    }
    await expect(page.getByTestId('live-indicator')).toContainText('Live paused: 6 pages loaded');
    expect(consoleErrors).toEqual([]);
  });

  test('a send stage reads as sentences linking to the ledger and wallets; no serious axe violations', async ({ page, api }) => {
    const account = `users:${uniqueName('topup').replace(/-/g, '_')}`;
    await api.post('/api/ledger/v2/main/transactions', { postings: [{ source: 'world', destination: account, amount: 5000, asset: 'USD/2' }], metadata: {} });
    const wf = await createWorkflow(api, 'top-up', [
      {
        send: {
          source: { account: { id: account, ledger: 'main' } },
          destination: { wallet: { name: 'alice' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
          metadata: { reason: 'top-up' },
        },
      },
    ]);
    const id = await run(api, wf.id, { amount: '2000' });
    await waitFor(api, id, (i) => i.terminated);
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`/instances/${id}?stage=1`);
    await expect(heading(page)).toContainText('Succeeded');
    await expect(page.getByTestId('stage-sentence')).toHaveText(`Send 20.00 USD from account ${account} on ledger main to wallet alice`);
    const activities = page.getByTestId('activity');
    await expect(activities).toHaveCount(3);
    await expect(activities.nth(0)).toContainText('Found wallet alice by its name');
    await expect(activities.nth(1)).toContainText(new RegExp(`Created transaction #\\d+ on ledger main: 20.00 USD from ${account} to world`));
    await expect(activities.nth(2)).toContainText('Credited wallet alice balance main with 20.00 USD from world');
    await page.getByTestId('activity').nth(1).getByRole('button', { name: 'Raw JSON' }).click();
    // For the picture: the drill-down at the top of the view.
    await page.locator('#stage').evaluate((el) => {
      const main = el.closest('main')!;
      main.scrollTo({ top: el.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16 });
    });
    await screenshot(page, 'instances-stage');
    expect(await axeSerious(page)).toEqual([]);
    const alice = (await api.get<{ cursor: { data: { id: string }[] } }>('/api/wallets/wallets?name=alice')).cursor.data[0]!.id;
    await activities.nth(2).getByRole('link', { name: 'alice' }).click();
    await expect(page).toHaveURL(new RegExp(`/sandbox/wallets\\?wallet=${alice}`));
  });

  test('every precise status reads in the list rows', async ({ page, api }) => {
    const broke = `users:${uniqueName('nofunds').replace(/-/g, '_')}`;
    const make = async (prefix: string, stages: unknown[], vars: Record<string, string> = {}) => run(api, (await createWorkflow(api, prefix, stages)).id, vars);
    const succeeded = await make('payout', [{ noop: {} }]);
    const failed = await make('validate', [{ wait_event: { event: '${missing}' } }]);
    const aborted = await make('cancel-me', [{ wait_event: { event: 'never' } }]);
    const waiting = await make('await-approval', [{ noop: {} }, { wait_event: { event: 'approved' } }]);
    const delayed = await make('cool-down', [{ delay: { duration: '1h' } }]);
    const retrying = await make('pay-merchant', [
      {
        send: {
          source: { account: { id: broke, ledger: 'main' } },
          destination: { account: { id: 'merchants:007', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: 4200 },
        },
      },
    ]);
    await waitFor(api, aborted, (i) => !!i.status?.length);
    await api.put(`${V2}/instances/${aborted}/abort`);
    await waitFor(api, failed, (i) => i.terminated);
    await waitFor(api, succeeded, (i) => i.terminated);

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto('/instances?since=15m');
    const table = page.getByRole('table', { name: 'Instances' });
    const row = (id: string) =>
      table
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: id.slice(0, 8) }) })
        .getByTestId('instance-status');
    await expect(row(succeeded)).toHaveAttribute('data-status', 'Succeeded');
    await expect(row(failed)).toHaveAttribute('data-status', 'Failed');
    await expect(row(failed)).toContainText('WaitEvent.Event');
    await expect(row(aborted)).toHaveAttribute('data-status', 'Aborted');
    await expect(row(waiting)).toHaveAttribute('data-status', 'Waiting', { timeout: 10_000 });
    await expect(row(waiting)).toContainText('for event approved');
    await expect(row(delayed)).toHaveAttribute('data-status', 'Delayed', { timeout: 10_000 });
    await expect(row(delayed)).toContainText(/resumes in (59|60) min/);
    await expect(row(retrying)).toHaveAttribute('data-status', 'Retrying', { timeout: 10_000 });
    await expect(row(retrying)).toContainText(/attempt \d+ · next try (in \d+ s|now)/);
    await expect(row(retrying).locator('[title*="CreateTransaction"]')).toHaveAttribute('title', /insufficient funds/);
    await expect(page.locator('[aria-label="Loading"]')).toHaveCount(0);
    await screenshot(page, 'instances-list');
    expect(await axeSerious(page)).toEqual([]);

    // Leave nothing running behind.
    for (const id of [waiting, delayed, retrying]) await api.put(`${V2}/instances/${id}/abort`);
  });
});
