/** The colours of the status model's states (common/status.ts computes the states). */
import type { InstanceState } from '../../common/status';

export type Tone = 'neutral' | 'info' | 'success' | 'danger' | 'warning';

export const STATE_TONE: Record<InstanceState, Tone> = {
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  aborted: 'warning',
};
