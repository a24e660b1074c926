/**
 * Search by run variables: the small language of the instance list's "Variables" box, parsed by
 * one parser for the server (which answers it in SQL) and the console (which checks it as you
 * type, and applies it to loaded rows where the server cannot). docs/instance-search.md is the
 * user's reference.
 *
 *   query     = condition { "and" condition }
 *   condition = name operator value
 *   name      = word | "${" any text but "}" "}"
 *   operator  = "=" | "!=" | "^=" | ">" | ">=" | "<" | "<="
 *   value     = ( word | '"' text with \" and \\ escapes '"' ) [ "*" ]
 *   word      = one or more characters other than spaces, quotes, * and the operator characters =!<>^
 *
 * * `=` / `!=`: the variable's text is (is not) exactly the value. A value followed by `*`
 *   matches by prefix: `userID = 4*` is `userID ^= 4`; `userID != 4*` is "does not start with 4".
 *   A `*` inside quotes is a literal star: `code = "A*B"`.
 * * `^=`: the text starts with the value.
 * * `>`, `>=`, `<`, `<=`: numbers. The value must be a decimal number; a run matches when its
 *   variable is a decimal number (`1500`, `-3`, `12.50`; at most 60 digits before the point and
 *   30 after) that compares so.
 * * A run without the variable matches no condition on it (`!=` included).
 * * `and` (any case) joins conditions; every one must hold.
 */

export type VariableOperator = '=' | '!=' | '^=' | '>' | '>=' | '<' | '<=';

export interface VariableCondition {
  name: string;
  /** `prefix` / `notPrefix` come from `^=` and from a value ending in an unquoted `*`. */
  op: 'eq' | 'ne' | 'prefix' | 'notPrefix' | 'gt' | 'ge' | 'lt' | 'le';
  /** text for eq/ne/prefix/notPrefix; the decimal number as written for comparisons */
  value: string;
  /** the condition as written, for messages */
  text: string;
}

export class VariableFilterError extends Error {
  constructor(
    message: string,
    /** the part of the query the message is about */
    readonly part: string,
    /** 0-based offsets of that part in the query */
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'VariableFilterError';
  }
}

/** At most this many conditions (each one is a join or a filter in SQL). */
export const MAX_VARIABLE_CONDITIONS = 8;
/** Longest query accepted. */
export const MAX_VARIABLE_FILTER_LENGTH = 1000;

/**
 * A number as variables hold them: optional minus, digits, optional fraction; at most 60 digits
 * before the point and 30 after (the server indexes numbers of that size; longer ones are text).
 */
export const DECIMAL = /^-?\d{1,60}(\.\d{1,30})?$/;
const NUMBER_OPS: Record<string, VariableCondition['op']> = { '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le' };
const OPERATOR = /^(\^=|!=|>=|<=|=|>|<)/;
const WORD = /^[^\s"=!<>^*]+/;

interface Token {
  kind: 'word' | 'quoted' | 'name' | 'op';
  text: string;
  /** decoded value (quoted strings without quotes, `${x}` → x) */
  value: string;
  /** a value followed by `*` (a prefix match) */
  star?: boolean;
  start: number;
  end: number;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const rest = query.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith('${')) {
      const close = rest.indexOf('}');
      if (close < 0) throw new VariableFilterError(`'${rest.slice(0, 30)}': a \${name} is not closed with }`, rest.slice(0, 30), i, query.length);
      const name = rest.slice(2, close);
      if (!name) throw new VariableFilterError(`'\${}': the variable name is empty`, '${}', i, i + 3);
      tokens.push({ kind: 'name', text: rest.slice(0, close + 1), value: name, start: i, end: i + close + 1 });
      i += close + 1;
      continue;
    }
    if (rest.startsWith('"')) {
      let value = '';
      let j = 1;
      for (; j < rest.length && rest[j] !== '"'; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) j++;
        value += rest[j];
      }
      if (j >= rest.length) throw new VariableFilterError(`'${rest.slice(0, 30)}': a quoted value is not closed with "`, rest.slice(0, 30), i, query.length);
      const star = rest[j + 1] === '*';
      const length = j + 1 + (star ? 1 : 0);
      tokens.push({ kind: 'quoted', text: rest.slice(0, length), value, start: i, end: i + length, ...(star ? { star } : {}) });
      i += length;
      continue;
    }
    const op = OPERATOR.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0], value: op[0], start: i, end: i + op[0].length });
      i += op[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word && rest[word[0].length] === '*') {
      const after = rest[word[0].length + 1];
      if (after !== undefined && !/[\s"=!<>^]/.test(after)) {
        const text = /^[^\s"=!<>^]+/.exec(rest)![0];
        throw new VariableFilterError(`'${text}': * only goes at the end of a value (a prefix match); quote the value to look for a literal *`, text, i, i + text.length);
      }
      tokens.push({ kind: 'word', text: `${word[0]}*`, value: word[0], start: i, end: i + word[0].length + 1, star: true });
      i += word[0].length + 1;
      continue;
    }
    if (rest.startsWith('*')) {
      throw new VariableFilterError(`'*' at column ${i + 1}: a prefix must come before * (every run with the variable: ^= "")`, '*', i, i + 1);
    }
    if (!word) {
      const bad = rest[0]!;
      throw new VariableFilterError(`'${bad}' at column ${i + 1}: expected a variable name, an operator (= != ^= > >= < <=) or a value`, bad, i, i + 1);
    }
    tokens.push({ kind: 'word', text: word[0], value: word[0], start: i, end: i + word[0].length });
    i += word[0].length;
  }
  return tokens;
}

