/**
 * The server's create-time validation errors (400 VALIDATION): one problem per line, each
 * starting with the JSON path it concerns, e.g.
 * `stages[0].send.amount.amount: unable to parse '12.5' as big int: …`. Metadata keys may contain
 * dots, spaces or `: `, so the split is checked against the submitted definition when given.
 */

export type JsonPath = (string | number)[];

export interface ServerProblem {
  /** Empty when the line names no field of the definition (e.g. `request body: …`). */
  path: JsonPath;
  message: string;
  /** The line as the server wrote it. */
  text: string;
}

const ROOTS = ['name', 'stages'];

/** Tokens of a path text: `stages[0].send.metadata.a.b` → ['stages', 0, 'send', 'metadata', 'a', 'b']. */
function tokenize(head: string): JsonPath | undefined {
  const root = /^[A-Za-z_]\w*/.exec(head);
  if (!root || !ROOTS.includes(root[0])) return undefined;
  const out: JsonPath = [root[0]];
  const re = /\[(\d+)\]|\.([^.[]+)/y;
  let pos = root[0].length;
  while (pos < head.length) {
    re.lastIndex = pos;
    const m = re.exec(head);
    if (!m) return undefined;
    out.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
    pos = re.lastIndex;
  }
  return out;
}

const ALIASES: Record<string, string> = { connectorId: 'connectorID' };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Resolves tokens against the definition, joining name tokens that are one key with dots in it.
 * Undefined when the path leaves the definition before its last segment.
 */
function resolve(tokens: JsonPath, definition: unknown): JsonPath | undefined {
  const out: JsonPath = [];
  let node: unknown = definition;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const last = i === tokens.length - 1;
    if (typeof t === 'number') {
      if (!Array.isArray(node)) return undefined;
      out.push(t);
      node = node[t];
      continue;
    }
    if (!isObj(node)) return undefined;
    let key = t;
    let j = i;
    while (!(key in node) && j + 1 < tokens.length && typeof tokens[j + 1] === 'string') {
      j++;
      key = `${key}.${tokens[j]}`;
    }
    // The server names aliases by their canonical key (connectorID is read as connectorId).
    if (!(key in node) && ALIASES[t] !== undefined && ALIASES[t]! in node) key = ALIASES[t]!;
    if (!(key in node)) {
      // A missing key may only be the last segment (e.g. "amount: amount must be specified").
      if (!last) return undefined;
      out.push(t);
      return out;
    }
    out.push(key);
    node = node[key];
    i = j;
  }
  return out;
}

function splitLine(line: string, definition: unknown): ServerProblem {
  let firstShape: ServerProblem | undefined;
  for (let at = line.indexOf(': '); at !== -1; at = line.indexOf(': ', at + 1)) {
    const tokens = tokenize(line.slice(0, at));
    if (!tokens) continue;
    const message = line.slice(at + 2);
    if (definition === undefined) return { path: tokens, message, text: line };
    const path = resolve(tokens, definition);
    if (path) return { path, message, text: line };
    firstShape ??= { path: tokens, message, text: line };
  }
  return firstShape ?? { path: [], message: line, text: line };
}

/** The problems of a VALIDATION errorMessage, each with its path (resolved against `definition`). */
export function parseServerProblems(errorMessage: string, definition?: unknown): ServerProblem[] {
  return errorMessage
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => splitLine(line, definition));
}
