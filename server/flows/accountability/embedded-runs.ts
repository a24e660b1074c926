import type { FlowsService } from '../service.js';
import type { RunGateway } from './approvals.js';

/** Four eyes over the embedded service: definitions, runs and dry-runs as the API makes them. */
export function embeddedRunGateway(flows: FlowsService): RunGateway {
  return {
    async definition(workflowID) {
      const wf = await flows.workflows.get(workflowID).catch(() => undefined);
      if (!wf || wf.deletedAt) return undefined;
      return { name: wf.config.name ?? '', stages: wf.config.stages };
    },
    async start(workflowID, variables) {
      return (await flows.instances.run(workflowID, variables)).id;
    },
    dryRun: (workflowID, variables) => flows.simulations.dryRunWorkflow({ workflowID, variables }),
  };
}
