import { describe, expect, it } from 'vitest';
import { instancesListFilter, type InstancesListSearch } from './queries';

const search: InstancesListSearch = {
  workflowID: 'wf',
  status: 'failed',
  q: ' ab12 ',
  origin: 'trigger',
  trigger: undefined,
  since: undefined,
  from: '2026-01-01T00:00:00.000Z',
  to: undefined,
  order: 'desc',
  cursor: undefined,
  pageSize: 50,
};

describe('instancesListFilter', () => {
  it('sends every console filter to the embedded server', () => {
    expect(instancesListFilter(search)).toEqual({
      workflowID: 'wf',
      status: 'failed',
      id: 'ab12',
      origin: 'trigger',
      triggerID: undefined,
      startedAfter: '2026-01-01T00:00:00.000Z',
      startedBefore: undefined,
      order: 'desc',
      cursor: undefined,
      pageSize: 50,
    });
  });

  it('sends upstream Flows only what it honours: workflowID, and running for the running status', () => {
    expect(instancesListFilter(search, false)).toEqual({ workflowID: 'wf', running: undefined, cursor: undefined, pageSize: 50 });
    expect(instancesListFilter({ ...search, status: 'running' }, false)).toEqual({ workflowID: 'wf', running: true, cursor: undefined, pageSize: 50 });
  });
});
