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
});
