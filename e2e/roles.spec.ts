import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { authServer } from '../playwright.config';
import { expect, test, uniqueName } from './fixtures';

// Roles in the console against the embedded server with AUTH_CLIENTS and AUTH_USERS
// (playwright.config.ts: `authServer`): what a role may not do is disabled, saying which role it
// needs, and the server refuses it anyway (403) when forced. And a person signs in by name: the
// audit log names them. Screenshots go to the test's output folder.

const V2 = '/api/orchestration/v2';
const NEEDS_OPERATOR = (role: string) => `Needs the operator role — you are signed in as ${role}`;
const NEEDS_ADMIN = (role: string) => `Needs the admin role — you are signed in as ${role}`;

/** A full-access bearer token (the role-less client), for setting up data as a program would. */
async function adminToken(request: APIRequestContext): Promise<string> {
  const r = await request.post(`${authServer.url}/api/auth/oauth/token`, {
    form: { grant_type: 'client_credentials', client_id: authServer.clientId, client_secret: authServer.clientSecret },
  });
  return ((await r.json()) as { access_token: string }).access_token;
}

/** A workflow that waits for an event forever, and one running instance of it. */
async function waitingInstance(request: APIRequestContext, prefix: string) {
  const headers = { authorization: `Bearer ${await adminToken(request)}` };
  const name = uniqueName(prefix);
  const wf = await request.post(`${authServer.url}${V2}/workflows`, { headers, data: { name, stages: [{ wait_event: { event: 'never' } }] } });
  expect(wf.status()).toBe(201);
  const workflowID = ((await wf.json()) as { data: { id: string } }).data.id;
  const run = await request.post(`${authServer.url}${V2}/workflows/${workflowID}/instances`, { headers, data: {} });
  expect(run.status()).toBe(201);
  return { name, workflowID, instanceID: ((await run.json()) as { data: { id: string } }).data.id };
}

async function signIn(page: Page, path: string, method: 'Client credentials' | 'Name and password', id: string, secret: string) {
  await page.goto(`${authServer.url}${path}`);
  await page.getByRole('button', { name: method }).click();
  await page.getByLabel(method === 'Client credentials' ? 'Client ID' : 'Name', { exact: true }).fill(id);
  await page.getByLabel(method === 'Client credentials' ? 'Client secret' : 'Password', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('session-name')).toHaveText(id, { timeout: 20_000 });
}

/** Disabled, and the reason on the control's wrapper (components/WithReason.tsx). */
async function expectRefused(control: Locator, reason: string) {
  await expect(control).toBeDisabled();
  await expect(control.locator('xpath=..')).toHaveAttribute('title', reason);
}

/** A write sent by the signed-in browser itself (its cookie, its origin): what the server answers. */
async function forced(page: Page, method: 'POST' | 'PUT' | 'DELETE', path: string, data?: unknown) {
  const r = await page.request.fetch(`${authServer.url}${path}`, { method, data, headers: { origin: authServer.url } });
  return { status: r.status(), body: (await r.json().catch(() => undefined)) as { errorCode?: string; requiredRole?: string } | undefined };
}

