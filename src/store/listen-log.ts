/**
 * The log behind listen channels (`hookrelay listen`), kept in the store so that every API process
 * on one database shares it: a channel created through one process exists for all, a request
 * posted to any of them reaches every subscriber, and event numbers are the channel's own
 * sequence, so a stream resumes on any process and after a restart.
 */

export interface ListenLogRequest {
  method: string;
  headers: Record<string, string | string[]>;
  query: Record<string, string>;
  body: Buffer;
  /** Epoch ms when the request arrived. */
  timestamp: number;
}

export interface ListenLogEvent extends Omit<ListenLogRequest, 'body'> {
  /** 1, 2, 3… per channel, in commit order: a reader that saw n never later sees a smaller one appear. */
  seq: number;
  /** A Uint8Array, not a Buffer, once it has crossed the SQLite store's thread. */
  body: Uint8Array;
}

export interface ListenLog {
  /** Register the channel unless it exists; true when this call created it. */
  createListenChannel(id: string, uid: string | null, now: number): Promise<boolean>;
  /** The channel's uid, or undefined when there is no such channel. */
  getListenChannel(id: string): Promise<{ uid: string | null } | undefined>;
  /** Append one request, keeping the channel's newest `keep`; null when there is no such channel. */
  appendListenEvent(channelId: string, request: ListenLogRequest, keep: number): Promise<number | null>;
  /** The channel's events after `seq`, oldest first, at most `limit`. */
  listenEventsAfter(channelId: string, seq: number, limit: number): Promise<ListenLogEvent[]>;
  /** Called with a channel ID after an append by any process (at most once per append, maybe batched). */
  onListenAppend(listener: (channelId: string) => void): () => void;
}
