import { ListenChannelHub, type ListenEvent, type ListenHubOptions, type ListenRequest } from './listen-channel-hub.js';

export type ListenSubscriber = (event: ListenEvent) => void;

/**
 * Listen channels as the routes see them, whoever keeps them: this process's memory
 * (MemoryListenChannels, one process) or the store's shared log (SharedListenChannels, every API
 * process on one PostgreSQL database).
 */
export interface ListenChannels {
  /** A new channel, or the named one (`scope` separates callers: two tokens never share a name). */
  create(uid: string | null, scope: string): Promise<{ id: string; uid: string | null; created: boolean }>;
  /** The channel and its subscribers (on this process), or null when unknown. */
  describe(id: string): Promise<{ id: string; subscribers: number } | null>;
  /** Relay one request; null when the channel is unknown. */
  publish(id: string, request: ListenRequest): Promise<{ subscribers: number } | null>;
  /**
   * Stream the channel to `subscriber`: the retained events after `lastEventId` (all retained
   * without one), then each new one, in order, none twice. A well-formed ID that is not known is
   * opened (a server restarted and `hookrelay listen` reconnects to the URL it printed); null
   * when the ID is malformed. Returns the unsubscribe function.
   */
  subscribe(id: string, lastEventId: string | null, subscriber: ListenSubscriber): Promise<(() => void) | null>;
}

/** Channels in this process's memory (the SQLite store serves one process). */
export class MemoryListenChannels implements ListenChannels {
  private readonly hub: ListenChannelHub;

  constructor(options: ListenHubOptions = {}) {
    this.hub = new ListenChannelHub(options);
  }

  async create(uid: string | null, scope: string) {
    const { channel, created } = this.hub.create(uid, scope);
    return { id: channel.id, uid: channel.uid, created };
  }

  async describe(id: string) {
    const channel = this.hub.get(id);
    return channel ? { id: channel.id, subscribers: channel.subscribers.size } : null;
  }

  async publish(id: string, request: ListenRequest) {
    const channel = this.hub.get(id);
    if (!channel) return null;
    channel.publish(request);
    return { subscribers: channel.subscribers.size };
  }

  async subscribe(id: string, lastEventId: string | null, subscriber: ListenSubscriber) {
    const channel = this.hub.open(id);
    if (!channel) return null;
    const { backlog, unsubscribe } = channel.subscribe(lastEventId, subscriber);
    for (const event of backlog) subscriber(event);
    return unsubscribe;
  }
}
