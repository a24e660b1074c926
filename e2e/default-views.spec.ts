import { expect, createWorkflow, test, uniqueName, type Api } from './fixtures';
import { savedViews, saveView, tableRows } from './fixtures/views';

// A list's default view: opened bare, the list shows it. Setting one changes what every journey
// that opens a bare list sees, so these run in the `exclusive` project (playwright.config.ts),
// after all the other journeys and never beside them.

const V2 = '/api/orchestration/v2';

interface DefaultCase {
  list: 'instances' | 'workflows' | 'triggers';
  table: string;
  /** creates two rows and returns the URL of a filter matching one of them */
  seed: (api: Api) => Promise<string>;
}

const cases: DefaultCase[] = [
  {
    list: 'instances',
    table: 'Instances',
    seed: async (api) => {
      const wf = await createWorkflow(api, 'default-view', [{ noop: {} }]);
      for (const tier of ['gold', 'silver']) await api.post(`${V2}/workflows/${wf.id}/instances`, { tier });
      return `/instances?workflowID=${wf.id}&vars=${encodeURIComponent('tier = gold')}`;
    },
  },
  {
    list: 'workflows',
    table: 'Workflows',
    seed: async (api) => {
      const prefix = uniqueName('defwf');
      for (const name of [`${prefix}-a`, `${prefix}-b`]) await api.post(`${V2}/workflows`, { name, stages: [{ noop: {} }] });
      return `/workflows?q=${prefix}-a`;
    },
  },
  {
    list: 'triggers',
    table: 'Triggers',
    seed: async (api) => {
      const prefix = uniqueName('deftrg');
      const wf = await createWorkflow(api, `${prefix}-wf`, [{ noop: {} }]);
      for (const name of [`${prefix}-a`, `${prefix}-b`]) await api.post(`${V2}/triggers`, { name, event: 'SAVED_PAYMENT', workflowID: wf.id });
      return `/triggers?name=${prefix}-a`;
    },
  },
];

test.describe('default views', () => {
  for (const c of cases) {
    test(`${c.list}: the bare list opens on its default view; unset, it opens unfiltered`, { tag: '@exclusive' }, async ({ page, api, consoleErrors }) => {
      const filtered = await c.seed(api);
      await page.goto(filtered);
      await expect(tableRows(page, c.table)).toHaveCount(1);
      const views = savedViews(page);
      const viewID = await saveView(page, uniqueName(`Default ${c.list}`));
      try {
        await views.getByRole('button', { name: 'Make default' }).click();
        await expect(views.getByRole('button', { name: 'Unset default' })).toBeVisible();
        await expect(views.getByLabel('View', { exact: true }).locator('option:checked')).toContainText('(default)');

        await page.goto(`/${c.list}`);
        await expect(page).toHaveURL(new RegExp(`view=${viewID}`));
        await expect(tableRows(page, c.table)).toHaveCount(1);
        await expect(views.getByLabel('View', { exact: true })).toHaveValue(viewID);

        // Unset from the console: the bare list is the whole list again.
        await views.getByRole('button', { name: 'Unset default' }).click();
        await expect(views.getByRole('button', { name: 'Make default' })).toBeVisible();
        expect((await api.get<{ data: { isDefault: boolean } }>(`/api/console/views/${viewID}`)).data.isDefault).toBe(false);
        await page.goto(`/${c.list}`);
        await expect(tableRows(page, c.table).nth(1)).toBeVisible();
        await expect(page).not.toHaveURL(/view=/);
      } finally {
        await api.request.patch(`/api/console/views/${viewID}`, { data: { isDefault: false } });
        await api.request.delete(`/api/console/views/${viewID}`);
      }
      expect(consoleErrors).toEqual([]);
    });
  }
});
