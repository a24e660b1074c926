/**
 * The words for an instance's precise status (badge label, one-line text). The status itself is
 * computed by the shared status model (common/status.ts), the same module the server uses.
 */
import type { StageKind } from '../../../common/stage-kinds';
import type { PreciseStatus } from '../../../common/status';
import type { V2WorkflowInstanceHistoryStage, WorkflowInstanceHistory } from '@/api/types';
import { stageNumber } from '../../lib/stages';

/**
 * An activity of `GET /instances/{id}/stages/{n}/history` as the console reads it: the contract
 * type, with `input`/`output` left open (the sentences read v1 and v2 shapes alike).
 */
export type ActivityLike = Omit<V2WorkflowInstanceHistoryStage, 'input' | 'output'> & { input: unknown; output?: unknown };

/** An entry of `GET /instances/{id}/history`, `input` left open likewise. */
export type StageHistoryLike = Omit<WorkflowInstanceHistory, 'input'> & { input: unknown };

const KIND_LABELS: Record<StageKind | 'unknown', string> = {
  send: 'send',
  delay: 'delay',
  wait_event: 'wait_event',
  update: 'update',
  noop: 'noop',
  unknown: 'stage',
};

/** Short label of the badge. */
export function preciseLabel(s: PreciseStatus): string {
  if (s.state !== 'running') return { succeeded: 'Succeeded', failed: 'Failed', aborted: 'Aborted' }[s.state];
  return { starting: 'Starting', stage: 'Running', waiting: 'Waiting', delayed: 'Delayed', retrying: 'Retrying' }[s.phase];
}

/**
 * One line saying exactly where the instance is. Times come as text from `formatAt`
 * (the caller's clock and time formatter) so the line stays a pure function.
 */
export function preciseText(s: PreciseStatus, formatAt: (iso: string) => string = (iso) => iso): string {
  switch (s.state) {
    case 'succeeded':
      return 'Succeeded';
    case 'aborted':
      return s.stage === undefined ? 'Aborted' : `Aborted during stage ${stageNumber(s.stage)}`;
    case 'failed':
      return `Failed${s.stage === undefined ? '' : ` at stage ${stageNumber(s.stage)}`}: ${s.error}`;
  }
  switch (s.phase) {
    case 'starting':
      return 'Starting: no stage has started yet';
    case 'stage':
      return `Running stage ${stageNumber(s.stage)} (${KIND_LABELS[s.kind]})${s.activity ? `: ${s.activity}` : ''}`;
    case 'waiting':
      return `Waiting for event \`${s.event}\` (stage ${stageNumber(s.stage)})`;
    case 'delayed':
      return s.until ? `Delayed until ${formatAt(s.until)} (stage ${stageNumber(s.stage)})` : `Delayed (stage ${stageNumber(s.stage)})`;
    case 'retrying':
      return (
        `Retrying ${s.activity} (stage ${stageNumber(s.stage)}), attempt ${s.attempt}` +
        (s.nextExecution ? `, next try ${formatAt(s.nextExecution)}` : '') +
        (s.lastFailure ? ` — last failure: ${s.lastFailure}` : '')
      );
  }
}
