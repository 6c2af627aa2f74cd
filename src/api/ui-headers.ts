import type { FastifyReply } from 'fastify';

/**
 * Headers of every response of the dashboard and the portal. The pages load only their own
 * scripts and styles (the build inlines nothing), talk only to this origin's API, and may be
 * framed only where the operator allows: the dashboard nowhere, the portal by this origin and
 * the origins of the app's or the environment's `frameAncestors`.
 */
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https: http:",
  "font-src 'self' https: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** `frameAncestors` null: framing refused ('none'); a list: 'self' and those origins (already validated). */
export function contentSecurityPolicy(frameAncestors: readonly string[] | null): string {
  const ancestors = frameAncestors === null ? "'none'" : [...new Set(["'self'", ...frameAncestors])].join(' ');
  return `${POLICY}; frame-ancestors ${ancestors}`;
}

/** Hashed file names never change content: a year, never revalidated. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Pages are revalidated on every load, so a new build's asset names are picked up at once. */
export const NO_CACHE = 'no-cache';

export function uiHeaders(reply: Pick<FastifyReply, 'header'>, csp: string, cacheControl: string): void {
  reply.header('content-security-policy', csp);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', cacheControl);
}
