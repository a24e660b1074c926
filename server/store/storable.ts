/**
 * What the database cannot store: PostgreSQL (and PGlite) reject NUL characters in text and in
 * jsonb, and unpaired UTF-16 surrogates in jsonb; deeply nested values overflow the stack of the
 * code that walks them and of jsonb itself. The HTTP input guard refuses such requests at the door
 * (400 instead of a 500 from deep inside a query); YAML definitions are checked after parsing.
 */

export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

/** Why a parsed JSON (or YAML) value cannot be stored, naming where; undefined when it can. */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const walk = (v: unknown, path: string, depth: number): string | undefined => {
    if (typeof v === 'string') {
      const p = textProblem(v);
      return p && `${path || 'value'}: text ${p}`;
    }
    if (v === null || typeof v !== 'object') return undefined;
    if (depth >= maxDepth) return `${path || 'value'}: nested deeper than ${maxDepth} levels`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = walk(v[i], `${path}[${i}]`, depth + 1);
        if (p) return p;
      }
      return undefined;
    }
    for (const [k, x] of Object.entries(v)) {
      const kp = textProblem(k);
      if (kp) return `${path ? `${path}.` : ''}${JSON.stringify(k).slice(0, 40)}: key ${kp}`;
      const p = walk(x, path ? `${path}.${k}` : k, depth + 1);
      if (p) return p;
    }
    return undefined;
  };
  return walk(value, '', 0);
}
