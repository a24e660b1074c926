import { ApiError } from '../errors.js';
import type { RunGateway } from '../flows/accountability/approvals.js';
import type { SimulationService } from '../flows/simulations.js';
import type { StackClient } from './stack-client.js';

const enc = encodeURIComponent;

/**
 * Four eyes in remote mode: the definition read from the stack, an approved run started there
 * with the server's token (as every run through the proxy is), the dry-run computed here.
 */
export function remoteRunGateway(stack: StackClient, simulations: SimulationService): RunGateway {
  return {
    async definition(workflowID) {
      // Upstream answers 500 ("no rows") for an unknown workflow.
      const r = await stack.read(`/api/orchestration/v2/workflows/${enc(workflowID)}`, { tolerate5xx: true });
      const wf = r.body?.data;
      if (r.status !== 200 || !Array.isArray(wf?.config?.stages) || wf.deletedAt) return undefined;
      return { name: typeof wf.config.name === 'string' ? wf.config.name : '', stages: wf.config.stages };
    },
    async start(workflowID, variables) {
      const r = await stack.request('POST', `/api/orchestration/v2/workflows/${enc(workflowID)}/instances`, undefined, JSON.stringify(variables));
      const id = r.body?.data?.id;
      if (r.status === 201 && typeof id === 'string') return id;
      const message = typeof r.body?.errorMessage === 'string' ? r.body.errorMessage.slice(0, 300) : `HTTP ${r.status}`;
      throw new ApiError(502, 'INTERNAL', `the stack did not start the run: ${message}`);
    },
    dryRun: (workflowID, variables) => simulations.dryRunWorkflow({ workflowID, variables }),
  };
}
