import type { ListenLog, ListenLogEvent, ListenLogRequest } from '../listen-log.js';
import type { Db } from './db.js';
import type { Notifications } from './notifications.js';
import { CHANNEL_LISTEN } from './channels.js';
import { Listeners } from '../../listeners.js';

/**
 * Listen channels across processes (src/store/listen-log.ts). An append bumps the channel's
 * `last_seq` and inserts the event in one statement: the row lock makes seqs commit in order.
 */
export class PostgresListenLog implements ListenLog {
  private readonly appends = new Listeners<[string]>();

  constructor(
    private readonly db: Db,
    private readonly notifications: Notifications,
  ) {}

  async createChannel(id: string, uid: string | null, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'INSERT INTO listen_channels (id, uid, created_at, last_active_at) VALUES ($1, $2, $3, $3) ON CONFLICT (id) DO NOTHING',
      [id, uid, now],
    );
    return rowCount === 1;
  }

  async getChannel(id: string): Promise<{ uid: string | null } | undefined> {
    const { rows } = await this.db.query<{ uid: string | null }>('SELECT uid FROM listen_channels WHERE id = $1', [id]);
    return rows[0];
  }

  async append(channelId: string, r: ListenLogRequest, keep: number): Promise<number | null> {
    const { rows } = await this.db.query<{ seq: number }>(
      `WITH c AS (
         UPDATE listen_channels SET last_seq = last_seq + 1, last_active_at = $6 WHERE id = $1 RETURNING last_seq
       )
       INSERT INTO listen_events (channel, seq, method, headers, query, body, received_at)
       SELECT $1, c.last_seq, $2, $3, $4, $5, $6 FROM c
       RETURNING seq`,
      [channelId, r.method, JSON.stringify(r.headers), JSON.stringify(r.query), r.body, r.timestamp],
    );
    if (rows.length === 0) return null;
    const seq = rows[0].seq;
    await this.db.query(
      `WITH gone AS (DELETE FROM listen_events WHERE channel = $1 AND seq <= $2) SELECT pg_notify('${CHANNEL_LISTEN}', $1)`,
      [channelId, seq - keep],
    );
    this.appended(channelId);
    return seq;
  }

  async after(channelId: string, seq: number, limit: number): Promise<ListenLogEvent[]> {
    const { rows } = await this.db.query<ListenLogEvent>(
      `SELECT seq, method, headers, query, body, received_at AS timestamp FROM listen_events
       WHERE channel = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [channelId, seq, limit],
    );
    return rows;
  }

  onAppend(listener: (channelId: string) => void): () => void {
    this.notifications.start();
    return this.appends.add(listener);
  }

  /** An append committed, by this process or (heard through notifications.ts) another. */
  appended(channelId: string): void {
    this.appends.fire(channelId);
  }
}
