/** Stage helpers shared by lists, details and the authoring pages. */

/**
 * The console numbers stages from 1 everywhere (labels, `?stage=` in URLs, test ids); the API's
 * `stage` / `number` fields stay 0-based. This is the one conversion.
 */
export const stageNumber = (apiStage: number): number => apiStage + 1;
/** `?stage=` (1-based) → the API's 0-based stage. */
export const apiStage = (shownNumber: number): number => shownNumber - 1;

import { stageKind } from '../../common/stage-kinds';

export { STAGE_KINDS, stageKind, type StageKind } from '../../common/stage-kinds';

/** Count of each stage kind, in first-appearance order: `[['send', 2], ['delay', 1]]`. */
export function stageKindCounts(stages: readonly unknown[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of stages) {
    const k = stageKind(s);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()];
}

/** Every `${name}` variable a definition uses, sorted, without duplicates. */
export function workflowVariables(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\$\{([^}]+)\}/g)) found.add(m[1]!);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found].sort();
}
