import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { HookrelayError } from '../errors.js';
import { allowHint, classifyAddress } from './ssrf-guard.js';

/**
 * The connect-time half of the SSRF guard, as an undici `connect` function. The hostname is
 * resolved ONCE, every address it resolves to is judged (one blocked address refuses the
 * whole name: a DNS answer mixing public and private addresses is an attack, not an
 * accident), and the socket is opened to the address that was judged — never to a name the
 * OS would resolve again (DNS rebinding). TLS still verifies the certificate against the
 * hostname, through `servername`.
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Hostname → addresses. (Default: dns.lookup with all: true, which honours /etc/hosts.) */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** The destination is refused by the SSRF guard; the delivery fails with `blocked: <reason>`. */
export class DeliveryBlockedError extends HookrelayError {
  readonly reason: string;
  constructor(reason: string) {
    super('delivery_blocked', 502, `blocked: ${reason}`, { fields: { reason } });
    this.reason = reason;
  }
}

/** The hostname did not resolve; the delivery fails with `dns: <code>`. */
export class DeliveryDnsError extends HookrelayError {
  constructor(hostname: string, dnsCode: string, cause?: unknown) {
    super('delivery_dns', 502, `dns: ${dnsCode} ${hostname}`, { cause, fields: { hostname, dnsCode } });
  }
}

export interface GuardOptions {
  /** CIDRs let through although private (Default: none — config.allowNetworks). */
  allowNetworks: string[];
  /** (Default: systemResolver.) */
  resolver?: Resolver;
  /** TCP+TLS connect timeout in ms (Default: 10000, undici's). */
  connectTimeoutMs?: number;
}

/**
 * Resolve and judge a hostname (or IP literal). Returns the address to connect to, or throws
 * DeliveryBlockedError / DeliveryDnsError. Exported for tests and for the CloudEvents handshake.
 */
export async function resolveChecked(
  hostname: string,
  allowNetworks: string[],
  resolver: Resolver = systemResolver,
): Promise<ResolvedAddress> {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const family = isIP(bare);
  if (family !== 0) {
    const d = classifyAddress(bare, allowNetworks);
    if (!d.allowed) throw new DeliveryBlockedError(d.reason + allowHint(bare, d.reason));
    return { address: bare, family };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver(bare);
  } catch (err) {
    throw new DeliveryDnsError(bare, (err as NodeJS.ErrnoException).code ?? 'ERROR', err);
  }
  if (addresses.length === 0) throw new DeliveryDnsError(bare, 'ENODATA');
  for (const a of addresses) {
    const d = classifyAddress(a.address, allowNetworks);
    if (!d.allowed) throw new DeliveryBlockedError(`${bare} resolves to ${d.reason}${allowHint(a.address, d.reason)}`);
  }
  return addresses[0];
}

/** An undici `connect` option that only ever opens sockets to addresses the guard allowed. */
export function guardedConnector(options: GuardOptions): buildConnector.connector {
  const base = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const resolver = options.resolver ?? systemResolver;
  return (opts, callback) => {
    const hostname = opts.hostname;
    resolveChecked(hostname, options.allowNetworks, resolver).then(
      ({ address }) => {
        const servername = opts.servername || (isIP(hostname) === 0 ? hostname : undefined);
        base({ ...opts, hostname: address, servername }, callback);
      },
      (err: Error) => callback(err, null),
    );
  };
}
