import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { memoize } from '../memoize.js';

/**
 * The SSRF decision: may a delivery connect to this address? Pure functions, no sockets.
 * The connect-time half (resolve once, check every address, connect to the checked one)
 * is in `guarded-connect.ts`; the API calls `checkUrlLiteral` when an endpoint URL is saved.
 *
 * Everything that is not globally routable unicast is refused: loopback, unspecified,
 * private (RFC 1918), link-local (cloud metadata lives at 169.254.169.254), CGNAT, multicast,
 * broadcast, reserved, ULA, documentation and benchmark ranges, Teredo. Addresses that embed
 * an IPv4 address (IPv4-mapped, IPv4-translated, NAT64, 6to4) are judged by that IPv4 address,
 * because that is where the packets end up. An operator's allow-list (CIDRs) overrides all of it.
 */

export type AddressDecision = { allowed: true } | { allowed: false; reason: string };
export type UrlDecision = { ok: true } | { ok: false; reason: string };

type Range = [string, string];

// [CIDR, why it is refused]. Order matters only for the reason reported: narrower first.
const BLOCKED_V4: Range[] = [
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private (RFC 1918)'],
  ['172.16.0.0/12', 'private (RFC 1918)'],
  ['192.168.0.0/16', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.169.254/32', 'link-local (cloud metadata service)'],
  ['169.254.0.0/16', 'link-local'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)'],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)'],
  ['198.18.0.0/15', 'benchmarking'],
  ['192.88.99.0/24', '6to4 relay anycast (deprecated)'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

const BLOCKED_V6: Range[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['fc00::/7', 'unique local (ULA)'],
  ['ff00::/8', 'multicast'],
  ['100::/64', 'discard-only'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['2001::/32', 'Teredo'],
  ['2001:2::/48', 'benchmarking'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['2001:10::/28', 'ORCHID (deprecated)'],
  ['2001:20::/28', 'ORCHIDv2'],
];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
const parsedV4 = BLOCKED_V4.map(([cidr, why]) => [ipaddr.parseCIDR(cidr), why] as const);
const parsedV6 = BLOCKED_V6.map(([cidr, why]) => [ipaddr.parseCIDR(cidr), why] as const);

// Prefixes whose low bits carry an IPv4 destination: [prefix, bits, byte offset of the IPv4 address].
const EMBEDDING_V4: Array<[Cidr, string, number]> = [
  [ipaddr.parseCIDR('::ffff:0:0/96'), 'IPv4-mapped', 12],
  [ipaddr.parseCIDR('::ffff:0:0:0/96'), 'IPv4-translated', 12],
  [ipaddr.parseCIDR('64:ff9b::/96'), 'NAT64', 12],
  [ipaddr.parseCIDR('2002::/16'), '6to4', 2],
];

function parseIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // Only canonical forms: DNS answers and WHATWG-normalised hosts are canonical, and refusing
  // oddities here ('0x7f.1') means nothing reaches a socket without having been judged.
  if (isIP(bare.split('%')[0]) === 0) return null;
  try {
    return ipaddr.parse(bare);
  } catch {
    return null;
  }
}

/** The IPv4 address an IPv6 address forwards to, with the mechanism's name; null if none. */
export function embeddedIPv4(addr: ipaddr.IPv6): { v4: ipaddr.IPv4; via: string } | null {
  for (const [range, via, offset] of EMBEDDING_V4) {
    if (addr.match(range)) {
      const bytes = addr.toByteArray().slice(offset, offset + 4);
      return { v4: new ipaddr.IPv4(bytes), via };
    }
  }
  return null;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

// The allow-list is the same config array on every call: parse it once per array.
const allowListCache = new WeakMap<string[], Cidr[]>();

/** Parse allow-list CIDRs; IPv4-mapped IPv6 CIDRs (::ffff:a.b.c.d/104) become IPv4 CIDRs. */
function parseAllowList(allowNetworks: string[]): Cidr[] {
  const cached = allowListCache.get(allowNetworks);
  if (cached) return cached;
  const out: Cidr[] = [];
  allowListCache.set(allowNetworks, out);
  for (const text of allowNetworks) {
    let cidr: Cidr;
    try {
      cidr = ipaddr.parseCIDR(text);
    } catch {
      continue; // config validation already refuses bad CIDRs; ignore rather than throw mid-delivery
    }
    const [addr, bits] = cidr;
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      out.push([(addr as ipaddr.IPv6).toIPv4Address(), bits - 96]);
    } else {
      out.push(cidr);
    }
  }
  return out;
}

function inAllowList(addr: ipaddr.IPv4 | ipaddr.IPv6, allow: Cidr[]): boolean {
  return allow.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

function judgeV4(addr: ipaddr.IPv4): string | null {
  for (const [range, why] of parsedV4) if (addr.match(range as [ipaddr.IPv4, number])) return why;
  return null;
}

/**
 * Decide on one IP address (v4 or v6, optionally bracketed). Allow-listed addresses pass,
 * including an embedded IPv4 address that is allow-listed (::ffff:127.0.0.1 with 127.0.0.0/8).
 */
export function classifyAddress(ip: string, allowNetworks: string[]): AddressDecision {
  const addr = parseIp(ip);
  if (!addr) return { allowed: false, reason: `'${ip}' is not an IP address` };
  const allow = parseAllowList(allowNetworks);
  if (inAllowList(addr, allow)) return { allowed: true };

  if (addr.kind() === 'ipv4') {
    const why = judgeV4(addr as ipaddr.IPv4);
    return why ? { allowed: false, reason: `${addr.toString()} is ${why}` } : { allowed: true };
  }

  const v6 = addr as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) {
    if (inAllowList(embedded.v4, allow)) return { allowed: true };
    const why = judgeV4(embedded.v4);
    return why
      ? { allowed: false, reason: `${v6.toString()} is ${embedded.via} for ${embedded.v4.toString()}, which is ${why}` }
      : { allowed: true };
  }
  for (const [range, why] of parsedV6) {
    if (v6.match(range as [ipaddr.IPv6, number])) return { allowed: false, reason: `${v6.toString()} is ${why}` };
  }
  // Outside 2000::/3 nothing is globally routable unicast today.
  if (!v6.match(GLOBAL_UNICAST_V6)) {
    return { allowed: false, reason: `${v6.toString()} is outside global unicast (2000::/3)` };
  }
  return { allowed: true };
}

/** checkUrlLiteral's decisions by URL, for the allow-list they were made with (one per process in practice). */
const literalDecisions = new WeakMap<string[], (url: string) => UrlDecision>();

/**
 * Check an endpoint URL before it is stored or used: only http and https, and a host that is
 * an IP literal must be allowed. The WHATWG parser has already normalised every IPv4 spelling
 * ('2130706433', '0177.0.0.1', '0x7f.1' → 127.0.0.1), so the literal judged here is the one a
 * socket would use. Hostnames pass: they are judged when resolved, at connect time. Decisions
 * are remembered per URL: the delivery path asks once per delivery.
 */
export function checkUrlLiteral(url: string, allowNetworks: string[]): UrlDecision {
  let decide = literalDecisions.get(allowNetworks);
  if (!decide) {
    decide = memoize((u) => decideUrlLiteral(u, allowNetworks), 10_000);
    literalDecisions.set(allowNetworks, decide);
  }
  return decide(url);
}

function decideUrlLiteral(url: string, allowNetworks: string[]): UrlDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `scheme '${parsed.protocol.replace(/:$/, '')}' is not allowed (only http and https)` };
  }
  const host = parsed.hostname;
  if (host === '') return { ok: false, reason: 'URL has no host' };
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  // `localhost` is loopback by definition (RFC 6761): judged now, not at the first delivery.
  if (host === 'localhost' || host.endsWith('.localhost')) {
    const decision = classifyAddress('127.0.0.1', allowNetworks);
    return decision.allowed
      ? { ok: true }
      : { ok: false, reason: `${host} is loopback${allowHint('127.0.0.1', decision.reason)}` };
  }
  if (isIP(bare) === 0) return { ok: true };
  const decision = classifyAddress(bare, allowNetworks);
  return decision.allowed ? { ok: true } : { ok: false, reason: decision.reason + allowHint(bare, decision.reason) };
}

/**
 * The way past a refusal, for an operator who owns the destination (local development, a
 * private network): the allow-list entry that admits exactly this address. None for the cloud
 * metadata service, which no webhook should reach.
 */
export function allowHint(address: string, reason: string): string {
  if (reason.includes('cloud metadata')) return '';
  const bits = isIP(address) === 6 ? 128 : 32;
  return ` (if it is yours, allow it: HOOKRELAY_ALLOW_NETWORKS=${address}/${bits})`;
}
