import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { Button } from '../../shared/components/Button.js';
import { CopyButton } from '../../shared/components/CopyButton.js';
import { InlineError } from '../../shared/components/ErrorState.js';

/**
 * "Open portal link": mints a one-time login link to the app's portal (app-portal-access, every
 * capability) and shows it to copy or open. Opening it uses it up: it signs in once.
 */
export function PortalLinkButton({ appId }: { appId: string }) {
  const api = useApi();
  const inputId = useId();
  const mint = useMutation({
    mutationFn: () =>
      data(api.POST('/api/v1/auth/app-portal-access/{app_id}', { params: { path: { app_id: appId } }, body: {} })),
  });
  return (
    <div className="portal-link">
      <Button onClick={() => mint.mutate()} busy={mint.isPending}>
        Open portal link
      </Button>
      <InlineError error={mint.error} />
      <div aria-live="polite">
        {mint.data ? (
          <div className="portal-link-result card">
            <label htmlFor={inputId} className="field-label">
              Portal link
            </label>
            <div className="row">
              <input
                id={inputId}
                className="input mono"
                readOnly
                value={mint.data.url}
                onFocus={(e) => e.target.select()}
              />
              <CopyButton text={mint.data.url} label="Copy portal link" />
              <a className="btn btn-sm btn-primary" href={mint.data.url} target="_blank" rel="noopener noreferrer">
                Open in new tab
              </a>
              <Button size="sm" variant="ghost" onClick={() => mint.reset()}>
                Hide
              </Button>
            </div>
            <p className="field-hint">
              The link signs in once and expires soon (an hour unless HOOKRELAY_PORTAL_LINK_TTL_SECONDS says otherwise);
              the portal session it opens has every capability. Give it to the customer, or open it to see their portal.
            </p>
          </div>
        ) : null}
      </div>
    </div>
  );
}
