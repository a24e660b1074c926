import { Hono, type MiddlewareHandler } from 'hono';
import { actorLabel } from '../../common/roles.js';
import { Approvals, parseDecision, parsePolicy, parseStatusFilter } from '../flows/accountability/approvals.js';
import { validateVariables } from '../flows/instances.js';
import { textProblem } from '../store/storable.js';
import { requestPrincipal } from './principal.js';
import { readJson, sendJson } from './respond.js';

/** A run through either API version: `POST /api/orchestration[/v2]/workflows/{id}/instances`. */
const RUN_PATH = /^\/api\/orchestration(?:\/v2)?\/workflows\/([^/]+)\/instances\/?$/;

/**
 * Four eyes at the door (docs/accountability.md): a run that a rule holds is answered `202`
 * `{data: Approval}` (with `Location`) and does not start. Both API versions and both modes go
 * through here, after the role check and the audit entry (access.ts), so the held request is
 * recorded as `instance.run` with the approval as its result. A body that is not a run's
 * variables, or an unknown workflow, passes on: the run's own route answers it as always.
 */
export function holdRunsForApproval(approvals: Approvals, opts: { remote: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const match = c.req.method === 'POST' ? RUN_PATH.exec(c.req.path) : null;
    if (!match) return next();
    const text = await c.req.text();
    // Remote mode: the proxy streams the raw request on, so it gets the body back.
    if (opts.remote) c.req.raw = new Request(c.req.raw, { body: text });
    let variables: Record<string, string>;
    let workflowID: string;
    try {
      variables = validateVariables(text.trim() === '' ? undefined : JSON.parse(text));
      workflowID = decodeURIComponent(match[1]!);
    } catch {
      return next();
    }
    // An id no workflow can have (a NUL, a lone surrogate): the run's own route answers it.
    if (textProblem(workflowID)) return next();
    const p = requestPrincipal(c);
    const held = await approvals.holdIfNeeded(workflowID, variables, { kind: p.kind, name: p.name });
    if (!held) return next();
    c.header('Location', `/api/console/approvals/${held.id}`);
    return c.json({ data: held }, 202);
  };
}

/**
 * `/api/console` routes of four eyes:
 *
 * * `GET /approvals?status=&workflowID=` — requests, newest first, paged by cursor;
 * * `GET /approvals/{id}` — one request, with a dry-run of its run on current balances;
 * * `POST /approvals/{id}/approve` `{reason?}` — a different operator starts the run;
 * * `POST /approvals/{id}/reject` `{reason}` — anyone with the operator role, its requester too;
 * * `GET|PUT /workflows/{id}/approval-policy` `{requiresApproval}` — every run of it needs approval;
 * * `GET /approval-policies` — the workflows that require approval (the workflows list's badge).
 */
export function approvalRoutes(approvals: Approvals): Hono {
  const app = new Hono();
  const who = (c: Parameters<MiddlewareHandler>[0]) => {
    const p = requestPrincipal(c);
    return { kind: p.kind, name: p.name };
  };

  app.get('/approvals', async (c) => {
    const status = parseStatusFilter(c.req.query('status'));
    const workflowID = c.req.query('workflowID') || undefined;
    const page = await approvals.list(
      { cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') },
      { ...(status ? { status } : {}), ...(workflowID ? { workflowID } : {}) },
    );
    return c.json({ cursor: page });
  });

  app.get('/approvals/:id', async (c) => {
    const { approval, dryRun, dryRunError } = await approvals.withDryRun(c.req.param('id'));
    return sendJson(c, { data: { ...approval, ...(dryRun ? { dryRun } : {}), ...(dryRunError ? { dryRunError } : {}) } });
  });

  app.post('/approvals/:id/approve', async (c) => {
    const { reason } = parseDecision(await readJson(c, { optional: true }), false);
    return c.json({ data: await approvals.approve(c.req.param('id'), who(c), reason) });
  });

  app.post('/approvals/:id/reject', async (c) => {
    const { reason } = parseDecision(await readJson(c, { optional: true }), true);
    return c.json({ data: await approvals.reject(c.req.param('id'), who(c), reason!) });
  });

  app.get('/approval-policies', async (c) => c.json({ data: await approvals.requiringApproval() }));

  app.get('/workflows/:workflowID/approval-policy', async (c) => c.json({ data: await approvals.policy(c.req.param('workflowID')) }));

  app.put('/workflows/:workflowID/approval-policy', async (c) => {
    const { requiresApproval } = parsePolicy(await readJson(c));
    const p = requestPrincipal(c);
    return c.json({ data: await approvals.setPolicy(c.req.param('workflowID'), requiresApproval, actorLabel(p.kind, p.name)) });
  });

  return app;
}
