/** The message Hookrelay's portal posts to the page that frames it, whenever its height changes. */
export const HEIGHT_MESSAGE_TYPE = 'hookrelay:portal:height';

/** Beyond this a height is not a page's: ignored rather than stretching the host page. */
const MAX_HEIGHT = 100_000;

/** The parts of a MessageEvent the filter reads. */
export interface PortalMessage {
  source: unknown;
  origin: string;
  data: unknown;
}

/** The origin the portal is served from, or null when `url` is not a URL (then no message is trusted). */
export function portalOrigin(url: string, base?: string): string | null {
  try {
    const origin = new URL(url, base).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The height a message reports, when it comes from this portal frame: sent by the frame's own
 * window (not another frame or script on the page), from the portal's origin, and well-formed.
 * Anything else is null and must be ignored.
 */
export function portalHeight(message: PortalMessage, frameWindow: unknown, origin: string | null): number | null {
  if (!origin || frameWindow === null || frameWindow === undefined) return null;
  if (message.source !== frameWindow || message.origin !== origin) return null;
  const data = message.data as { type?: unknown; height?: unknown } | null;
  if (typeof data !== 'object' || data === null || data.type !== HEIGHT_MESSAGE_TYPE) return null;
  const height = data.height;
  if (typeof height !== 'number' || !Number.isFinite(height) || height < 0 || height > MAX_HEIGHT) return null;
  return Math.ceil(height);
}
