/**
 * The stages of a definition as a graph (@xyflow/react, lazy-loaded): nodes in order, laid out in
 * rows that snake left-to-right then right-to-left, each showing its kind and key fields.
 */
import { memo, useMemo } from 'react';
import { Handle, MarkerType, Position, type Edge, type Node, type NodeProps } from '@xyflow/react';
import { Money } from '../../components/Money';
import { Time } from '../../components/Time';
import { toBigInt } from '../../lib/money';
import { cn } from '../../lib/cn';
import { stageFacts, type EndpointFacts, type StageFacts } from './stageFacts';
import { ReadOnlyFlow } from '../../components/ReadOnlyFlow';

const NODE_WIDTH = 290;
const GAP_X = 64;
const ROW_HEIGHT = 175;
const PER_ROW = 3;

type StageNode = Node<{ index: number; facts: StageFacts; reversed: boolean }, 'stage'>;

const KIND_STYLE: Record<StageFacts['kind'], { label: string; className: string }> = {
  send: { label: 'send', className: 'bg-indigo-50 text-indigo-800 ring-indigo-200 dark:bg-indigo-400/10 dark:text-indigo-200 dark:ring-indigo-400/30' },
  delay: { label: 'delay', className: 'bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-400/10 dark:text-amber-200 dark:ring-amber-400/30' },
  wait_event: { label: 'wait event', className: 'bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-400/10 dark:text-sky-200 dark:ring-sky-400/30' },
  update: { label: 'update', className: 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-400/10 dark:text-emerald-200 dark:ring-emerald-400/30' },
  noop: { label: 'noop', className: 'bg-subtle text-muted ring-line-strong' },
  unknown: { label: 'unknown', className: 'bg-red-50 text-red-800 ring-red-200 dark:bg-red-400/10 dark:text-red-200 dark:ring-red-400/30' },
};

const ENDPOINT_LABEL: Record<EndpointFacts['kind'], string> = { account: 'account', wallet: 'wallet', payment: 'payment', external: 'payout', unknown: '?' };

function EndpointLine({ side, e }: { side: 'from' | 'to'; e: EndpointFacts }) {
  return (
    <div className="flex min-w-0 items-baseline gap-1.5" title={`${side} ${ENDPOINT_LABEL[e.kind]} ${e.label}${e.detail ? ` (${e.detail})` : ''}`}>
      <span className="w-7 shrink-0 text-[11px] text-muted">{side}</span>
      <span className="shrink-0 rounded bg-subtle px-1 text-[10.5px] text-muted">{ENDPOINT_LABEL[e.kind]}</span>
      <span className="min-w-0 shrink truncate font-mono text-[12px]">{e.label}</span>
      {e.detail && <span className="shrink-0 text-[11px] whitespace-nowrap text-muted">{e.detail}</span>}
    </div>
  );
}

function Body({ facts }: { facts: StageFacts }) {
  switch (facts.kind) {
    case 'send':
      return (
        <div className="space-y-1">
          <div className="text-[13px] font-semibold">
            {!facts.amount ? (
              <span className="font-normal text-muted">the payment's amount</span>
            ) : toBigInt(facts.amount.amount) !== null && !facts.amount.asset.includes('${') ? (
              <Money amount={facts.amount.amount} asset={facts.amount.asset} />
            ) : (
              <span className="font-mono">
                {facts.amount.amount} <span className="text-muted">{facts.amount.asset}</span>
              </span>
            )}
          </div>
          <EndpointLine side="from" e={facts.source} />
          <EndpointLine side="to" e={facts.destination} />
          {facts.metadataKeys.length > 0 && <div className="truncate text-[11px] text-muted">metadata: {facts.metadataKeys.join(', ')}</div>}
        </div>
      );
    case 'delay':
      return facts.duration !== undefined ? (
        <div className="text-[13px]">
          for <span className="font-mono font-semibold">{facts.duration || '—'}</span>
        </div>
      ) : (
        <div className="text-[13px]">
          until{' '}
          <span className="font-semibold">
            {facts.until && !facts.until.includes('${') ? <Time value={facts.until} mode="absolute" /> : <span className="font-mono">{facts.until}</span>}
          </span>
        </div>
      );
    case 'wait_event':
      return (
        <div className="text-[13px]">
          event <span className="font-mono font-semibold">{facts.event}</span>
        </div>
      );
    case 'update':
      return (
        <div className="space-y-1 text-[12px]">
          <div className="truncate">
            account <span className="font-mono">{facts.account}</span> <span className="text-muted">on {facts.ledger}</span>
          </div>
          <div className="truncate text-muted">metadata: {facts.metadataKeys.join(', ') || 'none'}</div>
        </div>
      );
    case 'noop':
      return <div className="text-[12px] text-muted">does nothing</div>;
    case 'unknown':
      return <div className="truncate font-mono text-[12px] text-muted">{facts.text}</div>;
  }
}

const handle = 'opacity-0';

const StageNodeView = memo(function StageNodeView({ data }: NodeProps<StageNode>) {
  const style = KIND_STYLE[data.facts.kind];
  return (
    <div className="rounded-lg border border-line-strong bg-surface px-3 py-2.5 text-fg shadow-sm" style={{ width: NODE_WIDTH }} data-testid="stage-node">
      <Handle type="target" id="left" position={Position.Left} className={handle} isConnectable={false} />
      <Handle type="target" id="right" position={Position.Right} className={handle} isConnectable={false} />
      <Handle type="target" id="top" position={Position.Top} className={handle} isConnectable={false} />
      <Handle type="source" id="out-right" position={Position.Right} className={handle} isConnectable={false} />
      <Handle type="source" id="out-left" position={Position.Left} className={handle} isConnectable={false} />
      <Handle type="source" id="out-bottom" position={Position.Bottom} className={handle} isConnectable={false} />
      <div className="mb-1.5 flex items-center gap-2">
        <span className="text-[11px] font-semibold text-muted tabular-nums">{data.index + 1}</span>
        <span className={cn('rounded px-1.5 py-0.5 font-mono text-[11px] ring-1 ring-inset', style.className)}>{style.label}</span>
      </div>
      <Body facts={data.facts} />
    </div>
  );
});

const nodeTypes = { stage: StageNodeView };

export function layoutStages(stages: readonly unknown[]): { nodes: StageNode[]; edges: Edge[] } {
  const nodes: StageNode[] = stages.map((stage, index) => {
    const row = Math.floor(index / PER_ROW);
    const reversed = row % 2 === 1;
    const col = reversed ? PER_ROW - 1 - (index % PER_ROW) : index % PER_ROW;
    return {
      id: String(index),
      type: 'stage',
      position: { x: col * (NODE_WIDTH + GAP_X), y: row * ROW_HEIGHT },
      data: { index, facts: stageFacts(stage), reversed },
      draggable: false,
      selectable: false,
      connectable: false,
    };
  });
  const edges: Edge[] = nodes.slice(1).map((node, i) => {
    const prev = nodes[i]!;
    const sameRow = Math.floor(i / PER_ROW) === Math.floor((i + 1) / PER_ROW);
    const leftToRight = !prev.data.reversed;
    return {
      id: `${i}-${i + 1}`,
      source: prev.id,
      target: node.id,
      sourceHandle: sameRow ? (leftToRight ? 'out-right' : 'out-left') : 'out-bottom',
      targetHandle: sameRow ? (leftToRight ? 'left' : 'right') : 'top',
      type: 'smoothstep',
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
      style: { strokeWidth: 1.5 },
    };
  });
  return { nodes, edges };
}

export default function StageGraph({ stages }: { stages: readonly unknown[] }) {
  const { nodes, edges } = useMemo(() => layoutStages(stages), [stages]);
  const rows = Math.max(1, Math.ceil(stages.length / PER_ROW));
  const height = Math.min(620, 50 + rows * ROW_HEIGHT);
  return (
    <div className="overflow-hidden rounded-xl border border-line bg-subtle/40" style={{ height }} data-testid="stage-graph">
      <ReadOnlyFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} padding={0.12} />
    </div>
  );
}
