import { expect, test, uniqueName, type Api } from './fixtures';
import { deleteView, renameView, savedViews, saveView, tableRows } from './fixtures/views';

// Saved views of the workflow and trigger lists (the instance list's are in runs.spec.ts): the
// same component, stored on the server, each with its URL.

const V2 = '/api/orchestration/v2';

interface ListCase {
  list: 'workflows' | 'triggers';
  table: string;
  /** the list's text filter param */
  param: string;
  /** creates two rows whose names share the returned prefix */
  seed: (api: Api) => Promise<{ prefix: string; names: string[] }>;
}

async function workflow(api: Api, name: string) {
  return (await api.post<{ data: { id: string } }>(`${V2}/workflows`, { name, stages: [{ noop: {} }] })).data.id;
}

const cases: ListCase[] = [
  {
    list: 'workflows',
    table: 'Workflows',
    param: 'q',
    seed: async (api) => {
      const prefix = uniqueName('viewwf');
      const names = [`${prefix}-a`, `${prefix}-b`];
      for (const name of names) await workflow(api, name);
      return { prefix, names };
    },
  },
  {
    list: 'triggers',
    table: 'Triggers',
    param: 'name',
    seed: async (api) => {
      const prefix = uniqueName('viewtrg');
      const workflowID = await workflow(api, `${prefix}-wf`);
      const names = [`${prefix}-a`, `${prefix}-b`];
      for (const name of names) await api.post(`${V2}/triggers`, { name, event: 'SAVED_PAYMENT', workflowID });
      return { prefix, names };
    },
  },
];

test.describe('saved views of the workflow and trigger lists', () => {
  test.describe.configure({ timeout: 60_000 });

  for (const c of cases) {
    test(`${c.list}: save the filter and sort, reload, open by link, rename, delete (the default: default-views.spec.ts)`, async ({ page, api, consoleErrors }) => {
      const { prefix, names } = await c.seed(api);
      const name = uniqueName(`My ${c.list}`);
      await page.goto(`/${c.list}?${c.param}=${prefix}&sort=name:desc`);
      await expect(tableRows(page, c.table)).toHaveCount(2);
      await expect(tableRows(page, c.table).first()).toContainText(names[1]!);
      const views = savedViews(page);
      const viewID = await saveView(page, name);
      const stored = (await api.get<{ data: { list: string; name: string; filters: Record<string, string>; sort?: string } }>(`/api/console/views/${viewID}`)).data;
      expect(stored).toMatchObject({ list: c.list, name, filters: { [c.param]: prefix }, sort: 'name:desc' });

      // Reloaded, the view is still the one shown.
      await page.reload();
      await expect(views.getByLabel('View', { exact: true })).toHaveValue(viewID);
      await expect(tableRows(page, c.table)).toHaveCount(2);

      // Its URL alone restores the filter and the sort.
      await page.goto(`/${c.list}?view=${viewID}`);
      await expect(page).toHaveURL(new RegExp(`${c.param}=${prefix}`));
      await expect(page).toHaveURL(/sort=name(%3A|:)desc/);
      await expect(tableRows(page, c.table)).toHaveCount(2);
      await expect(tableRows(page, c.table).first()).toContainText(names[1]!);
      await expect(views.getByLabel('View', { exact: true })).toHaveValue(viewID);

      // Changed, it says so; Update writes the change.
      await page.getByRole('searchbox').fill(`${prefix}-a`);
      await expect(views.getByTestId('view-modified')).toBeVisible();
      await expect(tableRows(page, c.table)).toHaveCount(1);
      await views.getByRole('button', { name: 'Update view' }).click();
      await expect(views.getByTestId('view-modified')).toBeHidden();
      expect((await api.get<{ data: { filters: Record<string, string> } }>(`/api/console/views/${viewID}`)).data.filters[c.param]).toBe(`${prefix}-a`);

      await renameView(page, `${name} (renamed)`);
      expect((await api.get<{ data: { name: string } }>(`/api/console/views/${viewID}`)).data.name).toBe(`${name} (renamed)`);

      await deleteView(page);
      expect((await api.request.get(`/api/console/views/${viewID}`)).status()).toBe(404);
      // The list is back to its defaults: no filter.
      await expect(page).not.toHaveURL(new RegExp(`${c.param}=`));
      expect(consoleErrors).toEqual([]);
    });
  }
});
