import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer } from '../test/harness.js';
import { capturedLogs } from '../test/logs.js';
import { rawRequest } from './raw-request.js';

/**
 * Operations endpoints and outputs: request ids, request and engine-event logs (text and JSON),
 * /_healthcheck, /_ready, /metrics (route patterns, engine and trigger counters, queue gauges),
 * its protection with AUTH_CLIENTS and its own port.
 */

type Server = Awaited<ReturnType<typeof startTestServer>>;
const v2 = '/api/orchestration/v2';
const SECRET = `ops-canary-secret-${process.pid}`;
const SIGNING_KEY = `ops-canary-signing-key-${'k'.repeat(32)}`;

/** A completed run of a two-stage workflow, and a trigger fired by a console event. */
async function someWork(server: Server, headers: Record<string, string> = {}) {
  const wf = await server.api.post(`${v2}/workflows`, { name: 'ops', stages: [{ noop: {} }, { delay: { duration: '10ms' } }] }, headers);
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const run = await server.api.request('POST', `${v2}/workflows/${wf.body.data.id}/instances?wait=true`, {}, headers);
  expect(run.status).toBe(201);
  const trig = await server.api.post(`${v2}/triggers`, { name: 'ops-t', event: 'OPS_PING', workflowID: wf.body.data.id }, headers);
  expect(trig.status).toBe(201);
  expect((await server.api.post('/api/console/events', { type: 'OPS_PING', payload: {} }, headers)).status).toBe(201);
  await eventually(async () => (await server.api.request('GET', `${v2}/triggers/${trig.body.data.id}/occurrences`, undefined, headers)).body.cursor.data.length === 1);
  return { workflowId: wf.body.data.id as string, instanceId: run.body.data.id as string };
}

let server: Server;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('request ids', () => {
  it('returns the caller’s X-Request-Id when it is safe, a new one otherwise', async () => {
    const ok = await rawRequest(server.url, `${v2}/workflows`, { headers: { 'x-request-id': 'abc-DEF_1.2:3' } });
    expect(ok.headers['x-request-id']).toBe('abc-DEF_1.2:3');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of ['', 'has space', 'quote"', 'x'.repeat(129), '-leading', 'a\tb', 'é']) {
      const r = await rawRequest(server.url, `${v2}/workflows`, { headers: { 'x-request-id': bad } });
      expect(r.headers['x-request-id'], JSON.stringify(bad)).toMatch(uuid);
    }
    const none = await rawRequest(server.url, '/nowhere');
    expect(none.headers['x-request-id']).toMatch(uuid);
    // also on refusals before routing (Host check) and on service paths (re-dispatched once)
    expect((await rawRequest(server.url, `${v2}/workflows`, { headers: { host: 'evil.example', 'x-request-id': 'r-403' } })).headers['x-request-id']).toBe('r-403');
    expect((await rawRequest(server.url, '/v2/workflows', { headers: { 'x-request-id': 'r-service' } })).headers['x-request-id']).toBe('r-service');
  });
});

