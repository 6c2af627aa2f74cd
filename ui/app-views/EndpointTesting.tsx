import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { Button } from '../shared/components/Button.js';
import { CodeBlock } from '../shared/components/CodeBlock.js';
import { ErrorState, InlineError } from '../shared/components/ErrorState.js';
import { SelectField } from '../shared/components/Field.js';
import { EmptyState, Loading } from '../shared/components/Loading.js';
import { Card } from '../shared/components/PageHeader.js';
import { useAppId } from './app-id.js';
import { firstExample, hasExample } from './event-type-schema.js';
import { queryKeys } from './query-keys.js';
import { useEventTypes } from './use-event-types.js';

/** Sends an event type's example payload to this endpoint only, to try a receiver out. */
export function EndpointTesting({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const appId = useAppId();
  const queryClient = useQueryClient();
  const eventTypes = useEventTypes();
  const [chosen, setChosen] = useState('');
  const send = useMutation({
    mutationFn: (eventType: string) =>
      data(
        api.POST('/api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example', {
          params: { path: { app_id: appId, endpoint_id: endpointId } },
          body: { eventType, exampleIndex: 0 },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.endpoint(appId, endpointId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.messages(appId) }),
      ]),
  });

  if (eventTypes.isPending) return <Loading label="Loading event types…" />;
  if (eventTypes.isError) return <ErrorState error={eventTypes.error} onRetry={() => eventTypes.refetch()} />;
  const withExamples = eventTypes.data.filter(hasExample).sort((a, b) => a.name.localeCompare(b.name));
  if (withExamples.length === 0) {
    return (
      <EmptyState title="No example payloads yet">
        <p>Test messages use the examples in the event catalog's schemas, and none has one yet.</p>
      </EmptyState>
    );
  }
  const selected = withExamples.find((t) => t.name === chosen) ?? withExamples[0];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate(selected.name);
  };

  return (
    <Card title="Send a test message">
      <form className="stack" onSubmit={submit}>
        <p className="muted">
          Sends the event type's example payload to this endpoint only, signed like any other webhook.
        </p>
        <SelectField
          label="Event type"
          value={selected.name}
          onChange={(e) => {
            setChosen(e.target.value);
            send.reset();
          }}
        >
          {withExamples.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </SelectField>
        {selected.description ? <p className="muted small">{selected.description}</p> : null}
        <CodeBlock label="Example" value={firstExample(selected)} maxHeight={260} />
        <div className="row">
          <Button type="submit" variant="primary" busy={send.isPending}>
            Send example
          </Button>
          <span role="status">
            {send.isSuccess ? (
              <>
                Sent. <Link href={`/messages/${send.data.id}`}>See message {send.data.id}</Link>
              </>
            ) : null}
          </span>
        </div>
        <InlineError error={send.error} />
      </form>
    </Card>
  );
}
