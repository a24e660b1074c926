import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../lib/password.js';
import { startTestServer } from '../test/harness.js';
import { rawRequest } from './raw-request.js';

// Sign-ins and sign-outs of the console's session (session.ts) are in the audit log, the refused
// ones too, and the log never holds the password or the secret (sign-in-audit.ts).

type Server = Awaited<ReturnType<typeof startTestServer>>;
const PASSWORD = 'correct horse battery staple';
const SECRET = 'client-secret-never-logged';

describe('sign-ins in the audit log', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ AUTH_CLIENTS: `ops-bot:${SECRET}:operator,auditor:s-auditor:viewer`, AUTH_USERS: `alice:${await hashPassword(PASSWORD)}:admin` });
  });
  afterAll(async () => {
    await server?.close();
  });

  const signIn = (body: unknown, requestId: string) =>
    rawRequest(server.url, '/api/auth/session', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    });

  it('records who signed in, who was refused and who signed out; never the password', async () => {
    expect((await signIn({ username: 'alice', password: 'not it' }, 'signin-wrong')).status).toBe(401);
    const ok = await signIn({ username: 'alice', password: PASSWORD }, 'signin-right');
    expect(ok.status).toBe(200);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect((await signIn({ clientId: 'ops-bot', clientSecret: 'nope' }, 'signin-client-wrong')).status).toBe(401);
    expect((await signIn({ clientId: 'ops-bot', clientSecret: SECRET }, 'signin-client-right')).status).toBe(200);
    const out = await rawRequest(server.url, '/api/auth/session', { method: 'DELETE', headers: { cookie, 'x-request-id': 'signout' } });
    expect(out.status).toBe(204);
    // A malformed body is a 400 and records nothing (no one was named).
    expect((await signIn({ username: 'alice' }, 'signin-malformed')).status).toBe(400);

    const token = (
      await rawRequest(server.url, '/api/auth/oauth/token', {
        method: 'POST',
        body: 'grant_type=client_credentials&client_id=auditor&client_secret=s-auditor',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).json().access_token;
    const log = await rawRequest(server.url, '/api/console/audit?action=session', { headers: { authorization: `Bearer ${token}` } });
    expect(log.status).toBe(200);
    const entries = log.json().cursor.data as any[];
    expect(entries.map((e) => [e.requestId, e.action, `${e.actor.kind}:${e.actor.name}:${e.actor.access}`, e.target.id, e.outcome.outcome, e.outcome.status])).toEqual([
      ['signout', 'session.signOut', 'user:alice:admin', 'user alice', 'succeeded', 204],
      ['signin-client-right', 'session.signIn', 'client:ops-bot:operator', 'client ops-bot', 'succeeded', 200],
      ['signin-client-wrong', 'session.signIn', 'local::full', 'client ops-bot', 'refused', 401],
      ['signin-right', 'session.signIn', 'user:alice:admin', 'user alice', 'succeeded', 200],
      ['signin-wrong', 'session.signIn', 'local::full', 'user alice', 'refused', 401],
    ]);
    expect(entries[4].outcome.errorMessage).toBe('wrong name or password');
    const everything = JSON.stringify((await server.ctx.db.query(`select * from audit_entries e left join audit_outcomes o on o.entry_id = e.id`)) as unknown[]);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('not it');
    expect(everything).not.toContain(SECRET);
  });
});
