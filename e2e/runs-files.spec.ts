import { mkdirSync, readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, createWorkflow, test, type Api } from './fixtures';

// Working with many runs, against the real server: exports of a whole filter and an instance's
// record (files read back from the browser's downloads), bulk actions on a whole filter.

const V2 = '/api/orchestration/v2';
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;

/** Light, dark and phone-wide (390 px) pictures of what the page shows now (only with UPDATE_SCREENSHOTS). */
async function screenshots(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveClass(colorScheme === 'dark' ? /dark/ : /^(?!.*dark)/);
    // Pictures only (never a test's wait): let the colours' transitions end first.
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/runs-${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/runs-${name}-narrow.png` });
  await page.setViewportSize(size);
}

async function runMany(api: Api, workflowID: string, variables: Record<string, string>[]) {
  const ids: string[] = [];
  // One after another: the list's order (newest first) is then the order of the calls.
  for (const v of variables) ids.push((await api.post<{ data: { id: string } }>(`${V2}/workflows/${workflowID}/instances`, v)).data.id);
  return ids;
}

const fileText = async (download: Download) => readFileSync((await download.path())!, 'utf8');

/** The rows of a CSV (no cell here holds a comma, a quote or a line break). */
const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(','));

async function exportAs(page: Page, format: 'CSV' | 'JSON') {
  const dialog = page.getByRole('dialog', { name: 'Export instances' });
  await dialog.getByRole('radio', { name: format }).click();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: `Export ${format}` }).click();
  const download = await downloading;
  await expect(dialog.getByTestId('export-done')).toBeVisible();
  return download;
}

test.describe('working with many runs: files and bulk actions', () => {
  test.describe.configure({ timeout: 90_000 });

  test('export: every row of the filter as CSV and JSON, not only the loaded page; an instance record', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'export', [{ noop: {} }]);
    const gold = Array.from({ length: 17 }, (_, n) => ({ tier: 'gold', n: String(n) }));
    const ids = await runMany(api, wf.id, [...gold, { tier: 'silver', n: '17' }, { tier: 'silver', n: '18' }]);
    const goldIDs = ids.slice(0, 17);

    // A page of 15: the export must hold the 17 matching rows, not the 15 loaded.
    await page.goto(`/instances?workflowID=${wf.id}&vars=${encodeURIComponent('tier = gold')}&cols=id,status,%24tier`);
    await expect(page.getByRole('table', { name: 'Instances' }).getByRole('row')).toHaveCount(16);
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export instances' });
    await expect(dialog).toContainText('Instance, Status, ${tier}');

    const csv = await exportAs(page, 'CSV');
    expect(csv.suggestedFilename()).toMatch(/^instances-.*\.csv$/);
    const [header, ...rows] = csvRows(await fileText(csv));
    expect(header).toEqual(['Instance', 'Status', '${tier}']);
    expect(rows).toHaveLength(17);
    expect(rows.map((r) => r[0]).sort()).toEqual([...goldIDs].sort());
    expect(rows.every((r) => r[1] === 'succeeded' && r[2] === 'gold')).toBe(true);
    await expect(dialog.getByTestId('export-done')).toContainText('17 instances');
    await screenshots(page, 'export');

    const json = await exportAs(page, 'JSON');
    const instances = JSON.parse(await fileText(json)) as { id: string; variables: Record<string, string> }[];
    expect(instances.map((i) => i.id).sort()).toEqual([...goldIDs].sort());
    expect(instances.every((i) => i.variables.tier === 'gold')).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // One instance's complete record.
    await page.goto(`/instances/${goldIDs[0]}`);
    const recording = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download record' }).click();
    const record = JSON.parse(await fileText(await recording)) as {
      instance: { id: string; variables: Record<string, string> };
      history: unknown[];
      stages: { stage: number; activities: unknown[] }[];
      provenance: { startedBy: string };
    };
    expect(record.instance).toMatchObject({ id: goldIDs[0], variables: { tier: 'gold', n: '0' } });
    expect(record.history.length).toBeGreaterThan(0);
    expect(record.stages.map((s) => s.stage)).toEqual([0]);
    expect(record.provenance.startedBy).toBe('manual');
    expect(consoleErrors).toEqual([]);
  });
});

test.describe('working with many runs: bulk actions on a whole filter', () => {
  test.describe.configure({ timeout: 120_000 });

  test('abort all matching: more than a page, a preview, progress, a report row by row with the one that finished meanwhile', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'bulk', [{ wait_event: { event: 'go' } }]);
    const ids = await runMany(
      api,
      wf.id,
      Array.from({ length: 20 }, (_, n) => ({ n: String(n) })),
    );

    await page.goto(`/instances?workflowID=${wf.id}`);
    // A page holds 15: the action covers the 20 the filter matches.
    await expect(page.getByRole('table', { name: 'Instances' }).getByRole('row')).toHaveCount(16);
    await page.getByRole('button', { name: 'Abort all matching…' }).click();
    const confirm = page.getByRole('dialog', { name: /Abort all 20 running instances matching/ });
    await expect(confirm.getByTestId('bulk-preview-count')).toContainText('The filters match 20 instances, 20 still running');
    await expect(confirm.getByRole('list', { name: 'Sample of the instances to abort' }).getByRole('listitem')).toHaveCount(10);
    await screenshots(page, 'bulk-preview');

    // One ends between the preview and the confirmation: the report says so.
    const finished = ids[7]!;
    await api.post(`${V2}/instances/${finished}/events`, { name: 'go' });
    await expect.poll(async () => (await api.get<{ data: { terminated: boolean } }>(`${V2}/instances/${finished}`)).data.terminated).toBe(true);

    await confirm.getByLabel(/Reason/).fill('e2e: duplicate batch');
    await confirm.getByRole('button', { name: 'Abort 20 instances' }).click();
    const job = page.getByRole('dialog', { name: 'Bulk abort' });
    await expect(job.getByTestId('bulk-job-summary')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    await expect(job.getByTestId('bulk-job-summary')).toHaveText('Finished: 19 aborted, 1 skipped, 0 failed (of 20)');
    const report = job.getByRole('table', { name: 'Bulk abort report' });
    await expect(report.locator('tbody tr')).toHaveCount(20);
    const skipped = report.locator('tr[data-outcome="skipped"]');
    await expect(skipped).toHaveCount(1);
    await expect(skipped).toContainText(finished);
    await expect(skipped).toContainText('already finished');
    await screenshots(page, 'bulk-report');
    await job.getByLabel('Show').selectOption('done');
    await expect(report.locator('tbody tr')).toHaveCount(19);

    const downloading = page.waitForEvent('download');
    await job.getByRole('button', { name: 'Download report (CSV)' }).click();
    const [header, ...rows] = csvRows(await fileText(await downloading));
    expect(header).toEqual(['Position', 'Instance', 'Outcome', 'Message', 'At']);
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r[1]).sort()).toEqual([...ids].sort());
    expect(rows.filter((r) => r[2] === 'Skipped').map((r) => r[1])).toEqual([finished]);

    // Every other one was aborted, on the server; the list behind shows it.
    for (const id of ids.filter((i) => i !== finished)) {
      expect((await api.get<{ data: { terminated: boolean; error?: string } }>(`${V2}/instances/${id}`)).data).toMatchObject({ terminated: true, error: 'canceled' });
    }
    await job.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('bulk-job-note')).toContainText('19 aborted, 1 skipped');
    await expect(page.locator('[data-testid="instance-status"][data-status="Aborted"]')).toHaveCount(14);
    expect(consoleErrors).toEqual([]);
  });
});

test.describe('working with many runs: the time setting', () => {
  test.describe.configure({ timeout: 90_000 });
  // A browser away from UTC, so that UTC and local time differ.
  test.use({ timezoneId: 'America/New_York' });

  test('absolute UTC times, then another zone, on the list and the instance page; kept in the browser', async ({ page, api, consoleErrors }) => {
    const wf = await createWorkflow(api, 'time', [{ noop: {} }]);
    const [id] = await runMany(api, wf.id, [{}]);
    const createdAt = (await api.get<{ data: { createdAt: string } }>(`${V2}/instances/${id}`)).data.createdAt;
    const utc = `${createdAt.slice(0, 19).replace('T', ' ')} UTC`;
    const tokyo = `${new Date(Date.parse(createdAt) + 9 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')} GMT+9`;
    const row = page.getByRole('row').filter({ hasText: id!.slice(0, 8) });

    await page.goto(`/instances?workflowID=${wf.id}`);
    await expect(row).toContainText('ago');

    await page.goto('/settings');
    await expect(page.getByText('Stored in this browser only')).toBeVisible();
    await page.getByRole('radiogroup', { name: 'Time style' }).getByRole('radio', { name: 'Absolute' }).click();
    await page.getByRole('radiogroup', { name: 'Time zone' }).getByRole('radio', { name: 'UTC' }).click();
    await expect(page.getByTestId('time-sample')).toContainText(' UTC · exact: ');
    await screenshots(page, 'time-settings');

    await page.goto(`/instances?workflowID=${wf.id}`);
    await expect(row).toContainText(utc);
    await expect(row).not.toContainText('ago');
    await page.goto(`/instances/${id}`);
    await expect(page.getByText(utc).first()).toBeVisible();
    await screenshots(page, 'instance-utc');

    // Another zone, chosen by name; the choice survives a reload (localStorage).
    await page.goto('/settings');
    await page.getByRole('radiogroup', { name: 'Time zone' }).getByRole('radio', { name: 'Another zone' }).click();
    await page.getByLabel('Zone', { exact: true }).selectOption('Asia/Tokyo');
    await page.goto(`/instances/${id}`);
    await expect(page.getByText(tokyo).first()).toBeVisible();
    await page.goto(`/instances?workflowID=${wf.id}`);
    await expect(row).toContainText(tokyo);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('flows-console:settings') ?? '{}'))).toMatchObject({
      timeZone: 'Asia/Tokyo',
      timeStyle: 'absolute',
    });
    expect(consoleErrors).toEqual([]);
  });
});
