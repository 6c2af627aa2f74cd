import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { data, type components } from '../shared/api.js';
import { useApi, useCan } from '../shared/api-context.js';
import { ErrorState } from '../shared/components/ErrorState.js';
import { Loading } from '../shared/components/Loading.js';
import { PageHeader } from '../shared/components/PageHeader.js';
import { useAppId } from './app-id.js';
import { endpointFormFrom, headersObject, toEndpointPatch, type EndpointFormValues } from './endpoint-form-values.js';
import { EndpointForm } from './EndpointForm.js';
import { endpointTitle } from './endpoint-title.js';
import { NotAllowed } from './NotAllowed.js';
import { queryKeys } from './query-keys.js';
import { useEndpoint, useEndpointHeaders } from './use-endpoint.js';

type EndpointOut = components['schemas']['EndpointOut'];

export function EndpointEditPage({ endpointId }: { endpointId: string }) {
  const endpoint = useEndpoint(endpointId);
  const isPush = endpoint.data?.kind === 'url';
  const headers = useEndpointHeaders(endpointId, isPush);
  const canManage = useCan('ManageEndpoint');
  const detailHref = `/endpoints/${endpointId}`;

  let body: React.ReactNode;
  if (!canManage) body = <NotAllowed what="editing endpoints" backHref={detailHref} />;
  else if (endpoint.isPending || (isPush && headers.isPending)) body = <Loading />;
  else if (endpoint.isError) body = <ErrorState error={endpoint.error} onRetry={() => endpoint.refetch()} />;
  else if (headers.isError) body = <ErrorState error={headers.error} onRetry={() => headers.refetch()} />;
  else body = <EditForm endpoint={endpoint.data} headers={headers.data?.headers ?? {}} />;

  return (
    <>
      <PageHeader
        back={<Link href={detailHref}>← {endpoint.data ? endpointTitle(endpoint.data) : 'Endpoint'}</Link>}
        title="Edit endpoint"
        description="Changes apply to messages delivered from now on."
      />
      {body}
    </>
  );
}

function EditForm({ endpoint, headers }: { endpoint: EndpointOut; headers: Record<string, string> }) {
  const api = useApi();
  const appId = useAppId();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const path = { app_id: appId, endpoint_id: endpoint.id };
  const save = useMutation({
    mutationFn: async (values: EndpointFormValues) => {
      await data(
        api.PATCH('/api/v1/app/{app_id}/endpoint/{endpoint_id}', {
          params: { path },
          body: toEndpointPatch(values, endpoint),
        }),
      );
      if (endpoint.kind === 'url') {
        await data(
          api.PUT('/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers', {
            params: { path },
            body: { headers: headersObject(values.headers) },
          }),
        );
      }
    },
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.endpoint(appId, endpoint.id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.endpoints(appId) }),
      ]);
      navigate(`/endpoints/${endpoint.id}`);
    },
  });
  return (
    <EndpointForm
      mode="edit"
      initial={endpointFormFrom(endpoint, headers)}
      busy={save.isPending}
      error={save.error}
      onSubmit={(v) => save.mutate(v)}
      cancelHref={`/endpoints/${endpoint.id}`}
    />
  );
}
