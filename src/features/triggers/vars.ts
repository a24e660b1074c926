/** Trigger `vars` (name → expression) as editable rows, and back. */

export interface VarRow {
  name: string;
  expression: string;
}

/** Rows in the map's order; an empty map gives no rows. */
export function varsToRows(vars: Record<string, unknown> | null | undefined): VarRow[] {
  return Object.entries(vars ?? {}).map(([name, expression]) => ({ name, expression: typeof expression === 'string' ? expression : JSON.stringify(expression) }));
}

/**
 * The map the API takes: names trimmed, blank rows dropped, `undefined` when nothing is left
 * (so the trigger has no `vars` at all). Call `varRowProblems` first: a duplicate name keeps
 * the last row here.
 */
export function rowsToVars(rows: readonly VarRow[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (!name && !row.expression.trim()) continue;
    out[name] = row.expression;
  }
  return Object.keys(out).length ? out : undefined;
}

export interface VarRowProblem {
  name?: string;
  expression?: string;
}

/** What is wrong with each row (same index), before asking the server. */
export function varRowProblems(rows: readonly VarRow[]): (VarRowProblem | undefined)[] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const n = r.name.trim();
    if (n) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return rows.map((r) => {
    const name = r.name.trim();
    const blank = !name && !r.expression.trim();
    if (blank) return undefined;
    const p: VarRowProblem = {};
    if (!name) p.name = 'Name the variable (the workflow reads it as ${name})';
    else if ((counts.get(name) ?? 0) > 1) p.name = `“${name}” is used twice`;
    else if (/[\s${}]/.test(name)) p.name = 'No spaces, $, { or } in a variable name';
    if (!r.expression.trim()) p.expression = 'Write an expression, e.g. event.id';
    return p.name || p.expression ? p : undefined;
  });
}
