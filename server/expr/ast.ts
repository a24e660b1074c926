// Syntax tree. `offset` is where expr-lang locates errors raised by the node: the operator token
// for unary/binary nodes, the property name for `a.b`, the `[` for `a[b]`, the function name for
// calls.

import type { Regex } from './regex.js';

interface Base {
  offset: number;
}

export type Node =
  | (Base & { type: 'Nil' })
  | (Base & { type: 'Bool'; value: boolean })
  | (Base & { type: 'Int'; value: bigint })
  | (Base & { type: 'Float'; value: number })
  | (Base & { type: 'String'; value: string })
  | (Base & { type: 'Identifier'; name: string })
  /** `#` (name ''), `#index`, `#acc` and the implicit `#` of `.field` inside a predicate. */
  | (Base & { type: 'Pointer'; name: string })
  | (Base & { type: 'Unary'; op: string; operand: Node })
  | (Base & { type: 'Binary'; op: string; left: Node; right: Node; regex?: Regex })
  /** `object.name`, `object?.name`, `object[expr]`, `object?.[expr]`. */
  | (Base & { type: 'Member'; object: Node; property: Node; optional: boolean })
  | (Base & { type: 'Slice'; object: Node; from?: Node; to?: Node })
  /** Marks the end of an optional chain: a nil met by `?.` inside makes the whole chain nil. */
  | (Base & { type: 'Chain'; node: Node })
  /** A call of a name that is not a builtin (`link(...)` or an unknown function). */
  | (Base & { type: 'Call'; name: string; args: Node[] })
  /** `object.name(...)`: there are no methods on JSON values, so this fails at run time. */
  | (Base & { type: 'MethodCall'; object: Node; name: string; args: Node[]; optional: boolean })
  | (Base & { type: 'Builtin'; name: string; args: Node[] })
  | (Base & { type: 'Closure'; body: Node })
  | (Base & { type: 'Conditional'; cond: Node; then: Node; else: Node })
  | (Base & { type: 'Array'; items: Node[] })
  | (Base & { type: 'Map'; pairs: Array<{ key: Node; value: Node }> })
  | (Base & { type: 'Let'; name: string; value: Node; body: Node })
  | (Base & { type: 'Sequence'; nodes: Node[] });

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;

/** Direct children, in evaluation order. */
export function children(node: Node): Node[] {
  switch (node.type) {
    case 'Unary':
      return [node.operand];
    case 'Binary':
      return [node.left, node.right];
    case 'Member':
      return [node.object, node.property];
    case 'Slice':
      return [node.object, ...(node.from ? [node.from] : []), ...(node.to ? [node.to] : [])];
    case 'Chain':
      return [node.node];
    case 'Call':
    case 'Builtin':
      return node.args;
    case 'MethodCall':
      return [node.object, ...node.args];
    case 'Closure':
      return [node.body];
    case 'Conditional':
      return [node.cond, node.then, node.else];
    case 'Array':
      return node.items;
    case 'Map':
      return node.pairs.flatMap((p) => [p.key, p.value]);
    case 'Let':
      return [node.value, node.body];
    case 'Sequence':
      return node.nodes;
    default:
      return [];
  }
}
