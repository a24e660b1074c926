/**
 * The postings of a dry-run as a diagram (@xyflow/react, lazy-loaded like the stage graph): one
 * box per account (wallets by name), arrows carrying the amounts, money flowing left to right.
 */
import { memo, useMemo } from 'react';
import { Handle, MarkerType, Position, type Edge, type Node, type NodeProps } from '@xyflow/react';
import type { SimPosting } from '../../api/simulations';
import { Money } from '../../components/Money';
import { formatMoney } from '../../lib/money';
import { ReadOnlyFlow } from '../../components/ReadOnlyFlow';
import { accountLabel } from './describe';
import { buildFlow, type FlowNode } from './flow';

const NODE_WIDTH = 230;
const GAP_X = 150;
const ROW_HEIGHT = 96;

type AccountNode = Node<{ node: FlowNode }, 'account'>;

const AccountNodeView = memo(function AccountNodeView({ data }: NodeProps<AccountNode>) {
  const { node } = data;
  return (
    <div className="rounded-lg border border-line-strong bg-surface px-3 py-2 text-fg shadow-sm" style={{ width: NODE_WIDTH }} data-testid="flow-node">
      <Handle type="target" position={Position.Left} className="opacity-0" isConnectable={false} />
      <Handle type="source" position={Position.Right} className="opacity-0" isConnectable={false} />
      <div className="truncate font-mono text-[12.5px] font-medium" title={node.account}>
        {accountLabel(node.account, node.wallet)}
      </div>
      <div className="text-[11px] text-muted">ledger {node.ledger}</div>
      {node.net.map((n) => (
        <div key={n.asset} className="text-[12px]">
          {n.amount > 0n ? '+' : ''}
          <Money amount={n.amount} asset={n.asset} signed />
        </div>
      ))}
    </div>
  );
});

const nodeTypes = { account: AccountNodeView };

export default function MoneyFlow({ postings }: { postings: readonly SimPosting[] }) {
  const { nodes, edges, sentences, height } = useMemo(() => {
    const flow = buildFlow(postings);
    const nodes: AccountNode[] = flow.nodes.map((node) => ({
      id: node.id,
      type: 'account',
      position: { x: node.column * (NODE_WIDTH + GAP_X), y: node.row * ROW_HEIGHT },
      data: { node },
      draggable: false,
      selectable: false,
      connectable: false,
    }));
    const edges: Edge[] = flow.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      label: `${formatMoney(e.amount, e.asset)}${e.postings > 1 ? ` (${e.postings})` : ''}`,
      labelBgPadding: [4, 2],
      labelBgBorderRadius: 4,
      labelStyle: { fontSize: 11, fontFamily: 'ui-monospace, monospace' },
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      style: { strokeWidth: 1.5 },
    }));
    const rows = Math.max(1, ...flow.nodes.map((n) => n.row + 1));
    const label = (id: string) => {
      const n = flow.nodes.find((x) => x.id === id)!;
      return `${accountLabel(n.account, n.wallet)} (${n.ledger})`;
    };
    const sentences = flow.edges.map((e) => `${label(e.source)} to ${label(e.target)}: ${formatMoney(e.amount, e.asset)}`);
    return { nodes, edges, sentences, height: Math.min(520, 70 + rows * ROW_HEIGHT) };
  }, [postings]);
  return (
    <figure className="overflow-hidden rounded-xl border border-line bg-subtle/40" style={{ height }} data-testid="money-flow" aria-label="Money flow between accounts">
      <ul className="sr-only">
        {sentences.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <ReadOnlyFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} padding={0.15} />
    </figure>
  );
}
