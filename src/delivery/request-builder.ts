import { createRequire } from 'node:module';
import { HookrelayError } from '../errors.js';
import type { ClaimedDelivery } from '../store/store.js';
import { binaryModeHeaders, cloudEventAttributes, structuredModeBody } from './cloudevents.js';
import type { OutboundRequest } from './sender.js';
import { activeSecrets, signatureHeaders } from './signer.js';

/**
 * From a claimed delivery to the exact request that goes on the wire: body per the
 * endpoint's format, our headers, the endpoint's custom headers, and the signature over the
 * exact body sent. Custom headers never override ours (signatures, content-type, ce-*), and
 * hop-by-hop headers are dropped (they would break the connection or make undici refuse).
 */

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export const USER_AGENT = `Hookrelay/${packageVersion()}`;

const HOP_BY_HOP = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);

export interface BuildOptions {
  /** Epoch ms; the signature timestamp (seconds) and the grace-period cut-off. */
  now: number;
  /** config.svixHeaders: the default when the endpoint does not say (Default there: false). */
  svixHeadersDefault: boolean;
  /** (Default: `Hookrelay/<package version>`.) */
  userAgent?: string;
}

/** The message's payload was expunged (retention) before it could be delivered: nothing to send. */
export class PayloadExpiredError extends HookrelayError {
  constructor(msgId: string) {
    super('payload_expired', 410, `payload of ${msgId} has expired`, { fields: { msgId } });
  }
}

/** Whether an endpoint's custom header may go out: never one of ours, nor one that breaks the connection. */
function customHeaderAllowed(key: string): boolean {
  return !HOP_BY_HOP.has(key) && !key.startsWith('webhook-') && !key.startsWith('svix-') && !key.startsWith('ce-');
}

export function buildRequest(claimed: ClaimedDelivery, options: BuildOptions): OutboundRequest {
  const { message, endpoint } = claimed;
  if (message.payload === null) throw new PayloadExpiredError(message.id);

  // The endpoint's own headers first; ours are assigned after them and win on a clash.
  const headers: Record<string, string> = {};
  for (const name in endpoint.headers) {
    const key = name.toLowerCase();
    if (customHeaderAllowed(key)) headers[key] = endpoint.headers[name];
  }
  let body = message.payload;
  if (endpoint.format === 'cloudevents-binary') {
    Object.assign(headers, binaryModeHeaders(cloudEventAttributes(claimed)));
  } else if (endpoint.format === 'cloudevents-structured') {
    body = structuredModeBody(cloudEventAttributes(claimed), message.payload);
    headers['content-type'] = 'application/cloudevents+json';
  } else {
    headers['content-type'] = 'application/json';
  }
  headers['user-agent'] = options.userAgent ?? USER_AGENT;
  Object.assign(
    headers,
    signatureHeaders(message.id, options.now / 1000, body, activeSecrets(endpoint.secrets, options.now), {
      svixHeaders: endpoint.svixHeaders ?? options.svixHeadersDefault,
    }),
  );
  return { url: endpoint.url, method: 'POST', headers, body };
}
