import type { APIRequestContext } from '@playwright/test';
import { expect as baseExpect, test, uniqueName } from './fixtures';
import { remoteConsole, remoteStack } from '../playwright.config';
import { createWorkflow, remoteShot, stackApi, V2 } from './fixtures/remote';
import type { Fault, SeenCall } from './fixtures/upstream/faults';

/**
 * Remote mode against a failing stack, in the browser: faults set on the upstream double over
 * HTTP (e2e/fixtures/upstream/faults.ts), each limited to this test's own workflow so that the
 * other journeys sharing the stack are not disturbed. The server-side behaviour (bounded calls,
 * time-outs, token failures) is tested in e2e/fixtures/upstream/failing-stack.test.ts.
 */

const expect = baseExpect.configure({ timeout: 15_000 });
const url = (path: string) => `${remoteConsole.url}${path}`;

async function setFaults(request: APIRequestContext, faults: Fault[]) {
  const r = await request.put(`${remoteStack.url}/_double/faults`, { data: faults });
  expect(r.status()).toBe(204);
}

async function callsTo(request: APIRequestContext, method: string, path: string): Promise<number> {
  const { calls } = (await (await request.get(`${remoteStack.url}/_double/faults`)).json()) as { calls: SeenCall[] };
  return calls.filter((c) => c.method === method && c.path.split('?')[0] === path).length;
}

test.describe('remote mode with a failing stack', () => {
  test.describe.configure({ timeout: 120_000 });
  test.afterEach(async ({ request }) => {
    await setFaults(request, []);
  });

  test('a page says which call failed and why, and comes back by itself; a run that met a dropped connection is not sent again and says it may have started', async ({
    page,
    request,
  }) => {
    const stack = stackApi(request);
    const name = uniqueName('remote-faults');
    const workflowID = await createWorkflow(stack, name, [{ noop: {} }]);
    const read = `${V2}/workflows/${workflowID}`;

    // The stack's gateway answers 503: the console tried (its server once more, the page once
    // more), then names the call and the answer, and keeps trying by itself.
    await setFaults(request, [{ path: read, method: 'GET', status: 503 }]);
    await page.goto(url(`/workflows/${workflowID}`));
    const alert = page.getByRole('alert');
    await expect(alert.getByTestId('error-message')).toHaveText(`the stack answered HTTP 503 to GET ${read}`, { timeout: 30_000 });
    await expect(alert.getByTestId('auto-retry')).toContainText('Trying again by itself in');
    await remoteShot(page, 'stack-503');
    // The rest of the console still works meanwhile.
    await expect(page.getByTestId('connection-status')).toContainText('Remote stack');
    await setFaults(request, []);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 30_000 });

    // The connection drops under the run: never sent twice, and the dialog says what that means.
    const run = `${V2}/workflows/${workflowID}/instances`;
    const before = await callsTo(request, 'POST', run);
    await setFaults(request, [{ path: run, method: 'POST', drop: true }]);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${name}”` });
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(dialog.getByTestId('run-error')).toContainText(`(POST ${run})`);
    await expect(dialog.getByTestId('run-error')).toContainText('the stack may have acted on it, look before trying again');
    await remoteShot(page, 'run-dropped');
    expect(await callsTo(request, 'POST', run)).toBe(before + 1);
  });
});
