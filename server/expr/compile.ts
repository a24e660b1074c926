// compile(): lexing, parsing and the static checks expr-lang performs without a typed
// environment: builtin argument counts and literal regular expressions. Any identifier and any
// function name compiles (unknown names are nil / a run-time error).

import { children, type Node } from './ast.js';
import { BUILTINS } from './builtins.js';
import { ExprSyntaxError } from './errors.js';
import { parse, PREDICATES } from './parser.js';
import { compileRegex, RegexError } from './regex.js';

export const MAX_SOURCE_LENGTH = 10_000;
/** Maximum depth of the syntax tree (long left-leaning chains such as `a + b + c + ...` are
 * deep without being nested); keeps evaluation recursion far from the stack limit. */
export const MAX_TREE_DEPTH = 400;

/** A compiled expression. Immutable; evaluate it any number of times. */
export interface Program {
  readonly source: string;
  /** Internal syntax tree. */
  readonly ast: Node;
}

export function compile(source: string): Program {
  if (typeof source !== 'string') throw new TypeError('expression source must be a string');
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExprSyntaxError(`expression is too long (${source.length} characters, at most ${MAX_SOURCE_LENGTH})`, source, MAX_SOURCE_LENGTH);
  }
  const ast = parse(source);
  check(ast, source);
  return Object.freeze({ source, ast });
}

function check(root: Node, source: string): void {
  // iterative walk: the tree may be deep, the checker must not recurse
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) {
      throw new ExprSyntaxError(`expression is too complex (more than ${MAX_TREE_DEPTH} nested operations)`, source, node.offset);
    }
    if (node.type === 'Builtin' && !PREDICATES[node.name]) {
      const b = BUILTINS[node.name]!;
      const n = node.args.length;
      if (b.min === 1 && b.max === 1 && n !== 1) {
        fail(`invalid number of arguments (expected 1, got ${n})`);
      } else if (n < b.min) {
        fail(`not enough arguments to call ${node.name}`);
      } else if (n > b.max) {
        fail(`too many arguments to call ${node.name}`);
      }
    }
    if (node.type === 'Binary' && node.op === 'matches' && node.right.type === 'String') {
      try {
        node.regex = compileRegex(node.right.value);
      } catch (e) {
        if (e instanceof RegexError) fail(e.message);
        throw e;
      }
    }
    for (const child of children(node)) stack.push([child, depth + 1]);

    function fail(message: string): never {
      throw new ExprSyntaxError(message, source, node.offset);
    }
  }
}
