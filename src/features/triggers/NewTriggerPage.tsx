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
  const repoint = !!original && !!search.repoint;
  return (
    <>
      <PageHeader
        title={repoint ? `Re-point trigger “${original!.name || 'unnamed'}”` : original ? `Edit trigger “${original.name || 'unnamed'}”` : 'New trigger'}
        description={
          repoint
            ? 'Choose the workflow it should start. Saving creates a new trigger with the same event, filter and variables and deletes this one — triggers cannot be changed in place.'
            : original
              ? 'Saving creates a new trigger from these settings and deletes the original — triggers cannot be changed in place.'
              : 'Start a workflow whenever a platform event of a type arrives — optionally only when a filter is true, with variables computed from the event.'
        }
      />
      {/* A new key per source trigger: the form's defaults come from it. */}
      <TriggerForm
        key={`${original?.id ?? 'new'}${repoint ? '-repoint' : ''}`}
        original={original}
        initial={{ workflowID: repoint ? (search.workflowID ?? '') : search.workflowID, event: search.event }}
      />
    </>
  );
}

export function NewTriggerPage() {
  const { from } = route.useSearch();
  return from ? <EditTrigger id={from} /> : <Page />;
}
