import { randomBytes } from 'node:crypto';

/**
 * Prefixed, time-sortable IDs in Svix's shape: `msg_` + a 27-character base62 KSUID
 * (4 bytes of seconds since 2014-05-13 + 16 bytes). Within one process the IDs are strictly
 * increasing: in the same second the 16-byte payload is the previous one plus one, so
 * ordering by ID string (binary / "C" collation) is creation order for one writer.
 */
export const ID_PREFIXES = {
  application: 'app_',
  endpoint: 'ep_',
  message: 'msg_',
  attempt: 'atmpt_',
  eventType: 'evtype_',
  token: 'tok_',
  delivery: 'dlv_',
  task: 'qtask_',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

declare const idKind: unique symbol;
/**
 * A string known to be an ID of one kind (made by newId or read back from the store): an
 * endpoint's ID cannot be passed where a message's is wanted, nor a uid where an ID is.
 */
export type Id<K extends IdKind> = string & { readonly [idKind]: K };
export type AppId = Id<'application'>;
export type EndpointId = Id<'endpoint'>;
export type MessageId = Id<'message'>;

const KSUID_EPOCH = 1_400_000_000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_LENGTH = 27;

let lastSeconds = -1;
let lastKsuid = '';

/** Fixed-width base62 of 20 bytes by long division over 32-bit digits (exact in doubles: 62 · 2³² < 2⁵³). */
function base62(bytes: Buffer): string {
  const digits = [
    bytes.readUInt32BE(0),
    bytes.readUInt32BE(4),
    bytes.readUInt32BE(8),
    bytes.readUInt32BE(12),
    bytes.readUInt32BE(16),
  ];
  let out = '';
  let start = 0;
  while (start < digits.length) {
    let rem = 0;
    for (let i = start; i < digits.length; i++) {
      const acc = rem * 4294967296 + digits[i];
      digits[i] = Math.floor(acc / 62);
      rem = acc % 62;
    }
    out = ALPHABET[rem] + out;
    while (start < digits.length && digits[start] === 0) start++;
  }
  return out.padStart(KSUID_LENGTH, '0');
}

/** The base62 string of the number one greater (the caller guarantees it does not overflow). */
function incrementBase62(s: string): string {
  let i = s.length - 1;
  while (s[i] === 'z') i--;
  return s.slice(0, i) + ALPHABET[ALPHABET.indexOf(s[i]) + 1] + '0'.repeat(s.length - 1 - i);
}

/**
 * A new KSUID string (no prefix), monotonic within this process. The first ID of a second
 * takes 16 random bytes (the top bit clear, so a second's increments never reach the
 * timestamp); every later ID of that second is the one before plus one, counted in base62.
 */
export function ksuid(now: number = Date.now()): string {
  const seconds = Math.max(0, Math.floor(now / 1000) - KSUID_EPOCH);
  if (seconds === lastSeconds) {
    lastKsuid = incrementBase62(lastKsuid);
    return lastKsuid;
  }
  const buf = Buffer.alloc(20);
  buf.writeUInt32BE(seconds >>> 0, 0);
  randomBytes(16).copy(buf, 4);
  buf[4] &= 0x7f;
  lastSeconds = seconds;
  lastKsuid = base62(buf);
  return lastKsuid;
}

/**
 * The least ID of `kind` whose KSUID second is that of `ms`: every ID made with a `now` at or
 * after the start of that second sorts at or above it, every earlier one below. Turns a time
 * range into an ID range, so a list or count can seek an index on the ID instead of scanning.
 */
export function idFloor(kind: IdKind, ms: number): string {
  const seconds = Math.min(0xffffffff, Math.max(0, Math.floor(ms / 1000) - KSUID_EPOCH));
  const buf = Buffer.alloc(20);
  buf.writeUInt32BE(seconds, 0);
  return ID_PREFIXES[kind] + base62(buf);
}

export function newId<K extends IdKind>(kind: K, now?: number): Id<K> {
  return (ID_PREFIXES[kind] + ksuid(now)) as Id<K>;
}

/** True when `value` has the prefix of `kind` — used to tell an ID from a `uid` in paths. */
export function looksLikeId(kind: IdKind, value: string): boolean {
  return value.startsWith(ID_PREFIXES[kind]);
}