const isAnd = (t: Token | undefined) => t?.kind === 'word' && t.text.toLowerCase() === 'and';

/**
 * Parses a variables query; throws a VariableFilterError naming the part that is wrong. An empty
 * (or blank) query is no condition.
 */
export function parseVariableFilter(query: string): VariableCondition[] {
  if (query.length > MAX_VARIABLE_FILTER_LENGTH)
    throw new VariableFilterError(`longer than ${MAX_VARIABLE_FILTER_LENGTH} characters`, query.slice(0, 30), 0, query.length);
  const tokens = tokenize(query);
  const conditions: VariableCondition[] = [];
  let i = 0;
  const partOf = (from: Token, to: Token | undefined) => query.slice(from.start, (to ?? from).end);
  while (i < tokens.length) {
    const name = tokens[i]!;
    const op = tokens[i + 1];
    const value = tokens[i + 2];
    if (name.kind === 'op')
      throw new VariableFilterError(`'${name.text}' at column ${name.start + 1}: a variable name must come before the operator`, name.text, name.start, name.end);
    if (name.kind === 'quoted')
      throw new VariableFilterError(`'${name.text}': a variable name is not quoted (write \${name} for a name with spaces)`, name.text, name.start, name.end);
    if (name.star)
      throw new VariableFilterError(`'${name.text}': a variable name has no * (write \${name} for a name with unusual characters)`, name.text, name.start, name.end);
    if (name.kind === 'word' && /^(or|not)$/i.test(name.text))
      throw new VariableFilterError(`'${name.text}': only "and" joins conditions`, name.text, name.start, name.end);
    if (!op || op.kind !== 'op') {
      const what = op ? `'${op.text}'` : 'the end';
      throw new VariableFilterError(
        `'${partOf(name, op)}': expected an operator (= != ^= > >= < <=) after the name ${name.value}, got ${what}`,
        partOf(name, op),
        name.start,
        (op ?? name).end,
      );
    }
    const part = partOf(name, value ?? op);
    if (!value || value.kind === 'op' || isAnd(value)) {
      const got = value ? (isAnd(value) ? ' (quote "and" to search for that word)' : `, got '${value.text}'`) : '';
      throw new VariableFilterError(`'${part}': expected a value after ${op.text}${got}`, part, name.start, (value ?? op).end);
    }
    if (value.kind === 'name')
      throw new VariableFilterError(`'${part}': the value cannot be a \${variable}; quote it to search for that text`, part, name.start, value.end);
    conditions.push(condition(name.value, op.text as VariableOperator, value, part, name.start, value.end));
    i += 3;
    if (i < tokens.length) {
      if (!isAnd(tokens[i])) {
        const t = tokens[i]!;
        throw new VariableFilterError(
          `'${t.text}' at column ${t.start + 1}: conditions are joined with "and"${/^(or|,|\|\|)$/i.test(t.text) ? ' (there is no "or")' : ''}`,
          t.text,
          t.start,
          t.end,
        );
      }
      if (i + 1 >= tokens.length)
        throw new VariableFilterError(`'and' at column ${tokens[i]!.start + 1}: a condition must follow "and"`, 'and', tokens[i]!.start, tokens[i]!.end);
      i += 1;
    }
  }
  if (conditions.length > MAX_VARIABLE_CONDITIONS) {
    throw new VariableFilterError(`${conditions.length} conditions: at most ${MAX_VARIABLE_CONDITIONS}`, query.slice(0, 30), 0, query.length);
  }
  return conditions;
}

