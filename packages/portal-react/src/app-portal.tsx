import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { portalHeight, portalOrigin } from './portal-height.js';

export interface AppPortalProps {
  /** The portal link from `POST /api/v1/auth/app-portal-access/{app_id}` (its `url`). */
  url: string;
  style?: CSSProperties;
  className?: string;
  /** Fill the container's height instead of following the portal's content (Default: false). */
  fullSize?: boolean;
  /** The frame's accessible name (Default: "Webhooks"). */
  title?: string;
  /** Height in pixels until the portal reports its own (Default: 600). */
  initialHeight?: number;
}

/**
 * Hookrelay's consumer portal in an iframe that takes the height the portal reports, so the
 * host page scrolls instead of the frame. The portal's server must allow the host page's origin
 * in its `frameAncestors` setting, or the browser blocks the frame.
 */
export function AppPortal({
  url,
  style,
  className,
  fullSize = false,
  title = 'Webhooks',
  initialHeight = 600,
}: AppPortalProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState<number | null>(null);

  useEffect(() => {
    if (fullSize) return undefined;
    const origin = portalOrigin(url, window.location.href);
    const onMessage = (event: MessageEvent) => {
      const next = portalHeight(event, frame.current?.contentWindow, origin);
      if (next !== null) setHeight(next);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [url, fullSize]);

  return (
    <iframe
      ref={frame}
      src={url}
      title={title}
      className={className}
      // The portal's copy buttons write to the clipboard, which a frame may only do when allowed.
      allow="clipboard-write"
      style={{
        display: 'block',
        width: '100%',
        border: 0,
        height: fullSize ? '100%' : (height ?? initialHeight),
        ...style,
      }}
    />
  );
}