async function shoot(page: Page, name: string, outputPath: (name: string) => string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.screenshot({ path: outputPath(`${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('roles in the console', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a viewer sees every write disabled with the role it needs; the server refuses it anyway', async ({ page, request, consoleErrors }, info) => {
    const { name, workflowID, instanceID } = await waitingInstance(request, 'viewer-sees');
    await signIn(page, `/workflows?q=${name}`, 'Client credentials', authServer.viewer.id, authServer.viewer.secret);
    await expect(page.getByTestId('session-role')).toHaveText(', role viewer');

    // Workflows: new, run, duplicate, delete.
    await expectRefused(page.getByRole('button', { name: 'New workflow' }), NEEDS_ADMIN('viewer'));
    await expectRefused(page.getByRole('button', { name: `Run ${name}` }), NEEDS_OPERATOR('viewer'));
    await expectRefused(page.getByRole('button', { name: `Duplicate and edit ${name}` }), NEEDS_ADMIN('viewer'));
    await expectRefused(page.getByRole('button', { name: `Delete ${name}` }), NEEDS_ADMIN('viewer'));
    await shoot(page, 'viewer-workflows', info.outputPath.bind(info));

    await page.goto(`${authServer.url}/workflows/${workflowID}`);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expectRefused(page.getByRole('button', { name: 'Run', exact: true }), NEEDS_OPERATOR('viewer'));
    await expectRefused(page.getByRole('button', { name: 'Duplicate & edit' }), NEEDS_ADMIN('viewer'));
    await expectRefused(page.getByRole('button', { name: 'Delete', exact: true }), NEEDS_ADMIN('viewer'));
    await expect(page.getByRole('button', { name: 'Dry run' })).toBeEnabled(); // reading is allowed

    // Authoring: the editor works as a draft, creating does not.
    await page.goto(`${authServer.url}/workflows/new`);
    await expectRefused(page.getByRole('button', { name: 'Create workflow' }), NEEDS_ADMIN('viewer'));
    await expect(page.getByRole('status').filter({ hasText: NEEDS_ADMIN('viewer') })).toContainText('you may draft and dry-run');

    // The instance: abort, run again, send event.
    await page.goto(`${authServer.url}/instances/${instanceID}`);
    await expectRefused(page.getByRole('button', { name: 'Abort', exact: true }), NEEDS_OPERATOR('viewer'));
    await expectRefused(page.getByRole('button', { name: 'Run again…' }), NEEDS_OPERATOR('viewer'));
    await expectRefused(page.getByRole('button', { name: 'Send event' }), NEEDS_OPERATOR('viewer'));
    await expect(page.getByRole('form', { name: 'Send an event' })).toContainText(NEEDS_OPERATOR('viewer'));
    await shoot(page, 'viewer-instance', info.outputPath.bind(info));

    // The instance list: selecting is reading, aborting the selection is not.
    await page.goto(`${authServer.url}/instances?workflowID=${workflowID}`);
    await page.getByRole('checkbox', { name: `Select instance ${instanceID}` }).check();
    await expectRefused(page.getByRole('button', { name: 'Abort selected…' }), NEEDS_OPERATOR('viewer'));
    await expectRefused(page.getByRole('button', { name: 'Save as new view…' }), NEEDS_OPERATOR('viewer'));

    // Triggers, events, settings.
    await page.goto(`${authServer.url}/triggers`);
    await expectRefused(page.getByRole('button', { name: 'New trigger' }).first(), NEEDS_ADMIN('viewer'));
    await page.goto(`${authServer.url}/sandbox/events`);
    await expectRefused(page.getByRole('button', { name: 'Publish event' }), NEEDS_OPERATOR('viewer'));
    await page.goto(`${authServer.url}/settings`);
    await expect(page.getByRole('switch', { name: /Require a reason/ })).toBeDisabled();
    await expect(page.getByTestId('refusal')).toHaveText(NEEDS_ADMIN('viewer'));
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, 'viewer-settings-390', info.outputPath.bind(info));

    // Forced anyway, from the same browser session: refused, nothing done.
    for (const [method, path, role] of [
      ['POST', `${V2}/workflows/${workflowID}/instances`, 'operator'],
      ['PUT', `${V2}/instances/${instanceID}/abort`, 'operator'],
      ['DELETE', `${V2}/workflows/${workflowID}`, 'admin'],
      ['POST', `${V2}/workflows`, 'admin'],
    ] as const) {
      const r = await forced(page, method, path, method === 'POST' ? (path.endsWith('/workflows') ? { name: 'forced', stages: [] } : {}) : undefined);
      expect(r, `${method} ${path}`).toEqual({ status: 403, body: expect.objectContaining({ requiredRole: role }) });
    }
    const still = await page.request.get(`${authServer.url}${V2}/instances/${instanceID}`);
    expect(((await still.json()) as { data: { terminated: boolean } }).data.terminated).toBe(false);
    expect(consoleErrors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  });

  test('an operator runs and aborts; creating and deleting workflows stays disabled (and refused)', async ({ page, request, consoleErrors }) => {
    const { name, workflowID } = await waitingInstance(request, 'operator-runs');
    await signIn(page, `/workflows/${workflowID}`, 'Client credentials', authServer.operator.id, authServer.operator.secret);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expectRefused(page.getByRole('button', { name: 'Delete', exact: true }), NEEDS_ADMIN('operator'));
    await expectRefused(page.getByRole('button', { name: 'Duplicate & edit' }), NEEDS_ADMIN('operator'));

    // Run from the console: the new instance opens.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page).toHaveURL(/\/instances\/[^/?]+$/, { timeout: 20_000 });
    const instanceID = page.url().split('/instances/')[1]!;

    // Abort it, with a reason: recorded under the operator.
    await page.getByRole('button', { name: 'Abort', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Abort this instance?' });
    await dialog.getByLabel(/Reason/).fill('operator test run');
    await dialog.getByRole('button', { name: 'Abort instance' }).click();
    await expect(page.getByTestId('aborted-by')).toContainText(`Aborted by client ${authServer.operator.id} — operator test run`);

    await page.goto(`${authServer.url}/workflows?q=${name}`);
    await expectRefused(page.getByRole('button', { name: 'New workflow' }), NEEDS_ADMIN('operator'));
    await expect(page.getByRole('button', { name: `Run ${name}` })).toBeEnabled();
    const r = await forced(page, 'DELETE', `${V2}/workflows/${workflowID}`);
    expect(r).toEqual({ status: 403, body: expect.objectContaining({ errorCode: 'FORBIDDEN', requiredRole: 'admin' }) });
    expect(instanceID).toBeTruthy();
    expect(consoleErrors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  });

  test('a person signs in by name, acts, is named in the audit log, and signs out', async ({ page, request, consoleErrors }, info) => {
    const { instanceID } = await waitingInstance(request, 'person-acts');
    const { person } = authServer;
    await page.goto(`${authServer.url}/instances/${instanceID}`);
    // A wrong password: a clear error that says not which part was wrong.
    await page.getByLabel('Name', { exact: true }).fill(person.name);
    await page.getByLabel('Password', { exact: true }).fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong name or password. Check them and try again.');
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await shoot(page, 'person-sign-in-refused', info.outputPath.bind(info));

    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('session-name')).toHaveText(person.name, { timeout: 20_000 });
    await expect(page.getByTestId('session-role')).toHaveText(`, role ${person.role}`);

    // Act: abort the instance, with a reason.
    await page.getByRole('button', { name: 'Abort', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Abort this instance?' });
    await dialog.getByLabel(/Reason/).fill('stuck for a week');
    await dialog.getByRole('button', { name: 'Abort instance' }).click();
    await expect(page.getByTestId('aborted-by')).toContainText(`Aborted by ${person.name} — stuck for a week`);
    await shoot(page, 'person-instance', info.outputPath.bind(info));

    // The audit log names the person.
    await page.goto(`${authServer.url}/audit?targetId=${instanceID}`);
    const row = page.getByRole('row').filter({ hasText: 'stuck for a week' });
    await expect(row).toContainText(person.name);
    await expect(row).toContainText('aborted instance');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, 'person-audit-390', info.outputPath.bind(info));

    // Sign out: the sign-in screen again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page.getByTestId('session')).toHaveCount(0);
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
