/** The stage kinds a workflow definition may use, shared by the server and the console. */
export const STAGE_KINDS = ['send', 'delay', 'wait_event', 'update', 'noop'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** The kind of a stage object (its single key); `unknown` for anything else. */
export function stageKind(stage: unknown): StageKind | 'unknown' {
  if (!stage || typeof stage !== 'object') return 'unknown';
  const keys = Object.keys(stage);
  if (keys.length !== 1) return 'unknown';
  return (STAGE_KINDS as readonly string[]).includes(keys[0]!) ? (keys[0] as StageKind) : 'unknown';
}

/** The runner name stage history reports (`RunSend`, …) → the stage kind. */
export const RUN_KINDS: Readonly<Record<string, StageKind>> = { RunSend: 'send', RunDelay: 'delay', RunWaitEvent: 'wait_event', RunUpdate: 'update', RunNoop: 'noop' };
