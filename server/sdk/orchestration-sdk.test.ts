import { SDK } from '@formance/formance-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';

/**
 * The official SDK (pinned 7.0.1) drives every orchestration operation against a live server.
 * It zod-validates every response: if it rejects one, the server is wrong.
 */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let sdk: SDK;
beforeAll(async () => {
  server = await startTestServer();
  sdk = new SDK({ serverURL: server.url });
});
afterAll(async () => {
  await server?.close();
});

const definition = {
  name: 'sdk-demo',
  stages: [{ noop: {} }, { delay: { duration: '10ms' } }, { wait_event: { event: 'go' } }, { update: { account: { id: 'users:${id}', metadata: { k: 'v' } } } }],
};

describe('SDK v2', () => {
  it('drives workflows and instances end to end', async () => {
    const info = await sdk.orchestration.v2.getServerInfo();
    expect(info.v2ServerInfo?.version).toBeTruthy();

    const created = await sdk.orchestration.v2.createWorkflow(definition);
    expect(created.statusCode).toBe(201);
    const wf = created.v2CreateWorkflowResponse!.data;
    expect(wf.createdAt).toBeInstanceOf(Date);

    const got = await sdk.orchestration.v2.getWorkflow({ flowId: wf.id });
    expect(got.v2GetWorkflowResponse?.data.config.stages).toHaveLength(4);
    const list = await sdk.orchestration.v2.listWorkflows({ pageSize: 5 });
    expect(list.v2ListWorkflowsResponse?.cursor.data.map((w) => w.id)).toContain(wf.id);

    const run = await sdk.orchestration.v2.runWorkflow({ workflowID: wf.id, requestBody: { id: '7' } });
    expect(run.statusCode).toBe(201);
    const instanceID = run.v2RunWorkflowResponse!.data.id;

    await eventually(async () => {
      const i = await sdk.orchestration.v2.getInstance({ instanceID });
      return i.v2GetWorkflowInstanceResponse?.data.status?.length === 3;
    });
    const instances = await sdk.orchestration.v2.listInstances({ workflowID: wf.id, running: true, pageSize: 10 });
    expect(instances.v2ListRunsResponse?.cursor.data.map((i) => i.id)).toEqual([instanceID]);

    const ev = await sdk.orchestration.v2.sendEvent({ instanceID, requestBody: { name: 'go' } });
    expect(ev.statusCode).toBe(204);

    // The update stage acts on the sandbox ledger when it is available; either way the instance
    // ends and every history call must parse.
    const done = await eventually(async () => {
      const i = await sdk.orchestration.v2.getInstance({ instanceID });
      return i.v2GetWorkflowInstanceResponse?.data.terminated ? i.v2GetWorkflowInstanceResponse.data : undefined;
    }, 20_000);
    expect(done.status?.length).toBeGreaterThanOrEqual(3);

    const history = await sdk.orchestration.v2.getInstanceHistory({ instanceID });
    expect(history.v2GetWorkflowInstanceHistoryResponse?.data.map((h) => h.name).slice(0, 3)).toEqual(['RunNoop', 'RunDelay', 'RunWaitEvent']);
    expect(history.v2GetWorkflowInstanceHistoryResponse?.data[2].input).toEqual({ event: 'go' });
    for (let n = 0; n < (done.status?.length ?? 0); n++) {
      const stage = await sdk.orchestration.v2.getInstanceStageHistory({ instanceID, number: n });
      expect(stage.statusCode).toBe(200);
    }

    const del = await sdk.orchestration.v2.deleteWorkflow({ flowId: wf.id });
    expect(del.statusCode).toBe(204);
  });

  it('aborts a running instance (cancelEvent)', async () => {
    const wf = (await sdk.orchestration.v2.createWorkflow({ stages: [{ delay: { duration: '1h' } }] })).v2CreateWorkflowResponse!.data;
    const run = await sdk.orchestration.v2.runWorkflow({ workflowID: wf.id });
    const instanceID = run.v2RunWorkflowResponse!.data.id;
    const res = await sdk.orchestration.v2.cancelEvent({ instanceID });
    expect(res.statusCode).toBe(204);
    const i = await sdk.orchestration.v2.getInstance({ instanceID });
    expect(i.v2GetWorkflowInstanceResponse?.data).toMatchObject({ terminated: true, error: 'canceled' });
  });

  it('runs with wait and returns the finished instance', async () => {
    const wf = (await sdk.orchestration.v2.createWorkflow({ stages: [{ noop: {} }] })).v2CreateWorkflowResponse!.data;
    const run = await sdk.orchestration.v2.runWorkflow({ workflowID: wf.id, wait: true });
    expect(run.v2RunWorkflowResponse?.data.terminated).toBe(true);
  });

  it('surfaces errors as typed V2Error', async () => {
    await expect(sdk.orchestration.v2.getInstance({ instanceID: 'missing' })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(sdk.orchestration.v2.createWorkflow({ stages: [{ transfer: {} }] })).rejects.toMatchObject({ errorCode: 'VALIDATION' });
  });

  it('a run held for approval (202, a console extension) is an error to the SDK, never a started run (docs/compatibility.md)', async () => {
    const wf = (await sdk.orchestration.v2.createWorkflow({ stages: [{ noop: {} }] })).v2CreateWorkflowResponse!.data;
    expect((await server.api.put(`/api/console/workflows/${wf.id}/approval-policy`, { requiresApproval: true })).status).toBe(200);
    // What a script sees: the error's status is 202 and its raw body the held request (docs/accountability.md).
    const err = await sdk.orchestration.v2.runWorkflow({ workflowID: wf.id }).then(
      () => undefined,
      (e: unknown) => e as { name: string; statusCode: number; body: string },
    );
    expect(err).toMatchObject({ name: 'ResponseValidationError', statusCode: 202 });
    const held = (await server.api.get(`/api/console/approvals?workflowID=${wf.id}`)).body.cursor.data;
    expect(held).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(JSON.parse(err!.body).data).toMatchObject({ id: held[0].id, status: 'pending' });
    expect((await sdk.orchestration.v2.listInstances({ workflowID: wf.id })).v2ListRunsResponse?.cursor.data).toEqual([]);
  });
});

describe('SDK v1', () => {
  it('drives workflows and instances end to end', async () => {
    const info = await sdk.orchestration.v1.getServerInfoOrchestration();
    expect(info.serverInfo?.version).toBeTruthy();

    const wf = (await sdk.orchestration.v1.createWorkflow(definition)).createWorkflowResponse!.data;
    expect((await sdk.orchestration.v1.getWorkflow({ flowId: wf.id })).getWorkflowResponse?.data.id).toBe(wf.id);
    expect((await sdk.orchestration.v1.listWorkflows()).listWorkflowsResponse?.data.map((w) => w.id)).toContain(wf.id);

    const instanceID = (await sdk.orchestration.v1.runWorkflow({ workflowID: wf.id, requestBody: { id: '8' } })).runWorkflowResponse!.data.id;
    await eventually(async () => (await sdk.orchestration.v1.getInstance({ instanceID })).getWorkflowInstanceResponse?.data.status?.length === 3);
    const list = await sdk.orchestration.v1.listInstances({ workflowID: wf.id, running: true });
    expect(list.listRunsResponse?.data.map((i) => i.id)).toEqual([instanceID]);
    expect((await sdk.orchestration.v1.sendEvent({ instanceID, requestBody: { name: 'go' } })).statusCode).toBe(204);
    const done = await eventually(async () => {
      const r = await sdk.orchestration.v1.getInstance({ instanceID });
      return r.getWorkflowInstanceResponse?.data.terminated ? r.getWorkflowInstanceResponse.data : undefined;
    }, 20_000);
    const history = await sdk.orchestration.v1.getInstanceHistory({ instanceID });
    expect(history.getWorkflowInstanceHistoryResponse?.data.length).toBeGreaterThanOrEqual(3);
    for (let n = 0; n < (done.status?.length ?? 0); n++) {
      expect((await sdk.orchestration.v1.getInstanceStageHistory({ instanceID, number: n })).statusCode).toBe(200);
    }
    expect((await sdk.orchestration.v1.deleteWorkflow({ flowId: wf.id })).statusCode).toBe(204);
  });

  it('aborts (cancelEvent) and reports errors as typed ErrorT', async () => {
    const wf = (await sdk.orchestration.v1.createWorkflow({ stages: [{ wait_event: { event: 'x' } }] })).createWorkflowResponse!.data;
    const instanceID = (await sdk.orchestration.v1.runWorkflow({ workflowID: wf.id })).runWorkflowResponse!.data.id;
    expect((await sdk.orchestration.v1.cancelEvent({ instanceID })).statusCode).toBe(204);
    await expect(sdk.orchestration.v1.cancelEvent({ instanceID })).rejects.toMatchObject({ errorCode: 'VALIDATION' });
    await expect(sdk.orchestration.v1.getWorkflow({ flowId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});

describe('SDK triggers', () => {
  async function publishCommitted(ledger: string, amount: number) {
    await server.ctx.db.transaction((tx) =>
      server.ctx.bus.publish(tx, {
        app: 'ledger',
        version: 'v2',
        type: 'COMMITTED_TRANSACTIONS',
        payload: { ledger, transactions: [{ id: 1, postings: [{ source: 'world', destination: 'users:1', amount, asset: 'USD/2' }], metadata: {} }] },
      }),
    );
    server.ctx.bus.notify();
  }

  it('v2: create, list, read, test, occurrences, delete', async () => {
    const wf = (await sdk.orchestration.v2.createWorkflow({ stages: [{ noop: {} }] })).v2CreateWorkflowResponse!.data;
    const created = await sdk.orchestration.v2.createTrigger({
      name: 'sdk-trigger',
      event: 'COMMITTED_TRANSACTIONS',
      workflowID: wf.id,
      filter: 'event.ledger == "sdk"',
      vars: { amount: 'event.transactions[0].postings[0].amount' },
    });
    expect(created.statusCode).toBe(201);
    const t = created.v2CreateTriggerResponse!.data;
    expect((await sdk.orchestration.v2.readTrigger({ triggerID: t.id })).v2ReadTriggerResponse?.data.filter).toBe('event.ledger == "sdk"');
    const list = await sdk.orchestration.v2.listTriggers({ name: 'SDK-', pageSize: 10 });
    expect(list.v2ListTriggersResponse?.cursor.data.map((x) => x.id)).toContain(t.id);

    const test = await sdk.orchestration.v2.testTrigger({ triggerID: t.id, requestBody: { ledger: 'sdk', transactions: [{ postings: [{ amount: 42 }] }] } });
    expect(test.v2TestTriggerResponse?.data).toEqual({ filter: { match: true }, variables: { amount: { value: '42' } } });

    await publishCommitted('sdk', 7);
    const occ = await eventually(async () => {
      const r = await sdk.orchestration.v2.listTriggersOccurrences({ triggerID: t.id });
      return r.v2ListTriggersOccurrencesResponse?.cursor.data[0];
    });
    expect(occ.workflowInstanceID).toBeTruthy();
    expect(occ.date).toBeInstanceOf(Date);

    expect((await sdk.orchestration.v2.deleteTrigger({ triggerID: t.id })).statusCode).toBe(204);
    await expect(sdk.orchestration.v2.readTrigger({ triggerID: t.id })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('v1: create, list, read, occurrences, delete', async () => {
    const wf = (await sdk.orchestration.v1.createWorkflow({ stages: [] })).createWorkflowResponse!.data;
    const t = (await sdk.orchestration.v1.createTrigger({ event: 'COMMITTED_TRANSACTIONS', workflowID: wf.id, filter: 'event.ledger == "sdk1"' })).createTriggerResponse!
      .data;
    expect((await sdk.orchestration.v1.readTrigger({ triggerID: t.id })).readTriggerResponse?.data.id).toBe(t.id);
    expect((await sdk.orchestration.v1.listTriggers({})).listTriggersResponse?.data.map((x) => x.id)).toContain(t.id);
    await publishCommitted('sdk1', 1);
    await eventually(async () => (await sdk.orchestration.v1.listTriggersOccurrences({ triggerID: t.id })).listTriggersOccurrencesResponse?.data.length === 1);
    expect((await sdk.orchestration.v1.deleteTrigger({ triggerID: t.id })).statusCode).toBe(204);
    await expect(sdk.orchestration.v1.createTrigger({ event: '', workflowID: wf.id })).rejects.toMatchObject({ errorCode: 'VALIDATION' });
  });
});

describe('SDK and roles', () => {
  it('a refused role (403 FORBIDDEN, a console extension) is an error whose status and raw body say which role is needed', async () => {
    const secured = await startTestServer({ AUTH_CLIENTS: 'vic:s-vic:viewer' });
    try {
      const viewer = new SDK({ serverURL: secured.url, security: { clientID: 'vic', clientSecret: 's-vic' } });
      const err = await viewer.orchestration.v2.createWorkflow({ stages: [{ noop: {} }] }).then(
        () => undefined,
        (e: unknown) => e as { name: string; statusCode: number; body: string },
      );
      expect(err).toMatchObject({ name: 'ResponseValidationError', statusCode: 403 });
      expect(JSON.parse(err!.body)).toMatchObject({ errorCode: 'FORBIDDEN', requiredRole: 'admin' });
    } finally {
      await secured.close();
    }
  });
});
