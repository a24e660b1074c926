import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { triggerQuery } from '../../api/triggers';
import type { Trigger } from '../../api/types';
import { PageHeader } from '../../components/Page';
import { TriggerForm } from './TriggerForm';

const route = getRouteApi('/triggers/new');

function EditTrigger({ id }: { id: string }) {
  const { data: original } = useSuspenseQuery(triggerQuery(id));
  return <Page original={original} />;
}

function Page({ original }: { original?: Trigger }) {
  const search = route.useSearch();
  return (
    <>
      <PageHeader
        title={original ? `Edit trigger “${original.name || 'unnamed'}”` : 'New trigger'}
        description={
          original
            ? 'Saving creates a new trigger from these settings and deletes the original — triggers cannot be changed in place.'
            : 'Start a workflow whenever a platform event of a type arrives — optionally only when a filter is true, with variables computed from the event.'
        }
      />
      {/* A new key per source trigger: the form's defaults come from it. */}
      <TriggerForm key={original?.id ?? 'new'} original={original} initial={{ workflowID: search.workflowID, event: search.event }} />
    </>
  );
}

export function NewTriggerPage() {
  const { from } = route.useSearch();
  return from ? <EditTrigger id={from} /> : <Page />;
}
