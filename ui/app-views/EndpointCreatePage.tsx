import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { data } from '../shared/api.js';
import { useApi, useCan } from '../shared/api-context.js';
import { PageHeader } from '../shared/components/PageHeader.js';
import { useAppId } from './app-id.js';
import { emptyEndpointForm, toEndpointIn, type EndpointFormValues } from './endpoint-form-values.js';
import { EndpointForm } from './EndpointForm.js';
import { NotAllowed } from './NotAllowed.js';
import { queryKeys } from './query-keys.js';

export function EndpointCreatePage() {
  const api = useApi();
  const appId = useAppId();
  const canManage = useCan('ManageEndpoint');
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const create = useMutation({
    mutationFn: (values: EndpointFormValues) =>
      data(
        api.POST('/api/v1/app/{app_id}/endpoint', { params: { path: { app_id: appId } }, body: toEndpointIn(values) }),
      ),
    onSuccess: async (endpoint) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.endpoints(appId) });
      navigate(`/endpoints/${endpoint.id}`);
    },
  });
  return (
    <>
      <PageHeader
        back={<Link href="/">← Endpoints</Link>}
        title="Add endpoint"
        description="Tell us where to send webhooks and which events you want. You can change all of this later."
      />
      {canManage ? (
        <EndpointForm
          mode="create"
          initial={emptyEndpointForm()}
          busy={create.isPending}
          error={create.error}
          onSubmit={(v) => create.mutate(v)}
          cancelHref="/"
        />
      ) : (
        <NotAllowed what="adding endpoints" />
      )}
    </>
  );
}
