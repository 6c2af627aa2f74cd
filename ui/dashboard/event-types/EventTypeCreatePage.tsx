import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { PageHeader } from '../../shared/components/PageHeader.js';
import { dashboardKeys } from '../query-keys.js';
import { newDraft } from './event-type-form-values.js';
import { EventTypeForm, type EventTypeSubmit } from './EventTypeForm.js';

export function EventTypeCreatePage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [draft] = useState(newDraft);
  const create = useMutation({
    mutationFn: ({ values, schemas }: EventTypeSubmit) =>
      data(
        api.POST('/api/v1/event-type', {
          body: {
            name: values.name,
            description: values.description,
            archived: false,
            deprecated: false,
            ...(schemas ? { schemas } : {}),
          },
        }),
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.eventTypesAll() });
      navigate(`/event-types/${created.name}`);
    },
  });
  return (
    <>
      <PageHeader
        title="New event type"
        back={
          <Link href="/event-types">
            <span aria-hidden="true">← </span>Event types
          </Link>
        }
        description="A kind of message your applications' endpoints can subscribe to."
      />
      <EventTypeForm
        draft={draft}
        isNew
        submitLabel="Create event type"
        busy={create.isPending}
        error={create.error}
        onSubmit={create.mutate}
      />
    </>
  );
}
