import type { ListenLog, ListenLogEvent } from '../store/listen-log.js';
import { CHANNEL_ID, listenChannelId, type ListenEvent, type ListenRequest } from './listen-channel-hub.js';
import type { ListenChannels, ListenSubscriber } from './listen-channels.js';

export interface SharedListenOptions {
  /** Key of named-channel IDs: every process must use the same one. */
  secret: string;
  /** Events kept per channel for Last-Event-ID resume. (Default: 100) */
  keep?: number;
  /** A subscribed channel is read again this often even without a wake-up (a lost NOTIFY). (Default: 2000 ms) */
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

/**
 * Listen channels in the store's shared log, for API processes that share a database: any
 * process may create, publish or stream, and an event's ID is its seq in the channel, the same
 * on every process, so a stream resumes anywhere. Each process reads a channel only while it has
 * subscribers, one read at a time per channel, from the smallest cursor of its readers.
 */
export class SharedListenChannels implements ListenChannels {
  private readonly subscribed = new Map<string, Subscribed>();
  private readonly keep: number;
  private readonly stopWakeups: () => void;
  private readonly recheck: NodeJS.Timeout;

  constructor(
    private readonly log: ListenLog,
    private readonly options: SharedListenOptions,
  ) {
    this.keep = options.keep ?? 100;
    this.stopWakeups = log.onAppend((id) => this.read(id));
    this.recheck = setInterval(() => {
      for (const id of this.subscribed.keys()) this.read(id);
    }, options.recheckMs ?? 2000);
    this.recheck.unref();
  }

  async create(uid: string | null, scope: string) {
    const id = listenChannelId(uid, scope, this.options.secret);
    const created = await this.log.createChannel(id, uid, Date.now());
    return { id, uid, created };
  }

  async describe(id: string) {
    if (!CHANNEL_ID.test(id) || !(await this.log.getChannel(id))) return null;
    return { id, subscribers: this.subscribed.get(id)?.readers.size ?? 0 };
  }

  async publish(id: string, request: ListenRequest) {
    if (!CHANNEL_ID.test(id)) return null;
    const seq = await this.log.append(id, request, this.keep);
    if (seq === null) return null;
    return { subscribers: this.subscribed.get(id)?.readers.size ?? 0 };
  }

  async subscribe(id: string, lastEventId: string | null, deliver: ListenSubscriber) {
    if (!CHANNEL_ID.test(id)) return null;
    await this.log.createChannel(id, null, Date.now());
    // An ID that is not a seq (none, or one from a process-local channel) replays what is retained.
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
          const events = await this.log.after(id, from, PAGE);
          for (const e of events) {
            const event = toListenEvent(e);
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

function toListenEvent(e: ListenLogEvent): ListenEvent {
  return {
    method: e.method,
    headers: e.headers,
    query: e.query,
    body: e.body,
    timestamp: e.timestamp,
    id: String(e.seq),
    seq: e.seq,
  };
}
