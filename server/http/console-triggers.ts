import { Hono } from 'hono';
import { validation } from '../errors.js';
import { ExprSyntaxError, type LinkResolver } from '../expr/index.js';
import { KNOWN_EVENT_TYPES } from '../triggers/events.js';
import { compileCached } from '../triggers/expressions.js';
import { testTriggerOn } from '../triggers/triggers.js';
import { readJson, sendJson } from './respond.js';

interface CompileProblem {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/**
 * Console-only trigger helpers: the known event types for the editor's picker, and a preview
 * that evaluates an unsaved filter and vars on a sample payload (the v2 test endpoint needs a
 * saved trigger). Compile errors come back with their position for editor markers.
 */
export function consoleTriggerRoutes(link?: LinkResolver): Hono {
  const app = new Hono();

  app.get('/event-types', (c) => sendJson(c, { data: KNOWN_EVENT_TYPES }));

  app.post('/triggers/preview', async (c) => {
    const body = await readJson(c);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validation('request body: expected {filter?, vars?, payload}');
    const { filter, vars, payload } = body as Record<string, unknown>;
    if (filter !== undefined && typeof filter !== 'string') throw validation('filter: expected a string');
    if (vars !== undefined && (typeof vars !== 'object' || vars === null || Array.isArray(vars))) throw validation('vars: expected an object of expression strings');
    for (const [k, v] of Object.entries((vars as Record<string, unknown>) ?? {})) if (typeof v !== 'string') throw validation(`vars.${k}: expected an expression string`);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw validation('payload: expected the sample event payload as a JSON object');

    const errors: CompileProblem[] = [];
    const check = (field: string, source: string) => {
      try {
        compileCached(source);
      } catch (err) {
        const p = err instanceof ExprSyntaxError ? err.position : undefined;
        errors.push({ field, message: (err as Error).message, ...(p ? { line: p.line, column: p.column } : {}) });
      }
    };
    if (filter) check('filter', filter);
    for (const [k, v] of Object.entries((vars as Record<string, string>) ?? {})) check(`vars.${k}`, v);
    if (errors.length) return sendJson(c, { data: { errors } });
    return sendJson(c, { data: await testTriggerOn({ filter: filter as string | undefined, vars: vars as Record<string, string> | undefined }, payload, link) });
  });
  return app;
}
