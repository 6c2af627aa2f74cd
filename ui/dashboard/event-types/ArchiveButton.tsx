import { useMutation, useQueryClient } from '@tanstack/react-query';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { Button } from '../../shared/components/Button.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { dashboardKeys } from '../query-keys.js';

/** Archive hides a type from the catalog and from new subscriptions; Unarchive brings it back. */
export function ArchiveButton({ name, archived }: { name: string; archived: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      data(
        api.PATCH('/api/v1/event-type/{event_type_name}', {
          params: { path: { event_type_name: name } },
          body: { archived: !archived },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(dashboardKeys.eventType(name), saved);
      return queryClient.invalidateQueries({ queryKey: dashboardKeys.eventTypesAll() });
    },
  });
  return (
    <>
      <Button variant={archived ? 'secondary' : 'danger'} busy={toggle.isPending} onClick={() => toggle.mutate()}>
        {archived ? 'Unarchive' : 'Archive'}
      </Button>
      <InlineError error={toggle.error} />
    </>
  );
}
