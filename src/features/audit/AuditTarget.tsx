import { Link } from '@tanstack/react-router';
import type { AuditEntry } from '../../api/types';

type Ref = { type: string; id: string };

/** A workflow, instance or trigger as a link to its page; anything else as text. */
export function TargetLink({ target }: { target: Ref }) {
  if (!target.id) return null;
  const short = target.id.length > 12 ? `${target.id.slice(0, 8)}…` : target.id;
  const cls = 'font-mono text-xs text-accent-strong hover:underline';
  if (target.type === 'workflow')
    return (
      <Link to="/workflows/$workflowId" params={{ workflowId: target.id }} className={cls} title={target.id}>
        {short}
      </Link>
    );
  if (target.type === 'instance')
    return (
      <Link to="/instances/$instanceId" params={{ instanceId: target.id }} className={cls} title={target.id}>
        {short}
      </Link>
    );
  if (target.type === 'trigger')
    return (
      <Link to="/triggers/$triggerId" params={{ triggerId: target.id }} className={cls} title={target.id}>
        {short}
      </Link>
    );
  if (target.type === 'approval')
    return (
      <Link to="/approvals/$approvalId" params={{ approvalId: target.id }} className={cls} title={target.id}>
        {short}
      </Link>
    );
  return (
    <span className="font-mono text-xs" title={target.id}>
      {short}
    </span>
  );
}

/** What an entry acted on, and what it created ("workflow 3f2a… → instance 9c1d…"). */
export function EntryTargets({ entry }: { entry: AuditEntry }) {
  const result = entry.outcome?.result;
  return (
    <span className="inline-flex flex-wrap items-center gap-x-1.5">
      <TargetLink target={entry.target} />
      {result && result.id !== entry.target.id && (
        <>
          {/* an expiry acts on a request of that workflow: it created nothing */}
          {entry.action === 'approval.expire' ? <span className="text-xs text-muted">of workflow</span> : entry.target.id && <span className="text-muted">→</span>}
          {entry.action !== 'approval.expire' && <span className="text-xs text-muted">{result.type}</span>}
          <TargetLink target={result} />
        </>
      )}
    </span>
  );
}