describe('/_healthcheck, /_ready and /metrics', () => {
  it('/_healthcheck is alive; /_ready checks the database, migrations and engine', async () => {
    expect((await server.api.get('/_healthcheck')).body).toEqual({ status: 'ok' });
    const ready = await server.api.get('/_ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, engine: { ok: true } } });
  });

  it('counts requests by route pattern (never an id), stages by kind, triggers, and samples the queue; QUIET logs none of it', { timeout: 120_000 }, async () => {
    let instanceId = '';
    const logged = await capturedLogs(async () => {
      ({ instanceId } = await someWork(server));
      await server.api.get(`${v2}/instances/${instanceId}`);
      await server.api.get(`${v2}/instances/no-such-instance`);
    });
    expect(logged.trim(), 'QUIET: no request or engine-event lines').toBe('');
    const text = await rawRequest(server.url, '/metrics');
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = text.text;
    expect(m).not.toContain(instanceId);
    expect(m).not.toContain('no-such-instance');
    expect(m).toMatch(/^flows_console_http_request_duration_seconds_count\{method="GET",route="\/api\/orchestration\/v2\/instances\/:instanceID",status="200"\} 1$/m);
    expect(m).toMatch(/^flows_console_http_request_duration_seconds_count\{method="GET",route="\/api\/orchestration\/v2\/instances\/:instanceID",status="404"\} 1$/m);
    expect(m).toMatch(/^flows_console_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/api\/orchestration\/v2\/workflows",status="201"\} \d+$/m);
    // two instances (the run and the fired one) ran a noop, then a delay (parked or not, as the clock went)
    expect(m).toMatch(/^flows_console_engine_stage_executions_total\{kind="noop",outcome="succeeded"\} 2$/m);
    expect(m).toMatch(/^flows_console_engine_instances_started_total 2$/m);
    expect(m).toMatch(/^flows_console_trigger_occurrences_total\{result="started"\} 1$/m);
    for (const state of ['due', 'leased', 'scheduled']) expect(m).toMatch(new RegExp(`^flows_console_engine_tasks\\{state="${state}"\\} \\d+$`, 'm'));
    expect(m).toMatch(/^flows_console_engine_oldest_due_task_age_seconds [\d.e-]+$/m);
    expect(m).toMatch(/^flows_console_trigger_events_behind \d+$/m);
    expect(m).toMatch(/^process_cpu_user_seconds_total /m);
    await eventually(async () => /^flows_console_engine_instances_finished_total\{status="succeeded"\} 2$/m.test((await rawRequest(server.url, '/metrics')).text));
  });
});

const tokenOf = async (s: Server) =>
  (
    await s.api.request('POST', '/api/auth/oauth/token', `grant_type=client_credentials&client_id=console&client_secret=${SECRET}`, {
      'content-type': 'application/x-www-form-urlencoded',
    })
  ).body.access_token as string;

describe('logs (and /metrics behind AUTH_CLIENTS)', () => {
  for (const format of ['json', 'text'] as const) {
    it(`one ${format} line per request and per engine event, with the request id, and never a secret`, async () => {
      let token = '';
      const logged = await capturedLogs(async () => {
        // text: with METRICS_PORT as well
        const env = { QUIET: 'false', LOG_FORMAT: format, LOG_LEVEL: 'debug', AUTH_CLIENTS: `console:${SECRET}`, AUTH_SIGNING_KEY: SIGNING_KEY };
        const s = await startTestServer(format === 'text' ? { ...env, METRICS_PORT: '0' } : env);
        try {
          token = await tokenOf(s);
          const auth = { authorization: `Bearer ${token}`, 'x-request-id': `req-${format}` };
          await someWork(s, auth);
          await rawRequest(s.url, `${v2}/workflows`, { headers: { authorization: `Bearer ${token}x` } });
          await s.api.request('POST', '/api/auth/oauth/token', `grant_type=client_credentials&client_id=console&client_secret=${SECRET}-wrong`, {
            'content-type': 'application/x-www-form-urlencoded',
          });
          // /metrics needs credentials like /api (health and readiness stay open), or is on its own port
          expect((await rawRequest(s.url, '/metrics')).status).toBe(401);
          expect((await rawRequest(s.url, '/metrics', { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
          expect((await rawRequest(s.url, '/_healthcheck')).status).toBe(200);
          expect((await rawRequest(s.url, '/_ready')).status).toBe(200);
          const withToken = await rawRequest(s.url, '/metrics', { headers: auth });
          if (format === 'json') {
            expect(withToken.status).toBe(200);
            expect(withToken.text).toContain('flows_console_info{version=');
            expect(s.metricsUrl).toBeUndefined();
          } else {
            expect(withToken.status, 'METRICS_PORT: not on PORT').toBe(404);
            expect(s.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
            const own = await rawRequest(s.metricsUrl!, '/metrics');
            expect(own.status).toBe(200);
            expect(own.text).toContain('flows_console_info{version=');
            expect((await rawRequest(s.metricsUrl!, `${v2}/workflows`)).status).toBe(404);
          }
        } finally {
          await s.close();
        }
      });
      expect(token).not.toBe('');
      for (const secret of [SECRET, SIGNING_KEY, token]) expect(logged).not.toContain(secret);
      const lines = logged.split('\n').filter((l) => l.trim());
      if (format === 'json') {
        const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        const request = entries.find((e) => e.requestId === 'req-json' && e.route === `${v2}/workflows/:workflowID/instances`);
        expect(request).toMatchObject({ level: 'info', method: 'POST', status: 201 });
        expect(typeof request?.durationMs).toBe('number');
        expect(typeof request?.time).toBe('string');
        // engine events: the start carries the request that asked for it; the rest come from the engine's loop
        const started = entries.find((e) => e.msg === 'instance started' && e.requestId === 'req-json');
        expect(started?.instanceId).toBeTypeOf('string');
        expect(entries.filter((e) => e.instanceId === started?.instanceId).map((e) => e.msg)).toEqual(
          expect.arrayContaining(['instance started', 'stage started', 'stage succeeded', 'instance succeeded']),
        );
        expect(entries.find((e) => e.msg === 'trigger fired')).toMatchObject({ level: 'info', eventType: 'OPS_PING' });
        expect(entries.find((e) => e.status === 401)).toMatchObject({ route: expect.any(String) });
      } else {
        expect(lines.find((l) => l.includes('requestId=req-text') && l.includes(`route=${v2}/workflows/:workflowID/instances`))).toMatch(
          /^\S+Z INFO {2}POST \/api\/orchestration\/v2\/workflows\/\S+\/instances 201 [\d.]+ ms /,
        );
        expect(lines.some((l) => / INFO {2}instance succeeded instanceId=/.test(l))).toBe(true);
        expect(lines.some((l) => / DEBUG stage started instanceId=\S+ stage=0 kind=noop/.test(l))).toBe(true);
      }
    }, 120_000);
  }
});

describe('/_ready when a check fails', () => {
  // Last in this file: it stops the shared server's engine.
  it('answers 503 naming the check that failed, while /_healthcheck stays 200', async () => {
    await server.ctx.engine.stop();
    const r = await server.api.get('/_ready');
    expect(r.status).toBe(503);
    expect(r.body).toEqual({
      status: 'not ready',
      checks: { database: { ok: true }, migrations: { ok: true }, engine: { ok: false, message: expect.stringMatching(/engine/) } },
    });
    expect((await server.api.get('/_healthcheck')).status).toBe(200);
  });
});
