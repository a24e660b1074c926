import {
  CALLING_KINDS,
  currentStage,
  kindOfStage,
  preciseStatus,
  type ActivityLike,
  type InstanceProgressInput,
  type PreciseStatus,
  type StageHistoryLike,
} from '../../common/status.js';
import { validation } from '../errors.js';

/**
 * Where several instances are, in one request (`GET /api/console/instances/progress`): the
 * instances list shows each running row's precise status, which used to take an instance, a
 * history and sometimes an activities request per row — most of that page's first load, each a
 * small answer weighing mostly headers. The status is the instance page's own (`preciseStatus`).
 */
export interface InstanceProgress {
  id: string;
  terminated: boolean;
  status: PreciseStatus;
}

/** At most this many ids per request (the running rows a list shows at once; the live topic stays short). */
export const MAX_PROGRESS_IDS = 50;
/** Instances read at once (remote mode: requests in flight to the stack). */
const READS_IN_FLIGHT = 8;

/** The `id` query params: one or more, each non-empty, at most MAX_PROGRESS_IDS (repeats count, as the contract's maxItems). */
export function parseProgressIds(values: string[] | undefined): string[] {
  const asked = values ?? [];
  if (!asked.length || asked.some((id) => !id)) throw validation(`missing 'id' query param: one or more instance ids (repeat the param)`);
  if (asked.length > MAX_PROGRESS_IDS) throw validation(`too many 'id' query params: at most ${MAX_PROGRESS_IDS}, got ${asked.length}`);
  return [...new Set(asked)];
}

/** What a mode reads of one instance; `instance` is undefined for an id of no instance. */
export interface ProgressReads {
  instance(id: string): Promise<(InstanceProgressInput & { id: string }) | undefined>;
  history(id: string): Promise<readonly StageHistoryLike[]>;
  activities(id: string, stage: number): Promise<readonly ActivityLike[]>;
}

/**
 * The progress of each known id, in the order given. Reads what the status needs and no more: a
 * finished instance needs no history, and only a stage that makes calls needs its activities.
 */
export async function readProgress(ids: readonly string[], reads: ProgressReads): Promise<InstanceProgress[]> {
  const out: (InstanceProgress | undefined)[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i += READS_IN_FLIGHT) {
    await Promise.all(
      ids.slice(i, i + READS_IN_FLIGHT).map(async (id, j) => {
        out[i + j] = await progressOf(id, reads);
      }),
    );
  }
  return out.filter((p): p is InstanceProgress => p !== undefined);
}

async function progressOf(id: string, reads: ProgressReads): Promise<InstanceProgress | undefined> {
  const instance = await reads.instance(id);
  if (!instance) return undefined;
  const stage = currentStage(instance);
  if (instance.terminated || stage === undefined) return { id: instance.id, terminated: instance.terminated, status: preciseStatus(instance) };
  const history = await reads.history(id);
  const calls = CALLING_KINDS.has(kindOfStage(instance, stage, history)) ? await reads.activities(id, stage) : undefined;
  return { id: instance.id, terminated: false, status: preciseStatus(instance, history, calls) };
}
