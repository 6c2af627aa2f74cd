import { BadRequestError } from '../errors.js';

/**
 * The pull API's cursor. Clients treat it as opaque; inside it is the per-app `seq` of the last
 * message the reader has passed (base64url JSON `{"s":<seq>}`), so reading after it is one
 * indexed range scan, and the same value works as an SSE `id:` / `Last-Event-ID`.
 */
export interface PollPosition {
  seq: number;
}

export function encodeIterator(position: PollPosition): string {
  return Buffer.from(JSON.stringify({ s: position.seq })).toString('base64url');
}

/** Decode a client-given iterator; anything we did not produce is a 400 `invalid_iterator`. */
export function decodeIterator(iterator: string): PollPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(iterator)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(iterator, 'base64url').toString('utf8'));
  } catch (err) {
    throw new BadRequestError(`Iterator '${iterator.slice(0, 64)}' is not valid.`, 'invalid_iterator', { cause: err });
  }
  const seq = (parsed as { s?: unknown } | null)?.s;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new BadRequestError(`Iterator '${iterator.slice(0, 64)}' is not valid.`, 'invalid_iterator');
  }
  return { seq };
}
