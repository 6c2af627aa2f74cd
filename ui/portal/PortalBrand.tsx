import { useState } from 'react';
import type { PortalSettings } from './use-portal-settings.js';

/** The host's logo and name in the top bar; a logo that is not http(s) or does not load gives way to the mark. */
export function PortalBrand({ settings }: { settings: PortalSettings }) {
  const [failed, setFailed] = useState<string | null>(null);
  const name = settings.displayName?.trim() || 'Webhooks';
  const logo =
    settings.logoUrl && /^https?:\/\//i.test(settings.logoUrl) && failed !== settings.logoUrl ? settings.logoUrl : null;
  return (
    <>
      {logo ? (
        <img src={logo} alt="" onError={() => setFailed(logo)} />
      ) : (
        <span className="brand-mark" aria-hidden="true" />
      )}
      <span>{name}</span>
    </>
  );
}
