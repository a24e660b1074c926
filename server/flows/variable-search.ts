import type { VariableCondition } from '../../common/variable-filter.js';
import type { Queryable } from '../store/db.js';

/**
 * Search by run variables in SQL (docs/instance-search.md). Each condition is decided exactly on
 * the instance row (`i.variables`). The `instance_variables` index (migration 005) narrows the
 * rows first when a condition is selective: up to CANDIDATE_LIMIT matching instances are read
 * from it and the list keeps to those. A condition that matches more than that is frequent
 * enough that walking the list in its order meets matches soon, so it is checked row by row
 * instead. The choice is made per request from the index itself, not from planner statistics
 * (PGlite never gathers any).
 */

/** Index entries hold the first 200 characters of a name and a value (a btree entry has a size limit). */
const HEAD = 200;
/** Candidates read from the index at most; a condition matching more is checked row by row. */
export const CANDIDATE_LIMIT = 2000;
const NUMBER_PATTERN = `'^-?[0-9]{1,60}([.][0-9]{1,30})?$'`;

const COMPARE: Record<'gt' | 'ge' | 'lt' | 'le', string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

/** The first `n` code points (PostgreSQL's `left` counts characters, not UTF-16 units). */
const head = (s: string) => Array.from(s).slice(0, HEAD).join('');

/**
 * The smallest text greater than every text starting with `prefix` under byte order (collation
 * "C"), or undefined when there is none (the prefix is all U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix).map((c) => c.codePointAt(0)!);
  while (points.length) {
    const last = points.pop()!;
    if (last >= 0x10ffff) continue;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    points.push(next);
    return String.fromCodePoint(...points);
  }
  return undefined;
}

/** SQL conditions on an instance row `i`, one per condition; appends their parameters. */
export async function variableConditionsSql(db: Queryable, conditions: readonly VariableCondition[], params: unknown[]): Promise<string[]> {
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  let candidates: Set<string> | undefined;
  for (const c of conditions) {
    const value = `(i.variables ->> ${param(c.name)})`;
    switch (c.op) {
      case 'eq':
        parts.push(`${value} = ${param(c.value)}`);
        break;
      case 'ne':
        parts.push(`${value} <> ${param(c.value)}`);
        break;
      case 'prefix':
        parts.push(`starts_with(${value}, ${param(c.value)})`);
        break;
      case 'notPrefix':
        parts.push(`not starts_with(${value}, ${param(c.value)})`);
        break;
      default:
        parts.push(`(case when ${value} ~ ${NUMBER_PATTERN} then ${value}::numeric end) ${COMPARE[c.op]} ${param(c.value)}::numeric`);
    }
    const found = await indexCandidates(db, c);
    if (found) candidates = candidates ? new Set([...candidates].filter((s) => found.has(s))) : found;
  }
  if (candidates) parts.unshift(candidates.size ? `i.seq = any(${param(`{${[...candidates].join(',')}}`)}::bigint[])` : 'false');
  return parts;
}

/** The instances (seq) matching a condition by the index, or undefined when it is not selective. */
async function indexCandidates(db: Queryable, c: VariableCondition): Promise<Set<string> | undefined> {
  const params: unknown[] = [head(c.name)];
  let where: string;
  // The index's own order. Under a LIMIT, the planner otherwise weighs a sequential scan that
  // stops at the limit against the index; its estimate of a range on `number` mixes every
  // variable's numbers (one histogram per column), so it misjudged `amount > 9980` (190 rows of
  // 300,000) as 13 % and scanned the whole table: 45 ms per request instead of 2 ms.
  let order = 'head';
  switch (c.op) {
    case 'eq':
      params.push(head(c.value));
      where = 'head = $2';
      break;
    case 'prefix': {
      if (Array.from(c.value).length >= HEAD) {
        params.push(head(c.value));
        where = 'head = $2';
        break;
      }
      const upper = prefixUpperBound(c.value);
      params.push(c.value);
      where = 'head >= $2';
      if (upper !== undefined) {
        params.push(upper);
        where += ' and head < $3';
      }
      break;
    }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      params.push(c.value);
      where = `number ${COMPARE[c.op]} $2::numeric`;
      order = 'number';
      break;
    default:
      return undefined; // != and "does not start with": rarely selective, checked row by row
  }
  const rows = await db.query<{ s: string | number }>(
    `select instance_seq::text as s from instance_variables where name = $1 and ${where} order by name, ${order} limit ${CANDIDATE_LIMIT + 1}`,
    params,
  );
  if (rows.length > CANDIDATE_LIMIT) return undefined;
  return new Set(rows.map((r) => String(r.s)));
}
