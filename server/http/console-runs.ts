import { Hono } from 'hono';
import { cellText, ColumnListError, columnLabel, DEFAULT_EXPORT_COLUMNS, parseColumnList } from '../../common/instance-columns.js';
import type { ConsoleRuns } from '../context.js';
import { validation } from '../errors.js';
import { CSV_BOM, csvRow } from '../../common/csv.js';
import { stringifyJson } from '../sandbox/json.js';
import { readJson } from './respond.js';

/**
 * The console's work on many runs, in both modes (docs/instance-search.md): exports of a whole
 * filter (streamed as they are read), one instance's complete record, and bulk jobs.
 */
/** At most this many workflows per counts request (a page of the workflows list is smaller). */
const MAX_COUNTED_WORKFLOWS = 100;
/** A remote count reads at most this many instances, then says it is a lower bound. */
const COUNT_CAP = 1_000;

export function consoleRunRoutes(runs: ConsoleRuns): Hono {
  const app = new Hono();
  const { source, bulk } = runs;

  app.get('/instances/export', async (c) => {
    const format = c.req.query('format') ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw validation(`invalid 'format' query param: expected csv or json, got '${format.slice(0, 40)}'`);
    let columns: string[] = [...DEFAULT_EXPORT_COLUMNS];
    const asked = c.req.query('columns');
    if (asked !== undefined && asked.trim() !== '') {
      try {
        columns = parseColumnList(asked);
      } catch (err) {
        if (err instanceof ColumnListError) throw validation(`invalid 'columns' query param: ${err.message}`);
        throw err;
      }
    }
    const filters = runs.parseFilters((name) => c.req.query(name));
    const total = source.mode === 'embedded' ? (await source.count(filters)).count : undefined;
    const triggerNames = columns.includes('trigger') && format === 'csv' ? await source.triggerNames() : new Map<string, string>();
    const cell = { triggerName: (id: string) => triggerNames.get(id), provenance: source.provenance };

    const batches = source.batches(filters)[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    let first = true;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(format === 'csv' ? CSV_BOM + csvRow(columns.map(columnLabel)) : '[\n'));
      },
      // Pulled as the client reads: a slow client slows the reads, never fills the memory.
      async pull(controller) {
        const next = await batches.next();
        if (next.done) {
          if (format === 'json') controller.enqueue(encoder.encode(first ? ']\n' : '\n]\n'));
          controller.close();
          return;
        }
        let text = '';
        for (const row of next.value) {
          if (format === 'csv') text += csvRow(columns.map((col) => cellText(row, col, cell)));
          else {
            text += `${first ? '' : ',\n'}${stringifyJson(row)}`;
            first = false;
          }
        }
        controller.enqueue(encoder.encode(text));
      },
      async cancel() {
        await batches.return?.();
      },
    });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="instances-${stamp}.${format}"`,
        'cache-control': 'no-store',
        ...(total !== undefined ? { 'x-total-count': String(total) } : {}),
      },
    });
  });

  // The running and failed counts of several workflows in one request: the workflows list shows
  // them on every row, and one request per count was most of that page's first load. Remote mode:
  // running only (the stack filters by nothing else), read up to COUNT_CAP instances each.
  app.get('/instances/counts', async (c) => {
    const asked = c.req.queries('workflowID') ?? [];
    if (!asked.length || asked.some((id) => !id)) throw validation(`missing 'workflowID' query param: one or more workflow ids`);
    // The limit is on the params given (as the contract's maxItems), repeats included.
    if (asked.length > MAX_COUNTED_WORKFLOWS) throw validation(`too many 'workflowID' query params: at most ${MAX_COUNTED_WORKFLOWS}, got ${asked.length}`);
    const ids = [...new Set(asked)];
    const count = async (query: Record<string, string>) => {
      const { count, exact } = await source.count(
        runs.parseFilters((name) => query[name]),
        { limit: COUNT_CAP },
      );
      return { count, exact };
    };
    const data = await Promise.all(
      ids.map(async (workflowID) => ({
        workflowID,
        running: await count({ workflowID, running: 'true' }),
        ...(source.mode === 'embedded' ? { failed: await count({ workflowID, status: 'failed' }) } : {}),
      })),
    );
    return c.json({ data });
  });

  app.get('/instances/:instanceID/record', async (c) => {
    const id = c.req.param('instanceID');
    const record = await source.record(id);
    const safeId = id.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
    return new Response(`${stringifyJson(record)}\n`, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="instance-${safeId}.json"`,
        'cache-control': 'no-store',
      },
    });
  });

  app.post('/bulk-jobs/preview', async (c) => c.json({ data: await bulk.preview(await readJson(c)) }));
  app.get('/bulk-jobs', async (c) => c.json({ data: await bulk.list() }));
  app.post('/bulk-jobs', async (c) => c.json({ data: await bulk.create(await readJson(c)) }, 201));
  app.get('/bulk-jobs/:jobID', async (c) => c.json({ data: await bulk.get(c.req.param('jobID')) }));
  app.get('/bulk-jobs/:jobID/items', async (c) =>
    c.json({ cursor: await bulk.items(c.req.param('jobID'), { outcome: c.req.query('outcome'), cursor: c.req.query('cursor'), pageSize: c.req.query('pageSize') }) }),
  );
  app.post('/bulk-jobs/:jobID/stop', async (c) => c.json({ data: await bulk.stop(c.req.param('jobID')) }));
  return app;
}
