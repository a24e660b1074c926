/** `${name}` placeholders (name = one or more chars other than `}`); unknown names become "". */
const PLACEHOLDER = /\$\{([^}]+)\}/g;

export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(PLACEHOLDER, (_, name: string) => vars[name] ?? '');
}

export function hasPlaceholder(value: string): boolean {
  return /\$\{[^}]+\}/.test(value);
}

/** Every variable name a definition uses, in order of first appearance. */
export function variablesOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) if (!out.includes(m[1])) out.push(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) variablesOf(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) variablesOf(v, out);
  }
  return out;
}
