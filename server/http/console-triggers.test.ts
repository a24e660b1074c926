import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/harness.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('console trigger helpers', () => {
  it('lists known event types', async () => {
    const r = await server.api.get('/api/console/event-types');
    expect(r.body.data.ledger).toContain('COMMITTED_TRANSACTIONS');
    expect(r.body.data.payments).toContain('SAVED_PAYMENT');
  });

  it('previews an unsaved filter and vars on a sample payload', async () => {
    const r = await server.api.post('/api/console/triggers/preview', {
      filter: 'event.status == "SUCCEEDED"',
      vars: { id: 'event.id', missing: 'event.a.b' },
      payload: { id: 'p1', status: 'SUCCEEDED' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.filter).toEqual({ match: true });
    expect(r.body.data.variables.id).toEqual({ value: 'p1' });
    expect(r.body.data.variables.missing.error).toBeTruthy();
  });

  it('reports compile errors with their position', async () => {
    const r = await server.api.post('/api/console/triggers/preview', { filter: 'event.a ==', vars: { x: 'event.(' }, payload: {} });
    expect(r.body.data.errors).toEqual([
      expect.objectContaining({ field: 'filter', line: 1, column: expect.any(Number) }),
      expect.objectContaining({ field: 'vars.x', line: 1 }),
    ]);
  });

  it('rejects a missing payload', async () => {
    const r = await server.api.post('/api/console/triggers/preview', { filter: 'true' });
    expect(r.status).toBe(400);
    expect(r.body.errorMessage).toMatch(/^payload:/);
  });
});
