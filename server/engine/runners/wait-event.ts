import type { StageContext } from '../types.js';

/** `wait_event`: parks until an event with exactly this name is posted to the instance. */
export async function runWaitEventStage(ctx: StageContext<{ event: string }>): Promise<void> {
  await ctx.waitEvent(ctx.input.event);
}
