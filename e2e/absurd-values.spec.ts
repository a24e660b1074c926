import { expect, createWorkflow, test, uniqueName } from './fixtures';

// Values no operator means (a delay of 10^19 hours, a negative delay, a 5,000-digit amount):
// refused where they enter, failed clearly when a variable brings them in at run time, and never
// able to break a page or a list.

const V2 = '/api/orchestration/v2';

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

    // A run whose variable makes the delay absurd is refused before anything starts.
    const { id: workflowID } = await createWorkflow(api, 'hold-for', [{ delay: { duration: '${holdFor}' } }, { noop: {} }]);
    const refusedRun = await api.request.post(`${V2}/workflows/${workflowID}/instances`, { data: { holdFor: '9999999999999999999h' } });
    expect(refusedRun.status()).toBe(400);
    expect((await refusedRun.json()).errorMessage).toContain("variables: stages[0].delay.duration: invalid duration '9999999999999999999h'");

    // A trigger computes its variables from an event: then the stage itself fails, clearly.
    const eventType = `HOLD_${Date.now().toString(36).toUpperCase()}`;
    await api.post(`${V2}/triggers`, { name: uniqueName('hold-trigger'), event: eventType, workflowID, vars: { holdFor: 'event.holdFor' } });
    type Listed = { id: string; terminated: boolean; error?: string };
    const listed = async () => (await api.get<{ cursor: { data: Listed[] } }>(`${V2}/instances?workflowID=${workflowID}&order=desc`)).cursor.data;
    const started = async (holdFor: string) => {
      const before = (await listed()).length;
      await api.post('/api/console/events', { type: eventType, payload: { holdFor } });
      await expect.poll(async () => (await listed()).filter((i) => i.terminated).length, { timeout: 15_000 }).toBe(before + 1);
      return (await listed())[0]!;
    };
    const huge = await started('9999999999999999999h');
    expect(huge.error).toContain("invalid duration '9999999999999999999h'");
    const negative = await started('-5s');
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

  test('amounts: beyond 2^256 − 1 refused; a 39-digit amount reads the same on the graph, the instance and every ledger view', async ({ page, api, consoleErrors }) => {
    const amount = '123456789012345678901234567890123456789';
    const shown = '1,234,567,890,123,456,789,012,345,678,901,234,567.89';
    const account = `users:exact_${Date.now().toString(36)}`;
    const send = (value: string) =>
      `{"send":{"source":{"account":{"id":"world","ledger":"main"}},"destination":{"account":{"id":"${account}","ledger":"main"}},"amount":{"asset":"USD/2","amount":${value}}}}`;
    const create = (stage: string) =>
      api.request.post(`${V2}/workflows`, { data: `{"name":"${uniqueName('exact-amount')}","stages":[${stage}]}`, headers: { 'Content-Type': 'application/json' } });

    // Literal JSON numbers beyond the bound, and a 5,000-digit variable at run: 400, naming the field.
    const tooLarge = await create(send((2n ** 256n).toString()));
    expect(tooLarge.status()).toBe(400);
    expect((await tooLarge.json()).errorMessage).toContain('stages[0].send.amount.amount: amount too large: 78 digits, at most 2^256 − 1 (78 digits)');
    const templated = await createWorkflow(api, 'huge-amount', [JSON.parse(send('"${amount}"'))]);
    const hugeRun = await api.request.post(`${V2}/workflows/${templated.id}/instances`, { data: { amount: '1'.repeat(5000) } });
    expect(hugeRun.status()).toBe(400);
    expect((await hugeRun.json()).errorMessage).toContain('variables: stages[0].send.amount.amount: amount too large: 5,000 digits');

    // A literal amount above 2^53, exact end to end.
    const created = await create(send(amount));
    expect(created.status()).toBe(201);
    const workflowID = ((await created.json()) as { data: { id: string } }).data.id;
    await page.goto(`/workflows/${workflowID}`);
    await expect(page.getByText(`${shown} USD`).first()).toBeVisible();

    const run = await api.post<{ data: { id: string; terminated: boolean; error?: string } }>(`${V2}/workflows/${workflowID}/instances?wait=true`, {});
    expect(run.data.error).toBeUndefined();
    await page.goto(`/instances/${run.data.id}`);
    await expect(page.getByTestId('stage-sentence')).toContainText(`${shown} USD`);
    // world is an account like any other: it links to its page on the ledger.
    await expect(page.getByTestId('stage-sentence').getByRole('link', { name: 'world', exact: true })).toHaveAttribute('href', /account=world/);
    const activities = page.getByRole('list', { name: 'Activities of stage 1' });
    await expect(activities).toContainText(`${shown} USD`);

    // The ledger: accounts list, account page, transactions list, transaction page, and world.
    const transaction = activities.getByRole('link', { name: /^#\d+$/ }).first();
    const txId = (await transaction.textContent())!.slice(1);
    for (const path of [
      `/sandbox/ledger?ledger=main&address=${account}`,
      `/sandbox/ledger?ledger=main&account=${account}`,
      `/sandbox/ledger?ledger=main&tab=transactions&address=${account}`,
      `/sandbox/ledger?ledger=main&tx=${txId}`,
    ]) {
      await page.goto(path);
      await expect(page.getByText(`${shown} USD`).first()).toBeVisible();
    }
    await page.goto('/sandbox/ledger?ledger=main&account=world');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('world');
    await expect(page.getByText('Something went wrong')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });
});
