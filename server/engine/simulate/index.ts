import { createOverlay, withSandboxSnapshot } from '../../sandbox/overlay/index.js';
import type { Db } from '../../store/db.js';
import { simulateWorkflow } from './simulate.js';
import type { WorkflowSimulation } from './types.js';

export { simulateWorkflow, type SimulateOptions } from './simulate.js';
export * from './types.js';

/**
 * Dry-runs a workflow on the embedded sandbox: one read-only snapshot of it, an in-memory
 * overlay on top, the engine's runners against the overlay. Nothing is written.
 */
export function dryRunOnSandbox(
  db: Db,
  walletsLedger: string,
  req: { stages: readonly unknown[]; variables: Record<string, string>; assumeEvents?: boolean },
): Promise<WorkflowSimulation> {
  return withSandboxSnapshot(db, walletsLedger, (source) => simulateWorkflow({ ...req, overlay: createOverlay(source, walletsLedger) }));
}
