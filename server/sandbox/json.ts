/**
 * JSON with arbitrary-size integers. Money travels as JSON numbers (the SDKs read them with
 * BigInt), so the sandbox must write bigints as bare number literals and read integer literals
 * beyond 2^53 without losing digits.
 */

const BIG_MARK = '\u0000bigint:';

/** Parses JSON; integer literals that do not fit a double exactly come back as bigint. */
export function parseJson(text: string): unknown {
  let out = '';
  let i = 0;
  let changed = false;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"') {
      // copy the string literal verbatim, honouring escapes
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (m) {
        const lit = m[0];
        if (!m[1] && !m[2] && !Number.isSafeInteger(Number(lit))) {
          out += JSON.stringify(BIG_MARK + lit);
          changed = true;
        } else out += lit;
        i += lit.length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  if (!changed) return JSON.parse(text);
  return JSON.parse(out, (_k, v) => (typeof v === 'string' && v.startsWith(BIG_MARK) ? BigInt(v.slice(BIG_MARK.length)) : v));
}

/** JSON.stringify that writes bigint values as bare integer literals; undefined keys are dropped. */
export function stringifyJson(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') {
      marks.push(v.toString());
      return `${BIG_MARK}${marks.length - 1}`;
    }
    return v;
  });
  if (marks.length === 0) return text;
  return text.replace(/"\\u0000bigint:(\d+)"/g, (_, idx: string) => marks[Number(idx)]);
}

/** Deep copy where every bigint becomes a JSON number (for stored activity data and events). */
export function toJsonSafe<T = unknown>(value: unknown): T {
  if (typeof value === 'bigint') return Number(value) as T;
  if (value instanceof Date) return value.toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonSafe(v);
    return out as T;
  }
  return value as T;
}
