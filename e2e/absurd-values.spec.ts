import { expect, test, uniqueName, type Api } from './fixtures';

// Values no operator means (a delay of 10^19 hours, a negative delay, a 5,000-digit amount):
// refused where they enter, failed clearly when a variable brings them in at run time, and never
// able to break a page or a list.

const V2 = '/api/orchestration/v2';

async function createWorkflow(api: Api, prefix: string, stages: unknown[]) {
  const name = uniqueName(prefix);
  const { data } = await api.post<{ data: { id: string } }>(`${V2}/workflows`, { name, stages });
  return { id: data.id, name };
}

async function runToEnd(api: Api, workflowID: string, variables: Record<string, string>) {
  const { data } = await api.post<{ data: { id: string; terminated: boolean; error?: string } }>(`${V2}/workflows/${workflowID}/instances?wait=true`, variables);
  expect(data.terminated).toBe(true);
  return data;
}

test.describe('absurd values', () => {
  test('delays beyond Go’s limit or negative: 400 at create, a clear stage failure from a variable, pages and lists intact', async ({ page, api, consoleErrors }) => {
    for (const [duration, reason] of [
      ['9999999999999999999h', 'longer than the longest duration Go accepts'],
      ['-5s', 'a delay cannot be negative'],
    ]) {
      const refused = await api.request.post(`${V2}/workflows`, { data: { name: uniqueName('refused-delay'), stages: [{ delay: { duration } }] } });
      expect(refused.status()).toBe(400);
      const body = await refused.json();
      expect(body.errorCode).toBe('VALIDATION');
      expect(body.errorMessage).toContain(`stages[0].delay.duration: invalid duration '${duration}': ${reason}`);
    }

    const { id: workflowID } = await createWorkflow(api, 'hold-for', [{ delay: { duration: '${holdFor}' } }, { noop: {} }]);
    const huge = await runToEnd(api, workflowID, { holdFor: '9999999999999999999h' });
    expect(huge.error).toContain("invalid duration '9999999999999999999h'");
    const negative = await runToEnd(api, workflowID, { holdFor: '-5s' });
    expect(negative.error).toContain('a delay cannot be negative');

    await page.goto(`/instances/${huge.id}`);
    await expect(page.getByTestId('status-callout')).toContainText("invalid duration '9999999999999999999h'");
    await expect(page.getByTestId('stage-sentence')).toBeVisible();
    await page.goto(`/instances/${negative.id}`);
    await expect(page.getByTestId('status-callout')).toContainText('a delay cannot be negative');
    await expect(page.getByText(/Waited -/)).toHaveCount(0);

    for (const path of ['/instances', '/instances?status=running', `/instances?workflowID=${workflowID}`]) {
      await page.goto(path);
      await expect(page.getByRole('table', { name: 'Instances' })).toBeVisible();
    }
    await expect(page.getByRole('link', { name: huge.id.slice(0, 8), exact: false }).first()).toBeVisible();
    await expect(page.getByText('Something went wrong')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });
});
