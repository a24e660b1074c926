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

export interface FilterResult {
  match: boolean;
  error?: string;
}

/** Only a boolean `true` matches; other results and errors do not (docs/compatibility.md: triggers). */
export async function evaluateFilter(filter: string, payload: unknown, link?: LinkResolver): Promise<FilterResult> {
  try {
    const v = await evaluate(compileCached(filter), { event: payload }, { link });
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
      out[name] = { value: await evaluateVar(compileCached(source), { event: payload }, { link }) };
    } catch (err) {
      out[name] = { error: (err as Error).message };
    }
  }
  return out;
}
