import { invalid } from './errors.js';
import { isPlainObject } from './validate.js';

/**
 * The ledger's JSON filter language (docs/compatibility.md: sandbox ledger) translated to SQL: `$and`, `$or`,
 * `$not`, `$match`, `$exists`, `$in`, `$like`, `$lt`/`$lte`/`$gt`/`$gte`. Values always travel
 * as parameters.
 */
export type SqlParams = unknown[];

function param(params: SqlParams, v: unknown): string {
  params.push(v);
  return `$${params.length}`;
}

/** Address pattern: an empty segment matches any one segment; a trailing `...` any depth. */
export function addressCondition(column: string, pattern: string, params: SqlParams): string {
  const segments = pattern.split(':');
  const hasWildcard = segments.some((s) => s === '' || s === '...');
  if (!hasWildcard) return `${column} = ${param(params, pattern)}`;
  let re = '^';
  segments.forEach((s, i) => {
    if (s === '...' && i === segments.length - 1) {
      re += i === 0 ? '.*' : '(:.*)?';
      return;
    }
    if (i > 0) re += ':';
    re += s === '' ? '[^:]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  re += '$';
  return `${column} ~ ${param(params, re)}`;
}

type Translate = (field: string, op: string, value: unknown, params: SqlParams) => string;

function translate(filter: unknown, params: SqlParams, field: Translate): string {
  if (!isPlainObject(filter)) throw invalid('query: expected a JSON object');
  const parts: string[] = [];
  for (const [op, arg] of Object.entries(filter)) {
    switch (op) {
      case '$and':
      case '$or': {
        if (!Array.isArray(arg)) throw invalid(`query: ${op} expects an array`);
        if (arg.length === 0) {
          parts.push(op === '$and' ? 'true' : 'false');
          break;
        }
        parts.push(`(${arg.map((f) => translate(f, params, field)).join(op === '$and' ? ' and ' : ' or ')})`);
        break;
      }
      case '$not':
        parts.push(`not (${translate(arg, params, field)})`);
        break;
      case '$exists':
      case '$match':
      case '$in':
      case '$like':
      case '$lt':
      case '$lte':
      case '$gt':
      case '$gte': {
        if (!isPlainObject(arg)) throw invalid(`query: ${op} expects an object`);
        for (const [k, v] of Object.entries(arg)) parts.push(field(k, op, v, params));
        break;
      }
      default:
        throw invalid(`query: unknown operator '${op}'`);
    }
  }
  return parts.length ? parts.join(' and ') : 'true';
}

const COMPARE: Record<string, string> = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=', $match: '=' };

function metadataKey(k: string): string | null {
  const m = /^metadata\[(.+)\]$/.exec(k);
  return m ? m[1] : null;
}

function metadataCondition(column: string, op: string, key: string, value: unknown, params: SqlParams): string {
  if (op === '$exists') return `(${column} ? ${param(params, key)}) = ${value ? 'true' : 'false'}`;
  if (op === '$in') {
    if (!Array.isArray(value)) throw invalid('query: $in expects an array');
    return `${column}->>${param(params, key)} = any(${param(params, value.map(String))}::text[])`;
  }
  if (op === '$like') return `${column}->>${param(params, key)} like ${param(params, String(value))}`;
  if (op !== '$match') throw invalid(`query: ${op} is not supported on metadata`);
  return `${column}->>${param(params, key)} = ${param(params, String(value))}`;
}

/** Accounts (table alias `a`). */
export function accountFilterSql(filter: unknown, params: SqlParams): string {
  return translate(filter, params, (k, op, v, p) => {
    if (k === 'address') {
      if (op === '$match') return addressCondition('a.address', String(v), p);
      if (op === '$like') return `a.address like ${param(p, String(v))}`;
      if (op === '$in' && Array.isArray(v)) return `a.address = any(${param(p, v.map(String))}::text[])`;
    }
    const mk = metadataKey(k);
    if (mk) return metadataCondition('a.metadata', op, mk, v, p);
    if (k === 'metadata' && op === '$exists') return metadataCondition('a.metadata', op, String(v), true, p);
    const bal = /^balance(?:\[(.+)\])?$/.exec(k);
    if (bal && COMPARE[op]) {
      const assetCond = bal[1] ? ` and v.asset = ${param(p, bal[1])}` : '';
      return `exists (select 1 from sb_volumes v where v.ledger = a.ledger and v.address = a.address${assetCond}
              and (v.input - v.output) ${COMPARE[op]} ${param(p, String(v))}::numeric)`;
    }
    const dates: Record<string, string> = { first_usage: 'a.first_usage', insertion_date: 'a.insertion_date', updated_at: 'a.updated_at' };
    if (dates[k] && COMPARE[op]) return `${dates[k]} ${COMPARE[op]} ${param(p, String(v))}::timestamptz`;
    throw invalid(`query: unsupported filter ${op} on '${k}'`);
  });
}

/** Transactions (table `sb_transactions`, unaliased). */
export function transactionFilterSql(filter: unknown, params: SqlParams): string {
  return translate(filter, params, (k, op, v, p) => {
    if (k === 'account' || k === 'source' || k === 'destination') {
      if (op !== '$match') throw invalid(`query: ${op} is not supported on '${k}'`);
      if (k === 'account') return `exists (select 1 from unnest(accounts) x where ${addressCondition('x', String(v), p)})`;
      return `exists (select 1 from jsonb_array_elements(postings) x where ${addressCondition(`x->>'${k}'`, String(v), p)})`;
    }
    const mk = metadataKey(k);
    if (mk) return metadataCondition('metadata', op, mk, v, p);
    if (k === 'metadata' && op === '$exists') return metadataCondition('metadata', op, String(v), true, p);
    if (k === 'reference') {
      if (op === '$match') return `reference = ${param(p, String(v))}`;
      if (op === '$like') return `reference like ${param(p, String(v))}`;
    }
    if (k === 'id' && COMPARE[op]) return `id ${COMPARE[op]} ${param(p, Number(v))}`;
    if (k === 'id' && op === '$in' && Array.isArray(v)) return `id = any(${param(p, v.map(Number))}::bigint[])`;
    if (k === 'reverted' && op === '$match') return `reverted = ${param(p, Boolean(v))}`;
    const dates: Record<string, string> = { timestamp: 'timestamp', inserted_at: 'inserted_at', updated_at: 'updated_at', reverted_at: 'reverted_at' };
    if (dates[k] && COMPARE[op]) return `${dates[k]} ${COMPARE[op]} ${param(p, String(v))}::timestamptz`;
    throw invalid(`query: unsupported filter ${op} on '${k}'`);
  });
}
