import { durationMs } from '../../../common/duration.js';
import type { StageContext } from '../types.js';

interface DelayInput {
  /** nanoseconds, never negative (refused when resolved) */
  duration?: bigint;
  until?: Date;
}

/** `delay`: sleeps until `until`, or `duration` after the stage started (durable timer row). */
export async function runDelayStage(ctx: StageContext<DelayInput>): Promise<void> {
  const at = ctx.input.until ?? new Date(ctx.startedAt.getTime() + durationMs(ctx.input.duration ?? 0n));
  await ctx.sleepUntil(at);
}
