import type { StageContext } from '../types.js';

interface DelayInput {
  duration?: number; // ms
  until?: Date;
}

/** `delay`: sleeps until `until`, or `duration` after the stage started (durable timer row). */
export async function runDelayStage(ctx: StageContext<DelayInput>): Promise<void> {
  const at = ctx.input.until ?? new Date(ctx.startedAt.getTime() + (ctx.input.duration ?? 0));
  await ctx.sleepUntil(at);
}
