import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { AppViews } from '../app-views/AppViews.js';
import { appNavItems } from '../app-views/app-nav.js';
import { Button } from '../shared/components/Button.js';
import { Loading } from '../shared/components/Loading.js';
import { Shell } from '../shared/components/Shell.js';
import { PortalBrand } from './PortalBrand.js';
import { usePortalSettings } from './use-portal-settings.js';

/** The signed-in portal: the host's branding, the app's sections and its pages. */
export function PortalShell({ appId, onSignOut }: { appId: string; onSignOut: () => Promise<void> }) {
  const { settings, ready } = usePortalSettings(appId);
  const [path] = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  useEffect(() => {
    document.title = settings.displayName?.trim() ? `${settings.displayName.trim()} · Webhooks` : 'Webhooks';
  }, [settings.displayName]);

  if (!ready)
    return (
      <main className="centered">
        <Loading />
      </main>
    );
  const signOut = () => {
    setSigningOut(true);
    void onSignOut();
  };
  return (
    <Shell
      brand={<PortalBrand settings={settings} />}
      nav={appNavItems('', path)}
      actions={
        <Button size="sm" variant="ghost" busy={signingOut} onClick={signOut}>
          Sign out
        </Button>
      }
    >
      <AppViews appId={appId} basePath="" />
    </Shell>
  );
}
