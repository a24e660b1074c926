/** Sample events for the Test panel: one-line summaries and the fields `event.` completion offers. */
import { stageNumber } from '../../lib/stages';
import { formatMoney, type Amount } from '../../lib/money';

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const isAmount = (v: unknown): v is Amount => typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v));

/** One line that tells sample events of a type apart (ledger, transaction, postings, payment…). */
export function summarizePayload(type: string, payload: unknown): string {
  const p = obj(payload) ?? {};
  const money = (amount: unknown, asset: unknown) => (isAmount(amount) && typeof asset === 'string' ? formatMoney(amount, asset) : undefined);
  switch (type) {
    case 'COMMITTED_TRANSACTIONS': {
      const tx = obj(Array.isArray(p.transactions) ? p.transactions[0] : undefined);
      const postings = Array.isArray(tx?.postings) ? (tx!.postings.map(obj).filter(Boolean) as Rec[]) : [];
      const first = postings[0];
      const parts = [
        text(p.ledger),
        tx && `#${text(tx.id)}`,
        first && `${text(first.source)} → ${text(first.destination)} ${money(first.amount, first.asset) ?? ''}`.trim(),
      ];
      if (postings.length > 1) parts.push(`+${postings.length - 1} posting${postings.length > 2 ? 's' : ''}`);
      return parts.filter(Boolean).join(' · ');
    }
    case 'SAVED_METADATA':
    case 'DELETED_METADATA':
      return [
        text(p.ledger),
        `${String(p.targetType ?? '').toLowerCase()} ${text(p.targetId) ?? ''}`.trim(),
        type === 'DELETED_METADATA' ? `− ${text(p.key)}` : Object.keys(obj(p.metadata) ?? {}).join(', '),
      ]
        .filter(Boolean)
        .join(' · ');
    case 'REVERTED_TRANSACTION':
      return [text(p.ledger), `#${text(obj(p.revertedTransaction)?.id)} reverted by #${text(obj(p.revertTransaction)?.id)}`].filter(Boolean).join(' · ');
    case 'SAVED_PAYMENT':
      return [text(p.type), text(p.status), money(p.amount, p.asset), text(p.reference)].filter(Boolean).join(' · ');
    default: {
      // Orchestration events: stage number and error say the most.
      if (typeof p.instanceID === 'string' || typeof p.triggerID === 'string') {
        const id = typeof p.id === 'string' ? p.id.slice(0, 8) : undefined;
        const parts = [
          typeof p.triggerID === 'string' ? id && `occurrence ${id}` : id && `workflow ${id}`,
          typeof p.number === 'number' ? `stage ${stageNumber(p.number)}` : undefined,
          text(p.error),
        ].filter(Boolean);
        if (parts.length) return parts.join(' · ');
      }
      const json = JSON.stringify(payload) ?? '';
      return json.length > 90 ? `${json.slice(0, 89)}…` : json;
    }
  }
}

/**
 * Field names under a path of the sample payload, for completion after `event.`:
 * `fieldsAt(p, '')` lists top-level keys, `fieldsAt(p, '.transactions[0].postings[0]')` the keys
 * of that posting. Arrays offer no names (index them first).
 */
export function fieldsAt(payload: unknown, path: string): string[] {
  let cur: unknown = payload;
  for (const m of path.matchAll(/\??\.([\w$]+)|\??\.?\[(\d+)\]/g)) {
    if (m[1] !== undefined) cur = obj(cur)?.[m[1]];
    else cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    if (cur === undefined) return [];
  }
  return Object.keys(obj(cur) ?? {});
}

/** The `event…` path right before the cursor when it ends with `.` (completion context), else null. */
export function completionPath(lineBeforeCursor: string): string | null {
  const m = /(?:^|[^\w$.])event((?:\??\.[\w$]+|\??\.?\[\d+\])*)\??\.$/.exec(lineBeforeCursor);
  return m ? m[1]! : null;
}
