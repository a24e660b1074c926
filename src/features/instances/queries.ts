/** Query choices shared by route loaders and components (no UI imports). */
import { listInstancesQuery } from '../../api/instances';

export type InstanceStatusFilter = 'all' | 'running' | 'succeeded' | 'failed' | 'aborted';

/** The server filters `running`; the terminal states are filtered on the loaded page. */
export function instancesListQuery(search: { workflowID?: string; status: InstanceStatusFilter; cursor?: string; pageSize: number; refresh: number }) {
  return listInstancesQuery(
    { workflowID: search.workflowID, running: search.status === 'running' ? true : undefined, cursor: search.cursor, pageSize: search.pageSize },
    { refetchInterval: search.refresh ? search.refresh * 1000 : false },
  );
}
