import { Hono } from 'hono';
import { actorLabel } from '../../common/roles.js';
import { parseAuditFilters, type AuditLog, type AuditRecord } from '../flows/accountability/audit.js';
import { parseSettingsPatch, readSettings, updateSettings } from '../flows/accountability/settings.js';
import { validation } from '../errors.js';
import type { Db } from '../store/db.js';
import { requestPrincipal } from './principal.js';
import { readJson } from './respond.js';

/**
 * The console's accountability endpoints (mount at `/api/console`, both modes; docs/accountability.md):
 *
 * * `GET /me` — who the request speaks for and their access (the console disables what it may not do);
 * * `GET /audit` — the audit log, newest first, filtered, paged by cursor;
 * * `GET /audit/export?format=csv|ndjson` — every matching entry, as a download;
 * * `GET /settings`, `PUT /settings` — the settings kept by the server (a reason required, …).
 *
 * Nothing here changes or deletes an audit entry: there is no such route, and the tables refuse it.
 */
export function accountabilityRoutes(opts: { audit: AuditLog; db: () => Promise<Db> }): Hono {
  const app = new Hono();

  app.get('/me', (c) => {
    const p = requestPrincipal(c);
    c.header('Cache-Control', 'no-store');
    return c.json({ kind: p.kind, name: p.name, label: actorLabel(p.kind, p.name), access: p.access });
  });

  app.get('/audit', async (c) => {
    const q = (name: string) => c.req.query(name);
    const filters = parseAuditFilters(q);
    const page = await opts.audit.list({ cursor: q('cursor'), pageSize: q('pageSize') }, filters);
    return c.json({ cursor: page });
  });

  app.get('/audit/export', async (c) => {
    const format = c.req.query('format') ?? 'csv';
    if (format !== 'csv' && format !== 'ndjson') throw validation(`format: expected csv or ndjson, got '${format.slice(0, 20)}'`);
    const filters = parseAuditFilters((name) => c.req.query(name));
    const lines: string[] = format === 'csv' ? [CSV_COLUMNS.join(',')] : [];
    for await (const batch of opts.audit.all(filters)) {
      for (const r of batch) lines.push(format === 'csv' ? csvRow(r) : JSON.stringify(r));
    }
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
    c.header('Content-Disposition', `attachment; filename="audit-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}"`);
    c.header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    return c.body(lines.join('\n') + (lines.length ? '\n' : ''));
  });

  app.get('/settings', async (c) => c.json({ data: await readSettings(await opts.db()) }));

  app.put('/settings', async (c) => {
    const patch = parseSettingsPatch(await readJson(c));
    const p = requestPrincipal(c);
    const saved = await updateSettings(await opts.db(), patch, actorLabel(p.kind, p.name));
    return c.json({ data: saved });
  });

  return app;
}

const CSV_COLUMNS = [
  'at',
  'actor',
  'access',
  'action',
  'targetType',
  'targetId',
  'reason',
  'outcome',
  'status',
  'error',
  'result',
  'requestId',
  'method',
  'path',
  'mode',
];

/** RFC 4180 quoting; a leading `=`, `+`, `-`, `@` is defused so a spreadsheet never runs it. */
function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(r: AuditRecord): string {
  const o = r.outcome;
  return [
    r.at,
    actorLabel(r.actor.kind, r.actor.name),
    r.actor.access,
    r.action,
    r.target.type,
    r.target.id,
    r.reason,
    o?.outcome ?? 'not recorded',
    o?.status,
    o?.errorMessage ?? o?.errorCode,
    o?.result ? `${o.result.type} ${o.result.id}` : undefined,
    r.requestId,
    r.method,
    r.path,
    r.mode,
  ]
    .map(csvCell)
    .join(',');
}
