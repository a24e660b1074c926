import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, createWorkflow, test, uniqueName, type Api } from './fixtures';
import { deleteView, renameView, savedViews, saveView } from './fixtures/views';

// Working with many runs, against the real server: search by variables, columns, saved views,
// exports, bulk actions on a whole filter, run again with changes, the time setting.
// `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/runs-*.png.

const V2 = '/api/orchestration/v2';
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;

async function run(api: Api, workflowID: string, variables: Record<string, string> = {}) {
  const { data } = await api.post<{ data: { id: string } }>(`${V2}/workflows/${workflowID}/instances`, variables);
  return data.id;
}

/** Light and dark pictures of what the page shows now (only with UPDATE_SCREENSHOTS). */
async function screenshots(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveClass(colorScheme === 'dark' ? /dark/ : /^(?!.*dark)/);
    await page.screenshot({ path: `${SHOTS}/runs-${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const table = (page: Page) => page.getByRole('table', { name: 'Instances' });

test.describe('working with many runs', () => {
  test.describe.configure({ timeout: 60_000 });

  test('search by variables on the server, a bad query named, variables as columns', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'vars', [{ noop: {} }]);
    const small = await run(api, wf.id, { userID: '42', amount: '900' });
    const big = await run(api, wf.id, { userID: '42', amount: '1500' });
    const other = await run(api, wf.id, { userID: '7', amount: '5000' });

    await page.goto(`/instances?workflowID=${wf.id}`);
    await expect(table(page).getByRole('row')).toHaveCount(4);
    const box = page.getByRole('searchbox', { name: 'Search by variables' });
    await box.fill('userID = 42 and amount >');
    await expect(page.getByRole('alert').filter({ hasText: 'expected a value after >' })).toBeVisible();
    await expect(page).not.toHaveURL(/vars=/);
    await box.fill('userID = 42 and amount > 1000');
    await box.press('Enter');
    await expect(page).toHaveURL(/vars=/);
    await expect(table(page).getByRole('row')).toHaveCount(2);
    await expect(table(page)).toContainText(big.slice(0, 8));
    await box.fill('userID ^= 4');
    await box.press('Enter');
    await expect(table(page).getByRole('row')).toHaveCount(3);
    await expect(table(page)).not.toContainText(other.slice(0, 8));
    await expect(table(page)).toContainText(small.slice(0, 8));

    // Columns: a variable as a column, one built-in hidden, the order changed; all in the URL.
    await page.getByRole('button', { name: 'Columns' }).click();
    const dialog = page.getByRole('dialog', { name: 'Columns' });
    await dialog.getByLabel('A run variable as a column').fill('amount');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('button', { name: 'Hide Started by' }).click();
    await dialog.getByRole('button', { name: 'Add Error' }).click();
    await dialog.getByRole('button', { name: 'Move ${amount} left' }).click();
    await expect(dialog.getByRole('list', { name: 'Shown columns' }).getByRole('listitem')).toHaveText([
      'Instance',
      'Workflow',
      'Status',
      'Started',
      '${amount}',
      'Duration',
      'Error',
    ]);
    await screenshots(page, 'columns');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page).toHaveURL(/cols=id%2Cworkflow%2Cstatus%2CcreatedAt%2C%24amount%2Cduration%2Cerror/);
    const headers = table(page).getByRole('columnheader');
    await expect(headers).toHaveText(['', 'Instance', 'Workflow', 'Status', 'Started', '${amount}', 'Duration', 'Error']);
    const bigRow = table(page)
      .getByRole('row')
      .filter({ hasText: big.slice(0, 8) });
    await expect(bigRow.getByRole('cell').nth(5)).toHaveText('1500');
    await screenshots(page, 'search');

    // A reload keeps all of it (the URL is the state).
    await page.reload();
    await expect(headers).toHaveText(['', 'Instance', 'Workflow', 'Status', 'Started', '${amount}', 'Duration', 'Error']);
    await expect(table(page).getByRole('row')).toHaveCount(3);
    expect(consoleErrors).toEqual([]);
  });

  test('saved views: save, open by link, update, rename, delete; stored on the server (the default: default-views.spec.ts)', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'views', [{ noop: {} }]);
    const gold = await run(api, wf.id, { tier: 'gold' });
    await run(api, wf.id, { tier: 'silver' });
    const name = uniqueName('Gold runs');

    await page.goto(`/instances?workflowID=${wf.id}&vars=${encodeURIComponent('tier = gold')}&cols=id,status,%24tier`);
    await expect(table(page).getByRole('row')).toHaveCount(2);
    const views = savedViews(page);
    const viewID = await saveView(page, name);
    const stored = (await api.get<{ data: { name: string; filters: Record<string, string>; columns: string[] } }>(`/api/console/views/${viewID}`)).data;
    expect(stored).toMatchObject({ name, filters: { workflowID: wf.id, vars: 'tier = gold' }, columns: ['id', 'status', '$tier'] });

    // Its URL, opened fresh, shows the same rows and columns.
    await page.goto(`/instances?view=${viewID}`);
    await expect(page).toHaveURL(/vars=tier/);
    await expect(table(page).getByRole('row')).toHaveCount(2);
    await expect(table(page)).toContainText(gold.slice(0, 8));
    await expect(table(page).getByRole('columnheader')).toHaveText(['', 'Instance', 'Status', '${tier}']);
    await expect(views.getByLabel('View', { exact: true })).toHaveValue(viewID);

    // A change marks it modified; Update writes it.
    await page.getByLabel('Status', { exact: true }).selectOption('succeeded');
    await expect(views.getByTestId('view-modified')).toBeVisible();
    await screenshots(page, 'views');
    await views.getByRole('button', { name: 'Update view' }).click();
    await expect(views.getByTestId('view-modified')).toBeHidden();
    expect((await api.get<{ data: { filters: Record<string, string> } }>(`/api/console/views/${viewID}`)).data.filters.status).toBe('succeeded');

    await renameView(page, `${name} (renamed)`);

    await deleteView(page);
    expect((await api.request.get(`/api/console/views/${viewID}`)).status()).toBe(404);
    expect(consoleErrors).toEqual([]);
  });

  test("saved views: a number filter (the overview's retry count) is stored as a number and applied again", async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'views-retries', [{ noop: {} }]);
    await page.goto(`/instances?workflowID=${wf.id}&minRetries=2`);
    const viewID = await saveView(page, uniqueName('Retried twice'));
    const stored = (await api.get<{ data: { filters: Record<string, unknown> } }>(`/api/console/views/${viewID}`)).data;
    expect(stored.filters).toEqual({ workflowID: wf.id, minRetries: 2 });
    await page.goto(`/instances?view=${viewID}`);
    await expect(page).toHaveURL(/minRetries=2/);
    await expect(savedViews(page).getByTestId('view-modified')).toHaveCount(0);
    await deleteView(page);
    expect(consoleErrors).toEqual([]);
  });
});
