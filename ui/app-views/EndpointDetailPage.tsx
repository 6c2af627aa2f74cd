import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useCan } from '../shared/api-context.js';
import { ErrorState } from '../shared/components/ErrorState.js';
import { Loading } from '../shared/components/Loading.js';
import { PageHeader } from '../shared/components/PageHeader.js';
import { Tabs, type Tab } from '../shared/components/Tabs.js';
import { formatDateTime } from '../shared/format.js';
import { DeleteEndpointButton } from './DeleteEndpointButton.js';
import { EndpointDetailsCard } from './EndpointDetailsCard.js';
import { EndpointMessages } from './EndpointMessages.js';
import { EndpointStatsCard } from './EndpointStatsCard.js';
import { EndpointTesting } from './EndpointTesting.js';
import { endpointTitle } from './endpoint-title.js';
import { PollConsumersCard } from './PollConsumersCard.js';
import { RecoverButton } from './RecoverButton.js';
import { SigningSecretCard } from './SigningSecretCard.js';
import { ToggleEndpointButton } from './ToggleEndpointButton.js';
import { useEndpoint } from './use-endpoint.js';

export type EndpointTab = 'overview' | 'messages' | 'testing';

/** One endpoint: its settings, secret and figures (Overview), what was sent to it, and a test send. The tab is in the route. */
export function EndpointDetailPage({ endpointId, tab }: { endpointId: string; tab: EndpointTab }) {
  const endpoint = useEndpoint(endpointId);
  const canManage = useCan('ManageEndpoint');
  const canAttempt = useCan('CreateAttempts');
  const [, navigate] = useLocation();
  const [recoveredSince, setRecoveredSince] = useState<Date | null>(null);
  const back = <Link href="/">← Endpoints</Link>;

  if (endpoint.isPending)
    return (
      <>
        <PageHeader back={back} title="Endpoint" />
        <Loading label="Loading the endpoint…" />
      </>
    );
  if (endpoint.isError)
    return (
      <>
        <PageHeader back={back} title="Endpoint" />
        <ErrorState error={endpoint.error} onRetry={() => endpoint.refetch()} />
      </>
    );
  const ep = endpoint.data;

  const tabs: Tab[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'messages', label: 'Messages' },
  ];
  if (canAttempt) tabs.push({ id: 'testing', label: 'Testing' });
  const active = tabs.some((t) => t.id === tab) ? tab : 'overview';
  const base = `/endpoints/${ep.id}`;

  return (
    <>
      <PageHeader
        back={back}
        title={<span className="break">{endpointTitle(ep)}</span>}
        description={ep.description || undefined}
        actions={
          <>
            {canManage ? (
              <Link href={`${base}/edit`} className="btn">
                Edit
              </Link>
            ) : null}
            {canManage ? <ToggleEndpointButton endpoint={ep} /> : null}
            {canAttempt ? <RecoverButton endpointId={ep.id} onRecovered={setRecoveredSince} /> : null}
            {canManage ? <DeleteEndpointButton endpoint={ep} /> : null}
          </>
        }
      />
      <div role="status">
        {recoveredSince ? (
          <p className="notice page-notice">
            Recovery started: failed messages since {formatDateTime(recoveredSince)} are being sent again.
          </p>
        ) : null}
      </div>
      {ep.disabled ? (
        <p className="notice notice-warning page-notice">
          This endpoint is disabled: nothing is delivered to it until it is enabled again. Messages sent meanwhile can
          be sent later with “Recover failed messages”.
        </p>
      ) : null}
      <Tabs
        tabs={tabs}
        active={active}
        onChange={(id) => navigate(id === 'overview' ? base : `${base}/${id}`, { replace: true })}
      >
        {active === 'overview' ? (
          <div className="stack">
            <EndpointStatsCard endpointId={ep.id} />
            <div className="grid-2">
              <EndpointDetailsCard endpoint={ep} />
              <SigningSecretCard endpointId={ep.id} />
            </div>
            {ep.kind === 'poll' ? <PollConsumersCard endpointId={ep.id} /> : null}
          </div>
        ) : null}
        {active === 'messages' ? <EndpointMessages endpointId={ep.id} /> : null}
        {active === 'testing' ? <EndpointTesting endpointId={ep.id} /> : null}
      </Tabs>
    </>
  );
}
