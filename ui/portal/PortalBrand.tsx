import type { PortalSettings } from './use-portal-settings.js';

/** The host's logo and name in the top bar; an invalid logo URL falls back to the name. */
export function PortalBrand({ settings }: { settings: PortalSettings }) {
  const name = settings.displayName?.trim() || 'Webhooks';
  const logo = settings.logoUrl && /^https?:\/\//i.test(settings.logoUrl) ? settings.logoUrl : null;
  return (
    <>
      {logo ? <img src={logo} alt="" /> : <span className="brand-mark" aria-hidden="true" />}
      <span>{name}</span>
    </>
  );
}
