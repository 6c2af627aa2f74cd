import type { Endpoint, Message } from '../domain/model.js';
import type { Store } from '../store/store.js';
import type { MessageWakeups } from './message-wakeups.js';
import type { AppId } from '../ids.js';

/**
 * The pull side's core, without HTTP: read a poll endpoint's messages after a position, in
 * seq order, optionally waiting (long-poll) until one is committed. Push and pull read the
 * same message rows, so a message has the same ID on both sides.
 */

/** Narrowing a poller request may add on top of the endpoint's own filter. */
export interface PollFilter {
  eventType?: string;
  channel?: string;
  /** Only messages created strictly after this time (epoch ms). */
  after?: number;
}

export interface PollRequest {
  endpoint: Endpoint;
  /** Read messages with seq > afterSeq. */
  afterSeq: number;
  limit: number;
  filter?: PollFilter;
  /** Long-poll: when nothing is available, wait up to this long for a commit. (Default: 0) */
  waitMs?: number;
  signal?: AbortSignal;
}

export interface PollResult {
  messages: Message[];
  /** The position after this page: pass it back to continue. */
  seq: number;
  /** True when the log had nothing more for this endpoint at the time of the read. */
  done: boolean;
}

type StoreFilter = { filterTypes: string[] | null; channels: string[] | null };

/** A page may skip messages in memory (created before the endpoint); this bounds one request's scan. */
const MAX_SCANS_PER_READ = 20;
/** Seeking by time finds a start through the ID index, then walks; IDs may be out of time order by this much. */
const SEEK_SKEW_MS = 5_000;
/** How many messages a commit can overtake: two ingest group commits in flight of up to 500 each. */
const COMMIT_REORDER_MARGIN = 1_000;
/** Even when woken by nothing, a waiting reader re-checks this often (a lost PostgreSQL NOTIFY costs at most this). */
const RECHECK_MS = 2_000;

export class PollReader {
  private readonly startCache = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly wakeups: MessageWakeups,
  ) {}

  async read(req: PollRequest): Promise<PollResult> {
    const { endpoint, limit, signal } = req;
    const filter = req.filter ?? {};
    const storeFilter = combineFilters(endpoint, filter);
    const lowerBound = Math.max(endpoint.createdAt, filter.after === undefined ? 0 : filter.after + 1);
    const deadline = Date.now() + (req.waitMs ?? 0);
    let seq = req.afterSeq;
    for (;;) {
      const generation = this.wakeups.generation(endpoint.appId);
      const result = storeFilter
        ? await this.readOnce(endpoint.appId, seq, limit, storeFilter, lowerBound)
        : { messages: [], seq, done: true };
      if (result.messages.length > 0 || signal?.aborted) return result;
      seq = result.seq;
      const left = deadline - Date.now();
      if (left <= 0) return result;
      if (!result.done) continue; // scanned past skipped rows only: keep going
      await this.wakeups.waitForChange(endpoint.appId, generation, Math.min(left, RECHECK_MS), signal);
    }
  }

  /** The position before the first message this endpoint may see (those created since it was). */
  async startSeq(endpoint: Endpoint): Promise<number> {
    const cached = this.startCache.get(endpoint.id);
    if (cached !== undefined) return cached;
    const { seq, exact } = await this.seek(endpoint.appId, endpoint.createdAt - 1);
    if (exact) {
      if (this.startCache.size >= 10_000) this.startCache.clear();
      this.startCache.set(endpoint.id, seq);
    }
    return seq;
  }

  /** The position after every message of the app created at or before `afterMs`. */
  async seekSeq(appId: AppId, afterMs: number): Promise<number> {
    return (await this.seek(appId, afterMs)).seq;
  }

  private async seek(appId: AppId, afterMs: number): Promise<{ seq: number; exact: boolean }> {
    // The end of the log is read first: a message committed between the two reads then lies
    // after it. Read the other way round, a batch committed in between was skipped.
    const newest = await this.store.listMessages(appId, { limit: 1, iterator: null, order: 'descending' }, {});
    const first = await this.store.listMessages(
      appId,
      { limit: 1, iterator: null, order: 'ascending' },
      { after: afterMs - SEEK_SKEW_MS },
    );
    if (first.data.length === 0) {
      // Nothing that recent: every message up to that end is older, and later ones are newer.
      return { seq: newest.data[0]?.seq ?? 0, exact: false };
    }
    // The smallest ID is not always the smallest seq: IDs are made when a request arrives, seqs
    // at commit. Walking from a little before it covers a message committed earlier despite a
    // later ID; the walk steps over what is older.
    let seq = Math.max(0, first.data[0].seq - 1 - COMMIT_REORDER_MARGIN);
    for (let scan = 0; scan < MAX_SCANS_PER_READ; scan++) {
      const batch = await this.store.listMessagesAfter(appId, seq, 250, { filterTypes: null, channels: null });
      for (const m of batch) {
        if (m.createdAt > afterMs) return { seq, exact: true };
        seq = m.seq;
      }
      if (batch.length < 250) return { seq, exact: false };
    }
    return { seq, exact: false };
  }

  private async readOnce(
    appId: AppId,
    afterSeq: number,
    limit: number,
    filter: StoreFilter,
    lowerBound: number,
  ): Promise<PollResult> {
    const messages: Message[] = [];
    let seq = afterSeq;
    for (let scan = 0; scan < MAX_SCANS_PER_READ; scan++) {
      // One row past the page tells a page that ends at the log's end (done) from a full page.
      const batch = await this.store.listMessagesAfter(appId, seq, limit + 1, filter);
      let consumed = 0;
      for (const m of batch) {
        if (messages.length === limit) break;
        consumed++;
        seq = m.seq;
        if (m.createdAt >= lowerBound) messages.push(m);
      }
      const exhausted = batch.length <= limit && consumed === batch.length;
      if (exhausted) return { messages, seq, done: true };
      if (messages.length === limit) return { messages, seq, done: false };
    }
    return { messages, seq, done: false };
  }
}

/**
 * The endpoint's filter narrowed by the request's `event_type` / `channel`; null when the two
 * exclude each other (nothing can ever match).
 */
export function combineFilters(
  endpoint: Pick<Endpoint, 'filterTypes' | 'channels'>,
  filter: PollFilter,
): StoreFilter | null {
  let filterTypes = endpoint.filterTypes && endpoint.filterTypes.length > 0 ? endpoint.filterTypes : null;
  let channels = endpoint.channels && endpoint.channels.length > 0 ? endpoint.channels : null;
  if (filter.eventType !== undefined) {
    if (filterTypes && !filterTypes.includes(filter.eventType)) return null;
    filterTypes = [filter.eventType];
  }
  if (filter.channel !== undefined) {
    if (channels && !channels.includes(filter.channel)) return null;
    channels = [filter.channel];
  }
  return { filterTypes, channels };
}
