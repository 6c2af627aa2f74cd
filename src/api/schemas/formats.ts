import { isFrameAncestor } from '../../domain/portal-settings.js';

/**
 * String formats our schemas use beyond ajv-formats', registered on both validators. A value
 * that fails one is a 422 reading `must match format "color"`, which names the rule instead of
 * printing a regular expression; each schema's description spells the rule out.
 */
export const FORMATS: Record<string, RegExp | ((value: string) => boolean)> = {
  /** #rgb or #rrggbb (Svix's `format: color`). */
  color: /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  /** An absolute http(s) URL: what may become an image or stylesheet source. */
  'http-url': (value) => {
    if (!/^https?:\/\/\S+$/i.test(value)) return false;
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  /** An http(s) origin or 'self' (domain/portal-settings.ts): what may enter the CSP header. */
  'frame-ancestor': isFrameAncestor,
};
