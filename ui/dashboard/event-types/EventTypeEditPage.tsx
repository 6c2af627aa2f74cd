import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'wouter';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { Badge } from '../../shared/components/Badge.js';
import { ErrorState } from '../../shared/components/ErrorState.js';
import { Loading } from '../../shared/components/Loading.js';
import { PageHeader } from '../../shared/components/PageHeader.js';
import { Time } from '../../shared/components/Time.js';
import { dashboardKeys } from '../query-keys.js';
import { ArchiveButton } from './ArchiveButton.js';
import { draftOf, type EventTypeOut } from './event-type-form-values.js';
import { EventTypeForm, type EventTypeSubmit } from './EventTypeForm.js';

const back = (
  <Link href="/event-types">
    <span aria-hidden="true">← </span>Event types
  </Link>
);

export function EventTypeEditPage({ name }: { name: string }) {
  const api = useApi();
  const eventType = useQuery({
    queryKey: dashboardKeys.eventType(name),
    queryFn: () =>
      data(api.GET('/api/v1/event-type/{event_type_name}', { params: { path: { event_type_name: name } } })),
  });
  if (eventType.isPending)
    return (
      <>
        <PageHeader title={name} back={back} />
        <Loading label="Loading the event type…" />
      </>
    );
  if (eventType.isError)
    return (
      <>
        <PageHeader title={name} back={back} />
        <ErrorState error={eventType.error} onRetry={() => eventType.refetch()} />
      </>
    );
  return <EventTypeEditor eventType={eventType.data} />;
}

function EventTypeEditor({ eventType }: { eventType: EventTypeOut }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const draft = useMemo(() => draftOf(eventType), [eventType]);
  const save = useMutation({
    mutationFn: ({ values, schemas }: EventTypeSubmit) =>
      data(
        api.PATCH('/api/v1/event-type/{event_type_name}', {
          params: { path: { event_type_name: eventType.name } },
          body: { description: values.description, schemas },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(dashboardKeys.eventType(eventType.name), saved);
      return queryClient.invalidateQueries({
        queryKey: dashboardKeys.eventTypesAll(),
        predicate: (q) => q.queryKey[1] !== 'one',
      });
    },
  });
  return (
    <>
      <PageHeader
        title={eventType.name}
        back={back}
        description={
          <>
            {eventType.archived ? <Badge tone="neutral">Archived</Badge> : null}{' '}
            {eventType.deprecated ? <Badge tone="warning">Deprecated</Badge> : null}{' '}
            <span>
              Updated <Time value={eventType.updatedAt} />
            </span>
          </>
        }
        actions={<ArchiveButton name={eventType.name} archived={eventType.archived} />}
      />
      <div aria-live="polite">{save.isSuccess ? <p className="notice page-notice">Saved.</p> : null}</div>
      {/* A new form when the stored content changes (saved); archiving alone keeps unsaved edits. */}
      <EventTypeForm
        key={draft.values.schema + draft.values.example + draft.values.description}
        draft={draft}
        isNew={false}
        submitLabel="Save changes"
        busy={save.isPending}
        error={save.error}
        onSubmit={(submit) => {
          save.reset();
          save.mutate(submit);
        }}
      />
    </>
  );
}
