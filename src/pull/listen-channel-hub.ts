import { createHmac, randomBytes } from 'node:crypto';
import { RateLimitedError } from '../errors.js';

/**
 * Listen channels (`hookrelay listen`, smee.io-compatible): whatever is sent to
 * `/in/{channel}` is published to the channel's stream subscribers. A channel lives in the
 * memory of the process that serves it — no store, no durability: it is a development relay.
 * Each keeps a bounded ring of its last events so a subscriber that reconnects with
 * Last-Event-ID misses nothing that is still in the ring.
 *
 * The channel ID is the capability (the inbound route needs no token), so it is unguessable:
 * 16 random bytes, or — for a named channel (`uid`) — an HMAC of the name under a server key,
 * so the same name maps to the same URL after a restart.
 */

export interface ListenRequest {
  method: string;
  headers: Record<string, string | string[]>;
  query: Record<string, string>;
  body: Buffer;
  /** Epoch ms when the request arrived. */
  timestamp: number;
}

export interface ListenEvent extends ListenRequest {
  /** `<hub epoch>.<n>`: the SSE id. The epoch changes on restart, so stale ids replay the whole ring. */
  id: string;
  seq: number;
}

type Subscriber = (event: ListenEvent) => void;

export class ListenChannel {
  private readonly ring: ListenEvent[] = [];
  private nextSeq = 1;
  readonly subscribers = new Set<Subscriber>();
  lastActiveAt = Date.now();

  constructor(
    readonly id: string,
    readonly uid: string | null,
    private readonly epoch: string,
    private readonly bufferSize: number,
  ) {}

  publish(request: ListenRequest): ListenEvent {
    const seq = this.nextSeq++;
    const event: ListenEvent = { ...request, id: `${this.epoch}.${seq}`, seq };
    this.ring.push(event);
    if (this.ring.length > this.bufferSize) this.ring.shift();
    this.lastActiveAt = Date.now();
    for (const s of [...this.subscribers]) s(event);
    return event;
  }

  /**
   * Subscribe; returns the buffered events after `lastEventId` to send first. The backlog and the
   * subscription are taken in the same synchronous step, so nothing falls between them.
   */
  subscribe(lastEventId: string | null, subscriber: Subscriber): { backlog: ListenEvent[]; unsubscribe: () => void } {
    let after = 0;
    if (lastEventId) {
      const [epoch, n] = lastEventId.split('.');
      // An id from another process lifetime says nothing about this ring: replay all of it.
      if (epoch === this.epoch && /^\d+$/.test(n ?? '')) after = Number(n);
    }
    const backlog = this.ring.filter((e) => e.seq > after);
    this.subscribers.add(subscriber);
    this.lastActiveAt = Date.now();
    return {
      backlog,
      unsubscribe: () => {
        this.subscribers.delete(subscriber);
        this.lastActiveAt = Date.now();
      },
    };
  }
}

export interface ListenHubOptions {
  /** Key of named-channel IDs; the same key gives the same IDs after a restart. (Default: random per process) */
  secret?: string;
  /** Events kept per channel for Last-Event-ID resume. (Default: 100) */
  bufferSize?: number;
  /** Channels kept in memory; the least recently active channel without subscribers is dropped beyond it. (Default: 1000) */
  maxChannels?: number;
}

/** What every channel ID looks like: `lc_` and 16 bytes in base64url. */
export const CHANNEL_ID = /^lc_[A-Za-z0-9_-]{22}$/;

/** A new channel's ID, or a named one's: an HMAC of (scope, uid) under `secret`, stable across processes and restarts. */
export function listenChannelId(uid: string | null, scope: string, secret: string): string {
  return uid === null
    ? 'lc_' + randomBytes(16).toString('base64url')
    : 'lc_' + createHmac('sha256', secret).update(`${scope}\0${uid}`).digest().subarray(0, 16).toString('base64url');
}

export class ListenChannelHub {
  private readonly channels = new Map<string, ListenChannel>();
  private readonly secret: string;
  private readonly bufferSize: number;
  private readonly maxChannels: number;
  readonly epoch = randomBytes(4).toString('hex');

  constructor(options: ListenHubOptions = {}) {
    this.secret = options.secret ?? randomBytes(32).toString('hex');
    this.bufferSize = options.bufferSize ?? 100;
    this.maxChannels = options.maxChannels ?? 1000;
  }

  /** A new channel, or the named one (`scope` separates callers: two tokens never share a name). */
  create(uid: string | null, scope: string): { channel: ListenChannel; created: boolean } {
    const id = listenChannelId(uid, scope, this.secret);
    const existing = this.channels.get(id);
    if (existing) return { channel: existing, created: false };
    return { channel: this.add(id, uid), created: true };
  }

  get(id: string): ListenChannel | undefined {
    return this.channels.get(id);
  }

  /**
   * The channel a subscriber asks for. A well-formed ID that this process does not know is
   * opened (the server restarted and `hookrelay listen` reconnects to the URL it printed).
   */
  open(id: string): ListenChannel | null {
    const existing = this.channels.get(id);
    if (existing) return existing;
    if (!CHANNEL_ID.test(id)) return null;
    return this.add(id, null);
  }

  get size(): number {
    return this.channels.size;
  }

  private add(id: string, uid: string | null): ListenChannel {
    if (this.channels.size >= this.maxChannels) this.evictOne();
    const channel = new ListenChannel(id, uid, this.epoch, this.bufferSize);
    this.channels.set(id, channel);
    return channel;
  }

  private evictOne(): void {
    let victim: ListenChannel | null = null;
    for (const c of this.channels.values()) {
      if (c.subscribers.size === 0 && (!victim || c.lastActiveAt < victim.lastActiveAt)) victim = c;
    }
    if (!victim)
      throw new RateLimitedError(`All ${this.maxChannels} listen channels have subscribers; close one first.`);
    this.channels.delete(victim.id);
  }
}
