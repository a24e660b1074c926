import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { authServer } from '../playwright.config';
import { expect, test, uniqueName } from './fixtures';

// Four eyes in the browser, against the embedded server with AUTH_CLIENTS (playwright.config.ts:
// `authServer`, with two operators): a run of a workflow that requires approval is held; its
// requester cannot approve it; another operator sees what it would do, approves it, and the run
// starts. Screenshots go to the test's output folder, and to docs/screenshots/approval-*.png with
// `UPDATE_SCREENSHOTS=1`.

const V2 = `${authServer.url}/api/orchestration/v2`;
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;

async function bearer(request: APIRequestContext): Promise<Record<string, string>> {
  const res = await request.post(`${authServer.url}/api/auth/oauth/token`, {
    form: { grant_type: 'client_credentials', client_id: authServer.clientId, client_secret: authServer.clientSecret },
  });
  return { authorization: `Bearer ${(await res.json()).access_token}` };
}

/** A page of its own browser context, signed in (the console's session cookie) as an operator. */
async function signedIn(browser: Browser, who: { clientId: string; clientSecret: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL: authServer.url, viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const res = await page.request.post(`${authServer.url}/api/auth/session`, { data: who });
  expect(res.status()).toBe(200);
  return page;
}

async function shoot(page: Page, name: string, outputPath: (name: string) => string) {
  await page.screenshot({ path: outputPath(`${name}.png`) });
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png` });
  }
}

test.describe('four eyes', () => {
  test.describe.configure({ timeout: 90_000 });

  test('a held run: the requester cannot approve it, another operator approves it and the run starts', async ({ browser, request }, info) => {
    const [alice, bob] = authServer.operators as [(typeof authServer.operators)[0], (typeof authServer.operators)[0]];
    const headers = await bearer(request);
    const name = uniqueName('four-eyes');
    const user = uniqueName('u').replace(/-/g, '_');
    const created = await request.post(`${V2}/workflows`, {
      headers,
      data: {
        name,
        stages: [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'users:${user}' } }, amount: { asset: 'USD/2', amount: '${amount}' } } }],
      },
    });
    expect(created.status()).toBe(201);
    const workflowID = (await created.json()).data.id as string;
    const policy = await request.put(`${authServer.url}/api/console/workflows/${workflowID}/approval-policy`, { headers, data: { requiresApproval: true } });
    expect(policy.status()).toBe(200);

    // Alice runs it from the console: the dialog says it is held, nothing started.
    const a = await signedIn(browser, alice);
    await a.goto(`/workflows/${workflowID}`);
    await a.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = a.getByRole('dialog', { name: `Run “${name}”` });
    await dialog.getByLabel('${user}').fill(user);
    await dialog.getByLabel('${amount}').fill('125000');
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    const held = a.getByTestId('run-held');
    await expect(held).toContainText(`“${name}” is held for approval`);
    await expect(held).toContainText('The run has not started');
    await shoot(a, 'approval-held', info.outputPath.bind(info));
    await held.getByRole('link', { name: 'approval request' }).click();
    await expect(a).toHaveURL(/\/approvals\/[^/]+$/);
    const approvalId = a.url().split('/').pop()!;
    await expect(a.getByRole('heading', { level: 1 })).toHaveText(`Run of “${name}”`);
    await expect(a.getByText('Waiting for approval')).toBeVisible();

    // Her own request: Approve is disabled, saying why — and the server refuses it too.
    await expect(a.getByRole('button', { name: 'Approve and run' })).toBeDisabled();
    await expect(a.getByTestId('approve-refusal')).toHaveText('You requested this run: another person must approve it.');
    const own = await a.request.post(`${authServer.url}/api/console/approvals/${approvalId}/approve`, { data: {} });
    expect(own.status()).toBe(403);
    expect((await own.json()).errorMessage).toBe('client e2e-alice requested this run: a different person must approve it');
    const runs = await request.get(`${V2}/instances?workflowID=${workflowID}`, { headers });
    expect((await runs.json()).cursor.data).toEqual([]);

    // Bob finds it on the Approvals page, sees the variables, the send and the dry-run, and approves.
    const b = await signedIn(browser, bob);
    await b.goto('/approvals');
    await expect(b.getByRole('heading', { level: 1, name: 'Approvals' })).toBeVisible();
    const row = b.getByRole('table', { name: 'Approval requests' }).getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('client e2e-alice');
    await expect(row).toContainText('the workflow requires approval for every run');
    await shoot(b, 'approval-list', info.outputPath.bind(info));
    await row.getByRole('link', { name }).click();
    await expect(b).toHaveURL(new RegExp(`/approvals/${approvalId}$`));
    await expect(b.getByRole('definition').filter({ hasText: user })).toBeVisible();
    await expect(b.getByRole('list', { name: 'Sends' })).toContainText(`Stage 1:`);
    await expect(b.getByRole('list', { name: 'Sends' })).toContainText(`users:${user}`);
    await expect(b.getByTestId('dry-run-report')).toBeVisible();
    await shoot(b, 'approval-detail', info.outputPath.bind(info));
    await b.getByRole('button', { name: 'Approve and run' }).click();
    const confirm = b.getByRole('dialog', { name: 'Approve and start this run?' });
    await confirm.getByLabel(/Reason/).fill('checked with finance — ticket 77');
    await confirm.getByRole('button', { name: 'Approve and run' }).click();
    await expect(b.getByText('Approved', { exact: true })).toBeVisible();
    const run = b.getByTestId('approved-run');
    await expect(run).toBeVisible();
    await run.click();

    // The run started, with Alice's variables, and ends having moved the money.
    await expect(b).toHaveURL(/\/instances\/[^/]+$/);
    const instanceId = b.url().split('/').pop()!;
    await expect(b.getByRole('heading', { level: 1 })).toContainText(/Succeeded|Running/);
    const instance = await (await request.get(`${V2}/instances/${instanceId}`, { headers })).json();
    expect(instance.data).toMatchObject({ workflowID, variables: { user, amount: '125000' } });

    // The approval is in the audit log with its reason.
    const log = await (await request.get(`${authServer.url}/api/console/audit?action=approval&targetId=${approvalId}`, { headers })).json();
    expect(log.cursor.data.map((e: { actor: { name: string }; outcome?: { outcome: string }; reason?: string }) => [e.actor.name, e.outcome?.outcome, e.reason])).toEqual(
      [
        ['e2e-bob', 'succeeded', 'checked with finance — ticket 77'],
        ['e2e-alice', 'failed', undefined],
      ],
    );
    await a.context().close();
    await b.context().close();
  });

  test('an admin requires approval in the console; an operator’s run is held and another operator approves it; turning it off asks why', async ({
    browser,
    request,
  }, info) => {
    const [alice, bob] = authServer.operators as [(typeof authServer.operators)[0], (typeof authServer.operators)[0]];
    const headers = await bearer(request);
    const name = uniqueName('policy-ui');
    const created = await request.post(`${V2}/workflows`, { headers, data: { name, stages: [{ noop: {} }] } });
    expect(created.status()).toBe(201);
    const workflowID = (await created.json()).data.id as string;

    // An operator sees that it is not required, and why she cannot change it.
    const a = await signedIn(browser, alice);
    await a.goto(`/workflows/${workflowID}`);
    const aPolicy = a.getByTestId('approval-policy');
    await expect(aPolicy).toContainText('Not required');
    await expect(aPolicy.getByRole('button', { name: 'Require approval' })).toBeDisabled();
    await expect(aPolicy.getByTestId('refusal')).toHaveText('Needs the admin role — you are signed in as operator');

    // The admin (a client without a role: full access) switches it on, with a reason.
    const admin = await signedIn(browser, { clientId: authServer.clientId, clientSecret: authServer.clientSecret });
    await admin.goto(`/workflows/${workflowID}`);
    const policy = admin.getByTestId('approval-policy');
    await policy.getByRole('button', { name: 'Require approval' }).click();
    const on = admin.getByRole('dialog', { name: 'Require approval for every run?' });
    await on.getByLabel(/Reason/).fill('payout workflow — ticket 31');
    await on.getByRole('button', { name: 'Require approval' }).click();
    await expect(on).toBeHidden();
    await expect(policy).toContainText('Requires approval');
    await expect(admin.getByTestId('requires-approval-badge')).toBeVisible();
    const activity = admin.getByRole('list', { name: 'Activity' });
    await expect(activity).toContainText('required approval for every run of workflow');
    await expect(activity).toContainText('— payout workflow — ticket 31');
    for (const scheme of ['light', 'dark'] as const) {
      await admin.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await shoot(admin, `approval-policy-${scheme}`, info.outputPath.bind(info));
    }
    await admin.emulateMedia({ colorScheme: 'light' });
    // The workflows list says it too.
    await admin.goto(`/workflows?q=${name}`);
    await expect(admin.getByRole('row').filter({ hasText: name })).toContainText('Requires approval');
    await admin.goto(`/workflows/${workflowID}`);

    // Alice's run from the console is held; Bob approves it and it starts.
    await a.reload();
    await expect(a.getByTestId('requires-approval-badge')).toBeVisible();
    await a.getByRole('button', { name: 'Run', exact: true }).click();
    await a
      .getByRole('dialog', { name: `Run “${name}”` })
      .getByRole('button', { name: 'Run', exact: true })
      .click();
    const held = a.getByTestId('run-held');
    await expect(held).toContainText(`“${name}” is held for approval`);
    await held.getByRole('link', { name: 'approval request' }).click();
    await expect(a).toHaveURL(/\/approvals\/[^/]+$/);
    const approvalId = a.url().split('/').pop()!;
    const b = await signedIn(browser, bob);
    await b.goto(`/approvals/${approvalId}`);
    await b.getByRole('button', { name: 'Approve and run' }).click();
    await b.getByRole('dialog', { name: 'Approve and start this run?' }).getByRole('button', { name: 'Approve and run' }).click();
    await expect(b.getByTestId('approved-run')).toBeVisible();
    const runs = await (await request.get(`${V2}/instances?workflowID=${workflowID}`, { headers })).json();
    expect(runs.cursor.data).toHaveLength(1);

    // Switching it off says what it removes; the change is recorded with its reason.
    await policy.getByRole('button', { name: 'Stop requiring approval' }).click();
    const off = admin.getByRole('dialog', { name: 'Stop requiring approval?' });
    await expect(off).toContainText('This removes a control on money');
    await off.getByLabel(/Reason/).fill('pilot over');
    await off.getByRole('button', { name: 'Stop requiring approval' }).click();
    await expect(policy).toContainText('Not required');
    await expect(admin.getByTestId('requires-approval-badge')).toBeHidden();
    await expect(activity).toContainText('stopped requiring approval for workflow');
    const log = await (await request.get(`${authServer.url}/api/console/audit?action=workflow.policy&targetId=${workflowID}`, { headers })).json();
    expect(log.cursor.data.map((e: { actor: { name: string }; reason?: string }) => [e.actor.name, e.reason])).toEqual([
      [authServer.clientId, 'pilot over'],
      [authServer.clientId, 'payout workflow — ticket 31'],
    ]);
    for (const p of [a, b, admin]) await p.context().close();
  });

  test('an admin sets an approval limit in Settings: a run whose sends exceed it is held, one under it runs; bad input names its field and saves nothing', async ({
    browser,
    request,
  }, info) => {
    const [alice] = authServer.operators as [(typeof authServer.operators)[0]];
    const headers = await bearer(request);
    // An asset of its own: the settings are the server's, shared by every test.
    const asset = `L${uniqueName('')
      .replace(/[^a-z0-9]/gi, '')
      .toUpperCase()
      .slice(-8)}/2`;
    const name = uniqueName('limit-ui');
    const created = await request.post(`${V2}/workflows`, {
      headers,
      data: {
        name,
        stages: [{ send: { source: { account: { id: 'world' } }, destination: { account: { id: 'limits:test' } }, amount: { asset, amount: '${amount}' } } }],
      },
    });
    expect(created.status()).toBe(201);
    const workflowID = (await created.json()).data.id as string;
    const settingsNow = async () => (await (await request.get(`${authServer.url}/api/console/settings`, { headers })).json()).data;
    const before = await settingsNow();

    const admin = await signedIn(browser, { clientId: authServer.clientId, clientSecret: authServer.clientSecret });
    await admin.goto('/settings');
    const form = admin.getByRole('form', { name: 'Approval limits' });
    await form.getByRole('button', { name: 'Add a limit' }).click();
    const rows = form.getByRole('table', { name: 'Approval limits by asset' });
    const n = await rows.getByRole('textbox', { name: /^Asset of limit/ }).count();
    const assetField = form.getByLabel(`Asset of limit ${n}`);
    const amountField = form.getByLabel(`Limit ${n} in minor units`);

    // Bad input: each field says what is wrong, and nothing is saved.
    await assetField.fill(asset.toLowerCase());
    await amountField.fill('12.50');
    await form.getByLabel('A held run expires after').fill('10s');
    await form.getByRole('button', { name: 'Save approval settings' }).click();
    await expect(form.getByText('Asset: expected an asset such as USD/2 or EUR')).toBeVisible();
    await expect(form.getByText(/Limit of .*: expected a whole amount in minor units/)).toBeVisible();
    await expect(form.getByText('Expires after: must be between 1m and 720h (30 days)')).toBeVisible();
    expect(await settingsNow()).toEqual(before);

    // A good limit: the amount reads in major units beside it.
    await assetField.fill(asset);
    await amountField.fill('100000');
    await expect(form.getByTestId('limit-preview').last()).toHaveText(`= 1,000.00 ${asset.split('/')[0]}`);
    await form.getByLabel('A held run expires after').fill(before.approvalExpiresAfter);
    await form.getByRole('button', { name: 'Save approval settings' }).click();
    await expect.poll(async () => (await settingsNow()).approvalLimits[asset]).toBe('100000');
    await expect(form.getByLabel(`Asset of limit ${n}`)).toHaveValue(asset);
    for (const scheme of ['light', 'dark'] as const) {
      await admin.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      // Another journey's change to the shared settings can re-render the form under the locator.
      await expect(() => form.scrollIntoViewIfNeeded({ timeout: 2_000 })).toPass();
      await shoot(admin, `approval-limits-${scheme}`, info.outputPath.bind(info));
    }
    await admin.emulateMedia({ colorScheme: 'light' });

    // An operator's runs: over the limit held, at the limit started.
    const a = await signedIn(browser, alice);
    const over = await a.request.post(`${V2}/workflows/${workflowID}/instances`, { data: { amount: '100001' } });
    expect(over.status()).toBe(202);
    expect((await over.json()).data.heldBecause).toEqual([expect.objectContaining({ kind: 'amount', asset, total: '100001', limit: '100000' })]);
    const under = await a.request.post(`${V2}/workflows/${workflowID}/instances`, { data: { amount: '100000' } });
    expect(under.status()).toBe(201);

    // The change is in the log; removing the row removes the limit.
    const log = await (await request.get(`${authServer.url}/api/console/audit?action=settings.update&actor=${authServer.clientId}`, { headers })).json();
    expect(log.cursor.data[0].details.body).toContain(asset);
    await form.getByLabel(`Remove limit ${n}`).click();
    await form.getByRole('button', { name: 'Save approval settings' }).click();
    await expect.poll(async () => (await settingsNow()).approvalLimits[asset]).toBeUndefined();
    await a.context().close();
    await admin.context().close();
  });

  test('Settings keeps a limit being typed when the saved settings change meanwhile, says so, and reloads them on request', async ({ browser, request }, info) => {
    const headers = await bearer(request);
    const settingsUrl = `${authServer.url}/api/console/settings`;
    const suffix = uniqueName('')
      .replace(/[^a-z0-9]/gi, '')
      .toUpperCase()
      .slice(-7);
    const typed = `T${suffix}/2`;
    const other = `O${suffix}/2`;
    /** Another admin (the API) sets or removes a limit of `other`, keeping everyone else's. */
    const setOther = async (amount?: string) => {
      const { approvalLimits } = (await (await request.get(settingsUrl, { headers })).json()).data as { approvalLimits: Record<string, string> };
      const next = { ...approvalLimits };
      if (amount === undefined) delete next[other];
      else next[other] = amount;
      expect((await request.put(settingsUrl, { headers, data: { approvalLimits: next } })).status()).toBe(200);
    };

    const admin = await signedIn(browser, { clientId: authServer.clientId, clientSecret: authServer.clientSecret });
    // The settings query is fresh for 30 s: the clock moves past that, then the tab regains focus and refetches.
    await admin.clock.install();
    const refetch = async () => {
      const read = admin.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/console/settings');
      await admin.clock.fastForward('00:31');
      await admin.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
      await read;
    };
    await admin.goto('/settings');
    const form = admin.getByRole('form', { name: 'Approval limits' });
    const table = form.getByRole('table', { name: 'Approval limits by asset' });
    await form.getByRole('button', { name: 'Add a limit' }).click();
    const n = await table.getByRole('textbox', { name: /^Asset of limit/ }).count();
    await form.getByLabel(`Asset of limit ${n}`).fill(typed);
    await form.getByLabel(`Limit ${n} in minor units`).fill('4200');

    // The saved settings change under the unsaved edit: it stays, and the form says so.
    await setOther('777');
    await refetch();
    const notice = form.getByTestId('settings-changed-under');
    await expect(notice).toContainText('The saved approval settings changed while you were editing');
    await expect(form.getByLabel(`Asset of limit ${n}`)).toHaveValue(typed);
    await expect(form.getByLabel(`Limit ${n} in minor units`)).toHaveValue('4200');
    await notice.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: info.outputPath('settings-changed-under.png') });

    // Reloading shows the saved values (the other admin's limit, not the typed one) and ends the notice.
    await notice.getByRole('button', { name: 'Reload the saved values' }).click();
    await expect(notice).toBeHidden();
    const assets = () => table.getByRole('textbox', { name: /^Asset of limit/ }).evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    await expect.poll(assets).toContain(other);
    expect(await assets()).not.toContain(typed);

    // An untouched form follows the saved values without a notice.
    await setOther();
    await refetch();
    await expect.poll(assets).not.toContain(other);
    await expect(notice).toBeHidden();
    await admin.context().close();
  });
});
