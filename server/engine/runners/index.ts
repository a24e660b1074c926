import type { StageKind } from '../../stages/index.js';
import type { StageRunner } from '../types.js';
import { runDelayStage } from './delay.js';
import { runNoopStage } from './noop.js';
import { runSendStage } from './send.js';
import { runUpdateStage } from './update.js';
import { runWaitEventStage } from './wait-event.js';

/** One runner per stage kind; the engine dispatches on the kind. */
export const stageRunners: Partial<Record<StageKind, StageRunner>> = {
  noop: { run: runNoopStage },
  delay: { run: runDelayStage },
  wait_event: { run: runWaitEventStage },
  send: { run: runSendStage },
  update: { run: runUpdateStage },
};
