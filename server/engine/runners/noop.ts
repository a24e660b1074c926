import type { StageContext } from '../types.js';

/** `noop`: completes at once, no activities. */
export async function runNoopStage(_ctx: StageContext): Promise<void> {}
