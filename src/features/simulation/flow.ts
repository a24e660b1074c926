/** The postings of a dry-run as a graph: one node per account, one edge per direction and asset. */
import type { SimPosting, WalletRef } from '../../api/simulations';
import { toBigInt } from '../../lib/money';

export interface FlowNode {
  id: string;
  ledger: string;
  account: string;
  wallet?: WalletRef;
  /** column (money flows left to right where it can) and row within it */
  column: number;
  row: number;
  /** net change per asset over these postings */
  net: { asset: string; amount: bigint }[];
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  asset: string;
  amount: bigint;
  postings: number;
}

const nodeId = (ledger: string, account: string) => `${ledger}\u0000${account}`;

export function buildFlow(postings: readonly SimPosting[]): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const nodes = new Map<string, FlowNode>();
  const edges = new Map<string, FlowEdge>();
  const net = new Map<string, Map<string, bigint>>();
  const touch = (ledger: string, account: string, wallet: WalletRef | undefined, asset: string, delta: bigint) => {
    const id = nodeId(ledger, account);
    if (!nodes.has(id)) nodes.set(id, { id, ledger, account, ...(wallet ? { wallet } : {}), column: 0, row: 0, net: [] });
    const m = net.get(id) ?? new Map<string, bigint>();
    m.set(asset, (m.get(asset) ?? 0n) + delta);
    net.set(id, m);
    return id;
  };
  for (const p of postings) {
    const amount = toBigInt(p.amount) ?? 0n;
    const source = touch(p.ledger, p.source, p.sourceWallet, p.asset, -amount);
    const target = touch(p.ledger, p.destination, p.destinationWallet, p.asset, amount);
    const id = `${source}\u0000${target}\u0000${p.asset}`;
    const e = edges.get(id) ?? { id, source, target, asset: p.asset, amount: 0n, postings: 0 };
    e.amount += amount;
    e.postings++;
    edges.set(id, e);
  }
  for (const [id, m] of net) nodes.get(id)!.net = [...m].filter(([, v]) => v !== 0n).map(([asset, amount]) => ({ asset, amount }));

  // Columns: longest path from the accounts money only leaves, cycles broken in first-seen order.
  const outgoing = new Map<string, string[]>();
  const indegree = new Map<string, number>([...nodes.keys()].map((id) => [id, 0]));
  for (const e of edges.values()) {
    if (e.source === e.target) continue;
    outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  }
  const column = new Map<string, number>();
  const placed = new Set<string>();
  const queue = [...nodes.keys()].filter((id) => indegree.get(id) === 0);
  const visit = (start: string[]) => {
    while (start.length) {
      const id = start.shift()!;
      if (placed.has(id)) continue;
      placed.add(id);
      for (const next of outgoing.get(id) ?? []) {
        column.set(next, Math.max(column.get(next) ?? 0, (column.get(id) ?? 0) + 1));
        indegree.set(next, indegree.get(next)! - 1);
        if (indegree.get(next) === 0) start.push(next);
      }
    }
  };
  visit(queue);
  for (const id of nodes.keys()) if (!placed.has(id)) visit([id]); // what is left sits on cycles
  // Rows: first column in order of appearance; each next one by the mean row of what feeds it
  // (fewer crossing arrows).
  const byColumn = new Map<number, FlowNode[]>();
  for (const node of nodes.values()) {
    node.column = column.get(node.id) ?? 0;
    byColumn.set(node.column, [...(byColumn.get(node.column) ?? []), node]);
  }
  const incoming = new Map<string, string[]>();
  for (const e of edges.values()) if (e.source !== e.target) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  for (const c of [...byColumn.keys()].sort((a, b) => a - b)) {
    const list = byColumn.get(c)!;
    const weight = (n: FlowNode, i: number) => {
      const from = (incoming.get(n.id) ?? []).map((id) => nodes.get(id)!).filter((m) => m.column < c);
      return from.length ? from.reduce((sum, m) => sum + m.row, 0) / from.length : i;
    };
    const ordered = list.map((n, i) => ({ n, w: weight(n, i), i })).sort((a, b) => a.w - b.w || a.i - b.i);
    ordered.forEach(({ n }, row) => (n.row = row));
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
