/**
 * The shared log behind listen channels (`hookrelay listen`) when several API processes serve
 * one database: a channel created through one process exists for all, a request posted to any
 * of them reaches every subscriber, and event numbers are the channel's own sequence, so a
 * stream resumes on any process. Stores that serve one process (SQLite) do not offer it; the
 * channels then live in that process's memory (src/pull/listen-channel-hub.ts).
 */

export interface ListenLogRequest {
  method: string;
  headers: Record<string, string | string[]>;
  query: Record<string, string>;
  body: Buffer;
  /** Epoch ms when the request arrived. */
  timestamp: number;
}

export interface ListenLogEvent extends ListenLogRequest {
  /** 1, 2, 3… per channel, in commit order: a reader that saw n never later sees a smaller one appear. */
  seq: number;
}

export interface ListenLog {
  /** Register the channel unless it exists; true when this call created it. */
  createChannel(id: string, uid: string | null, now: number): Promise<boolean>;
  /** The channel's uid, or undefined when there is no such channel. */
  getChannel(id: string): Promise<{ uid: string | null } | undefined>;
  /** Append one request, keeping the channel's newest `keep`; null when there is no such channel. */
  append(channelId: string, request: ListenLogRequest, keep: number): Promise<number | null>;
  /** The channel's events after `seq`, oldest first, at most `limit`. */
  after(channelId: string, seq: number, limit: number): Promise<ListenLogEvent[]>;
  /** Called with a channel ID after an append by any process (at most once per append, maybe batched). */
  onAppend(listener: (channelId: string) => void): () => void;
}