function condition(name: string, op: VariableOperator, value: Token, text: string, start: number, end: number): VariableCondition {
  const numeric = NUMBER_OPS[op];
  if (numeric) {
    if (value.kind !== 'word' || value.star || !DECIMAL.test(value.value)) {
      throw new VariableFilterError(`'${text}': ${op} compares numbers: expected a decimal number such as 1000 or 12.50, got ${value.text}`, text, start, end);
    }
    return { name, op: numeric, value: value.value, text };
  }
  if (op === '^=') {
    if (value.star) throw new VariableFilterError(`'${text}': ^= already matches by prefix: drop the * (or quote it to look for a literal *)`, text, start, end);
    return { name, op: 'prefix', value: value.value, text };
  }
  if (value.star) return { name, op: op === '=' ? 'prefix' : 'notPrefix', value: value.value, text };
  return { name, op: op === '=' ? 'eq' : 'ne', value: value.value, text };
}

/** Whether a run's variables satisfy every condition (the same rules as the server's SQL). */
export function matchesVariables(variables: Record<string, string> | undefined, conditions: readonly VariableCondition[]): boolean {
  return conditions.every((c) => {
    const v = variables?.[c.name];
    if (v === undefined) return false;
    switch (c.op) {
      case 'eq':
        return v === c.value;
      case 'ne':
        return v !== c.value;
      case 'prefix':
        return v.startsWith(c.value);
      case 'notPrefix':
        return !v.startsWith(c.value);
      default: {
        if (!DECIMAL.test(v)) return false;
        const cmp = compareDecimals(v, c.value);
        return c.op === 'gt' ? cmp > 0 : c.op === 'ge' ? cmp >= 0 : c.op === 'lt' ? cmp < 0 : cmp <= 0;
      }
    }
  });
}

/** Exact comparison of two decimal texts (no float rounding: amounts can exceed 2^53). */
export function compareDecimals(a: string, b: string): number {
  const neg = (s: string) => s.startsWith('-');
  const [an, bn] = [neg(a), neg(b)];
  const abs = (s: string) => {
    const [int, frac = ''] = s.replace(/^-/, '').split('.');
    return { int: int!.replace(/^0+(?=\d)/, ''), frac: frac.replace(/0+$/, '') };
  };
  const x = abs(a);
  const y = abs(b);
  const zero = (n: { int: string; frac: string }) => n.int === '0' && n.frac === '';
  if (zero(x) && zero(y)) return 0;
  if (an !== bn) return zero(x) && zero(y) ? 0 : an ? -1 : 1;
  let cmp = x.int.length !== y.int.length ? x.int.length - y.int.length : x.int < y.int ? -1 : x.int > y.int ? 1 : 0;
  if (cmp === 0) {
    const len = Math.max(x.frac.length, y.frac.length);
    const fx = x.frac.padEnd(len, '0');
    const fy = y.frac.padEnd(len, '0');
    cmp = fx < fy ? -1 : fx > fy ? 1 : 0;
  }
  return an ? -Math.sign(cmp) : Math.sign(cmp);
}

/** The conditions written back as a query (canonical spacing and quoting). */
export function formatVariableFilter(conditions: readonly VariableCondition[]): string {
  const name = (n: string) => (/^[^\s"=!<>^$*]+$/.test(n) && n.toLowerCase() !== 'and' ? n : `\${${n}}`);
  const quote = (v: string) => (/^[^\s"=!<>^*]+$/.test(v) && v.toLowerCase() !== 'and' ? v : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`);
  const ops: Record<VariableCondition['op'], string> = { eq: '=', ne: '!=', prefix: '^=', notPrefix: '!=', gt: '>', ge: '>=', lt: '<', le: '<=' };
  return conditions.map((c) => (c.op === 'notPrefix' ? `${name(c.name)} != ${quote(c.value)}*` : `${name(c.name)} ${ops[c.op]} ${quote(c.value)}`)).join(' and ');
}
