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

const KSUID_EPOCH = 1_400_000_000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_LENGTH = 27;

let lastSeconds = -1;
let lastPayload = Buffer.alloc(16);

function nextPayload(seconds: number): Buffer {
  if (seconds === lastSeconds) {
    const next = Buffer.from(lastPayload);
    for (let i = 15; i >= 0; i--) {
      next[i] = (next[i] + 1) & 0xff;
      if (next[i] !== 0) break;
    }
    lastPayload = next;
  } else {
    lastSeconds = seconds;
    lastPayload = randomBytes(16);
    lastPayload[0] &= 0x7f; // leave head-room so the increment never wraps within a second
  }
  return lastPayload;
}

/** Fixed-width base62 of 20 bytes by long division over 16-bit digits (no BigInt: this runs per attempt). */
function base62(bytes: Buffer): string {
  const digits: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) digits.push((bytes[i] << 8) | bytes[i + 1]);
  const out: string[] = [];
  let start = 0;
  while (start < digits.length) {
    let rem = 0;
    for (let i = start; i < digits.length; i++) {
      const acc = rem * 65536 + digits[i];
      digits[i] = Math.floor(acc / 62);
      rem = acc % 62;
    }
    out.push(ALPHABET[rem]);
    while (start < digits.length && digits[start] === 0) start++;
  }
  return out.reverse().join('').padStart(KSUID_LENGTH, '0');
}

/** A new KSUID string (no prefix), monotonic within this process. */
export function ksuid(now: number = Date.now()): string {
  const seconds = Math.max(0, Math.floor(now / 1000) - KSUID_EPOCH);
  const buf = Buffer.alloc(20);
  buf.writeUInt32BE(seconds >>> 0, 0);
  nextPayload(seconds).copy(buf, 4);
  return base62(buf);
}

export function newId(kind: IdKind, now?: number): string {
  return ID_PREFIXES[kind] + ksuid(now);
}

/** True when `value` has the prefix of `kind` — used to tell an ID from a `uid` in paths. */
export function looksLikeId(kind: IdKind, value: string): boolean {
  return value.startsWith(ID_PREFIXES[kind]);
}
