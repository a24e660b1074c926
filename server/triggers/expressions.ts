import { compile, evaluate, evaluateVar, type LinkResolver, type Program } from '../expr/index.js';

/** Compiled programs, cached by source: triggers are immutable, so the cache never goes stale. */
const cache = new Map<string, Program>();
const MAX_CACHE = 5_000;

export function compileCached(source: string): Program {
  let p = cache.get(source);
  if (!p) {
    p = compile(source);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(source, p);
  }
  return p;
}

/**
 * The payload as expressions see it: every JSON number is a float64 there (upstream decodes the
 * event with Go's JSON into interface{}), so amounts kept exact as bigint become numbers again.
 * The same object when it holds no bigint; computed once per payload.
 */
const asFloats = new WeakMap<object, unknown>();
export function exprPayload(payload: unknown): unknown {
  if (typeof payload === 'bigint') return Number(payload);
  if (payload === null || typeof payload !== 'object') return payload;
  const known = asFloats.get(payload);
  if (known !== undefined) return known;
  let changed = false;
  const convert = (v: unknown): unknown => {
    if (typeof v === 'bigint') {
      changed = true;
      return Number(v);
    }
    if (Array.isArray(v)) return v.map(convert);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
    return v;
  };
  const converted = convert(payload);
  const out = changed ? converted : payload;
  asFloats.set(payload, out);
  return out;
}

export interface FilterResult {
  match: boolean;
  error?: string;
}

/** Only a boolean `true` matches; other results and errors do not (docs/compatibility.md: triggers). */
export async function evaluateFilter(filter: string, payload: unknown, link?: LinkResolver): Promise<FilterResult> {
  try {
    const v = await evaluate(compileCached(filter), { event: exprPayload(payload) }, { link });
    return { match: v === true };
  } catch (err) {
    return { match: false, error: (err as Error).message };
  }
}

export type VarResults = Record<string, { value?: string; error?: string }>;

/** Each variable on its own; a failing one carries its error. */
export async function evaluateVars(vars: Record<string, string>, payload: unknown, link?: LinkResolver): Promise<VarResults> {
  const out: VarResults = {};
  for (const [name, source] of Object.entries(vars)) {
    try {
      out[name] = { value: await evaluateVar(compileCached(source), { event: exprPayload(payload) }, { link }) };
    } catch (err) {
      out[name] = { error: (err as Error).message };
    }
  }
  return out;
}
