import { createHmac, randomBytes } from 'node:crypto';
import type { ListenLog, ListenLogRequest } from '../store/listen-log.js';

/**
 * Listen channels (`hookrelay listen`, smee.io-compatible): whatever is sent to `/in/{channel}`
 * is appended to the channel's log in the store and streamed to its subscribers. The log is the
 * store's, so any API process on one database may create, publish or stream, and an event's ID is
 * its seq in the channel, the same on every process and after a restart: a stream resumes
 * anywhere. Each process reads a channel only while it has subscribers, one read at a time per
 * channel, from the smallest cursor of its readers.
 *
 * The channel ID is the capability (the inbound route needs no token), so it is unguessable:
 * 16 random bytes, or, for a named channel (`uid`), an HMAC of the name under a server key, so
 * the same name maps to the same URL on every process and after a restart.
 */

export type ListenRequest = ListenLogRequest;
export type ListenEvent = ListenLogRequest & { seq: number };
export type ListenSubscriber = (event: ListenEvent) => void;

/** What every channel ID looks like: `lc_` and 16 bytes in base64url. */
export const CHANNEL_ID = /^lc_[A-Za-z0-9_-]{22}$/;

/** A new channel's ID, or a named one's: an HMAC of (scope, uid) under `secret`, stable across processes and restarts. */
export function listenChannelId(uid: string | null, scope: string, secret: string): string {
  return uid === null
    ? 'lc_' + randomBytes(16).toString('base64url')
    : 'lc_' + createHmac('sha256', secret).update(`${scope}\0${uid}`).digest().subarray(0, 16).toString('base64url');
}

export interface ListenChannelOptions {
  /** Key of named-channel IDs: every process must use the same one. (Default: random per process) */
  secret?: string;
  /** Events kept per channel for Last-Event-ID resume. (Default: 100) */
  keep?: number;
  /** How often a subscribed channel is read again without a wake-up, so a lost NOTIFY delays an event but never drops it. */
  recheckMs?: number;
}

interface Reader {
  cursor: number;
  deliver: ListenSubscriber;
}

interface Subscribed {
  readers: Set<Reader>;
  reading: boolean;
  again: boolean;
}

const PAGE = 500;

export class ListenChannels {
  private readonly subscribed = new Map<string, Subscribed>();
  private readonly secret: string;
  private readonly keep: number;
  private readonly stopWakeups: () => void;
  private readonly recheck: NodeJS.Timeout;

  constructor(
    private readonly log: ListenLog,
    options: ListenChannelOptions = {},
  ) {
    this.secret = options.secret ?? randomBytes(32).toString('hex');
    this.keep = options.keep ?? 100;
    this.stopWakeups = log.onListenAppend((id) => this.read(id));
    this.recheck = setInterval(() => {
      for (const id of this.subscribed.keys()) this.read(id);
    }, options.recheckMs ?? 2000);
    this.recheck.unref();
  }

  /** A new channel, or the named one (`scope` separates callers: two tokens never share a name). */
  async create(uid: string | null, scope: string): Promise<{ id: string; uid: string | null; created: boolean }> {
    const id = listenChannelId(uid, scope, this.secret);
    const created = await this.log.createListenChannel(id, uid, Date.now());
    return { id, uid, created };
  }

  /** The channel and its subscribers on this process, or null when unknown. */
  async describe(id: string): Promise<{ id: string; subscribers: number } | null> {
    if (!CHANNEL_ID.test(id) || !(await this.log.getListenChannel(id))) return null;
    return { id, subscribers: this.subscribed.get(id)?.readers.size ?? 0 };
  }

  /** Relay one request; null when the channel is unknown. */
  async publish(id: string, request: ListenRequest): Promise<{ subscribers: number } | null> {
    if (!CHANNEL_ID.test(id)) return null;
    const seq = await this.log.appendListenEvent(id, request, this.keep);
    if (seq === null) return null;
    return { subscribers: this.subscribed.get(id)?.readers.size ?? 0 };
  }

  /**
   * Stream the channel to `deliver`: the retained events after `lastEventId` (all retained
   * without one), then each new one, in order, none twice. A well-formed ID that is not known is
   * opened (`hookrelay listen` reconnects to the URL it printed); null when the ID is malformed.
   * Returns the unsubscribe function.
   */
  async subscribe(id: string, lastEventId: string | null, deliver: ListenSubscriber): Promise<(() => void) | null> {
    if (!CHANNEL_ID.test(id)) return null;
    await this.log.createListenChannel(id, null, Date.now());
    // An ID that is not a seq replays what is retained.
    const cursor = lastEventId !== null && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : 0;
    const reader: Reader = { cursor, deliver };
    let entry = this.subscribed.get(id);
    if (!entry) {
      entry = { readers: new Set(), reading: false, again: false };
      this.subscribed.set(id, entry);
    }
    entry.readers.add(reader);
    this.read(id);
    return () => {
      const e = this.subscribed.get(id);
      e?.readers.delete(reader);
      if (e && e.readers.size === 0) this.subscribed.delete(id);
    };
  }

  close(): void {
    this.stopWakeups();
    clearInterval(this.recheck);
  }

  private read(id: string): void {
    const entry = this.subscribed.get(id);
    if (!entry) return;
    if (entry.reading) {
      entry.again = true;
      return;
    }
    entry.reading = true;
    void (async () => {
      try {
        do {
          entry.again = false;
          if (entry.readers.size === 0) break;
          const from = Math.min(...[...entry.readers].map((r) => r.cursor));
          const events = await this.log.listenEventsAfter(id, from, PAGE);
          for (const e of events) {
            const event = { ...e, body: Buffer.from(e.body.buffer, e.body.byteOffset, e.body.byteLength) };
            for (const r of entry.readers) {
              if (e.seq <= r.cursor) continue;
              r.cursor = e.seq;
              r.deliver(event);
            }
          }
          if (events.length === PAGE) entry.again = true;
        } while (entry.again);
      } catch {
        // The store is unreachable: the periodic recheck reads again once it is back.
      } finally {
        entry.reading = false;
      }
    })();
  }
}
