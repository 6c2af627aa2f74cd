import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { CodeBlock } from '../shared/components/CodeBlock.js';
import { CopyButton } from '../shared/components/CopyButton.js';
import { ErrorState } from '../shared/components/ErrorState.js';
import { Loading } from '../shared/components/Loading.js';
import { Card, PageHeader } from '../shared/components/PageHeader.js';
import { Time } from '../shared/components/Time.js';
import { useAppId } from './app-id.js';
import { AttemptsTable } from './AttemptsTable.js';
import { DestinationsCard } from './DestinationsCard.js';
import { queryKeys } from './query-keys.js';

/** One message: what was sent (payload), where it went, and every attempt with the receiver's answer. */
export function MessageDetailPage({ messageId }: { messageId: string }) {
  const api = useApi();
  const appId = useAppId();
  const message = useQuery({
    queryKey: queryKeys.messagePart(appId, messageId, 'self'),
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/msg/{msg_id}', {
          params: { path: { app_id: appId, msg_id: messageId }, query: { with_content: true } },
        }),
      ),
  });
  const back = <Link href="/messages">← Messages</Link>;
  if (message.isPending)
    return (
      <>
        <PageHeader back={back} title="Message" />
        <Loading label="Loading the message…" />
      </>
    );
  if (message.isError)
    return (
      <>
        <PageHeader back={back} title="Message" />
        <ErrorState error={message.error} onRetry={() => message.refetch()} />
      </>
    );
  const msg = message.data;
  return (
    <>
      <PageHeader back={back} title="Message" description={<span className="mono">{msg.eventType}</span>} />
      <div className="stack">
        <div className="grid-2">
          <Card title="Details">
            <dl className="props">
              <dt>Event type</dt>
              <dd className="mono">{msg.eventType}</dd>
              <dt>Message ID</dt>
              <dd className="row">
                <span className="mono">{msg.id}</span>
                <CopyButton text={msg.id} label="Copy message ID" />
              </dd>
              {msg.eventId ? (
                <>
                  <dt>Event ID</dt>
                  <dd className="mono">{msg.eventId}</dd>
                </>
              ) : null}
              <dt>Created</dt>
              <dd>
                <Time value={msg.timestamp} />
              </dd>
              {msg.channels?.length ? (
                <>
                  <dt>Channels</dt>
                  <dd>{msg.channels.join(', ')}</dd>
                </>
              ) : null}
              {msg.tags?.length ? (
                <>
                  <dt>Tags</dt>
                  <dd>{msg.tags.join(', ')}</dd>
                </>
              ) : null}
            </dl>
          </Card>
          <Card title="Payload">
            {Object.keys(msg.payload).length === 0 ? (
              <p className="muted">
                The payload is empty or no longer kept (payloads are removed after the retention period).
              </p>
            ) : (
              <CodeBlock label="Payload" value={msg.payload} maxHeight={420} />
            )}
          </Card>
        </div>
        <DestinationsCard messageId={msg.id} />
        <AttemptsTable messageId={msg.id} />
      </div>
    </>
  );
}
